// Fuzz (fast-check): model files built from the vocabulary, with random hostile strings in every
// text field (escape sequences, C0 and C1 controls, DEL, bidirectional controls, line separators,
// HTML, Markdown, link schemes, arbitrary code points), written as YAML or JSON with LF, CRLF or CR
// line endings under file names that carry hostile characters too. Every file either loads or is
// refused with located errors of one line each; and whatever the CLI prints about it, in every
// format, carries no raw control, bidirectional or separator character. The CLI runs in-process.
// FC_RUNS and FC_SEED widen or replay the search, as for the other property tests.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIO_LIBRARY_DIR, WORKFLOW_LIBRARY_DIR } from '../../backend/index.ts';
import { ACCOUNT_CLASS_IDS, CAPABILITY_IDS, CONTROLS, formatIssue, loadWorkflowText, RESET_ACTION_IDS, type ModelIssue, type StepKind } from '../../models/index.ts';
import { ATTACK_CHANNELS, loadScenarioText } from '../../scenarios/index.ts';
import { run } from './capture.ts';

const dir = mkdtempSync(join(tmpdir(), 'resetpath-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNS = Number(process.env.FC_RUNS ?? 12);
const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;
const params = { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) };

// Given as files, so no run loads the bundled libraries.
const S01 = join(SCENARIO_LIBRARY_DIR, 's01-osint-vishing.yaml');
const WEAK = join(WORKFLOW_LIBRARY_DIR, 'standard-password-reset.weak.yaml');

/** Any character the display-text rule covers, newline aside (output is lines). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Pieces an attacker puts in a name that the display-text rule covers. */
const CONTROL_PIECES = [
  '\u001b[31m', '\u001b[2J', '\u001b]0;pwned\u0007', '\u001b]8;;javascript:alert(1)\u001b\\', '\u009b2J', '\u009d0;x\u009c', '\u0000', '\u0007', '\b', '\t', '\n', '\r', '\r\n', '\u000b', '\u007f', '\u0085',
  '\u202e', '\u202a', '\u202d', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c', '\u2028', '\u2029',
];
/** Pieces an attacker puts in a name that a file may hold: markup, Markdown, link schemes, YAML syntax, odd Unicode. */
const PRINTABLE_PIECES = [
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '&amp;', '|', '`', '[x](javascript:alert(1))', '[y](data:text/html,z)', '<javascript:void(0)>', 'vbscript:', 'file:///etc/passwd',
  '"', "'", '\\', '${x}', '%s', ': ', '# ', '- ', '{', '}', '&anchor', '*alias', '!!binary', 'W'.repeat(90), '👩‍💻', 'é', '重置', 'إعادة', '\ufeff', '\u200b', 'Reset', 'the', 'desk', ' ',
];

/** A name or text: printable pieces only (the file may load), or with control pieces too (it must be refused). */
const hostile = (withControls: boolean): fc.Arbitrary<string> =>
  withControls
    ? fc.oneof(
        { weight: 3, arbitrary: fc.array(fc.constantFrom(...CONTROL_PIECES, ...PRINTABLE_PIECES), { minLength: 1, maxLength: 6 }).map((a) => a.join('')) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }) },
        { weight: 2, arbitrary: fc.constantFrom('Service desk', 'Verify the caller') },
      )
    : fc.array(fc.constantFrom(...PRINTABLE_PIECES), { minLength: 1, maxLength: 5 }).map((a) => a.join('').trim() || 'x');

/** The texts of one file: hostile with controls in a third of the files, so that most of the others load. */
const texts = (n: number) => fc.constantFrom(true, false, false).chain((withControls) => fc.array(hostile(withControls), { minLength: n, maxLength: n }));

/** Characters a file name may hold on Linux (no "/" and no NUL). */
const hostileFileName = fc
  .array(fc.constantFrom('\u001b[2J', '\u009b', '\r', '\n', '\u202e', '\u2066', '\u007f', '\t', 'x', ' ', '<b>', '|'), { maxLength: 3 })
  .map((a) => a.join(''));

