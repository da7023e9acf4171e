// The import rules of docs/architecture (README "Architecture"), as a checker over source text.
// Kept separate from the test so the rules themselves can be tested on synthetic files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';

export const FOLDERS = ['contract', 'models', 'scenarios', 'analysis', 'storage', 'backend', 'electron', 'cli', 'renderer'] as const;
export type Folder = (typeof FOLDERS)[number];
const PURE: readonly Folder[] = ['contract', 'models', 'scenarios', 'analysis'];

/** Which repo folders each folder may import from (besides itself). */
const ALLOWED: Record<Folder, readonly Folder[]> = {
  models: [],
  scenarios: ['models'],
  analysis: ['models', 'scenarios'],
  contract: ['models', 'scenarios', 'analysis'],
  storage: ['models', 'scenarios', 'analysis', 'contract'],
  backend: ['models', 'scenarios', 'analysis', 'contract', 'storage'],
  electron: ['contract', 'backend'],
  cli: ['models', 'scenarios', 'analysis', 'contract', 'backend', 'storage'],
  renderer: ['models', 'scenarios', 'analysis', 'contract'],
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const UI_OR_NATIVE = /^(electron|react|react-dom|d3|d3-.*|better-sqlite3)(\/|$)/;
const SQL = /\b(SELECT\s+[\w*]|INSERT\s+INTO|CREATE\s+TABLE|DELETE\s+FROM|UPDATE\s+\w+\s+SET|PRAGMA\s+\w)/;
const IMPURE_CALLS: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew Date\s*\(\s*\)/, 'new Date()'],
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\b(setTimeout|setInterval|setImmediate)\s*\(/, 'timers'],
  [/\bconsole\.\w+\s*\(/, 'console'],
  [/\bperformance\.now\s*\(/, 'performance.now()'],
];

export interface SourceFile {
  /** Path relative to the repo root, with forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  rule: string;
  detail: string;
}

/** Import specifiers in a TypeScript source (static, re-export and dynamic imports). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2])!);
  return out;
}

function folderOf(path: string): Folder | null {
  const top = path.split('/')[0] as Folder;
  return (FOLDERS as readonly string[]).includes(top) ? top : null;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** Checks every rule over the given files; returns the violations (empty when clean). */
export function checkArchitecture(files: SourceFile[]): Violation[] {
  const v: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const folder = folderOf(f.path);
    if (!folder) continue;
    const code = stripComments(f.text);
    const edges: string[] = [];
    for (const spec of importsOf(code)) {
      if (spec.startsWith('.')) {
        const target = normalize(join(dirname(f.path), spec)).replace(/\\/g, '/');
        const tf = folderOf(target);
        edges.push(target);
        if (!tf) continue;
        if (tf !== folder) {
          if (!ALLOWED[folder].includes(tf)) v.push({ file: f.path, rule: 'folder-dependency', detail: `${folder}/ may not import ${tf}/ (${spec})` });
          const rel = relative(tf, target).replace(/\\/g, '/');
          const isIndex = rel === 'index.ts' || rel === 'index' || /^[\w-]+\/index(\.ts)?$/.test(rel) && (folder === 'electron' || tf === 'electron');
          if (!isIndex) v.push({ file: f.path, rule: 'public-surface', detail: `import ${tf}/ through its index.ts, not ${spec}` });
        }
        continue;
      }
      if (PURE.includes(folder)) {
        if (NODE_BUILTINS.has(spec) || spec.startsWith('node:')) v.push({ file: f.path, rule: 'pure-no-node', detail: `${folder}/ is pure and may not import ${spec}` });
        if (UI_OR_NATIVE.test(spec)) v.push({ file: f.path, rule: 'pure-no-ui-or-native', detail: `${folder}/ is pure and may not import ${spec}` });
      }
      if (spec === 'better-sqlite3' && folder !== 'storage') v.push({ file: f.path, rule: 'sqlite-only-in-storage', detail: `only storage/ may import better-sqlite3` });
      if (folder === 'renderer' && (spec === 'electron' || NODE_BUILTINS.has(spec))) v.push({ file: f.path, rule: 'renderer-sandboxed', detail: `renderer/ may not import ${spec}` });
      if (f.path.startsWith('electron/preload/') && spec !== 'electron') v.push({ file: f.path, rule: 'preload-minimal', detail: `the preload may import only contract/ and electron, not ${spec}` });
    }
    if (PURE.includes(folder)) {
      for (const [re, what] of IMPURE_CALLS) if (re.test(code)) v.push({ file: f.path, rule: 'pure-deterministic', detail: `${folder}/ is pure and may not use ${what}; inject it` });
    }
    if (folder !== 'storage' && SQL.test(code)) v.push({ file: f.path, rule: 'sql-only-in-storage', detail: 'SQL text outside storage/' });
    graph.set(f.path, edges);
  }
  v.push(...cycles(graph));
  return v;
}

function cycles(graph: Map<string, string[]>): Violation[] {
  const out: Violation[] = [];
  const resolveTarget = (t: string) => (graph.has(t) ? t : graph.has(`${t}.ts`) ? `${t}.ts` : graph.has(`${t}/index.ts`) ? `${t}/index.ts` : null);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 1);
    stack.push(n);
    for (const raw of graph.get(n) ?? []) {
      const t = resolveTarget(raw);
      if (!t) continue;
      if (state.get(t) === 1) {
        const cyc = stack.slice(stack.indexOf(t));
        // A folder's index.ts re-exporting its own files is not a dependency cycle between modules.
        if (!cyc.some((p) => p.endsWith('/index.ts'))) out.push({ file: n, rule: 'no-cycles', detail: [...cyc, t].join(' -> ') });
      } else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return out;
}

/** Reads every .ts/.tsx source under the architecture folders of a repo root. */
export function readSources(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push({ path: relative(root, p).replace(/\\/g, '/'), text: readFileSync(p, 'utf8') });
    }
  };
  for (const f of FOLDERS) {
    try {
      if (statSync(join(root, f)).isDirectory()) walk(join(root, f));
    } catch {
      /* folder not created yet */
    }
  }
  return out;
}
