import { compareVersions, hasErrno, type ImpliedNotice, type ImportStatus } from '@blue/core';
import { buildNotice, clearNotices, readNotices, type Notice } from '@blue/ipc';
import type { BlueContext } from '../context.js';
import { realmRuntimeDir } from './realm-runtime.js';

/** A live notice as `blue status` shows it, with the state of the import it concerns. */
export interface LiveNotice {
  id: string;
  at: string;
  from: string;
  export: string;
  old_version: string | null;
  new_version: string;
  breaking: boolean;
  changes: string[];
  /** "Export 'required-s3-permissions' changed: + training-metrics/experiments/*" */
  text: string;
  import_status: ImportStatus;
}

interface ImportState {
  from: string;
  contract: string;
  status: ImportStatus;
  resolved_version?: string;
}

const importOf = (imports: readonly ImportState[], n: Notice): ImportState | undefined => imports.find((i) => i.from === n.from && i.contract === n.export);

/** A notice is settled once the import it concerns is current at its version or newer, or no longer exists. */
function settledBy(imports: readonly ImportState[]): (n: Notice) => boolean {
  return (n) => {
    const imp = importOf(imports, n);
    // Resolved at that version or newer settles it, even when a later change made the import stale
    // again: that later change has a notice of its own.
    return imp === undefined || (imp.resolved_version !== undefined && compareVersions(imp.resolved_version, n.new_version) >= 0);
  };
}

/**
 * The notices in `domain`'s inbox, and those the realm implies (`implied`: new versions of what it
 * imports, whether or not a session heard of them), that still matter (not settled by `imports`),
 * each once. Reads only: the command that makes an import current removes its notices
 * (clearSettledNotices).
 */
export async function pendingNotices(realmDir: string, domain: string, imports: readonly ImportState[], implied: readonly ImpliedNotice[] = []): Promise<LiveNotice[]> {
  const settled = settledBy(imports);
  let notices: Notice[];
  try {
    notices = await readNotices(realmDir, domain);
  } catch (err) {
    if (!hasErrno(err, 'ENOENT')) throw err;
    notices = [];
  }
  const held = new Set(notices.map((n) => n.id));
  for (const n of implied) if (!held.has(n.id)) notices.push(buildNotice({ ...n, at: n.date }));
  return notices
    .filter((n) => !settled(n))
    .map((n) => ({ id: n.id, at: n.at, from: n.from, export: n.export, old_version: n.old_version, new_version: n.new_version, breaking: n.breaking, changes: n.changes, text: n.text, import_status: importOf(imports, n)?.status ?? 'current' }));
}

/**
 * Removes from `domain`'s inbox the notices `imports` settle: called by the commands that make an
 * import current (sync, import), never by readers. A missing inbox or runtime folder is nothing to clear.
 */
export async function clearSettledNotices(ctx: BlueContext, realm: { name: string; path: string }, domain: string, imports: readonly ImportState[]): Promise<void> {
  try {
    await clearNotices(await realmRuntimeDir(ctx, realm, false), domain, settledBy(imports));
  } catch (err) {
    if (!hasErrno(err, 'ENOENT')) throw err;
  }
}
