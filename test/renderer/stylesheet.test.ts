// The app's one style sheet stays well formed: a rule left open (as a bad merge once left one) nests
// every later rule inside it, and the screens after it render unstyled with no error anywhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CSS = readFileSync(join(import.meta.dirname, '..', '..', 'renderer', 'styles.css'), 'utf8');

describe('the style sheet', () => {
  it('closes every rule it opens, and nests rules only inside at-rules', () => {
    const stack: string[] = [];
    const problems: string[] = [];
    const text = CSS.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
    let line = 1;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n') line++;
      if (ch === '{') {
        const head = text.slice(start, i).trim();
        if (stack.length && !stack.every((h) => h.startsWith('@'))) problems.push(`line ${line}: "${head}" opens inside "${stack.at(-1)}"`);
        stack.push(head);
        start = i + 1;
      } else if (ch === '}') {
        if (!stack.pop()) problems.push(`line ${line}: "}" closes nothing`);
        start = i + 1;
      } else if (ch === ';') start = i + 1;
    }
    expect(problems.slice(0, 3)).toEqual([]);
    expect(stack).toEqual([]);
  });
});
