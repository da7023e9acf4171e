// The display-text rule (models/displayText.ts): what text from files and users may look like when
// it reaches a terminal, a report or the UI, and what a model file may hold at all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayText, hasUnsafeText, jsonText, plainTextProblem } from '../../models/index.ts';

/** Every character the rule covers, one of each kind. */
const COVERED = ['\u0000', '\u0007', '\u0008', '\t', '\n', '\u000b', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u009d', '\u061c', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202d', '\u202e', '\u2066', '\u2069'];
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('displayText', () => {
  it('writes every control, bidirectional and separator character as a visible \\u{hex} escape', () => {
    for (const c of COVERED) expect(displayText(`a${c}b`)).toBe(`a\\u{${c.codePointAt(0)!.toString(16)}}b`);
  });

  it('turns terminal escape sequences (CSI, OSC, C1 CSI) into inert text', () => {
    expect(displayText('\u001b[31mred\u001b[0m')).toBe('\\u{1b}[31mred\\u{1b}[0m');
    expect(displayText('\u001b]0;pwned\u0007')).toBe('\\u{1b}]0;pwned\\u{7}');
    expect(displayText('\u009b2J')).toBe('\\u{9b}2J');
  });

  it('keeps newline and tab in multi-line text only, escaping CR there too', () => {
    expect(displayText('one\ntwo\tthree\r', { multiline: true })).toBe('one\ntwo\tthree\\u{d}');
    expect(displayText('one\ntwo')).toBe('one\\u{a}two');
  });

  it('leaves ordinary text, accents, other scripts and emoji as they are', () => {
    const plain = 'Réinitialisation — 重置 — إعادة — 👩‍💻 <b> | [x](y)';
    expect(displayText(plain)).toBe(plain);
    expect(hasUnsafeText(plain)).toBe(false);
  });

  it('never lets a covered character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(displayText(s)).not.toMatch(RAW);
        expect(displayText(s, { multiline: true })).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('jsonText', () => {
  it('is JSON that parses to the same value, with no raw C1, DEL or bidirectional character in it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
        const doc = { v, s };
        const text = jsonText(doc, 2);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
        expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('plainTextProblem', () => {
  it('accepts plain one-line text, and line breaks and tabs in multi-line text', () => {
    expect(plainTextProblem('Agent resets the password')).toBeNull();
    expect(plainTextProblem('one\n\ttwo\n', { multiline: true })).toBeNull();
  });

  it('names the first control character and where it is', () => {
    expect(plainTextProblem('Reset \u001b[31m')).toBe('contains control characters (U+001B (ESC) at character 7); this field is one line of plain text');
    expect(plainTextProblem('two\nlines')).toMatch(/U\+000A \(LF\) at character 4/);
    expect(plainTextProblem('a\rb', { multiline: true })).toMatch(/^contains control characters \(U\+000D \(CR\) at character 2\); text may hold line breaks and tabs/);
  });

  it('names a bidirectional override as something that can disguise text', () => {
    expect(plainTextProblem('Reset \u202egnp.exe')).toBe('contains bidirectional-override characters (U+202E at character 7), which can disguise text');
    expect(plainTextProblem('x\u2066y', { multiline: true })).toMatch(/bidirectional-override/);
  });
});
