// `resetpath audit verify|log <workspace>`: checks and prints a workspace's tamper-evident audit log.
// Exit 0 when the log verifies (or was printed), 1 when verification fails (the chain is broken, or
// SQLite finds the file damaged, which is said as such and never as entries altered; also when
// reading the log meets damage), 2 for bad input (not a workspace, missing file, bad option).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import { Workspace, WorkspaceError, type AuditEntry, type AuditHead, type AuditVerification, type AuditWitness } from '../../storage/index.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { jsonOut, shown } from '../text.ts';

/** The `audit log --format json` document. */
export interface AuditLogDocument {
  format: 'resetpath-audit-log/1';
  workspace: string;
  head: AuditHead;
  entries: AuditEntry[];
}

/** Registers the `audit` command group on the program. */
export function register(program: Command, io: CommandIO): void {
  const audit = program.command('audit').description("check and read a workspace's tamper-evident audit log");

  audit
    .command('verify')
    .description('verify the hash chain of the audit log and the content it vouches for (exit 1 if broken)')
    .argument('<workspace>', 'workspace file')
    .option('--anchor <seq:hash>', 'a head printed by an earlier verify; fails if the log no longer extends it', parseAnchor)
    .option('--against <file>', 'a report exported from the workspace, or saved `audit verify`/`audit log --format json` output: fails unless the log still holds the head it recorded (repeatable)', collect, [])
    .option('--immutable', IMMUTABLE_HELP)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((file: string, opts: { anchor?: AuditHead; against: string[]; immutable?: boolean; format: 'text' | 'json' }) => {
      const witnesses: AuditWitness[] = opts.anchor ? [opts.anchor] : [];
      for (const f of opts.against) {
        const w = readWitness(f);
        if (typeof w === 'string') {
          io.err(`resetpath audit: ${w}\n`);
          io.setExitCode(EXIT.badInput);
          return;
        }
        witnesses.push(w);
      }
      const result = withWorkspace(io, file, opts, (ws) => ws.verifyAudit(witnesses.length ? { anchor: witnesses } : {}));
      if (!result) return;
      if (opts.format === 'json') io.out(jsonOut({ workspace: file, ...result }));
      else io.out(`${describeVerification(file, result, witnesses.filter((w) => w.source !== undefined))}\n`);
      io.setExitCode(result.ok ? EXIT.ok : EXIT.findings);
    });

  audit
    .command('log')
    .description('print the audit log, oldest first')
    .argument('<workspace>', 'workspace file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--limit <n>', 'only the last n entries', parseLimit)
    .option('--immutable', IMMUTABLE_HELP)
    .action((file: string, opts: { format: 'text' | 'json'; limit?: number; immutable?: boolean }) => {
      const got = withWorkspace(io, file, opts, (ws) => ({ head: ws.auditHead(), entries: ws.auditLog(opts.limit !== undefined ? { limit: opts.limit } : {}) }));
      if (!got) return;
      if (opts.format === 'json') {
        const doc: AuditLogDocument = { format: 'resetpath-audit-log/1', workspace: file, head: got.head, entries: got.entries };
        io.out(jsonOut(doc));
      } else {
        for (const e of got.entries) io.out(`${formatEntry(e)}\n`);
        if (got.entries.length === 0) io.out('(no entries)\n');
      }
      io.setExitCode(EXIT.ok);
    });
}

const IMMUTABLE_HELP = 'open the file as immutable evidence: no lock, nothing created or changed beside it (automatic where its folder cannot be written)';

/**
 * Opens the workspace read-only (no writer lock needed, works while the app writes) and runs fn.
 * On read-only media, or with --immutable, it is opened immutable: nothing is written beside it.
 */
