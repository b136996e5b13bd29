import { randomUUID } from 'node:crypto';
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { assertName, BlueError, hasErrno, nameProblem, writeFileAtomic } from '@blue/core';
import { probeSocket } from './client.js';
import { errorText, report, type IpcLog } from './log.js';
import type { ActiveWork, SessionInfo } from './protocol.js';
import { SESSIONS_DIR, socketPathFor } from './runtime-dir.js';

/** An import a session watches: export `contract` of domain `from`. */
export interface ImportWatch {
  from: string;
  contract: string;
}

/** One running session, as recorded in `<realmDir>/sessions/<id>.json`. */
export interface SessionRecord {
  v: 1;
  id: string;
  domain: string;
  /** Absolute path of the session's Unix socket. */
  socket: string;
  pid: number;
  /** ISO 8601 */
  started_at: string;
  active?: ActiveWork;
  /** Exports this session's domain is changing locally (not yet synced). */
  exports_modified: string[];
  /** Imports this session wants to hear about. */
  imports_watching: ImportWatch[];
}

export interface SessionInput {
  /** Default: a random UUID. Letters, digits, `-` and `_`, at most 64. */
  id?: string;
  domain: string;
  /** Default: `<realmDir>/<hash of id>.sock`. */
  socket?: string;
  /** Default: this process. */
  pid?: number;
  /** Default: now. */
  started_at?: string;
  active?: ActiveWork;
  exports_modified?: string[];
  imports_watching?: ImportWatch[];
}

export interface ListSessionsOptions {
  /** Also connect to each live-looking session's socket; a refused or missing socket is stale. */
  probe?: boolean;
  probeTimeoutMs?: number;
  /** Remove dead sessions' records and sockets (default true). */
  prune?: boolean;
  log?: IpcLog;
}

const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A new session id. */
export function newSessionId(): string {
  return randomUUID();
}

function assertSessionId(id: string): void {
  if (SESSION_ID.test(id)) return;
  throw new BlueError('VALUE_INVALID', `Invalid session id ${JSON.stringify(id)}: use 1 to 64 letters, digits, "-" or "_".`, {
    hint: 'Leave the id out and Blue picks a random one.',
  });
}

export function sessionFilePath(realmDir: string, id: string): string {
  assertSessionId(id);
  return join(realmDir, SESSIONS_DIR, `${id}.json`);
}

/** True while `pid` names a process (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if (hasErrno(err, 'ESRCH')) return false;
    if (hasErrno(err, 'EPERM')) return true;
    throw err;
  }
}

function checkNames(record: Pick<SessionRecord, 'domain' | 'exports_modified' | 'imports_watching'>): void {
  assertName('domain', record.domain);
  for (const name of record.exports_modified) assertName('export', name);
  for (const watch of record.imports_watching) {
    assertName('domain', watch.from);
    assertName('export', watch.contract);
  }
}

/**
 * Records a session: one file per session, written atomically (temp file + rename), so any
 * number of processes can register at once without locks and a reader never sees half a record.
 * Registering an existing id replaces its record. Returns the record as written.
 */
export async function registerSession(realmDir: string, input: SessionInput): Promise<SessionRecord> {
  const id = input.id ?? newSessionId();
  assertSessionId(id);
  const record: SessionRecord = {
    v: 1,
    id,
    domain: input.domain,
    socket: input.socket ?? socketPathFor(realmDir, id),
    pid: input.pid ?? process.pid,
    started_at: input.started_at ?? new Date().toISOString(),
    ...(input.active === undefined ? {} : { active: input.active }),
    exports_modified: input.exports_modified ?? [],
    imports_watching: input.imports_watching ?? [],
  };
  checkNames(record);
  await writeFileAtomic(sessionFilePath(realmDir, id), `${JSON.stringify(record)}\n`);
  return record;
}

/** Changes what a registered session works on, watches or modifies. Only its owner should call it. */
export async function updateSession(
  realmDir: string,
  id: string,
  patch: Partial<Pick<SessionRecord, 'active' | 'exports_modified' | 'imports_watching'>>,
): Promise<SessionRecord> {
  const current = await readSession(realmDir, id);
  if (current === undefined) throw new BlueError('VALUE_INVALID', `No session ${id} is registered in ${realmDir}.`, { hint: 'Register the session first.' });
  const record: SessionRecord = { ...current, ...patch };
  checkNames(record);
  await writeFileAtomic(sessionFilePath(realmDir, id), `${JSON.stringify(record)}\n`);
  return record;
}

/** Removes a session's record (its socket is the server's to remove). Missing records are fine. */
export async function deregisterSession(realmDir: string, id: string): Promise<void> {
  await rm(sessionFilePath(realmDir, id), { force: true });
}

