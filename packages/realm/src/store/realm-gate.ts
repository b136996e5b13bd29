import { setTimeout as sleep } from 'node:timers/promises';
import { asBlueError, BlueError, envNumber, type BlueErrorJson, type ParsedBlobCache } from '@blue/core';
import { assertCleanListingIgnored, commitsAhead, currentBranch, gitOutput, pullOnto, pullRebaseOnce, pushOnce, refTip, resolveCommit, resolveUpstream, restoreHead, type Upstream } from '@blue/git';
import type { BlueContext } from '../context.js';
import { lockTimeoutMs } from './lock.js';
import { lockRealm } from './realm-lock.js';
import { stampFetched } from './realm-freshness.js';
import { commitRealmChange, realmWriteInProgress, recoverRealmWrite, type FileChange } from './realm-commit.js';
import { loadBlobCache, loadNearBlobCache, saveBlobCache, saveNearBlobCache } from './blob-cache-file.js';
import { checkedAgainstFiles, verifiesCache } from './cache-check.js';
import { readRealmPath, readRealmSnapshot, rememberCommittedFiles, type RealmSnapshot } from './realm-files.js';
import { ignoredUnderDomains } from './realm-head-files.js';
import { neighbourhoodOf, readNeighbourhoodSnapshot } from './realm-neighbourhood.js';

/**
 * The one way into a realm clone. Readers take a consistent snapshot and write nothing; writers
 * take this clone's lock, recover what a dead writer left, pull, re-read under the lock, write and
 * commit, release, then publish with one retry policy. Every use case that writes the realm goes
 * through `writeRealm`, so two processes (or two parallel MCP calls) never lose each other's work.
 */

export interface RealmWriteOptions {
  /** Who writes, shown to whoever waits for the lock: "blue realm import (fungal)". */
  command: string;
  /** Pull the realm's remote under the lock before reading (default true). */
  pull?: boolean;
  /** Push after committing (default true); a clone that is ahead is pushed even when this write made no commit. */
  publish?: boolean;
  /**
   * Synchronous work to do while git pulls (this process only waits then): a sync loads its schema
   * compiler there. A throw is ignored (the work is done again where it is needed).
   */
  duringPull?: () => void;
}

/** A commit on a branch of its own (a change awaiting approval), made from the realm's HEAD. */
export interface BranchCommit {
  branch: string;
  changes: readonly FileChange[];
  message: string;
}

/** What a writer decided from the snapshot it read under the lock. */
export interface RealmWritePlan<T> {
  value: T;
  /** Files of one commit on the checked-out branch; none or no difference: no commit. */
  changes?: readonly FileChange[];
  message?: string;
  branches?: readonly BranchCommit[];
}

export interface PublishAttempt {
  attempt: number;
  /** `behind`: another push got there first; the clone was rebased and the push tried again. */
  outcome: 'pushed' | 'up-to-date' | 'behind' | 'failed';
}

/** Whether the realm's commits reached its remote, and if not, why. */
export interface PublishResult {
  /** `no-remote`: the clone has no remote; `failed`: see `error` (the commits stay local; the next write pushes them). */
  status: 'pushed' | 'up-to-date' | 'no-remote' | 'not-attempted' | 'failed';
  attempts: PublishAttempt[];
  /** The branch tip after publishing. */
  head?: string;
  error?: BlueErrorJson;
}

export interface RealmWriteOutcome<T> {
  value: T;
  snapshot: RealmSnapshot;
  /** The commit on the checked-out branch, when the write changed something. */
  commit?: string;
  branches: Array<{ branch: string; commit: string }>;
  publish: PublishResult;
}

/** Default bound on publishing retries, overridden by BLUE_PUBLISH_TIMEOUT_MS. */
const DEFAULT_PUBLISH_TIMEOUT_MS = 120_000;

