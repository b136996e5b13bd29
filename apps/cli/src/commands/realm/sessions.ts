import { Flags } from '@oclif/core';
import type { ListSessionsResult, LiveMessage } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderSessions } from '../../render/sessions.js';

export default class RealmSessions extends BaseCommand {
  static override summary = 'List the running Blue sessions of this realm, or watch for live events.';

  static override description = `A session is a running blue-mcp server (one per agent and repo) or a terminal running this command with --watch. Sessions register in the realm's folder of the runtime dir ($BLUE_RUNTIME_DIR, else $XDG_RUNTIME_DIR/blue, else <tmp>/blue-<uid>) and listen on a Unix socket there; dead ones are pruned while listing.

With --watch, this terminal registers as a session of the domain around it and prints each live event (export changes published by sync, the other notice kinds of docs/sessions.md such as a breaking change held or approved, a grace period, an admitted join or a consumer resolving your export, exports being edited in another session) as one line, or one JSON object per line with --json, until interrupted (Ctrl-C); then it deregisters.

Publishes made on other machines arrive through the realm remote: one session per realm on this machine looks at it every BLUE_WATCH_INTERVAL seconds (default 20; 0 turns it off) and tells the others. The listing says which process watches and when it last reached the remote.`;

  static override examples = [
    { description: 'Who is working in this realm right now', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Follow live events in this terminal', command: '<%= config.bin %> <%= command.id %> --watch' },
    { description: 'Follow live events as JSON lines', command: '<%= config.bin %> <%= command.id %> --watch --json' },
  ];

  static override flags = {
    watch: Flags.boolean({ description: 'Register as a session and print live events until interrupted.' }),
  };

  async run(): Promise<ListSessionsResult | undefined> {
    const { flags } = await this.parse(RealmSessions);
    const realm = await import('@blue/realm');
    const ctx = await this.context(flags.cwd);
    if (!flags.watch) {
      const result = await realm.listRealmSessions(ctx);
      this.print(renderSessions(result));
      return result;
    }
    const json = this.jsonEnabled();
    const emit = (line: string): void => void process.stdout.write(`${line}\n`);
    // A notice heard over the local socket and from the realm watcher is printed once.
    const heard = new Set<string>();
    const live = await realm.startDomainSession(ctx, {
      onMessage: (message: LiveMessage) => {
        const id = realm.liveNoticeId(message);
        if (id !== undefined) {
          if (heard.has(id)) return;
          heard.add(id);
        }
        emit(json ? JSON.stringify(message) : `${new Date().toISOString()}  ${describe(message)}`);
      },
    });
    if (live === undefined) {
      const { BlueError } = await import('@blue/core');
      throw new BlueError('NOT_IN_REALM', `${ctx.cwd} is not a domain of a realm, so it cannot watch as one.`, { hint: 'Run it in a repo that joined a realm (blue realm join), or list sessions without --watch.' });
    }
    const started = { event: 'watching', session: live.session.record.id, domain: live.domain, realm: live.realm.name };
    emit(json ? JSON.stringify(started) : `👀 Watching realm '${live.realm.name}' as ${live.domain} (session ${live.session.record.id.slice(0, 8)}). Ctrl-C to stop.`);
    // Other machines' publishes reach this terminal through the realm remote (BLUE_WATCH_INTERVAL).
    const remote = realm.startRealmWatch(ctx, live.realm, live.runtime_dir, {
      warning: (text) => emit(json ? JSON.stringify({ event: 'warning', message: text }) : `${new Date().toISOString()}  ⚠️  ${text}`),
    });
    await new Promise<void>((resolve) => {
      const stop = (): void => void Promise.all([remote?.close(), live.session.close()]).finally(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    if (json) emit(JSON.stringify({ event: 'stopped', session: live.session.record.id }));
    // Nothing more to print: the stream was the output.
    return undefined;
  }
}

function describe(message: LiveMessage): string {
  if (message.type === 'export-changed') return `🔔 ${message.from} published ${message.export} ${message.old_version ?? '(new)'} → ${message.new_version}${message.breaking ? ' (breaking)' : ''}: ${message.changes.join(', ')}`;
  if (message.type === 'realm-notice') return `🔔 ${message.notice.text}`;
  if (message.type === 'export-modified-locally') return `✏️  ${message.from} is editing ${message.export}: ${message.changes.join(', ')}`;
  if (message.type === 'hello') return `➕ session started: ${message.session.domain}`;
  if (message.type === 'session-ended') return `➖ session ended: ${message.session.domain}`;
  return message.type;
}
