import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, readSources } from './rules.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('architecture rules', () => {
  it('hold for every source file in the repository', () => {
    const files = readSources(ROOT);
    expect(files.length).toBeGreaterThan(10);
    expect(checkArchitecture(files)).toEqual([]);
  });

  it('refuse node, UI and native imports in the pure folders', () => {
    const v = checkArchitecture([
      { path: 'models/a.ts', text: "import { readFileSync } from 'node:fs';\nimport x from 'react';" },
      { path: 'analysis/b.ts', text: "import Database from 'better-sqlite3';" },
    ]);
    expect(v.map((x) => x.rule)).toEqual(['pure-no-node', 'pure-no-ui-or-native', 'pure-no-ui-or-native', 'sqlite-only-in-storage']);
  });

  it('refuse clocks, randomness, timers and console in pure code', () => {
    const v = checkArchitecture([{ path: 'analysis/c.ts', text: 'export const t = Date.now() + Math.random(); console.log(t);' }]);
    expect(v.map((x) => x.detail)).toEqual([
      'analysis/ is pure and may not use Date.now(); inject it',
      'analysis/ is pure and may not use Math.random(); inject it',
      'analysis/ is pure and may not use console; inject it',
    ]);
  });

  it('refuse an upward dependency and a deep import past a folder\'s index.ts', () => {
    const v = checkArchitecture([
      { path: 'models/a.ts', text: "import { x } from '../analysis/index.ts';" },
      { path: 'analysis/b.ts', text: "import { y } from '../models/workflow/load.ts';" },
    ]);
    expect(v).toEqual([
      { file: 'models/a.ts', rule: 'folder-dependency', detail: 'models/ may not import analysis/ (../analysis/index.ts)' },
      { file: 'analysis/b.ts', rule: 'public-surface', detail: 'import models/ through its index.ts, not ../models/workflow/load.ts' },
    ]);
  });

  it('refuse SQL outside storage and renderer access to node or electron', () => {
    const v = checkArchitecture([
      { path: 'backend/x.ts', text: "const q = 'SELECT * FROM runs';" },
      { path: 'renderer/y.tsx', text: "import { ipcRenderer } from 'electron';" },
    ]);
    expect(v.map((x) => x.rule)).toEqual(['sql-only-in-storage', 'renderer-sandboxed']);
  });

  it('refuse an import cycle between modules', () => {
    const v = checkArchitecture([
      { path: 'analysis/a.ts', text: "import { b } from './b.ts';" },
      { path: 'analysis/b.ts', text: "import { a } from './a.ts';" },
    ]);
    expect(v.map((x) => x.rule)).toEqual(['no-cycles']);
  });
});