/**
 * Writes the realm: under this clone's lock, recovers a dead writer's half-written files, pulls
 * (unless `pull: false`), reads the realm, calls `plan` with what it read, and commits what the
 * plan says; then, with the lock released, publishes (`publishRealm`). `plan` may throw to refuse:
 * nothing is written then. The snapshot handed to `plan` is the one every decision must rest on.
 */
export async function writeRealm<T>(ctx: BlueContext, realmPath: string, options: RealmWriteOptions, plan: (snapshot: RealmSnapshot) => Promise<RealmWritePlan<T>> | RealmWritePlan<T>): Promise<RealmWriteOutcome<T>> {
  const env = ctx.git.options;
  const lock = await lockRealm(ctx, realmPath, options.command);
  let outcome: Omit<RealmWriteOutcome<T>, 'publish'>;
  let known: KnownBranch | undefined;
  let committed: { cache: ParsedBlobCache; changes: readonly FileChange[]; commit: string } | undefined;
  try {
    await recoverRealmWrite(ctx, realmPath);
    // The few git processes of a write: the upstream (one for-each-ref; the branch is HEAD's file),
    // the clean check, one `pull --rebase`, the HEAD listing for reading by blob id, then one commit
    // when something changed. The upstream, the clean check and the blob cache side by side (the
    // check's answer counts only when there is an upstream to pull).
    const pulls = options.pull !== false;
    const [upstream, cleanCheck, cache] = await Promise.all([
      resolveUpstream(realmPath, env),
      pulls ? assertCleanListingIgnored(realmPath, realmPath, env).then((ignored) => ({ ignored }), (err: unknown) => ({ err })) : undefined,
      pulls ? loadBlobCache(ctx.home) : undefined,
    ]);
    let clean = false;
    if (pulls && upstream !== undefined) {
      if (cleanCheck !== undefined && 'err' in cleanCheck) throw cleanCheck.err;
      const pulled = pullOnto(realmPath, upstream, env);
      try {
        options.duringPull?.();
      } catch {
        // Only a head start: whoever needs the work does it again and says what failed.
      }
      await pulled;
      clean = true;
      await stampFetched(ctx, realmPath, undefined);
    }
    // Nothing uncommitted or untracked, nothing ignored under domains/, and a pull (fast-forward or
    // rebase) leaves HEAD's files: domains/ is exactly HEAD's, so it is read by blob id (this lock
    // keeps other writers out). Anything else is read file by file.
    const worktreeIsHead = cleanCheck !== undefined && 'ignored' in cleanCheck && !ignoredUnderDomains(cleanCheck.ignored);
    // Whatever the realm's size: the listing is one git process, which cost less than parsing the
    // files of even 3 domains (bench/RESULTS.md, "Issue 25: uncontended sync").
    const blobs = worktreeIsHead && cache !== undefined ? { cache, git: env, minDomains: 0, worktreeIsHead } : undefined;
    // Tests (BLUE_TEST_VERIFY_CACHE=1) read it file by file as well and compare.
    const snapshot = blobs === undefined ? await readRealmSnapshot(realmPath) : await checkedAgainstFiles(ctx.env, env, realmPath, () => readRealmSnapshot(realmPath, blobs), () => readRealmSnapshot(realmPath));
    const planned = await plan(snapshot);
    const branches: Array<{ branch: string; commit: string }> = [];
    for (const b of planned.branches ?? []) {
      const commit = await commitRealmChange(ctx, realmPath, b.changes, b.message, { branch: b.branch });
      if (commit !== undefined) branches.push({ branch: b.branch, commit });
    }
    const changes = planned.changes ?? [];
    const branch = await currentBranch(realmPath, env);
    // Unpushed commits of earlier writes: a rebase may merge into their files too, so those retries validate the whole realm.
    const onlyThisWrite = upstream?.tracking !== undefined && branch !== undefined && (await refTip(realmPath, `refs/heads/${branch}`, env)) === (await refTip(realmPath, upstream.tracking, env));
    const commit = changes.length > 0 ? await commitRealmChange(ctx, realmPath, changes, planned.message ?? 'blue: realm update', { clean }) : undefined;
    if (upstream !== undefined && branch !== undefined) known = { upstream, branch, ...(commit === undefined ? {} : { commit }), ...(commit !== undefined && onlyThisWrite ? { paths: changes.map((c) => c.path) } : {}) };
    if (commit !== undefined && blobs !== undefined) committed = { cache: blobs.cache, changes, commit };
    outcome = { value: planned.value, snapshot, branches, ...(commit === undefined ? {} : { commit }) };
  } finally {
    await lock.release();
  }
  const publishing = options.publish === false ? { status: 'not-attempted' as const, attempts: [] } : publishRealm(ctx, realmPath, options.command, known);
  // While the push is on its way: the files just committed are parsed for the next reading by blob id.
  if (committed !== undefined) rememberCommittedFiles(committed.cache, committed.changes, committed.commit);
  const [publish] = await Promise.all([publishing, saveBlobCache(ctx.home)]);
  return { ...outcome, publish };
}

