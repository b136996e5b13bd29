import { deliverToSessions, type Delivery } from './broadcast.js';
import { report, type IpcLog } from './log.js';
import { socketPathFor } from './runtime-dir.js';
import { startSessionServer, type MessageHandler, type SessionServer } from './server.js';
import { deregisterSession, listSessions, newSessionId, registerSession, sessionInfo, updateSession, type SessionInput, type SessionRecord } from './sessions.js';

export interface StartSessionOptions extends Omit<SessionInput, 'socket' | 'pid'> {
  /** The realm's runtime folder, from `ensureRealmDir`. */
  realmDir: string;
  onMessage?: MessageHandler;
  log?: IpcLog;
  maxLineBytes?: number;
  /**
   * Tell the realm's other sessions with `hello` on start and `session-ended` on close (default
   * false: starting never waits on other sessions). Each peer gets `announceTimeoutMs` (250 ms).
   */
  announce?: boolean;
  announceTimeoutMs?: number;
}

export interface LiveSession {
  readonly record: SessionRecord;
  readonly server: SessionServer;
  /** Rewrites this session's record (what it works on, watches, modifies). */
  update(patch: Partial<Pick<SessionRecord, 'active' | 'exports_modified' | 'imports_watching'>>): Promise<SessionRecord>;
  /** Deregisters, stops the server and removes the socket. Safe to call twice. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts a session the way `blue-mcp` runs one: listen on a fresh socket in the realm's runtime
 * folder, then register (so nobody finds a record before its socket answers). The caller closes
 * it on exit (SIGTERM, stdin EOF); a session that dies without closing is pruned by the next
 * `listSessions`.
 */
export async function startSession(options: StartSessionOptions): Promise<LiveSession> {
  const { realmDir, log } = options;
  const id = options.id ?? newSessionId();
  const socket = socketPathFor(realmDir, id);
  const server = await startSessionServer({
    socketPath: socket,
    ...(options.onMessage === undefined ? {} : { onMessage: options.onMessage }),
    ...(log === undefined ? {} : { log }),
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
  });
  let record: SessionRecord;
  try {
    record = await registerSession(realmDir, { ...options, id, socket, pid: process.pid });
  } catch (err) {
    await server.close();
    throw err;
  }
  const timeoutMs = options.announceTimeoutMs ?? 250;
  const announce = async (type: 'hello' | 'session-ended'): Promise<Delivery[]> => {
    const others = (await listSessions(realmDir, { ...(log === undefined ? {} : { log }) })).filter((s) => s.id !== id);
    const request = type === 'hello' ? { type, session: sessionInfo(record) } : { type, session: { id, domain: record.domain } };
    const deliveries = await deliverToSessions(realmDir, others, request, { timeoutMs, ...(log === undefined ? {} : { log }) });
    const missed = deliveries.filter((d) => !d.delivered).length;
    if (missed > 0) report(log, 'debug', 'announce-missed', `${missed} of ${deliveries.length} sessions did not hear "${type}" from ${id}.`);
    return deliveries;
  };
  if (options.announce) await announce('hello');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await deregisterSession(realmDir, id);
      await server.close();
      if (options.announce) await announce('session-ended');
    })();
    return closing;
  };
  return {
    get record() {
      return record;
    },
    server,
    update: async (patch) => (record = await updateSession(realmDir, id, patch)),
    close,
    [Symbol.asyncDispose]: close,
  };
}
