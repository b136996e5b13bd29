import { createHash } from 'node:crypto';
import { compareVersions } from '../semver.js';
import type { ImportEntry, PublishedExport } from '../types.js';

/** A published change of one export, as sync computes it and as the realm's changelog records it. */
export interface ExportChange {
  from: string;
  export: string;
  /** null when the export is new. */
  old_version: string | null;
  new_version: string;
  changes: string[];
  breaking: boolean;
}

/**
 * A notice the realm implies for one consuming domain: a published version of an export it
 * imports that is newer than the version its import resolved; the same change an inbox notice
 * and an `export-changed` message carry, so the live paths and `blue status` speak of it alike.
 */
export interface ImpliedNotice extends ExportChange {
  /** Stable: the same (provider, export, version) gives the same id on every machine and path. */
  id: string;
  /** The day the version was published (its changelog date). */
  date: string;
}

/**
 * The id of the notice about `version` of `from`'s `exportName`: one id whichever path brought it
 * (the provider's sync over a local socket, or a watcher reading the realm remote), so each
 * inbox and each session keeps it once.
 */
export function noticeId(from: string, exportName: string, version: string): string {
  return createHash('sha256').update(`${from}\0${exportName}\0${version}`).digest('hex').slice(0, 16);
}

export interface NoticePlanInput {
  /** The consuming domain's imports, as the realm records them. */
  imports: readonly ImportEntry[];
  /** Published exports per providing domain. */
  exportsOf(domain: string): readonly PublishedExport[] | undefined;
}

/**
 * The notices the realm implies for one consumer: for each import with a resolved version, every
 * changelog entry of the export newer than it (oldest first), with its changes and whether it
 * breaks. Pure: the same realm state always gives the same notices, so recomputing them after a
 * rewritten history or by a second watcher adds nothing twice.
 */
export function planImpliedNotices(input: NoticePlanInput): ImpliedNotice[] {
  const notices: ImpliedNotice[] = [];
  for (const entry of input.imports) {
    if (entry.resolved_version === undefined) continue;
    const published = input.exportsOf(entry.from)?.find((e) => e.name === entry.contract);
    if (published === undefined) continue;
    const versions = [...published.changelog].sort((a, b) => compareVersions(a.version, b.version));
    versions.forEach((log, index) => {
      if (compareVersions(log.version, entry.resolved_version ?? log.version) <= 0) return;
      const previous = versions[index - 1]?.version ?? null;
      notices.push({ id: noticeId(entry.from, entry.contract, log.version), from: entry.from, export: entry.contract, old_version: previous, new_version: log.version, changes: [...log.changes], breaking: log.breaking === true, date: log.date });
    });
  }
  return notices;
}
