import { listSessions, startSession, watchSessions, type IpcLog, type IpcRequest, type LiveSession, type SessionRecord } from '@blue/ipc';

/** A message a live session receives (export-changed, export-modified-locally, hello, ...). */
export type LiveMessage = IpcRequest;
import type { BlueContext } from '../context.js';
import { locateRealm } from '../store/locate-realm.js';
import { readMembership } from '../store/membership.js';
import { readRealmFile } from '../store/realm-files.js';
import { readRealm } from '../store/realm-gate.js';
import { realmRuntimeDir } from './realm-runtime.js';
import { readWatchState, type WatchState } from './realm-watch.js';

export interface SessionEntry {
  id: string;
  domain: string;
  pid: number;
  started_at: string;
  socket: string;
  /** The RFC or branch the session works on, when it said so. */
  active?: { rfc?: string; branch?: string };
  exports_modified: string[];
  imports_watching: Array<{ from: string; contract: string }>;
}

export interface ListSessionsResult {
  realm: { name: string; path: string };
  /** The realm's folder in the runtime dir, where sockets, the session index and inboxes live. */
  runtime_dir: string;
  sessions: SessionEntry[];
  /** This machine's watcher of the realm remote (BLUE_WATCH_INTERVAL), while its leader runs: who leads, when it last reached the remote. */
  watch?: WatchState;
  next_steps: string[];
}

function entryOf(record: SessionRecord): SessionEntry {
  const entry: SessionEntry = { id: record.id, domain: record.domain, pid: record.pid, started_at: record.started_at, socket: record.socket, exports_modified: record.exports_modified, imports_watching: record.imports_watching };
  if (record.active !== undefined) entry.active = { ...record.active };
  return entry;
}

/**
 * The running Blue sessions of the realm around ctx.cwd (a realm repo or a member repo). Dead
 * ones (no process, or a socket that refuses connections) are pruned on the way, sockets removed.
 */
export async function listRealmSessions(ctx: BlueContext): Promise<ListSessionsResult> {
  const { realmPath } = await locateRealm(ctx);
  const realm = await readRealmFile(realmPath);
  const runtimeDir = await realmRuntimeDir(ctx, { name: realm.name, path: realmPath }, false);
  const [sessions, watch] = await Promise.all([listSessions(runtimeDir, { probe: true }), readWatchState(runtimeDir)]);
  const next_steps =
    sessions.length === 0
      ? ['blue mcp install --client claude-code  # an agent started in a domain repo registers a session', 'blue realm sessions --watch  # or watch from a terminal']
      : ['blue realm sessions --watch  # follow them as they change'];
  return {
    realm: { name: realm.name, path: realmPath },
    runtime_dir: runtimeDir,
    sessions: sessions.map(entryOf).sort((a, b) => a.started_at.localeCompare(b.started_at)),
    // Only a watcher that still runs: a state left by a leader that stopped says nothing of now.
    ...(watch === undefined || !sessions.some((s) => s.pid === watch.leader_pid) ? {} : { watch }),
    next_steps,
  };
}

export interface DomainSession {
  realm: { name: string; path: string };
  domain: string;
  /** The domain's code repo (the one around ctx.cwd). */
  repo: string;
  runtime_dir: string;
  session: LiveSession;
}

/**
 * Registers a live session for the domain around ctx.cwd, watching its imports, and listens on
 * its socket until `session.close()`. Undefined when cwd is not a domain of a realm.
 */
export async function startDomainSession(ctx: BlueContext, options: { onMessage?: (message: IpcRequest) => void; log?: IpcLog; active?: { rfc?: string; branch?: string } } = {}): Promise<DomainSession | undefined> {
  let member;
  try {
    member = await readMembership(ctx);
  } catch {
    return undefined;
  }
  const snapshot = await readRealm(ctx, member.realmPath);
  const self = snapshot.domains.find((d) => d.name === member.domain);
  const runtimeDir = await realmRuntimeDir(ctx, { name: snapshot.realm.name, path: member.realmPath }, true);
  const session = await startSession({
    realmDir: runtimeDir,
    domain: member.domain,
    imports_watching: (self?.imports ?? []).map((i) => ({ from: i.from, contract: i.contract })),
    ...(options.active === undefined ? {} : { active: options.active }),
    ...(options.onMessage === undefined ? {} : { onMessage: (message: IpcRequest) => options.onMessage?.(message) }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  return { realm: { name: snapshot.realm.name, path: member.realmPath }, domain: member.domain, repo: member.repo, runtime_dir: runtimeDir, session };
}

/**
 * Calls `onChange` whenever a session of the realm whose runtime folder is `runtimeDir` starts,
 * updates its record or stops (not for the sessions already there when the watch starts).
 * Returns the function that stops watching.
 */
export function watchRealmSessions(runtimeDir: string, onChange: () => void): () => void {
  let initial = true;
  const watcher = watchSessions(runtimeDir, () => {
    if (initial) initial = false;
    else onChange();
  });
  return () => watcher.close();
}