const KINDS: StepKind[] = ['proofing', 'callback', 'step_up', 'approval', 'notification', 'logging', 'review'];
const controlsFor = (kind: StepKind) => CONTROLS.filter((c) => c.attach.scope === 'step' && c.attach.kinds.includes(kind)).map((c) => c.id);

interface Written {
  file: string;
  text: string;
}

/** The document as a file: YAML or JSON, LF, CRLF or CR line endings. */
const asFile = (doc: unknown, prefix: string) =>
  fc.record({ json: fc.boolean(), eol: fc.constantFrom('\n', '\r\n', '\r'), name: hostileFileName, n: fc.nat() }).map(({ json, eol, name, n }): Written => {
    const body = json ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc);
    const file = join(dir, `${prefix}-${n}${name}.${json ? 'json' : 'yaml'}`);
    writeFileSync(file, body.replace(/\n/g, eol));
    // Read back: a lone surrogate from an arbitrary string is written as U+FFFD.
    return { file, text: readFileSync(file, 'utf8') };
  });

/** A workflow from the vocabulary (intake, one to three verifying steps, an execution, an end) with hostile text everywhere. */
const workflowFile: fc.Arbitrary<Written> = fc
  .record({
    classes: fc.subarray([...ACCOUNT_CLASS_IDS], { minLength: 1, maxLength: 3 }),
    kinds: fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 3 }),
    pick: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    action: fc.constantFrom(...RESET_ACTION_IDS),
    text: texts(20),
    exception: fc.boolean(),
  })
  .chain((r) => {
    const t = (i: number) => r.text[i % r.text.length]!;
    const ids = r.kinds.map((_, i) => `s${i}`);
    const steps: Record<string, unknown>[] = [{ id: 'intake', kind: 'intake', name: t(0), description: t(1), actor: 'desk', channels: ['phone'], next: ids[0] }];
    r.kinds.forEach((kind, i) => {
      const fits = controlsFor(kind);
      const control = fits.length ? fits[r.pick[i]! % fits.length] : undefined;
      steps.push({
        id: ids[i],
        kind,
        name: t(2 + i),
        description: t(5 + i),
        actor: i % 2 ? 'idp' : 'desk',
        ...(control ? { controls: [{ control, note: t(8 + i), ...(CONTROLS.find((c) => c.id === control)!.role === 'guard' ? { flaw: { kind: 'known_bypass', description: t(11), source: t(12) } } : {}) }] } : {}),
        next: ids[i + 1] ?? 'reset',
      });
    });
    steps.push({ id: 'reset', kind: 'execution', name: t(13), actor: 'desk', action: r.action, next: 'done' }, { id: 'done', kind: 'end', name: t(14) });
    const doc = {
      resetpath: 'workflow/1',
      id: 'fuzz.workflow',
      name: t(15),
      family: t(16),
      description: t(17),
      sources: [t(18)],
      recovery_risk_analysis: { document: t(10), approved: '2026-01-01' },
      account_classes: r.classes,
      actors: [
        { id: 'desk', kind: 'agent', name: t(19) },
        { id: 'idp', kind: 'system', name: t(3) },
      ],
      ...(r.exception ? { exceptions: [{ id: 'vip', name: t(4), description: t(6), bypasses: [ids[0]] }] } : {}),
      start: 'intake',
      steps,
    };
    return asFile(doc, 'wf');
  });