/**
 * What a write already knows when it publishes: the upstream, the branch, and the commit it just
 * made with the files it wrote (then the clone is ahead, and those files are all a rebase can
 * merge into: the remote's other files come as their writers validated them).
 */
export interface KnownBranch {
  upstream: Upstream;
  branch: string;
  commit?: string;
  paths?: readonly string[];
}

/**
 * A consistent view of the realm for a reader: waits (as long as a lock would) while a live
 * writer is writing its files, then reads (by blob id where the clone is clean: see readRealmSnapshot;
 * a long-lived process reuses its kept snapshot while the clone has not changed: see KeptRealmViews).
 * Writes nothing in the clone and recovers nothing; saves newly parsed files in BLUE_HOME's cache.
 */
export async function readRealm(ctx: BlueContext, realmPath: string): Promise<RealmSnapshot> {
  const [cache] = await Promise.all([loadBlobCache(ctx.home), awaitRealmWriters(ctx, realmPath)]);
  const blobs = { cache, git: ctx.git.options, ...(verifiesCache(ctx.env) ? { minDomains: 0 } : {}) };
  const cached = () => (ctx.kept === undefined ? readRealmSnapshot(realmPath, blobs) : ctx.kept.read(realmPath, blobs));
  const snapshot = await checkedAgainstFiles(ctx.env, ctx.git.options, realmPath, cached, () => readRealmSnapshot(realmPath));
  await saveBlobCache(ctx.home);
  return snapshot;
}

/**
 * readRealm narrowed to what `domain`'s status looks at (neighbourhoodOf): in a big clean clone,
 * only those domains' files are read (readNeighbourhoodSnapshot); otherwise the whole realm is
 * read and narrowed. A long-lived process narrows its kept snapshot. Under BLUE_TEST_VERIFY_CACHE=1
 * it is compared with the whole realm read file by file and narrowed, so a wrong index (a domain
 * missing or extra) fails as a wrong file would.
 */
export async function readRealmNeighbourhood(ctx: BlueContext, realmPath: string, domain: string): Promise<RealmSnapshot> {
  if (ctx.kept !== undefined) return neighbourhoodOf(await readRealm(ctx, realmPath), domain);
  const [cache] = await Promise.all([loadNearBlobCache(ctx.home), awaitRealmWriters(ctx, realmPath)]);
  // The whole realm's cache (1.5 MB at 2,000 domains) only to index a new tree.
  const reading = { cache, full: () => loadBlobCache(ctx.home), git: ctx.git.options, home: ctx.home, ...(verifiesCache(ctx.env) ? { minDomains: 0 } : {}) };
  const fromFiles = async () => neighbourhoodOf(await readRealmSnapshot(realmPath), domain);
  // No neighbourhood (a small, dirty or odd clone, or an invalid file): git has already said the
  // clone cannot be read by blob id, so the whole realm is read file by file, without asking git again.
  const cached = async () => (await readNeighbourhoodSnapshot(realmPath, domain, reading)) ?? (await fromFiles());
  const snapshot = await checkedAgainstFiles(ctx.env, ctx.git.options, realmPath, cached, fromFiles);
  await Promise.all([saveNearBlobCache(ctx.home), saveBlobCache(ctx.home)]);
  return snapshot;
}

