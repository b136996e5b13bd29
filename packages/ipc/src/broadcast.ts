import { hasErrno, noticeId, type ExportChange } from '@blue/core';
import { DEFAULT_TIMEOUT_MS, sendMessage, type ConnectionPool } from './client.js';
import { appendNotice, buildNotice, type Notice } from './inbox.js';
import { errorText, report, type IpcLog } from './log.js';
import type { OutgoingRequest } from './protocol.js';
import { listSessions, pruneSession, type SessionRecord } from './sessions.js';

/** A published change of one export, as `blue realm sync` computes it (core's ExportChange). */
export type ExportChangedEvent = ExportChange;

/** What happened to one session's copy of a broadcast. */
export interface Delivery {
  session: SessionRecord;
  delivered: boolean;
  /** Why not, when not delivered: e.g. "IPC_TIMEOUT: … did not answer within 1000 ms". */
  error?: string;
  /** Time to the session's ack (or to the failure), in milliseconds. */
  ms: number;
}

export interface DeliveryOptions {
  /** Time allowed per session: connect, write, ack (default 1000 ms). A hung peer costs this, once. */
  timeoutMs?: number;
  /** Persistent connections to reuse; default: a fresh connection per message. */
  pool?: ConnectionPool;
  /** Messages in flight at once (default 128). */
  concurrency?: number;
  /** Remove a session whose socket refuses connections or is gone (default true). */
  prune?: boolean;
  log?: IpcLog;
}

export interface BroadcastOptions extends DeliveryOptions {
  /**
   * Domains that import the export according to the realm (`imports.yaml`). Their sessions get
   * the message even when they did not list the import in `imports_watching`.
   */
  importers?: readonly string[];
  /** Session ids to leave out (the sender's own session). */
  exclude?: readonly string[];
  /** Sessions to consider instead of listing the realm's (already listed by the caller). */
  sessions?: readonly SessionRecord[];
}

/** True when the session watches export `exportName` of domain `from`. */
export function isWatching(session: SessionRecord, from: string, exportName: string): boolean {
  return session.imports_watching.some((w) => w.from === from && w.contract === exportName);
}

/**
 * The sessions that hear about a change of `from`'s `exportName`: those watching it, and every
 * session of an importing domain. Never the exporting domain's own sessions, never `exclude`d ones.
 */
export function recipients(sessions: readonly SessionRecord[], from: string, exportName: string, options: Pick<BroadcastOptions, 'importers' | 'exclude'> = {}): SessionRecord[] {
  const importers = new Set(options.importers ?? []);
  const exclude = new Set(options.exclude ?? []);
  return sessions.filter((s) => s.domain !== from && !exclude.has(s.id) && (importers.has(s.domain) || isWatching(s, from, exportName)));
}

/**
 * Sends `request` to every session in `sessions` concurrently, each with its own timeout, so a
 * dead or hung session never delays the others by more than that. Never throws for a session's
 * failure: every session gets a `Delivery`. Sessions whose socket is refused or gone are pruned.
 */