/** A scenario from the vocabulary with hostile text everywhere. */
const scenarioFile: fc.Arbitrary<Written> = fc
  .record({
    caps: fc.subarray(CAPABILITY_IDS.filter((c) => c !== 'agent_account_taken_over'), { maxLength: 4 }),
    target: fc.constantFrom(...ACCOUNT_CLASS_IDS),
    channel: fc.constantFrom(...ATTACK_CHANNELS.filter((c) => c !== 'agent_console')),
    text: texts(10),
  })
  .chain((r) => {
    const t = (i: number) => r.text[i]!;
    const strategy = { channels: [r.channel], moves: [{ move: 'contact', channel: r.channel, say: t(7) }, { move: 'present_evidence' }] };
    const doc = {
      resetpath: 'scenario/1',
      id: 'fuzz.scenario',
      name: t(0),
      summary: t(1),
      reference: t(2),
      examples: [{ name: t(3), source: t(4) }],
      attacker: { name: t(5), capabilities: r.caps },
      target: { account_class: r.target, description: t(6) },
      strategy,
      then: [{ name: t(2), gains: ['agent_account_taken_over'], target: { account_class: 'privileged_admin', description: t(3) }, strategy }],
      injects: [{ at_minute: 0, title: t(8), text: t(9), decision: { prompt: t(4), options: [t(5), t(6)] } }],
    };
    return asFile(doc, 'sc');
  });

/** How many generated files loaded: the output of loaded files must be exercised too, not only refusals. */
const loaded = { workflows: 0, scenarios: 0 };

/** Refused: at least one issue, each naming this file and a place in it, and printed as one clean line. */
function expectLocatedIssues(issues: ModelIssue[], file: string): void {
  expect(issues.length).toBeGreaterThan(0);
  for (const i of issues) {
    expect(i.file).toBe(file);
    expect(i.line !== undefined || i.path !== '').toBe(true);
    expect(i.message).not.toMatch(RAW);
    expect(i.message).not.toMatch(/\n/);
    const line = formatIssue(i);
    expect(line).not.toMatch(RAW);
    expect(line).not.toMatch(/\n/);
  }
}

/** Output of one CLI run: clean of raw characters, an exit code of the documented three, JSON that parses. */
async function expectCleanRun(args: string[], loads: boolean): Promise<void> {
  const r = await run(...args);
  expect([0, 1, 2]).toContain(r.code);
  expect(r.all, args.join(' ')).not.toMatch(RAW);
  if (!loads) {
    expect(r.code).toBe(2);
    // Each line of the refusal names the file (written display-safe) and where.
    for (const line of r.err.trimEnd().split('\n').filter((l) => !/^\d+ files? checked/.test(l))) expect(line).toMatch(/^\/.+?(:\d+:\d+)?: .+/);
  } else if (args.includes('json')) expect(() => JSON.parse(r.out)).not.toThrow();
}

describe('hostile text in model files (fuzz)', () => {
  it('a workflow file loads or is refused with located one-line errors, and nothing the CLI prints about it is raw', async () => {
    await fc.assert(
      fc.asyncProperty(workflowFile, fc.constantFrom('text', 'json'), fc.constantFrom('table', 'md', 'json'), async ({ file, text }, show, analyze) => {
        const r = loadWorkflowText(text, file);
        if (!r.ok) expectLocatedIssues(r.issues, file);
        else loaded.workflows++;
        for (const args of [['show', file, '--format', show], ['lint', file], ['replay', file, '-s', S01], ['analyze', file, '-s', S01, '--format', analyze]]) {
          await expectCleanRun(args, r.ok);
        }
      }),
      params,
    );
    expect(loaded.workflows).toBeGreaterThan(0);
  }, 120_000);

  it('a scenario file loads or is refused with located one-line errors, and nothing the CLI prints about it is raw', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioFile, fc.constantFrom('table', 'md', 'json'), async ({ file, text }, analyze) => {
        const r = loadScenarioText(text, file);
        if (!r.ok) expectLocatedIssues(r.issues, file);
        else loaded.scenarios++;
        for (const args of [['replay', WEAK, '-s', file], ['analyze', WEAK, '-s', file, '--format', analyze]]) {
          await expectCleanRun(args, r.ok);
        }
      }),
      params,
    );
    expect(loaded.scenarios).toBeGreaterThan(0);
  }, 120_000);
});