/** Waits (as long as a lock would) while a live writer is writing the realm clone's files. */
export async function awaitRealmWriters(ctx: BlueContext, realmPath: string): Promise<void> {
  const deadline = Date.now() + lockTimeoutMs(ctx.env);
  while ((await realmWriteInProgress(realmPath)) && Date.now() < deadline) await sleep(10 + Math.random() * 20);
}

/**
 * Pushes the clone's branch to its remote when the clone is ahead of it. A push another clone
 * beat is retried: under the lock the clone fetches, rebases (a domain writes only its own
 * folder, so two domains' commits do not conflict) and re-reads the realm to validate it, then
 * pushes again, with jittered backoff, until BLUE_PUBLISH_TIMEOUT_MS (default 120 s) has passed.
 * Never forces. Never throws: a failure is in the result, the commits stay in the clone, and the
 * next write (or `blue realm sync`) pushes them.
 */
export async function publishRealm(ctx: BlueContext, realmPath: string, command: string, known?: KnownBranch): Promise<PublishResult> {
  const env = ctx.git.options;
  const attempts: PublishAttempt[] = [];
  const failed = (err: unknown): PublishResult => {
    attempts.push({ attempt: attempts.length + 1, outcome: 'failed' });
    return { status: 'failed', attempts, error: asBlueError(err).toJSON() };
  };
  let upstream: Upstream | undefined;
  let branch: string;
  try {
    upstream = known?.upstream ?? (await resolveUpstream(realmPath, env));
    if (upstream === undefined) return { status: 'no-remote', attempts };
    // A write that just committed is ahead: no need to ask git.
    if (known?.commit === undefined && (await commitsAhead(realmPath, upstream, env)) === 0) return { status: 'up-to-date', attempts, ...(await tip(realmPath, 'HEAD', ctx)) };
    branch = known?.branch ?? (await gitOutput(realmPath, ['symbolic-ref', '--short', 'HEAD'], env));
  } catch (err) {
    return failed(err);
  }
  const deadline = Date.now() + publishTimeoutMs(ctx.env);
  for (let attempt = 1; ; attempt++) {
    const local = `refs/heads/${branch}`;
    try {
      const outcome = await pushOnce(realmPath, upstream, env, local);
      attempts.push({ attempt, outcome });
      if (outcome !== 'behind') {
        ctx.checkpoint('realm:pushed');
        return { status: outcome, attempts, ...(await tip(realmPath, local, ctx)) };
      }
      if (Date.now() >= deadline) return failed(keptRejecting(realmPath, upstream, attempt));
      await sleep(backoffMs(attempt));
      if (await rebaseOnRemote(ctx, realmPath, upstream, local, command, known?.paths)) {
        // Another writer of this clone pushed our commits with theirs: they are on the remote.
        ctx.checkpoint('realm:pushed');
        return { status: 'up-to-date', attempts, ...(await tip(realmPath, local, ctx)) };
      }
    } catch (err) {
      return failed(err);
    }
  }
}

/** Throws the publish's error: for commands whose whole point is to reach the remote (sync, approve). */
export function assertPublished(publish: PublishResult): void {
  if (publish.status === 'failed' && publish.error !== undefined) {
    const { code, message, hint } = publish.error;
    throw new BlueError(code, message, hint === undefined ? {} : { hint });
  }
}

