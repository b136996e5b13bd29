import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DOMAINS_DIR, deepFreeze, type DomainFileName } from '@blue/core';
import { FILE_POOL_SIZE, mapLimited } from '../run-limited.js';
import { cloneHead } from './clone-head.js';
import { headDomainFiles, type HeadDomainFiles } from './realm-head-files.js';
import { domainByBlob, domainIn, domainPartsByBlob, readRealmFile, readRealmSnapshot, sortedNames, type BlobReading, type DomainSnapshot, type RealmSnapshot } from './realm-files.js';

/** A kept view is checked with git again after this long even when nothing was seen to change (a watch can lose events). */
export const KEPT_RECHECK_MS = 30_000;

/** One realm clone's kept snapshot, with what it was read from. */
interface KeptView {
  /** The commit the clone's HEAD named when the snapshot was read. */
  head: string;
  /** The blob ids of every domain's files then. */
  listing: HeadDomainFiles;
  /** The watch's change count when the read began: any event since means the worktree may differ. */
  changes: number;
  readAt: number;
  /** Frozen: shared by every caller until the clone changes; its domains are reused while their blob ids stay. */
  snapshot: RealmSnapshot;
}

/**
 * A long-lived process's realm snapshots (blue-mcp keeps one of these for its life; a one-shot
 * CLI process has none and reads the realm each time). A realm clone read clean (its `domains/`
 * holds exactly HEAD's files: see headDomainFiles) is kept, frozen, and handed out again as long as
 * nothing could have changed it. Invalidation rule: the kept snapshot is read again when
 *  - the clone's HEAD names another commit (read from git's files, no git process), or
 *  - a file-system event arrived for the realm's folder, `domains/` or any domain folder since the
 *    read began (fs.watch, one per folder; the kernel queues an event when the write happens, and
 *    a read first lets the event loop deliver what is queued, so a change made before a call is
 *    seen by it), or
 *  - KEPT_RECHECK_MS passed (the kernel drops events when its queue overflows).
 * Reading again costs git's listing and status (two processes) and parses only the domains whose
 * blob ids changed; the others keep their parsed, frozen snapshots. A clone that is not clean, has
 * no HEAD, or cannot be watched is read as before, every time, and nothing is kept.
 */
export class KeptRealmViews {
  private readonly views = new Map<string, KeptView>();
  private readonly watches = new Map<string, RealmFolderWatch>();
  private closed = false;

  async read(realmPath: string, blobs: BlobReading): Promise<RealmSnapshot> {
    // Let the event loop deliver the file-system events the kernel has queued before deciding.
    await nextTurn();
    const kept = this.views.get(realmPath);
    const watch = this.watches.get(realmPath);
    // HEAD from git's files; when they do not say, nothing is kept.
    const head = await cloneHead(realmPath, blobs.git);
    if (kept !== undefined && watch !== undefined && head === kept.head && watch.changes === kept.changes && Date.now() - kept.readAt < KEPT_RECHECK_MS) return kept.snapshot;
    return this.reread(realmPath, blobs, kept, head);
  }

  /** Stops every watch; later reads keep nothing. */
  close(): void {
    this.closed = true;
    for (const watch of this.watches.values()) watch.close();
    this.watches.clear();
    this.views.clear();
  }

  private async reread(realmPath: string, blobs: BlobReading, previous: KeptView | undefined, head: string | undefined): Promise<RealmSnapshot> {
    this.views.delete(realmPath);
    const watch = this.closed || head === undefined ? undefined : this.watchOf(realmPath);
    if (watch === undefined || head === undefined) return readRealmSnapshot(realmPath, blobs);
    const changes = watch.changes;
    const readAt = Date.now();
    const [realm, listing] = await Promise.all([readRealmFile(realmPath), headDomainFiles(realmPath, blobs.git)]);
    // Not clean (a hand edit, an untracked file): the worktree is read file by file, and not kept.
    if (listing === undefined) return readRealmSnapshot(realmPath);
    const part = domainPartsByBlob(realmPath, listing, blobs.cache);
    const names = sortedNames(listing);
    const parsed = await mapLimited(names, FILE_POOL_SIZE, async (name) => {
      const before = previous?.listing.get(name);
      const now = listing.get(name);
      // A folder without domain.yaml is in no snapshot: domainIn answers undefined for it, as reading would.
      if (previous !== undefined && before !== undefined && now !== undefined && sameFiles(before, now)) return domainIn(previous.snapshot, name);
      const domain = await domainByBlob(part, name);
      return domain === undefined ? undefined : deepFreeze(domain);
    });
    const snapshot = deepFreeze({ path: realmPath, realm, domains: parsed.filter((d): d is DomainSnapshot => d !== undefined) });
    // Folders that appeared since the watch began were not watched during this read: keep the
    // snapshot for this call only, and read again next time with every folder watched.
    const complete = watch.follow(names);
    if (complete && !watch.failed) this.views.set(realmPath, { head, listing, changes, readAt, snapshot });
    return snapshot;
  }

  /** The realm's watch, started on first use; undefined while it cannot watch (tried again after KEPT_RECHECK_MS). */
  private watchOf(realmPath: string): RealmFolderWatch | undefined {
    let watch = this.watches.get(realmPath);
    if (watch?.failed === true) {
      if (Date.now() - watch.startedAt < KEPT_RECHECK_MS) return undefined;
      watch.close();
      watch = undefined;
    }
    if (watch === undefined) {
      watch = new RealmFolderWatch(realmPath);
      this.watches.set(realmPath, watch);
    }
    return watch.failed ? undefined : watch;
  }
}

function sameFiles(a: ReadonlyMap<DomainFileName, string>, b: ReadonlyMap<DomainFileName, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [file, oid] of a) if (b.get(file) !== oid) return false;
  return true;
}

/**
 * Counts file-system events in a realm clone's own folder, its `domains/` and each domain folder
 * (one fs.watch per folder, not recursive: a domain's files sit directly in its folder; `.git`'s
 * inside is not watched). The watches never keep the process alive. `failed`: a watch could not be
 * set (too many watches) or errored; then nothing is kept for this realm.
 */
class RealmFolderWatch {
  changes = 0;
  failed = false;
  readonly startedAt = Date.now();
  private readonly folders = new Map<string, FSWatcher>();

  constructor(private readonly realmPath: string) {
    this.add(realmPath);
    this.add(join(realmPath, DOMAINS_DIR));
  }

  /** Watches the folders of `names` (and stops watching folders no longer listed); false when some were new. */
  follow(names: readonly string[]): boolean {
    const wanted = new Set(names.map((name) => join(this.realmPath, DOMAINS_DIR, name)));
    let complete = true;
    for (const [path, watcher] of this.folders) {
      if (path === this.realmPath || path === join(this.realmPath, DOMAINS_DIR) || wanted.has(path)) continue;
      watcher.close();
      this.folders.delete(path);
    }
    for (const path of wanted) {
      if (this.folders.has(path)) continue;
      complete = false;
      this.add(path);
    }
    return complete;
  }

  close(): void {
    for (const watcher of this.folders.values()) watcher.close();
    this.folders.clear();
  }

  private add(path: string): void {
    if (this.failed) return;
    try {
      const watcher = watch(path, { persistent: false }, () => (this.changes += 1));
      watcher.on('error', () => this.fail());
      this.folders.set(path, watcher);
    } catch {
      this.fail();
    }
  }

  private fail(): void {
    this.changes += 1;
    this.failed = true;
    this.close();
  }
}
