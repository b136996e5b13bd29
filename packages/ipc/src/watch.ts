import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { errorText, report, type IpcLog } from './log.js';
import { INBOX_DIR, SESSIONS_DIR } from './runtime-dir.js';
import { listSessions, type SessionRecord } from './sessions.js';

export interface Watcher {
  close(): void;
  [Symbol.dispose](): void;
}

export interface WatchSessionsOptions {
  /** Wait this long after the last change before listing (default 50 ms). */
  debounceMs?: number;
  /** Probe sockets when listing (see `listSessions`). */
  probe?: boolean;
  log?: IpcLog;
}

/**
 * Calls `onChange` with the realm's sessions now and whenever a session registers, updates or
 * deregisters (for `blue realm sessions --watch` and the MCP resource subscription). Uses
 * `fs.watch` on the sessions folder; call `close()` to stop.
 */
export function watchSessions(realmDir: string, onChange: (sessions: SessionRecord[]) => void, options: WatchSessionsOptions = {}): Watcher {
  return watchFolder(join(realmDir, SESSIONS_DIR), options, async () => {
    onChange(await listSessions(realmDir, { ...(options.probe === undefined ? {} : { probe: options.probe }), ...(options.log === undefined ? {} : { log: options.log }) }));
  });
}

/**
 * Calls `onChange(domain)` when a domain's inbox file changes (a notice was appended or cleared).
 * The MCP server can turn this into a resource-updated notification.
 */
export function watchInboxes(realmDir: string, onChange: (domain: string) => void, options: Pick<WatchSessionsOptions, 'debounceMs' | 'log'> = {}): Watcher {
  const changed = new Set<string>();
  return watchFolder(
    join(realmDir, INBOX_DIR),
    options,
    () => {
      const domains = [...changed];
      changed.clear();
      for (const domain of domains) onChange(domain);
      return Promise.resolve();
    },
    (file) => {
      if (file.endsWith('.jsonl') && !file.startsWith('.')) changed.add(file.slice(0, -'.jsonl'.length));
      return changed.size > 0;
    },
    false,
  );
}

function watchFolder(
  dir: string,
  options: { debounceMs?: number; log?: IpcLog },
  run: () => Promise<void>,
  accept: (file: string) => boolean = () => true,
  initial = true,
): Watcher {
  const debounceMs = options.debounceMs ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = (): void => {
    timer = undefined;
    if (closed) return;
    run().catch((err: unknown) => report(options.log, 'warn', 'watch-failed', `Watching ${dir} failed: ${errorText(err)}`));
  };
  const watcher: FSWatcher = watch(dir, { persistent: false }, (_event, file) => {
    if (closed || (file !== null && !accept(file))) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  });
  watcher.on('error', (err) => report(options.log, 'warn', 'watch-failed', `Watching ${dir} failed: ${errorText(err)}`));
  if (initial) fire();
  const close = (): void => {
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    watcher.close();
  };
  return { close, [Symbol.dispose]: close };
}
