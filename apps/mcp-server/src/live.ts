import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { listRealmSessions, realmStatus, startDomainSession, type DomainSession, type LiveMessage } from '@blue/realm';
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

/**
 * Registers this server as a live session of the domain around its cwd. Each message becomes a
 * logging notification and a resources/updated for the subscribed resources it affects.
 * Undefined (and a log line) outside a realm.
 */
export async function attachLiveSession(server: McpServer, deps: ToolDeps): Promise<DomainSession | undefined> {
  const subscribed = subscriptions.get(server) ?? new Set<string>();
  const onMessage = (message: LiveMessage): void => {
    const updates = message.type === 'hello' || message.type === 'session-ended' ? [SESSIONS_URI] : [STATUS_URI];
    void server.sendLoggingMessage({ level: 'info', logger: 'blue', data: describeMessage(message) }).catch(() => undefined);
    for (const uri of updates.filter((u) => subscribed.has(u))) void server.server.sendResourceUpdated({ uri }).catch(() => undefined);
  };
  return startDomainSession(deps.context(undefined), { onMessage });
}
