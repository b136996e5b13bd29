import type { McpServer, ProtocolEra } from '@modelcontextprotocol/server';
import { listRealmSessions, liveNoticeId, readInboxNotices, realmStatus, startDomainSession, startRealmWatch, watchDomain, watchRealmSessions, type LiveMessage } from '@blue/realm';
import { NoticeLedger } from './notice-ledger.js';
import type { ToolDeps } from './tool-deps.js';

export const STATUS_URI = 'blue://realm/status';
export const SESSIONS_URI = 'blue://realm/sessions';

/**
 * The server instance that serves this connection, as the live session reaches it. serveStdio may
 * build a probe instance before the one it pins, so the last instance built is the one told.
 * 2025 era: resources/subscribe picks the URIs updates go to, and log lines go out as logging
 * notifications. 2026-07-28: serveStdio routes resources/updated to the client's
 * subscriptions/listen streams (it filters by URI itself); logging is deprecated there, so none.
 */
export class LiveHub {
  /** The notices this server's tool results returned, and the live messages it announced. */
  readonly notices = new NoticeLedger();
  private current: { server: McpServer; era: ProtocolEra; subscribed: Set<string> } | undefined;

  /** Called for every instance built; the last one is the connection's. */
  attach(server: McpServer, era: ProtocolEra): Set<string> {
    const subscribed = new Set<string>();
    this.current = { server, era, subscribed };
    return subscribed;
  }

  updated(uri: string): void {
    const current = this.current;
    if (current === undefined || (current.era === 'legacy' && !current.subscribed.has(uri))) return;
    void current.server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  }

  log(text: string): void {
    const current = this.current;
    // The 2025 era's way to tell the client (deprecated in 2026-07-28, so not sent there).
    if (current?.era === 'legacy') void current.server.sendLoggingMessage({ level: 'info', logger: 'blue', data: text }).catch(() => undefined);
  }
}

/**
 * Resources `blue://realm/status` and `blue://realm/sessions` (JSON, as the tools return them),
 * subscribable in both eras: resources/subscribe (2025, handled here: McpServer does not) and
 * subscriptions/listen (2026-07-28, handled by serveStdio). Call before connecting.
 */
export function registerLiveResources(server: McpServer, deps: ToolDeps, era: ProtocolEra, hub: LiveHub | undefined): void {
  const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] });
  server.registerResource('realm-status', STATUS_URI, { title: 'Realm status', description: "blue_status for the server's repo: exports, imports, live notices. Subscribe to hear when it changes.", mimeType: 'application/json' }, async (uri) =>
    json(uri, await realmStatus(deps.context(undefined))),
  );
  server.registerResource('realm-sessions', SESSIONS_URI, { title: 'Realm sessions', description: 'The running Blue sessions of the realm (blue_realm_sessions). Subscribe to hear when they change.', mimeType: 'application/json' }, async (uri) =>
    json(uri, await listRealmSessions(deps.context(undefined))),
  );
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  const subscribed = hub?.attach(server, era) ?? new Set<string>();
  if (era !== 'legacy') return;
  server.server.setRequestHandler('resources/subscribe', (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
}

/** One line for people about a live message. */
export function describeMessage(message: LiveMessage): string {
  switch (message.type) {
    case 'export-changed':
      return `${message.from} published ${message.export} ${message.new_version}${message.breaking ? ' (breaking)' : ''}: ${message.changes.join(', ') || 'changed'}. Your import may be stale: read ${STATUS_URI}.`;
    case 'realm-notice':
      return `${message.notice.text} Read ${STATUS_URI}.`;
    case 'export-modified-locally':
      return `${message.from} is editing ${message.export}, which you import.`;
    case 'hello':
      return `Session started: ${message.session.domain}.`;
    case 'session-ended':
      return `Session ended: ${message.session.domain}.`;
    default:
      return message.type;
  }
}

/** A running live session of this server, with its watcher. */
export interface AttachedSession {
  domain: string;
  realm: { name: string; path: string };
  close(): Promise<void>;
}

/**
 * Registers this server as a live session of the domain around its cwd and watches its repo and
 * realm clone. Each message, and each change seen by the watcher, becomes a resources/updated for
 * the subscribed resources it affects (and a log line on 2025 connections). Undefined outside a realm.
 */
export async function attachLiveSession(hub: LiveHub, deps: ToolDeps): Promise<AttachedSession | undefined> {
  const onMessage = (message: LiveMessage): void => {
    // The same notice over the local socket (a sync on this machine) and from the realm watcher: once.
    const id = liveNoticeId(message);
    if (id !== undefined && !hub.notices.firstHeard(id)) return;
    hub.log(describeMessage(message));
    hub.updated(message.type === 'hello' || message.type === 'session-ended' ? SESSIONS_URI : STATUS_URI);
  };
  const ctx = deps.context(undefined);
  const live = await startDomainSession(ctx, { onMessage });
  if (live === undefined) return undefined;
  const watcher = await watchDomain(ctx, live, live.repo, {
    realmMoved: () => hub.updated(STATUS_URI),
    exportsModified: (names) => {
      hub.log(names.length > 0 ? `Local export changes not yet synced: ${names.join(', ')}. Publish with blue_realm_sync.` : 'Local exports match the realm again.');
      hub.updated(STATUS_URI);
      hub.updated(SESSIONS_URI);
    },
  });
  hub.notices.attach(() => readInboxNotices(live.runtime_dir, live.domain));
  const stopSessions = watchRealmSessions(live.runtime_dir, () => hub.updated(SESSIONS_URI));
  // Other machines' publishes: the realm remote, watched once per realm on this machine.
  const remote = startRealmWatch(ctx, live.realm, live.runtime_dir, { warning: (text) => hub.log(text) });
  return {
    domain: live.domain,
    realm: live.realm,
    async close() {
      stopSessions();
      await remote?.close();
      await watcher.close();
      await live.session.close();
    },
  };
}
