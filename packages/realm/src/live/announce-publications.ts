import { asBlueError, type BlueErrorJson, type ExportPublication } from '@blue/core';
import { notifyExportChanged } from '@blue/ipc';
import type { BlueContext } from '../context.js';
import type { PublishResult } from '../store/realm-gate.js';

/** What the live side of a publish reached: inboxes written and running sessions told. */
export interface LiveAnnouncement {
  export: string;
  version: string;
  /** Domains whose inbox got the notice (shown by their `blue status`). */
  inboxes: string[];
  /** Running sessions that were sent the message, and how many confirmed it. */
  sessions: number;
  delivered: number;
}

export interface LiveResult {
  announcements: LiveAnnouncement[];
  /**
   * How sessions on other machines learn of what was announced: from the realm remote (their
   * watchers look every BLUE_WATCH_INTERVAL seconds), or not yet (`not-shared`: the realm has no
   * remote, or the push did not happen). Absent when nothing was announced.
   */
  elsewhere?: 'realm-remote' | 'not-shared';
  /** Why nothing could be announced (e.g. an unsafe runtime folder); the publish stands. */
  error?: BlueErrorJson;
}

/**
 * Tells the importers of each published export, live: a notice in their domain's inbox, then an
 * export-changed message to every running session that watches it. Never throws: the publish
 * is already in the realm, so a local runtime problem is reported, not raised.
 */
export async function announcePublications(
  ctx: BlueContext,
  realmDir: () => Promise<string>,
  provider: string,
  publications: ReadonlyArray<ExportPublication & { consumers: string[] }>,
  publish: Pick<PublishResult, 'status'>,
): Promise<LiveResult> {
  const result: LiveResult = { announcements: [] };
  const published = publications.filter((p) => p.status !== 'unchanged' && p.to_version !== undefined);
  if (published.length === 0) return result;
  result.elsewhere = publish.status === 'pushed' || publish.status === 'up-to-date' ? 'realm-remote' : 'not-shared';
  try {
    const dir = await realmDir();
    for (const p of published) {
      const event = { from: provider, export: p.name, old_version: p.from_version ?? null, new_version: p.to_version ?? '', changes: p.changes, breaking: p.breaking };
      const told = await notifyExportChanged(dir, event, { importers: p.consumers, now: ctx.now() });
      result.announcements.push({ export: p.name, version: event.new_version, inboxes: told.inboxes, sessions: told.deliveries.length, delivered: told.deliveries.filter((d) => d.delivered).length });
    }
  } catch (err) {
    result.error = asBlueError(err).toJSON();
  }
  return result;
}
