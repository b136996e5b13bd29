import { compareVersions, hasErrno, type ImportStatus } from '@blue/core';
import { clearNotices, readNotices, type Notice } from '@blue/ipc';

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

/**
 * The notices in `domain`'s inbox that still matter: a notice is cleared (removed from the inbox)
 * once the import it concerns is resolved at its version or newer, or no longer exists.
 */
export async function pendingNotices(realmDir: string, domain: string, imports: readonly ImportState[]): Promise<LiveNotice[]> {
  const importOf = (n: Notice): ImportState | undefined => imports.find((i) => i.from === n.from && i.contract === n.export);
  const settled = (n: Notice): boolean => {
    const imp = importOf(n);
    // Resolved at that version or newer settles it, even when a later change made the import stale
    // again: that later change has a notice of its own.
    return imp === undefined || (imp.resolved_version !== undefined && compareVersions(imp.resolved_version, n.new_version) >= 0);
  };
  let notices: Notice[];
  try {
    notices = await readNotices(realmDir, domain);
    if (notices.some(settled)) await clearNotices(realmDir, domain, settled);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return [];
    throw err;
  }
  return notices
    .filter((n) => !settled(n))
    .map((n) => ({ id: n.id, at: n.at, from: n.from, export: n.export, old_version: n.old_version, new_version: n.new_version, breaking: n.breaking, changes: n.changes, text: n.text, import_status: importOf(n)?.status ?? 'current' }));
}