/** A session's record, or undefined when it is not registered (or its file is unreadable). */
export async function readSession(realmDir: string, id: string): Promise<SessionRecord | undefined> {
  try {
    const parsed = parseSessionRecord(await readFile(sessionFilePath(realmDir, id), 'utf8'));
    return typeof parsed === 'string' ? undefined : parsed;
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Validates a session file's text: the record, or why it is not one. */
export function parseSessionRecord(text: string): SessionRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const o = value as Record<string, unknown>;
  if (o.v !== 1) return `unsupported record version ${JSON.stringify(o.v)}`;
  if (typeof o.id !== 'string' || !SESSION_ID.test(o.id)) return '"id" is not a session id';
  if (typeof o.domain !== 'string' || nameProblem(o.domain) !== undefined) return '"domain" is not a domain name';
  if (typeof o.socket !== 'string' || !o.socket.startsWith('/')) return '"socket" is not an absolute path';
  if (!Number.isSafeInteger(o.pid) || (o.pid as number) <= 0) return '"pid" is not a positive integer';
  if (typeof o.started_at !== 'string') return '"started_at" is not a string';
  if (o.active !== undefined && (typeof o.active !== 'object' || o.active === null)) return '"active" is not an object';
  if (!isStringArray(o.exports_modified)) return '"exports_modified" is not a list of names';
  const watching = o.imports_watching;
  if (!Array.isArray(watching) || !watching.every((w: unknown) => typeof w === 'object' && w !== null && typeof (w as ImportWatch).from === 'string' && typeof (w as ImportWatch).contract === 'string')) {
    return '"imports_watching" is not a list of {from, contract}';
  }
  return o as unknown as SessionRecord;
}

/** The session as announced in `hello`. */
export function sessionInfo(record: SessionRecord): SessionInfo {
  const info: SessionInfo = { id: record.id, domain: record.domain, pid: record.pid, started_at: record.started_at };
  if (record.active !== undefined) info.active = record.active;
  return info;
}

/**
 * Removes a dead session: its record, and its socket file when that lies in `realmDir` (a record
 * can never make Blue delete a file elsewhere).
 */
export async function pruneSession(realmDir: string, record: SessionRecord): Promise<void> {
  await rm(sessionFilePath(realmDir, record.id), { force: true });
  if (dirname(record.socket) === resolve(realmDir) && record.socket.endsWith('.sock')) await rm(record.socket, { force: true });
}

/** `writeFileAtomic` names its temp files `.<name>.<pid>.<random>.tmp`. */
const TEMP_FILE = /^\..*\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * The realm's sessions, oldest first. Records whose pid is dead are pruned (record and socket
 * removed); with `probe`, so are live-looking ones whose socket refuses connections (the pid was
 * reused by another process) or is missing. Unreadable records are skipped and logged.
 */
export async function listSessions(realmDir: string, options: ListSessionsOptions = {}): Promise<SessionRecord[]> {
  const prune = options.prune ?? true;
  const dir = join(realmDir, SESSIONS_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return [];
    throw err;
  }
  const live: SessionRecord[] = [];
  const referenced = new Set<string>();
  const dead = async (record: SessionRecord, why: string): Promise<void> => {
    if (!prune) return;
    await pruneSession(realmDir, record);
    report(options.log, 'debug', 'session-pruned', `Removed session ${record.id} (${record.domain}, pid ${record.pid}): ${why}.`);
  };

  await Promise.all(
    names.map(async (name) => {
      const temp = TEMP_FILE.exec(name);
      if (temp !== null) {
        // A writer that died between writing its temp file and renaming it.
        if (prune && !isProcessAlive(Number(temp[1]))) await rm(join(dir, name), { force: true });
        return;
      }
      if (!name.endsWith('.json') || name.startsWith('.')) return;
      let text: string;
      try {
        text = await readFile(join(dir, name), 'utf8');
      } catch (err) {
        if (hasErrno(err, 'ENOENT')) return; // deregistered while we listed
        throw err;
      }
      const record = parseSessionRecord(text);
      if (typeof record === 'string') {
        report(options.log, 'warn', 'session-unreadable', `Skipped ${join(dir, name)}: ${record}.`);
        return;
      }
      referenced.add(basename(record.socket));
      if (!isProcessAlive(record.pid)) return dead(record, 'its process is gone');
      if (options.probe) {
        try {
          const state = await probeSocket(record.socket, options.probeTimeoutMs);
          if (state !== 'live') return dead(record, state === 'refused' ? 'its socket refuses connections' : 'its socket is gone');
        } catch (err) {
          report(options.log, 'warn', 'probe-failed', `Could not probe ${record.socket}: ${errorText(err)}`);
        }
      }
      live.push(record);
    }),
  );
  if (prune) await pruneOrphanSockets(realmDir, referenced, options.log);
  return live.sort((a, b) => a.started_at.localeCompare(b.started_at) || a.id.localeCompare(b.id));
}

/** How old a socket without a record must be before it may be removed (its owner may be registering). */
const ORPHAN_SOCKET_GRACE_MS = 1000;

/**
 * Removes sockets no session record names whose process is gone: a session killed after it
 * started listening and before its record was written. Only sockets older than a second that
 * refuse connections (or are not sockets) go; one whose owner is still registering answers.
 */
async function pruneOrphanSockets(realmDir: string, referenced: ReadonlySet<string>, log: IpcLog | undefined): Promise<void> {
  const orphans = (await readdir(realmDir).catch(() => [] as string[])).filter((name) => name.endsWith('.sock') && !referenced.has(name));
  await Promise.all(
    orphans.map(async (name) => {
      const path = join(realmDir, name);
      const info = await lstat(path).catch(() => undefined);
      if (info === undefined || Date.now() - info.mtimeMs < ORPHAN_SOCKET_GRACE_MS) return;
      if (info.isSocket() && (await probeSocket(path, 500).catch(() => 'live')) === 'live') return;
      await rm(path, { force: true });
      report(log, 'debug', 'socket-pruned', `Removed ${path}: no session names it and nothing listens on it.`);
    }),
  );
}
