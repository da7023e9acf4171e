// Opening SQLite files and turning SQLite's failures into WorkspaceErrors that name the file and say
// what to do; also the cheap header checks that tell "not SQLite" and "truncated" apart before
// SQLite sees the file (SQLite would report both as a generic "malformed" much later).
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { WorkspaceError } from './errors.ts';

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const HEADER_BYTES = 100;

// SQLite opens a file as immutable (read-only media, evidence copies: no lock, no -wal or -shm
// created) only through a URI file name, and better-sqlite3 lets SQLite read URI names only when
// SQLITE_USE_URI=1 is set as its native module loads, which is at the first `new Database` of the
// process, after this module has run. Plain paths keep their meaning: every name handed to SQLite
// here is absolute, so none starts with "file:". A user who sets SQLITE_USE_URI=0 on purpose keeps
// it, and immutable opening then fails with a message saying why.
process.env.SQLITE_USE_URI ??= '1';

/** Opens a connection with the given native binding (see README "Native module (better-sqlite3)"). */
export function openDatabase(
  file: string,
  opts: { readOnly: boolean; nativeBinding?: string | undefined; mustExist: boolean; immutable?: boolean },
): Database.Database {
  const name = opts.immutable ? `${pathToFileURL(resolve(file)).href}?immutable=1` : resolve(file);
  try {
    return new Database(name, {
      readonly: opts.readOnly || opts.immutable === true,
      fileMustExist: opts.mustExist,
      timeout: 5000,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
  } catch (e) {
    if (opts.immutable && (e as { code?: string }).code === 'SQLITE_CANTOPEN') {
      throw new WorkspaceError(
        'io',
        file,
        `cannot be opened as immutable (${firstLine((e as Error).message)}): this process's SQLite does not read URI file names (SQLITE_USE_URI is ${JSON.stringify(process.env.SQLITE_USE_URI ?? '')}); unset it, or copy the workspace to a writable folder`,
        { cause: e },
      );
    }
    throw translateSqliteError(file, e);
  }
}

/**
 * How to restore a workspace from a backup, for every message that says to. The -wal and -shm must
 * go first: SQLite replays a -wal it finds beside a file onto it, so a log left by a crashed writer
 * (or by another workspace) would be applied to the restored copy and damage it.
 */
export function restoreAdvice(file: string): string {
  const name = basename(file);
  return `restore it from a backup: with ResetPath closed, delete ${name}-wal and ${name}-shm beside it (a leftover log would be replayed onto the backup), then copy the backup over it`;
}

/** Maps an error thrown by better-sqlite3 (or its loader) to a one-line WorkspaceError. */
export function translateSqliteError(file: string, e: unknown): WorkspaceError {
  if (e instanceof WorkspaceError) return e;
  const err = e as { code?: string; message?: string };
  const msg = firstLine(err.message ?? String(e));
  switch (err.code) {
    case 'SQLITE_NOTADB':
      return new WorkspaceError('not-sqlite', file, 'is not a ResetPath workspace: not an SQLite database (or it is encrypted)', { cause: e });
    case 'SQLITE_CORRUPT':
    case 'SQLITE_CORRUPT_VTAB':
    case 'SQLITE_CORRUPT_SEQUENCE':
    case 'SQLITE_CORRUPT_INDEX':
      return new WorkspaceError('damaged', file, `is damaged (${msg}); ${restoreAdvice(file)}`, { cause: e });
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new WorkspaceError('locked', file, `is busy in another process (${msg}); try again`, { cause: e });
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DIRECTORY':
    case 'SQLITE_READONLY_DBMOVED':
      return new WorkspaceError('read-only', file, `cannot be written (${msg}); check the file's permissions or open it read-only`, { cause: e });
    case 'SQLITE_CANTOPEN':
      return new WorkspaceError('io', file, `cannot be opened (${msg}); check that it exists and is readable`, { cause: e });
    case 'SQLITE_FULL':
      return new WorkspaceError('io', file, 'the disk is full; nothing was saved', { cause: e });
    case 'SQLITE_IOERR':
      return new WorkspaceError('io', file, `input/output error (${msg})`, { cause: e });
    default:
      break;
  }
  if (typeof err.code === 'string' && err.code.startsWith('SQLITE_IOERR')) return new WorkspaceError('io', file, `input/output error (${msg})`, { cause: e });
  const nativeLoad = err.code === 'ERR_DLOPEN_FAILED' || (err.code === 'MODULE_NOT_FOUND' && /\.node\b/.test(msg));
  if (nativeLoad || /NODE_MODULE_VERSION|did not self-register|bindings file|Could not locate the bindings/i.test(msg)) {
    return new WorkspaceError('native-module', file, `cannot load the SQLite native module (${msg}); it was built for another runtime: see README "Native module (better-sqlite3)"`, { cause: e });
  }
  return new WorkspaceError('io', file, msg, { cause: e });
}

/**
 * Checks that a file exists and starts like an intact SQLite database; throws a WorkspaceError for a
 * missing file, a directory, a FIFO, socket or device, an empty or foreign file, and a file shorter
 * than its header says. The type is checked before the file is opened: opening a FIFO for reading
 * waits for a writer forever. The files SQLite keeps beside it (-wal, -shm, -journal) must be
 * absent or regular files too, for the same reason. Returns how many names (hard links) the file has.
 */
export function checkDatabaseFile(file: string): number {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WorkspaceError('not-found', file, 'no such workspace file');
    if (code === 'ENOTDIR') throw new WorkspaceError('not-found', file, 'no such workspace file (a folder on its path is a file)');
    if (code === 'ELOOP') throw new WorkspaceError('not-a-file', file, 'is a symbolic link that leads to itself, not a workspace file');
    if (code === 'EACCES' || code === 'EPERM') throw new WorkspaceError('io', file, 'permission denied');
    throw new WorkspaceError('io', file, `cannot read (${code ?? (e as Error).message})`, { cause: e });
  }
  if (!st.isFile()) throw new WorkspaceError('not-a-file', file, `is ${fileTypeName(st)}, not a workspace file`);
  for (const suffix of ['-wal', '-shm', '-journal']) checkCompanion(file, suffix);
  let fd: number;
  try {
    // Non-blocking in case the file was swapped for a FIFO since the stat; harmless for a regular file.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new WorkspaceError('not-found', file, 'no such workspace file');
    if (code === 'EISDIR') throw new WorkspaceError('not-a-file', file, 'is a directory, not a workspace file');
    if (code === 'EACCES' || code === 'EPERM') throw new WorkspaceError('io', file, 'permission denied');
    throw new WorkspaceError('io', file, `cannot read (${code ?? (e as Error).message})`, { cause: e });
  }
  let size: number;
  const header = Buffer.alloc(HEADER_BYTES);
  let got: number;
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw new WorkspaceError('not-a-file', file, `is ${fileTypeName(opened)}, not a workspace file`);
    size = opened.size;
    got = readSync(fd, header, 0, HEADER_BYTES, 0);
  } catch (e) {
    if (e instanceof WorkspaceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new WorkspaceError('not-a-file', file, 'is a directory, not a workspace file');
    throw new WorkspaceError('io', file, `cannot read (${code ?? (e as Error).message})`, { cause: e });
  } finally {
    closeSync(fd);
  }
  if (size === 0) throw new WorkspaceError('not-a-workspace', file, 'is an empty file, not a ResetPath workspace');
  const magic = header.subarray(0, Math.min(got, SQLITE_MAGIC.length)).toString('latin1');
  if (!SQLITE_MAGIC.startsWith(magic)) {
    throw new WorkspaceError('not-sqlite', file, `is not a ResetPath workspace: not an SQLite database (it starts with ${describeStart(header.subarray(0, got))})`);
  }
  if (got < HEADER_BYTES) {
    throw new WorkspaceError('truncated', file, `is truncated: only ${size} bytes, less than an SQLite header; ${restoreAdvice(file)}`);
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new WorkspaceError('damaged', file, `is damaged: its header gives an impossible page size (${rawPageSize}); ${restoreAdvice(file)}`);
  }
  // With a non-empty write-ahead log the main file may legitimately lag behind: SQLite replays the
  // log on open. Without one, the file must hold every page its header counts. A file with more than
  // one name (hard links) may lag behind a log SQLite keeps under another name, which this name does
  // not see (mid-checkpoint, its header can count pages not yet written): its size says nothing of
  // damage (Workspace.open refuses to write it, 'hard-linked', before reading any further).
  if (walBytes(file) > 0 || st.nlink > 1) return st.nlink;
  const changeCounter = header.readUInt32BE(24);
  const pageCount = header.readUInt32BE(28);
  const validFor = header.readUInt32BE(92);
  if (pageCount > 0 && changeCounter === validFor) {
    const expected = pageCount * pageSize;
    if (size < expected) {
      throw new WorkspaceError('truncated', file, `is truncated: ${size} bytes, but its header says ${expected} bytes (${pageCount} pages of ${pageSize}); ${restoreAdvice(file)}`);
    }
  }
  if (size % pageSize !== 0) {
    throw new WorkspaceError('truncated', file, `is truncated: ${size} bytes is not a whole number of ${pageSize}-byte pages; ${restoreAdvice(file)}`);
  }
  return st.nlink;
}

/** A file SQLite keeps beside the workspace must be absent or a regular file. */
function checkCompanion(file: string, suffix: string): void {
  let st: Stats;
  try {
    st = statSync(`${file}${suffix}`);
  } catch {
    return; // absent (or unreadable, which SQLite reports in its own words)
  }
  if (!st.isFile()) {
    const role = suffix === '-wal' ? 'write-ahead log' : suffix === '-shm' ? 'shared-memory index' : 'rollback journal';
    throw new WorkspaceError('not-a-file', file, `is ${fileTypeName(st)}, not the ${role} SQLite keeps beside ${file}; remove it and open the workspace again`, {
      location: `${file}${suffix}`,
    });
  }
}

/** "a directory", "a FIFO (named pipe)", ... for messages. */
export function fileTypeName(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Size of the write-ahead log beside `file` (0 when there is none). */
export function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

function describeStart(bytes: Buffer): string {
  const text = bytes.subarray(0, 16).toString('latin1');
  const printable = text.replace(/[^\x20-\x7e]/g, '.');
  return JSON.stringify(printable);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