function withWorkspace<T>(io: CommandIO, file: string, opts: { immutable?: boolean }, fn: (ws: Workspace) => T): T | undefined {
  let ws: Workspace | undefined;
  try {
    ws = Workspace.open(file, { readOnly: true, ...(opts.immutable ? { immutable: true } : {}) });
    return fn(ws);
  } catch (e) {
    if (!(e instanceof WorkspaceError)) throw e;
    io.err(`resetpath audit: ${shown(e.message)}\n`);
    // A damaged file is a finding about the workspace (exit 1, as verify's DAMAGED), not bad input.
    io.setExitCode(e.code === 'damaged' ? EXIT.findings : EXIT.badInput);
    return undefined;
  } finally {
    ws?.close();
  }
}

/** One line per outcome, naming the first bad entry when the chain is broken. */
export function describeVerification(file: string, r: AuditVerification, witnesses: readonly AuditWitness[] = []): string {
  const held = witnesses.map((w) => `; holds the head recorded in ${shown(w.source ?? '')} (entry ${w.seq})`).join('');
  if (r.ok) return `ok: ${shown(file)}: audit log verifies (${r.entries} entries); head ${r.head.seq}:${r.head.hash}${held}`;
  if (r.damaged !== undefined) return `DAMAGED: ${shown(file)}: ${shown(r.firstBad?.message ?? `the workspace file is damaged (SQLite: ${r.damaged})`)}`;
  const where = r.firstBad && r.firstBad.seq > 0 ? `first bad entry ${r.firstBad.seq}: ` : '';
  return `FAILED: ${shown(file)}: ${where}${shown(r.firstBad?.message ?? 'verification failed')} (${r.entries} entries verified before it)`;
}

/** "seq  time  actor  action entity-type entity-id  change  — reason", written display-safe. */
export function formatEntry(e: AuditEntry): string {
  const change = summarise(e.before, e.after);
  const reason = e.reason ? `  reason: ${JSON.stringify(e.reason)}` : '';
  return shown(`${String(e.seq).padStart(5)}  ${e.at}  ${e.actor}  ${e.action} ${e.entityType} ${e.entityId}${change ? `  ${change}` : ''}${reason}`);
}

function summarise(before: unknown, after: unknown): string {
  const b = before === null || before === undefined ? '' : clip(compact(before));
  const a = after === null || after === undefined ? '' : clip(compact(after));
  if (b && a) return `${b} -> ${a}`;
  return a || (b ? `was ${b}` : '');
}

/** key=value pairs for people; full hashes are noise in a log line (JSON output keeps them). */
function compact(v: unknown): string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(v);
  return Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== null && x !== undefined)
    .map(([k, x]) => `${k}=${typeof x === 'string' && /^[0-9a-f]{64}$/.test(x) ? x.slice(0, 12) : typeof x === 'string' && /^[\w.:-]+$/.test(x) ? x : JSON.stringify(x)}`)
    .join(' ');
}

function clip(s: string): string {
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}

function parseLimit(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a whole number of entries, 1 or more');
  return Number(v);
}

function collect(v: string, all: string[]): string[] {
  return [...all, v];
}

/**
 * The head a document recorded: "auditHead" (a report exported from the workspace) or "head" (the
 * JSON of \`audit verify\` and \`audit log\`). Returns a one-line problem naming the file otherwise.
 */
export function readWitness(file: string): AuditWitness | string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (e as Error).message})`}`;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `${file}: is not JSON (${(e as Error).message}); pass a report exported from the workspace`;
  }
  const o = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
  const head = (o.auditHead ?? o.head) as { seq?: unknown; hash?: unknown } | undefined;
  if (!head || typeof head !== 'object') {
    return `${file}: records no audit head ("auditHead" with seq and hash); pass a report exported from the workspace, or saved \`resetpath audit verify --format json\` output`;
  }
  if (typeof head.seq !== 'number' || !Number.isInteger(head.seq) || head.seq < 0 || typeof head.hash !== 'string' || !/^[0-9a-f]{64}$/.test(head.hash)) {
    return `${file}: its audit head must have "seq", a whole number, and "hash", 64 hex digits`;
  }
  return { seq: head.seq, hash: head.hash, source: file };
}

function parseAnchor(v: string): AuditHead {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('must look like 42:<64 hex digits>, as printed by `resetpath audit verify`');
  return { seq: Number(m[1]), hash: m[2]! };
}