export async function deliverToSessions(realmDir: string, sessions: readonly SessionRecord[], request: OutgoingRequest, options: DeliveryOptions = {}): Promise<Delivery[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const results: Delivery[] = new Array<Delivery>(sessions.length);
  let next = 0;
  const deliverOne = async (session: SessionRecord): Promise<Delivery> => {
    const started = performance.now();
    const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
    try {
      const message = { ...request };
      delete message.id; // every connection gets its own request id
      if (options.pool) await options.pool.send(session.socket, message, { timeoutMs });
      else await sendMessage(session.socket, message, { timeoutMs });
      return { session, delivered: true, ms: elapsed() };
    } catch (err) {
      const ms = elapsed();
      if ((options.prune ?? true) && (hasErrno(err, 'ECONNREFUSED') || hasErrno(err, 'ENOENT'))) {
        options.pool?.drop(session.socket);
        await pruneSession(realmDir, session);
        report(options.log, 'debug', 'session-pruned', `Removed session ${session.id} (${session.domain}): its socket is dead.`);
      }
      return { session, delivered: false, error: errorText(err), ms };
    }
  };
  const worker = async (): Promise<void> => {
    while (next < sessions.length) {
      const index = next++;
      results[index] = await deliverOne(sessions[index] as SessionRecord);
    }
  };
  const width = Math.max(1, Math.min(options.concurrency ?? 128, sessions.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/**
 * Tells the realm's running sessions that `event.from` published a new version of `event.export`
 * (see `recipients` for who hears it). Returns one `Delivery` per recipient.
 */
export async function broadcastExportChanged(realmDir: string, event: ExportChangedEvent, options: BroadcastOptions & { noticeId?: string } = {}): Promise<Delivery[]> {
  const sessions = options.sessions ?? (await listSessions(realmDir, { log: options.log }));
  const request: OutgoingRequest = {
    type: 'export-changed',
    from: event.from,
    export: event.export,
    old_version: event.old_version,
    new_version: event.new_version,
    changes: event.changes,
    breaking: event.breaking,
    ...(options.noticeId === undefined ? {} : { notice_id: options.noticeId }),
  };
  return deliverToSessions(realmDir, recipients(sessions, event.from, event.export, options), request, options);
}

/** Tells the sessions importing `change.export` that its domain changed it locally (not synced yet). */
export async function broadcastExportModifiedLocally(
  realmDir: string,
  change: { from: string; export: string; changes: string[] },
  options: BroadcastOptions = {},
): Promise<Delivery[]> {
  const sessions = options.sessions ?? (await listSessions(realmDir, { log: options.log }));
  const request: OutgoingRequest = { type: 'export-modified-locally', from: change.from, export: change.export, changes: change.changes };
  return deliverToSessions(realmDir, recipients(sessions, change.from, change.export, options), request, options);
}

export interface NotifyResult {
  /** The notice appended to each domain's inbox (one id, shared by every inbox and message). */
  notice: Notice;
  inboxes: string[];
  deliveries: Delivery[];
}

const INBOX_WRITES_AT_ONCE = 32;

/**
 * The whole of "notify consumers" for one published change: first a durable notice in the inbox
 * of every importing domain (the `importers` option, plus the domains of watching sessions), then
 * the live message to the running sessions, carrying the notice's id. A session that is down
 * still finds the notice in its inbox.
 */
export async function notifyExportChanged(realmDir: string, event: ExportChangedEvent, options: BroadcastOptions & { now?: Date } = {}): Promise<NotifyResult> {
  const sessions = options.sessions ?? (await listSessions(realmDir, { log: options.log }));
  const targets = recipients(sessions, event.from, event.export, options);
  const inboxes = [...new Set([...(options.importers ?? []), ...targets.map((s) => s.domain)])].filter((d) => d !== event.from).sort();
  // The id every path gives this version's notice, so a session that also hears of it from the
  // realm remote (another machine's watcher) keeps it once.
  const notice = buildNotice({ ...event, id: noticeId(event.from, event.export, event.new_version) }, options.now);
  // One inbox file per domain: independent, so written concurrently (a bounded number at a time).
  for (let i = 0; i < inboxes.length; i += INBOX_WRITES_AT_ONCE) {
    await Promise.all(inboxes.slice(i, i + INBOX_WRITES_AT_ONCE).map((domain) => appendNotice(realmDir, domain, notice)));
  }
  const deliveries = await deliverToSessions(
    realmDir,
    targets,
    {
      type: 'export-changed',
      from: event.from,
      export: event.export,
      old_version: event.old_version,
      new_version: event.new_version,
      changes: notice.changes,
      breaking: event.breaking,
      notice_id: notice.id,
    },
    options,
  );
  return { notice, inboxes, deliveries };
}
