import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelRejectedError, Workspace, WorkspaceError } from '../../storage/index.ts';
import { scenarioYaml, workflowJson, workflowYaml } from './fixtures/models.ts';
import { contentDigest, deterministic, tempDir } from './helpers.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function fresh(): { ws: Workspace; path: string; dir: string } {
  const dir = tempDir();
  const path = join(dir, 'imports.resetpath');
  const ws = Workspace.create(path, deterministic());
  ws.saveWorkflowRevision({ text: workflowYaml('wf.existing') });
  return { ws, path, dir };
}

function file(dir: string, name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('import and export', () => {
  it('round-trips YAML byte for byte: comments, CRLF line ends, a byte-order mark, non-ASCII text, no final newline', () => {
    const { ws, dir } = fresh();
    const text = `\uFEFF${workflowYaml('wf.bytes', 'Réinitialisation — 🔐 test', 'keep   this comment  ')}`.replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    const src = file(dir, 'in.yml', Buffer.from(text, 'utf8'));
    const r = ws.importWorkflowFile(src, { reason: 'onboarding' });
    expect(r).toMatchObject({ id: 'wf.bytes', revision: 1, format: 'yaml', file: 'in.yml' });
    const out = join(dir, 'out.yml');
    ws.exportWorkflowFile('wf.bytes', out);
    expect(readFileSync(out).equals(readFileSync(src))).toBe(true);
    expect(ws.exportWorkflow('wf.bytes').fileName).toBe('wf.bytes.yml');
    ws.close();
  });

  it('round-trips JSON workflows and YAML scenarios byte for byte', () => {
    const { ws, dir } = fresh();
    const wf = file(dir, 'w.json', workflowJson('wf.json'));
    const sc = file(dir, 's.yaml', scenarioYaml('sc.one'));
    expect(ws.importWorkflowFile(wf).format).toBe('json');
    expect(ws.importScenarioFile(sc).format).toBe('yaml');
    ws.exportWorkflowFile('wf.json', join(dir, 'w2.json'));
    ws.exportScenarioFile('sc.one', join(dir, 's2.yaml'));
    expect(readFileSync(join(dir, 'w2.json')).equals(readFileSync(wf))).toBe(true);
    expect(readFileSync(join(dir, 's2.yaml')).equals(readFileSync(sc))).toBe(true);
    ws.close();
  });

  it('round-trips every bundled workflow and scenario byte for byte', () => {
    const { ws, dir } = fresh();
    const libs = [
      { kind: 'workflow' as const, dir: join(ROOT, 'models', 'library') },
      { kind: 'scenario' as const, dir: join(ROOT, 'scenarios', 'library') },
    ];
    const files = libs.flatMap((l) => readdirSync(l.dir).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => ({ kind: l.kind, path: join(l.dir, f) })));
    expect(files.length).toBeGreaterThan(2);
    const saved = ws.importFiles(files);
    mkdirSync(join(dir, 'out'));
    saved.forEach((s, i) => {
      const out = join(dir, 'out', `${i}`);
      if (files[i]!.kind === 'workflow') ws.exportWorkflowFile(s.id, out);
      else ws.exportScenarioFile(s.id, out);
      expect(readFileSync(out).equals(readFileSync(files[i]!.path)), files[i]!.path).toBe(true);
    });
    ws.close();
  });

  it('exports an earlier revision and never overwrites a file unless asked', () => {
    const { ws, dir } = fresh();
    ws.saveWorkflowRevision({ text: workflowYaml('wf.existing', 'Renamed') });
    const out = join(dir, 'old.yaml');
    ws.exportWorkflowFile('wf.existing', out, { revision: 1 });
    expect(readFileSync(out, 'utf8')).toBe(workflowYaml('wf.existing'));
    expect(() => ws.exportWorkflowFile('wf.existing', out)).toThrow(/old\.yaml: already exists; pass overwrite to replace it/);
    ws.exportWorkflowFile('wf.existing', out, { overwrite: true });
    expect(readFileSync(out, 'utf8')).toBe(workflowYaml('wf.existing', 'Renamed'));
    expect(() => ws.exportWorkflow('nope')).toThrow(/no workflow "nope" in this workspace/);
    ws.close();
  });

  it('imports a batch all or nothing, listing the issues of every invalid file', () => {
    const { ws, path, dir } = fresh();
    const good = file(dir, 'good.yaml', workflowYaml('wf.good'));
    const bad1 = file(dir, 'bad1.yaml', workflowYaml('wf.bad1').replace('kind: end', 'kind: finish'));
    const bad2 = file(dir, 'bad2.yaml', 'resetpath: workflow/1\nid: [unclosed\n');
    ws.close();
    const digest = contentDigest(path);
    const ws2 = Workspace.open(path, deterministic());
    let err: ModelRejectedError | undefined;
    try {
      ws2.importFiles([
        { kind: 'workflow', path: good },
        { kind: 'workflow', path: bad1 },
        { kind: 'workflow', path: bad2 },
      ]);
    } catch (e) {
      err = e as ModelRejectedError;
    }
    expect(err).toBeInstanceOf(ModelRejectedError);
    expect(err!.issues.map((i) => i.file)).toEqual([bad1, bad2]);
    expect(err!.message).toMatch(/nothing was saved$/);
    ws2.close();
    expect(contentDigest(path)).toBe(digest);
  });
});

