import { compareVersions, hasErrno, isStateKind, type ImpliedNotice, type ImportStatus, type NoticeKind } from '@blue/core';
import { buildNotice, clearNotices, readNotices, type Notice } from '@blue/ipc';
import type { BlueContext } from '../context.js';
import { realmRuntimeDir } from './realm-runtime.js';

/** A live notice as `blue status` shows it, with the state of the import it concerns. */
export interface LiveNotice {
  id: string;
  kind: NoticeKind;
  at: string;
  from: string;
  /** Absent only for join-admitted. */
  export?: string;
  old_version: string | null;
  new_version?: string;
  breaking: boolean;
  changes: string[];
  until?: string;
  by?: string;
  /** "Export 'required-s3-permissions' changed: + training-metrics/experiments/*" */
  text: string;
  /** The import it concerns (notices to a consumer). */
  import_status?: ImportStatus;
}

interface ImportState {
  from: string;
  contract: string;
  status: ImportStatus;
  resolved_version?: string;
}

/** What settles notices: the domain's imports, and for status also what the realm publishes and the time. */
export interface SettleInput {
  imports: readonly ImportState[];
  /**
   * True when `imports` are all of the domain's imports, so a notice about an import not among
   * them is settled (it was removed); false when they are only the imports a command just made
   * current (the other notices are left alone).
   */
  complete: boolean;
  /** The realm's published version of an export: a held change at or below it is settled (approved, or superseded). */
  publishedOf?: (provider: string, exportName: string) => string | undefined;
  now: Date;
}

/** Moments a watcher saw (join admitted, a change approved, a consumer resolved) are shown for a week. */
export const MOMENT_NOTICE_DAYS = 7;
const DAY_MS = 86_400_000;

const importOf = (imports: readonly ImportState[], n: Notice): ImportState | undefined => imports.find((i) => i.from === n.from && i.contract === n.export);

/**
 * A consumer's notice is settled once the import it concerns is current at its version or newer
 * (or, with `complete` imports, no longer exists); a held change also once the realm publishes
 * its version or newer; a grace notice once its deadline passed (the import is then broken, and
 * status says so). A moment is settled after MOMENT_NOTICE_DAYS.
 */
function settledBy(input: SettleInput): (n: Notice) => boolean {
  return (n) => {
    if (!isStateKind(n.kind)) return input.now.getTime() - Date.parse(n.at) > MOMENT_NOTICE_DAYS * DAY_MS;
    const version = n.new_version ?? '0.0.0';
    const imp = importOf(input.imports, n);
    if (imp === undefined) return input.complete;
    // Resolved at that version or newer settles it, even when a later change made the import stale
    // again: that later change has a notice of its own.
    if (imp.resolved_version !== undefined && compareVersions(imp.resolved_version, version) >= 0) return true;
    if (n.kind === 'breaking-held') {
      const published = input.publishedOf?.(n.from, n.export ?? '');
      return published !== undefined && compareVersions(published, version) >= 0;
    }
    if (n.kind === 'grace-started' || n.kind === 'grace-ending') return n.until !== undefined && Date.parse(n.until) <= input.now.getTime();
    return false;
  };
}

/**
 * The notices in `domain`'s inbox, and those the realm implies (`implied`: new versions of what it
 * imports, held breaking changes, grace periods, whether or not a session heard of them), that
 * still matter (not settled), each once. Reads only: the command that makes an import current
 * removes its notices (clearSettledNotices).
 */
export async function pendingNotices(realmDir: string, domain: string, settle: SettleInput, implied: readonly ImpliedNotice[] = []): Promise<LiveNotice[]> {
  const settled = settledBy(settle);
  let notices: Notice[];
  try {
    notices = await readNotices(realmDir, domain);
  } catch (err) {
    if (!hasErrno(err, 'ENOENT')) throw err;
    notices = [];
  }
  const held = new Set(notices.map((n) => n.id));
  for (const n of implied) if (!held.has(n.id)) notices.push(buildNotice({ ...n, at: n.date }));
  return notices.filter((n) => !settled(n)).map((n) => liveNotice(n, importOf(settle.imports, n)?.status));
}

function liveNotice(n: Notice, importStatus: ImportStatus | undefined): LiveNotice {
  const { id, kind, at, from, old_version, breaking, changes, text } = n;
  const live: LiveNotice = { id, kind, at, from, old_version, breaking, changes, text };
  if (n.export !== undefined) live.export = n.export;
  if (n.new_version !== undefined) live.new_version = n.new_version;
  if (n.until !== undefined) live.until = n.until;
  if (n.by !== undefined) live.by = n.by;
  if (isStateKind(kind)) live.import_status = importStatus ?? 'current';
  return live;
}

/**
 * Removes from `domain`'s inbox the notices `imports` settle (and moments older than a week):
 * called by the commands that make an import current (sync, import), never by readers. A missing
 * inbox or runtime folder is nothing to clear.
 */
export async function clearSettledNotices(ctx: BlueContext, realm: { name: string; path: string }, domain: string, settle: Omit<SettleInput, 'now'>): Promise<void> {
  try {
    await clearNotices(await realmRuntimeDir(ctx, realm, false), domain, settledBy({ ...settle, now: ctx.now() }));
  } catch (err) {
    if (!hasErrno(err, 'ENOENT')) throw err;
  }
}