/**
 * Under the lock: fetches the remote and rebases the clone's commits onto it in one git process
 * (`git pull --rebase`), then validates what the rebase could have merged into: the files this
 * write committed (`paths`), or, when the commits are older ones, the whole realm. A failure puts
 * the clone back and throws. True when the remote already had every local commit (someone pushed
 * them): nothing left to push.
 */
async function rebaseOnRemote(ctx: BlueContext, realmPath: string, upstream: Upstream, local: string, command: string, paths: readonly string[] | undefined): Promise<boolean> {
  const env = ctx.git.options;
  const lock = await lockRealm(ctx, realmPath, `${command}: rebasing onto the remote`);
  try {
    // Two git processes per attempt, this pull and the push: the tips are read from the ref files,
    // and git itself refuses to rebase over uncommitted changes (DIRTY_WORKTREE).
    const head = await refTip(realmPath, local, env);
    if (head === undefined) return false;
    const outcome = await pullRebaseOnce(realmPath, upstream, env);
    if (outcome.status === 'conflict') {
      throw new BlueError('PUSH_REJECTED', `The realm's remote has commits that conflict with this clone's in ${outcome.conflicts.join(', ')}; nothing was pushed, the clone is as it was.`, {
        hint: `Someone else wrote the same realm files. Run \`git -C ${realmPath} pull --rebase\`, resolve the conflicts, then run the command again.`,
      });
    }
    if (outcome.status === 'no-remote-branch') return false;
    try {
      await validateRebased(realmPath, paths);
    } catch (err) {
      await restoreHead(realmPath, head, env);
      throw err;
    }
    // Our commits were already on the remote: the rebase left nothing of ours to push.
    const [after, remote] = await Promise.all([refTip(realmPath, local, env), upstream.tracking === undefined ? undefined : refTip(realmPath, upstream.tracking, env)]);
    return after !== undefined && after === remote;
  } finally {
    await lock.release();
  }
}

/** Reads and validates `paths` of the realm as they are now (all the realm's files when not given); throws what the reader throws. */
async function validateRebased(realmPath: string, paths: readonly string[] | undefined): Promise<void> {
  if (paths === undefined) {
    await readRealmSnapshot(realmPath);
    return;
  }
  await Promise.all(paths.map((path) => readRealmPath(realmPath, path)));
}

async function tip(realmPath: string, ref: string, ctx: BlueContext): Promise<{ head?: string }> {
  const head = ref === 'HEAD' ? await resolveCommit(realmPath, ref, ctx.git.options) : await refTip(realmPath, ref, ctx.git.options);
  return head === undefined ? {} : { head };
}

function publishTimeoutMs(env: BlueContext['env']): number {
  return envNumber(env, 'BLUE_PUBLISH_TIMEOUT_MS', DEFAULT_PUBLISH_TIMEOUT_MS);
}

/** Jittered exponential backoff: between half and all of 50 ms * 2^(attempt-1), capped at 1 s. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(1000, 50 * 2 ** (attempt - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function keptRejecting(realmPath: string, upstream: Upstream, attempts: number): BlueError {
  return new BlueError('PUSH_REJECTED', `${upstream.remote} kept rejecting the realm's push from ${realmPath}: others pushed first on each of ${attempts} attempts (BLUE_PUBLISH_TIMEOUT_MS). The commits are kept in the clone.`, {
    hint: 'Run the command again in a moment: it pushes what is left.',
  });
}

/** What to do when a realm write did not reach the remote: the next step a result shows. */
export function realmPushSteps(publish: PublishResult, realmPath: string): string[] {
  if (publish.status === 'no-remote') return [`git -C ${realmPath} remote add origin <url> && git -C ${realmPath} push -u origin HEAD  # the realm has no remote yet; share it so others see this`];
  if (publish.status !== 'failed') return [];
  return [`The realm commit is in ${realmPath} but not on its remote (${publish.error?.code ?? 'failed'}: ${publish.error?.message ?? ''}). Fix that, then run blue realm sync (or git -C ${realmPath} push): the next realm write pushes it.`];
}