/** Imports a file that must be refused; checks the message and that the workspace did not change. */
function expectRefused(content: string | Buffer | ((dir: string) => string), message: RegExp, kind: 'workflow' | 'scenario' = 'workflow'): WorkspaceError {
  const { ws, path, dir } = fresh();
  ws.close();
  const src = typeof content === 'function' ? content(dir) : file(dir, 'hostile.yaml', content);
  const digest = contentDigest(path);
  const writer = Workspace.open(path, deterministic());
  let err: unknown;
  try {
    if (kind === 'workflow') writer.importWorkflowFile(src);
    else writer.importScenarioFile(src);
  } catch (e) {
    err = e;
  } finally {
    writer.close();
  }
  expect(err).toBeInstanceOf(WorkspaceError);
  const e = err as WorkspaceError;
  expect(e.message).toMatch(message);
  expect(e.message).not.toMatch(/\n/);
  expect(contentDigest(path)).toBe(digest);
  return e;
}

describe('the importer, given bad input, reports a clear error and leaves the workspace unchanged', () => {
  it('refuses malformed YAML with the line and column', () => {
    const e = expectRefused('resetpath: workflow/1\nid: wf.x\nname: [unclosed\nsteps: 3\n', /^.*hostile\.yaml:3:7: syntax error: .*never closed.*; nothing was saved$/);
    expect((e as ModelRejectedError).issues[0]).toMatchObject({ line: 3, column: 7 });
  });

  it('refuses malformed JSON', () => {
    expectRefused((dir) => file(dir, 'broken.json', '{"resetpath": "workflow/1", "id": "x",,}'), /broken\.json:1:\d+: .*nothing was saved$/);
  });

  it('refuses a file that breaks the schema, naming the field', () => {
    expectRefused(workflowYaml('wf.x').replace('kind: end', 'kind: finish'), /hostile\.yaml:\d+:\d+: .*finish.* \(at steps\[3\]\.kind\); nothing was saved$/);
  });

  it('refuses a scenario offered as a workflow', () => {
    expectRefused(scenarioYaml('sc.x'), /must be "workflow\/1"/);
  });

  it('refuses a 50 MB file without reading it', () => {
    expectRefused((dir) => {
      const p = join(dir, 'huge.yaml');
      const fd = openSync(p, 'w');
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      for (let i = 0; i < 50; i++) writeSync(fd, chunk);
      closeSync(fd);
      return p;
    }, /huge\.yaml: file is 52428800 bytes; model files are limited to 2097152 bytes; nothing was saved$/);
  });

  it('refuses oversized text handed to save directly', () => {
    const { ws } = fresh();
    expect(() => ws.saveWorkflowRevision({ text: `${workflowYaml('wf.x')}#${'x'.repeat(3 * 1024 * 1024)}\n`, file: 'big.yaml' })).toThrow(/big\.yaml: file is \d+ bytes; model files are limited to 2097152 bytes/);
    ws.close();
  });

  it('refuses deeply nested flow collections as hostile input', () => {
    expectRefused(`resetpath: workflow/1\nid: wf.x\nname: x\ndescription: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, /hostile\.yaml:4:\d+: document nests more than \d+ levels deep here; .* refused as hostile input; nothing was saved$/);
  });

  it('refuses deeply nested JSON as hostile input', () => {
    expectRefused((dir) => file(dir, 'deep.json', `${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`), /deep\.json:1:\d+: document nests more than \d+ levels deep/);
  });

  it('refuses deeply nested block sequences as hostile input', () => {
    expectRefused(`resetpath: workflow/1\nsteps:\n${'- '.repeat(5000)}x\n`, /hostile\.yaml:3:\d+: document nests more than \d+ levels deep/);
  });

  it('survives several deeply nested documents in a row in one process', () => {
    const { ws } = fresh();
    for (let i = 0; i < 5; i++) {
      expect(() => ws.saveWorkflowRevision({ text: `${'['.repeat(2000 + i)}${']'.repeat(2000 + i)}`, file: `deep${i}.yaml` })).toThrow(/nests more than \d+ levels/);
    }
    ws.close();
  });

  it('refuses an alias bomb (billion laughs)', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefg'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`)].join('\n');
    expectRefused(`${bomb}\n`, /alias/);
  });

  it('refuses a huge string in a name', () => {
    expectRefused(workflowYaml('wf.x', 'n'.repeat(1_500_000)), /hostile\.yaml:4:7: "name" must be at most 200 characters long \(found 1500000\)/);
  });

  it('refuses HTML in a name, with its position', () => {
    expectRefused(workflowYaml('wf.x', 'Reset <script>alert(1)</script>'), /hostile\.yaml:4:8: name contains HTML markup; names must be plain text \(at name\); nothing was saved$/);
  });

  it('refuses HTML in a scenario name', () => {
    expectRefused(scenarioYaml('sc.x', '<img src=x onerror=alert(1)>'), /name contains HTML markup/, 'scenario');
  });

  it('refuses control and bidirectional-override characters in a name', () => {
    expectRefused(workflowYaml('wf.x', 'Reset \u0007 bell'), /name contains control characters/);
    expectRefused(workflowYaml('wf.x', 'Reset \u202egnp.exe'), /name contains bidirectional-override characters/);
  });

  it('refuses a file that is not UTF-8 text', () => {
    expectRefused(Buffer.from([0x72, 0x65, 0x73, 0xff, 0xfe, 0x00, 0x80, 0x0a]), /hostile\.yaml: file is not valid UTF-8 text; nothing was saved$/);
  });

  it('refuses duplicate keys', () => {
    expectRefused(workflowYaml('wf.x').replace('name:', 'name: one\nname:'), /duplicate key "name"/);
  });

  it('refuses a missing file and a folder', () => {
    expectRefused((dir) => join(dir, 'absent.yaml'), /absent\.yaml: file not found$/);
    expectRefused((dir) => dir, /is not a regular file$/);
  });
});
