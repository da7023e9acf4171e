// What a timed inject assumes (`assumes:` on an inject): the schema takes only catalogue controls and
// step kinds of the vocabulary, and says where a wrong one is; the bundled library names only real ids.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONTROL_IDS, STEP_KINDS } from '../../models/index.ts';
import { loadScenarioText } from '../../scenarios/index.ts';

const LIBRARY = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios', 'library');
const FILES = readdirSync(LIBRARY).filter((f) => /\.ya?ml$/i.test(f)).sort();
/** s09 with what its injects assume left out. */
const S09 = readFileSync(join(LIBRARY, 's09-bribed-insider-agent.yaml'), 'utf8').replace(/^ {4}assumes: .*\n/gm, '');
/** s09 with `assumes` written on its second inject (at minute 10) and on no other. */
const withAssumes = (assumes: string) => S09.replace('  - at_minute: 10\n', `  - at_minute: 10\n    assumes: ${assumes}\n`);

describe('an inject\'s assumes', () => {
  it('refuses a control the catalogue does not have, at its line and column, naming the known ones', () => {
    const r = loadScenarioText(withAssumes('{ controls: [approval.second_agent] }'), 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = withAssumes('{ controls: [approval.second_agent] }').split('\n').findIndex((l) => l.includes('approval.second_agent')) + 1;
    expect(r.issues).toEqual([expect.objectContaining({ path: 'injects[1].assumes.controls[0]', line, message: expect.stringMatching(/^unknown control "approval.second_agent"; known: .*approval\.dual/) })]);
    expect(r.issues[0]!.column).toBeGreaterThan(1);
  });

  it('refuses a step kind the vocabulary does not have, at its line, naming the known ones', () => {
    const r = loadScenarioText(withAssumes('{ step_kinds: [second_approval] }'), 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([expect.objectContaining({ path: 'injects[1].assumes.step_kinds[0]', line: S09.split('\n').indexOf('  - at_minute: 10') + 2, message: expect.stringMatching(/^unknown step kind "second_approval"; known: intake, .*approval/) })]);
  });

  it('refuses an empty assumes and a takeover that is not true', () => {
    const empty = loadScenarioText(withAssumes('{}'), 'x.yaml');
    expect(!empty.ok && empty.issues[0]!.path).toBe('injects[1].assumes');
    const no = loadScenarioText(withAssumes('{ takeover: false }'), 'x.yaml');
    expect(!no.ok && no.issues[0]!.path).toBe('injects[1].assumes.takeover');
  });

  it('loads what it names: a detected takeover is a takeover', () => {
    const r = loadScenarioText(withAssumes('{ detected: true, controls: [approval.dual], step_kinds: [approval] }'), 'x.yaml');
    expect(r.ok && r.value.injects[1]!.assumes).toEqual({ takeover: true, detected: true, controls: ['approval.dual'], stepKinds: ['approval'] });
  });
});

describe('the bundled library\'s injects', () => {
  const injects = FILES.flatMap((f) => ((parse(readFileSync(join(LIBRARY, f), 'utf8')) as { injects?: { title: string; assumes?: { controls?: string[]; step_kinds?: string[]; takeover?: boolean; detected?: boolean } }[] }).injects ?? []).map((i) => ({ file: f, ...i })));
  const annotated = injects.filter((i) => i.assumes);

  it('name only real controls and step kinds in what they assume', () => {
    expect(annotated.length).toBeGreaterThan(40);
    for (const i of annotated) {
      for (const c of i.assumes!.controls ?? []) expect(CONTROL_IDS, `${i.file}: ${i.title}`).toContain(c);
      for (const k of i.assumes!.step_kinds ?? []) expect(STEP_KINDS as readonly string[], `${i.file}: ${i.title}`).toContain(k);
    }
  });

  it('say so where the text presupposes a takeover, a second approver or a reset notice', () => {
    const of = (file: string, title: string) => injects.find((i) => i.file.startsWith(file) && i.title === title)?.assumes;
    expect(of('s01', 'The real employee calls')).toEqual({ takeover: true });
    expect(of('s01', 'Forwarding rule found')).toEqual({ takeover: true });
    expect(of('s01', 'SOC sees a new device')).toEqual({ detected: true });
    expect(of('s09-', 'Second approval requested')).toEqual({ controls: ['approval.dual'] });
    expect(of('s09-', 'The employee reports a strange reset')).toEqual({ takeover: true, controls: ['notify.out_of_band'] });
    // The opening call of a scenario assumes nothing.
    expect(of('s01', 'A polite call from a local number')).toBeUndefined();
  });
});
