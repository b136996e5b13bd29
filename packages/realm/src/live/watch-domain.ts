import { describeChange, diffValues, jsonEqual } from '@blue/core';
import { broadcastExportModifiedLocally } from '@blue/ipc';
import type { BlueContext } from '../context.js';
import { computeLocalExports, readDeclaredExports } from '../local-exports.js';
import { consumersOf } from '../store/realm-files.js';
import { readRealm } from '../store/realm-gate.js';
import type { DomainSession } from './sessions.js';

export interface DomainWatchEvents {
  /** The realm clone's files changed (someone synced and it was pulled): imports may have moved. */
  realmMoved?(): void;
  /** The set of exports with unpublished local changes changed; `names` is the new set. */
  exportsModified?(names: string[]): void;
  /** Something went wrong while reacting to a change (the watch goes on). */
  error?(err: unknown): void;
}

export interface DomainWatcher {
  close(): Promise<void>;
}

const IGNORED = /(^|[/\\])(\.git|node_modules|\.worktrees|dist)([/\\]|$)/;

/**
 * Watches a live session's code repo and realm clone (chokidar). When the repo's exports drift
 * from what the realm published, the session's record lists them and their importers' sessions
 * get export-modified-locally; when the realm clone changes, `realmMoved` fires. Changes are
 * debounced (`delayMs`, default 250 ms) so a burst of edits is one reaction.
 */
export async function watchDomain(ctx: BlueContext, live: DomainSession, repo: string, events: DomainWatchEvents = {}, delayMs = 250): Promise<DomainWatcher> {
  let modified: string[] = live.session.record.exports_modified;
  let running = Promise.resolve();
  const serial = (work: () => Promise<void>): void => {
    running = running.then(work).catch((err: unknown) => events.error?.(err));
  };

  const checkExports = async (): Promise<void> => {
    const snapshot = await readRealm(ctx, live.realm.path);
    const published = snapshot.domains.find((d) => d.name === live.domain)?.exports ?? [];
    const locals = await computeLocalExports(ctx, repo, await readDeclaredExports(repo), published);
    const drift = locals
      .map((local) => {
        const pub = published.find((p) => p.name === local.name);
        const changes = pub === undefined ? ['(not published yet)'] : diffValues(pub.value, local.value).map(describeChange);
        const schemaChanged = pub !== undefined && !jsonEqual(pub.schema, local.schema);
        return { name: local.name, changes: schemaChanged ? [...changes, '~ schema'] : changes };
      })
      .filter((d) => d.changes.length > 0);
    const names = drift.map((d) => d.name).sort();
    if (jsonEqual(names, modified)) return;
    const fresh = drift.filter((d) => !modified.includes(d.name));
    modified = names;
    await live.session.update({ exports_modified: names });
    for (const d of fresh) {
      const importers = consumersOf(snapshot, live.domain, [d.name]).map((c) => c.domain);
      await broadcastExportModifiedLocally(live.runtime_dir, { from: live.domain, export: d.name, changes: d.changes }, { importers, exclude: [live.session.record.id] });
    }
    events.exportsModified?.(names);
  };

  const debounce = (fn: () => void): (() => void) => {
    let timer: NodeJS.Timeout | undefined;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, delayMs);
    };
  };
  const onRepo = debounce(() => serial(checkExports));
  const onRealm = debounce(() =>
    serial(async () => {
      events.realmMoved?.();
      await checkExports();
    }),
  );

  const options = { ignoreInitial: true, ignored: (path: string) => IGNORED.test(path) };
  // Loaded here, not at import: only long-running sessions watch, every CLI command imports this package.
  const { watch } = await import('chokidar');
  const repoWatcher = watch(repo, options).on('all', onRepo);
  const realmWatcher = watch(live.realm.path, options).on('all', onRealm);
  await Promise.all([repoWatcher, realmWatcher].map((w) => new Promise<void>((resolve) => w.once('ready', () => resolve()))));
  return {
    async close() {
      await Promise.all([repoWatcher.close(), realmWatcher.close()]);
      await running;
    },
  };
}
