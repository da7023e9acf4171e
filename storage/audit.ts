// The tamper-evident audit chain: each entry stores the SHA-256 of the previous entry and its own
// hash over a canonical serialisation, so editing, deleting or reordering any entry breaks the chain
// at that entry. appendAudit writes an entry inside the caller's transaction; the rest are pure
// functions over rows.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version tag inside every hashed serialisation, so a future format can coexist with this one. */
const HASH_FORMAT = 'resetpath-audit/1';

/** An audit row as stored (JSON columns still as text). */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  entity_type: string;
  entity_id: string;
  action: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

/** An audit entry as callers see it (JSON columns parsed). */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  entityType: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  prevHash: string;
  hash: string;
}

/** The last entry of the chain; record it elsewhere to detect a log cut off at the end. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** A head recorded outside the workspace, and where it was recorded (for messages). */
export interface AuditWitness extends AuditHead {
  /** e.g. "report.json"; messages say "the anchor recorded earlier" without one. */
  source?: string;
}

export interface AuditProblem {
  /** The first entry that does not verify (for a missing entry, the number it should have had). */
  seq: number;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: AuditHead;
  /** The first problem, naming the entry; absent when ok. */
  firstBad?: AuditProblem;
  /**
   * Set when SQLite found the file itself damaged (its message): the chain was not judged, since
   * damage is not tampering. firstBad then says so with seq 0.
   */
  damaged?: string;
}

/** SHA-256 of a UTF-8 string, lowercase hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted and no whitespace, so equal values always serialise to equal text
 * (a subset of RFC 8785 that is exact for the strings, integers and plain objects we log).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * Hash of an entry over every column except its own hash. The JSON columns are hashed as the text
 * stored, so verification never depends on re-serialising parsed values.
 */
export function entryHash(row: Omit<AuditRow, 'hash'>): string {
  return sha256(
    JSON.stringify([
      HASH_FORMAT,
      row.seq,
      row.at,
      row.actor,
      row.entity_type,
      row.entity_id,
      row.action,
      row.before_json,
      row.after_json,
      row.reason,
      row.prev_hash,
    ]),
  );
}

/** Converts a stored row to the entry callers see. */
export function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    before: parseOrText(row.before_json),
    after: parseOrText(row.after_json),
    reason: row.reason,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function parseOrText(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    // A tampered row may hold anything; show it rather than fail the listing.
    return json;
  }
}

/**
 * Walks rows in seq order and checks numbering, linkage and hashes; stops at the first bad entry.
 * `recordedHead` (kept by the workspace in the same transactions) catches entries cut off the end;
 * `anchor` is one or more heads recorded earlier outside the workspace (printed by `resetpath audit
 * verify`, or carried by an exported report), which also catch a truncation that rewrote the
 * recorded head, and a chain rewritten with recomputed hashes before the head was recorded.
 */
export function verifyChain(
  rows: Iterable<AuditRow>,
  recordedHead: AuditHead | undefined,
  anchor?: AuditWitness | readonly AuditWitness[],
  onEntry?: (row: AuditRow) => void,
): AuditVerification {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const witnesses: readonly AuditWitness[] = anchor === undefined ? [] : Array.isArray(anchor) ? anchor : [anchor as AuditWitness];
  const bySeq = new Map<number, AuditWitness[]>();
  for (const w of witnesses) bySeq.set(w.seq, [...(bySeq.get(w.seq) ?? []), w]);
  const fail = (seq: number, message: string): AuditVerification => ({
    ok: false,
    entries: expectedSeq - 1,
    head: { seq: expectedSeq - 1, hash: prevHash },
    firstBad: { seq, message },
  });
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      if (row.seq > expectedSeq) {
        const gap = row.seq - expectedSeq === 1 ? `entry ${expectedSeq} is missing` : `entries ${expectedSeq} to ${row.seq - 1} are missing`;
        return fail(expectedSeq, `audit entry ${expectedSeq} is missing: ${gap} (deleted?), the log continues at entry ${row.seq}`);
      }
      return fail(expectedSeq, `audit entry ${expectedSeq} is out of order: found entry number ${row.seq} in its place`);
    }
    if (row.prev_hash !== prevHash || entryHash(row) !== row.hash) {
      const odd = malformation(row);
      if (odd) return fail(row.seq, `audit entry ${row.seq} is malformed (${odd}), which ResetPath never writes: the file is damaged there, or the entry was edited by hand`);
    }
    if (row.prev_hash !== prevHash) {
      return fail(
        row.seq,
        row.seq === 1
          ? 'audit entry 1 does not start the chain (its previous-entry hash is not the genesis value): earlier entries were removed or it was replaced'
          : `audit entry ${row.seq} does not follow entry ${row.seq - 1} (previous-entry hash differs): an entry was deleted, reordered or edited and re-hashed here`,
      );
    }
    if (entryHash(row) !== row.hash) {
      return fail(row.seq, `audit entry ${row.seq} was altered: its content does not match its hash (edited, or moved from another position)`);
    }
    for (const w of bySeq.get(row.seq) ?? []) {
      if (row.hash !== w.hash) {
        return fail(row.seq, `audit entry ${row.seq} differs from ${witnessName(w)} (hash ${short(w.hash)}, found ${short(row.hash)}): the log was rewritten`);
      }
    }
    onEntry?.(row);
    prevHash = row.hash;
    expectedSeq++;
  }
  const count = expectedSeq - 1;
  if (recordedHead && (recordedHead.seq !== count || recordedHead.hash !== prevHash)) {
    if (recordedHead.seq > count) {
      return fail(count + 1, `audit entry ${count + 1} is missing: the log ends at entry ${count} but the workspace recorded ${recordedHead.seq} entries (entries deleted from the end?)`);
    }
    return fail(recordedHead.seq > 0 ? recordedHead.seq : 1, `the recorded head of the audit log (entry ${recordedHead.seq}, ${short(recordedHead.hash)}) does not match the log (entry ${count}, ${short(prevHash)})`);
  }
  for (const w of witnesses) {
    if (w.seq > count) return fail(count + 1, `audit entry ${w.seq} from ${witnessName(w)} is missing: the log ends at entry ${count} (entries deleted from the end?)`);
    if (w.seq === 0 && w.hash !== GENESIS_HASH) return fail(1, `${witnessName(w)} names entry 0 with a hash other than the genesis value`);
  }
  return { ok: true, entries: count, head: { seq: count, hash: prevHash } };
}

