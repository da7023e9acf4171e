import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isWorkflowFileName, withWorkspaceExtension, WORKFLOW_FILTERS, WORKSPACE_FILTERS } from '../../electron/main/policy/files.ts';
import { workspaceArgument } from '../../electron/main/policy/launch.ts';
import { describeFailure, MAX_LISTED_ISSUES } from '../../electron/main/policy/messages.ts';
import { forgetWorkspace, MAX_RECENT_WORKSPACES, parseShellSettings, readShellSettings, rememberWorkspace, writeShellSettings } from '../../electron/main/settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dialog filters', () => {
  it('offer workspaces as *.resetpath and workflows as YAML or JSON', () => {
    expect(WORKSPACE_FILTERS).toEqual([{ name: 'ResetPath workspace', extensions: ['resetpath'] }]);
    expect(WORKFLOW_FILTERS).toEqual([{ name: 'Workflow files (YAML, JSON)', extensions: ['yaml', 'yml', 'json'] }]);
  });

  it('add .resetpath to a saved workspace name that lacks it', () => {
    expect(withWorkspaceExtension('/home/ana/desk')).toBe('/home/ana/desk.resetpath');
    expect(withWorkspaceExtension('/home/ana/desk.RESETPATH')).toBe('/home/ana/desk.RESETPATH');
    expect(withWorkspaceExtension('/home/ana/desk.sqlite')).toBe('/home/ana/desk.sqlite.resetpath');
    expect(withWorkspaceExtension('/home/ana/desk. .')).toBe('/home/ana/desk.resetpath');
  });

  it('accept only workflow file names for import', () => {
    for (const ok of ['a.yaml', 'b.YML', '/x/c.json']) expect(isWorkflowFileName(ok)).toBe(true);
    for (const bad of ['a.exe', 'yaml', '.yaml', 'a.yaml.exe', 'a.resetpath']) expect(isWorkflowFileName(bad)).toBe(false);
  });
});

describe('launch arguments', () => {
  it('take the last .resetpath path, resolved against the launching folder', () => {
    expect(workspaceArgument(['/opt/ResetPath/resetpath', 'one.resetpath', '/abs/two.resetpath'], '/home/ana')).toBe('/abs/two.resetpath');
    expect(workspaceArgument(['electron', 'out/main.js', 'desk.resetpath'], '/home/ana')).toBe('/home/ana/desk.resetpath');
  });

  it('never read a switch or the executable as a workspace', () => {
    expect(workspaceArgument(['/tmp/evil.resetpath'], '/')).toBeNull();
    expect(workspaceArgument(['app', '--inspect=x.resetpath', '-x.resetpath'], '/')).toBeNull();
    expect(workspaceArgument(['app', 'notes.txt'], '/')).toBeNull();
  });
});

describe('dialog texts for a failed call', () => {
  it('list where in the file each issue is', () => {
    expect(describeFailure({ code: 'invalid_model', message: 'bad.yaml is invalid', issues: [{ file: 'bad.yaml', line: 3, column: 7, path: 'steps[0].controls', message: 'unknown control' }, { file: 'bad.yaml', path: '', message: 'no start state' }] })).toBe(
      'bad.yaml is invalid\nbad.yaml:3:7: unknown control (at steps[0].controls)\nbad.yaml: no start state',
    );
  });

  it('count the issues past the first few', () => {
    const issues = Array.from({ length: MAX_LISTED_ISSUES + 3 }, (_, i) => ({ file: 'f.yaml', line: i + 1, path: '', message: 'x' }));
    expect(describeFailure({ code: 'invalid_model', message: 'm', issues }).split('\n').at(-1)).toBe('…and 3 more');
  });
});

describe('shell settings', () => {
  it('start empty on first run or from a damaged file', () => {
    for (const text of [null, '', 'not json', '[]', '{"lastWorkspace": 3}', 'x'.repeat(100_000)]) {
      expect(parseShellSettings(text)).toEqual({ lastWorkspace: null, recentWorkspaces: [], window: null });
    }
  });

  it('keep only absolute workspace paths, without duplicates, at most ten', () => {
    const recent = ['/a.resetpath', 'relative.resetpath', '/a.resetpath', 42, ...Array.from({ length: 20 }, (_, i) => `/w${i}.resetpath`)];
    const s = parseShellSettings(JSON.stringify({ lastWorkspace: 'rel.resetpath', recentWorkspaces: recent }));
    expect(s.lastWorkspace).toBeNull();
    expect(s.recentWorkspaces[0]).toBe('/a.resetpath');
    expect(s.recentWorkspaces).toHaveLength(MAX_RECENT_WORKSPACES);
  });

  it('move an opened workspace to the top of Recent and forget one that is gone', () => {
    let s = parseShellSettings(JSON.stringify({ recentWorkspaces: ['/a.resetpath', '/b.resetpath'] }));
    s = rememberWorkspace(s, '/b.resetpath');
    expect(s).toMatchObject({ lastWorkspace: '/b.resetpath', recentWorkspaces: ['/b.resetpath', '/a.resetpath'] });
    s = forgetWorkspace(s, '/b.resetpath');
    expect(s).toMatchObject({ lastWorkspace: null, recentWorkspaces: ['/a.resetpath'] });
  });

  it('round-trip through the file, readable by the user only', () => {
    const file = join(dir, 'nested', 'shell-settings.json');
    const s = { lastWorkspace: '/a.resetpath', recentWorkspaces: ['/a.resetpath'], window: { x: 1, y: 2, width: 900, height: 700, maximized: true } };
    writeShellSettings(file, s);
    expect(readShellSettings(file)).toEqual(s);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(s);
  });

  it('read a missing file as first run', () => {
    expect(readShellSettings(join(dir, 'none.json')).lastWorkspace).toBeNull();
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(readShellSettings(join(dir, 'bad.json')).recentWorkspaces).toEqual([]);
  });
});
