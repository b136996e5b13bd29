import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { listRealmSessions, realmStatus, startDomainSession, watchDomain, type LiveMessage } from '@blue/realm';
import type { ToolDeps } from './tool-deps.js';

export const STATUS_URI = 'blue://realm/status';
export const SESSIONS_URI = 'blue://realm/sessions';

/** The resource URIs a client subscribed to (resources/subscribe), per server. */
const subscriptions = new WeakMap<McpServer, Set<string>>();

/**
 * Resources `blue://realm/status` and `blue://realm/sessions` (JSON, as the tools return them) with
 * resources/subscribe: the 1.x McpServer lists and reads resources but does not implement
 * subscribe, so the handlers are added here. Call before connecting.
 */
export function registerLiveResources(server: McpServer, deps: ToolDeps): void {
  const subscribed = new Set<string>();
  subscriptions.set(server, subscribed);
  const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] });
  server.registerResource('realm-status', STATUS_URI, { title: 'Realm status', description: "blue_status for the server's repo: exports, imports, live notices. Subscribe to hear when it changes.", mimeType: 'application/json' }, async (uri) =>
    json(uri, await realmStatus(deps.context(undefined))),
  );
  server.registerResource('realm-sessions', SESSIONS_URI, { title: 'Realm sessions', description: 'The running Blue sessions of the realm (blue_realm_sessions). Subscribe to hear when they change.', mimeType: 'application/json' }, async (uri) =>
    json(uri, await listRealmSessions(deps.context(undefined))),
  );
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
}

/** One line for people about a live message. */
export function describeMessage(message: LiveMessage): string {
  switch (message.type) {
    case 'export-changed':
      return `${message.from} published ${message.export} ${message.new_version}${message.breaking ? ' (breaking)' : ''}: ${message.changes.join(', ') || 'changed'}. Your import may be stale: read ${STATUS_URI}.`;
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
 * realm clone. Each message, and each change seen by the watcher, becomes a logging notification
 * and a resources/updated for the subscribed resources it affects. Undefined outside a realm.
 */
export async function attachLiveSession(server: McpServer, deps: ToolDeps): Promise<AttachedSession | undefined> {
  const subscribed = subscriptions.get(server) ?? new Set<string>();
  const updated = (uri: string): void => {
    if (subscribed.has(uri)) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };
  const log = (text: string): void => void server.sendLoggingMessage({ level: 'info', logger: 'blue', data: text }).catch(() => undefined);
  const onMessage = (message: LiveMessage): void => {
    log(describeMessage(message));
    updated(message.type === 'hello' || message.type === 'session-ended' ? SESSIONS_URI : STATUS_URI);
  };
  const ctx = deps.context(undefined);
  const live = await startDomainSession(ctx, { onMessage });
  if (live === undefined) return undefined;
  const watcher = await watchDomain(ctx, live, live.repo, {
    realmMoved: () => updated(STATUS_URI),
    exportsModified: (names) => {
      log(names.length > 0 ? `Local export changes not yet synced: ${names.join(', ')}. Publish with blue_realm_sync.` : 'Local exports match the realm again.');
      updated(STATUS_URI);
      updated(SESSIONS_URI);
    },
  });
  return {
    domain: live.domain,
    realm: live.realm,
    async close() {
      await watcher.close();
      await live.session.close();
    },
  };
}