const HEX64 = /^[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * What makes an entry one ResetPath cannot have written (hashes that are not hex, a time that is
 * not a timestamp, JSON that does not parse or is not canonical, bytes that were not UTF-8), or
 * undefined for a well-formed entry. Random damage inside a value usually leaves such a mark; an
 * edit made to deceive usually does not, so a well-formed entry that fails its hash is "altered".
 */
export function malformation(row: AuditRow): string | undefined {
  if (typeof row.hash !== 'string' || !HEX64.test(row.hash)) return 'its hash is not 64 hex digits';
  if (typeof row.prev_hash !== 'string' || !HEX64.test(row.prev_hash)) return 'its previous-entry hash is not 64 hex digits';
  if (typeof row.at !== 'string' || !TIMESTAMP.test(row.at)) return 'its time is not a timestamp';
  for (const [name, value] of [
    ['before', row.before_json],
    ['after', row.after_json],
  ] as const) {
    if (value === null) continue;
    if (typeof value !== 'string') return `its ${name} value is not text`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return `its ${name} value is not JSON`;
    }
    if (canonicalJson(parsed) !== value) return `its ${name} value is not in the canonical form ResetPath writes`;
  }
  for (const [name, value] of [
    ['actor', row.actor],
    ['entity type', row.entity_type],
    ['entity id', row.entity_id],
    ['action', row.action],
    ['reason', row.reason],
  ] as const) {
    if (value === null && name === 'reason') continue;
    if (typeof value !== 'string') return `its ${name} is not text`;
    // SQLite hands bytes that are not UTF-8 over as U+FFFD.
    if (value.includes('\ufffd')) return `its ${name} holds bytes that are not UTF-8`;
  }
  return undefined;
}

function witnessName(w: AuditWitness): string {
  return w.source ? `the head recorded in ${w.source}` : 'the anchor recorded earlier';
}

function short(hash: string): string {
  return hash.slice(0, 12);
}

/** What a change tells the audit log; time, actor and hashes are added by appendAudit. */
export interface AuditInput {
  entityType: string;
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | undefined;
}

interface AuditStatements {
  head: Database.Statement<[], AuditHead>;
  insert: Database.Statement<unknown[], unknown>;
  setHead: Database.Statement<[number, string], unknown>;
}

// Saving is the hot path (docs/benchmarks.md), and preparing these costs more than running them.
const auditStatements = new WeakMap<Database.Database, AuditStatements>();

/** Appends one entry to the chain; call it inside the transaction that makes the change. */
export function appendAudit(db: Database.Database, now: string, actor: string, e: AuditInput): void {
  let st = auditStatements.get(db);
  if (!st) {
    st = {
      head: db.prepare<[], AuditHead>('SELECT seq, hash FROM audit_head WHERE one = 1'),
      insert: db.prepare(
        'INSERT INTO audit_log (seq, at, actor, entity_type, entity_id, action, before_json, after_json, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      setHead: db.prepare<[number, string]>('INSERT INTO audit_head (one, seq, hash) VALUES (1, ?, ?) ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash'),
    };
    auditStatements.set(db, st);
  }
  const head = st.head.get() ?? { seq: 0, hash: GENESIS_HASH };
  const row: Omit<AuditRow, 'hash'> = {
    seq: head.seq + 1,
    at: now,
    actor,
    entity_type: e.entityType,
    entity_id: e.entityId,
    action: e.action,
    before_json: e.before === undefined || e.before === null ? null : canonicalJson(e.before),
    after_json: e.after === undefined || e.after === null ? null : canonicalJson(e.after),
    reason: e.reason ?? null,
    prev_hash: head.hash,
  };
  const hash = entryHash(row);
  st.insert.run(row.seq, row.at, row.actor, row.entity_type, row.entity_id, row.action, row.before_json, row.after_json, row.reason, row.prev_hash, hash);
  st.setHead.run(row.seq, hash);
}
