import { setTimeout as sleep } from 'node:timers/promises';
import { BlueError, redactSecrets } from '@blue/core';
import { headSha } from './repo.js';
import { gitOutput, runGit, type GitOptions } from './run.js';
import { pullRebaseOnce } from './pull-once.js';
import { assertClean } from './status.js';
import {
  fetchUpstream,
  gitLines,
  isAncestor,
  listFiles,
  rebaseOnto,
  requireUpstream,
  resolveCommit,
  resolveUpstream,
  restoreHead,
  unreachable,
  type Upstream,
} from './sync-steps.js';

export interface RemoteInfo {
  /** The remote's name (or URL, when the branch's upstream is configured as one), e.g. `origin`. */
  remote: string;
  /** The branch on the remote, e.g. `main`. */
  branch: string;
}

export interface PushOptions extends GitOptions {
  /** Attempts in total (default 5). */
  attempts?: number;
  /** Called before each retry after a non-fast-forward; e.g. to re-validate the rebased state. Throwing stops the retry. */
  beforeRetry?: (attempt: number) => Promise<void>;
  /** Backoff base in ms (default 50), jittered, doubled per attempt, capped at 1 s. */
  backoffMs?: number;
}

export interface PushResult {
  /** False when the remote already had everything (nothing to push). */
  pushed: boolean;
  /** Push attempts made (1 when the first push went through). */
  attempts: number;
  /** HEAD after the call: the pushed commit. */
  head: string;
  /** True when local commits were rebased onto commits someone else pushed first. */
  rebased: boolean;
}

/** The upstream of the current branch, or origin/<current branch> when origin exists; undefined when the repo has no remote. */
export async function upstreamOf(dir: string, options: GitOptions = {}): Promise<RemoteInfo | undefined> {
  const upstream = await resolveUpstream(dir, options);
  return upstream && { remote: upstream.remote, branch: upstream.branch };
}

/** Commits ahead of the upstream (0 when in sync or no upstream), as of the last fetch or push. */
export async function aheadOfUpstream(dir: string, options: GitOptions = {}): Promise<number> {
  const upstream = await resolveUpstream(dir, options);
  if (upstream === undefined || (await headSha(dir, options)) === undefined) return 0;
  const base = upstream.tracking && (await resolveCommit(dir, upstream.tracking, options));
  // No tracking ref yet (never fetched, or the branch is not on the remote): everything is ahead.
  const range = base ? [`${base}..HEAD`] : ['HEAD'];
  return Number(await gitOutput(dir, ['rev-list', '--count', ...range], options));
}

/**
 * Fetches the upstream and counts the commits it has that HEAD lacks (0 without a remote, or when
 * the remote does not have the branch yet). Touches only remote-tracking state, never the worktree.
 */
export async function behindUpstream(dir: string, options: GitOptions = {}): Promise<number> {
  const upstream = await resolveUpstream(dir, options);
  if (upstream === undefined) return 0;
  const tip = await fetchUpstream(dir, upstream, options);
  if (tip === undefined) return 0;
  const head = await headSha(dir, options);
  return Number(await gitOutput(dir, ['rev-list', '--count', head === undefined ? tip : `HEAD..${tip}`], options));
}

/**
 * `git pull --rebase` from the upstream: fetch, then rebase local commits onto the remote's tip.
 * Refuses a dirty worktree (DIRTY_WORKTREE). A conflict is aborted, leaving the clone exactly as
 * before, and thrown as GIT_FAILED naming the files. Returns whether HEAD moved.
 */
export async function pullRebase(dir: string, options: GitOptions = {}): Promise<{ moved: boolean; head: string }> {
  await assertClean(dir, dir, options);
  const upstream = await requireUpstream(dir, 'pull from', options);
  const before = await headSha(dir, options);
  await pullOnto(dir, upstream, options);
  const head = (await headSha(dir, options)) ?? '';
  return { moved: head !== before, head: head || (before ?? '') };
}

/**
 * The fetch and rebase of `pullRebase` in one git process, for a clean clone whose upstream the
 * caller knows (the realm gate: it checked both under its lock). A conflict is aborted and thrown
 * as GIT_FAILED naming the files; the clone is as it was.
 */
export async function pullOnto(dir: string, upstream: Upstream, options: GitOptions = {}): Promise<void> {
  const outcome = await pullRebaseOnce(dir, upstream, options);
  if (outcome.status !== 'conflict') return;
  const files = listFiles(outcome.conflicts);
  throw new BlueError('GIT_FAILED', redactSecrets(`Pulling ${upstream.remote}/${upstream.branch} into ${dir} conflicts with local commits in ${files}; the pull was undone, ${dir} is as it was.`), {
    hint: `Run \`git -C ${dir} pull --rebase\` yourself, resolve the conflicts in ${files}, finish with \`git rebase --continue\`, then run the command again.`,
  });
}

/**
 * Pushes the current branch to its upstream. On a non-fast-forward rejection (someone pushed
 * first): fetch, rebase, call `beforeRetry`, push again, up to `attempts` pushes in all. Nothing is
 * ever forced. Any failure leaves the clone exactly as before the call (HEAD put back, no rebase in
 * progress): a real conflict or running out of attempts throws PUSH_REJECTED naming what to do;
 * other rejections (hook declined, protected branch, no permission) throw PUSH_REJECTED with git's
 * reason (redacted) at once; an unreachable remote throws GIT_FAILED; what `beforeRetry` throws is
 * thrown as it is. Up to date: `pushed: false`.
 */
export async function pushWithRetry(dir: string, options: PushOptions = {}): Promise<PushResult> {
  const gitOptions: GitOptions = options.env === undefined ? {} : { env: options.env };
  const upstream = await requireUpstream(dir, 'push to', gitOptions);
  const start = await headSha(dir, gitOptions);
  if (start === undefined) {
    throw new BlueError('GIT_FAILED', `${dir} has no commits yet, so there is nothing to push.`, {
      hint: 'Commit first, then push.',
    });
  }
  try {
    return await pushLoop(dir, upstream, start, options, gitOptions);
  } catch (err) {
    try {
      await restoreHead(dir, start, gitOptions);
    } catch (restoreErr) {
      throw new BlueError('GIT_FAILED', `${(err as Error).message} Also, ${dir} could not be put back on ${start.slice(0, 12)}: ${(restoreErr as Error).message}`, {
        hint: `Inspect \`git -C ${dir} status\`; \`git -C ${dir} reset --keep ${start}\` returns to where the push started.`,
        cause: err,
      });
    }
    throw err;
  }
}

async function pushLoop(dir: string, upstream: Upstream, start: string, options: PushOptions, gitOptions: GitOptions): Promise<PushResult> {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
  let head = start;
  for (let attempt = 1; ; attempt++) {
    const outcome = await pushOnce(dir, upstream, gitOptions);
    if (outcome !== 'behind') return { pushed: outcome === 'pushed', attempts: attempt, head, rebased: head !== start };
    if (attempt >= attempts) {
      throw new BlueError('PUSH_REJECTED', redactSecrets(`${upstream.remote} kept rejecting the push of ${upstream.branch} from ${dir}: others pushed first on each of ${attempts} attempts. Nothing was pushed; ${dir} is as it was.`), {
        hint: 'Run the command again in a moment (it fetches, rebases and pushes again).',
      });
    }
    await sleep(backoffDelay(attempt, options.backoffMs ?? 50));
    const tip = await fetchUpstream(dir, upstream, gitOptions);
    // The remote already contains our commits (e.g. pushed by another clone of this one).
    if (tip !== undefined && (await isAncestor(dir, head, tip, gitOptions))) {
      return { pushed: false, attempts: attempt, head, rebased: head !== start };
    }
    if (tip !== undefined) {
      await assertClean(dir, dir, gitOptions);
      const conflicts = await rebaseOnto(dir, tip, gitOptions);
      if (conflicts.length > 0) throw conflictError(dir, upstream, start, conflicts);
      head = (await headSha(dir, gitOptions)) ?? head;
    }
    await options.beforeRetry?.(attempt + 1);
  }
}

export type PushOutcome = 'pushed' | 'up-to-date' | 'behind';

/**
 * One `git push` of `source` (default HEAD) to the upstream's branch, its outcome read from
 * `--porcelain` (stable, untranslated) and stderr: `behind` when another push got there first.
 * Any other rejection is PUSH_REJECTED with git's reason; an unreachable remote GIT_FAILED.
 */
export async function pushOnce(dir: string, upstream: Upstream, options: GitOptions, source = 'HEAD'): Promise<PushOutcome> {
  const args = ['push', '--porcelain', '--', upstream.remote, `${source}:refs/heads/${upstream.branch}`];
  const result = await runGit(dir, args, { ...options, okExitCodes: [1, 128] });
  // "<flag>\t<from>:<to>\t<summary>", flag '=' up to date, '!' rejected, ' ' '*' '+' updated.
  const status = /^([ +*=!-])\t[^\t]*\t(.*)$/m.exec(result.stdout);
  if (status === null) {
    if (result.exitCode === 128) throw unreachable(dir, upstream, result.stderr);
    if (result.exitCode === 0) return 'pushed';
    // No ref status: the push stopped before talking to the remote, e.g. a local pre-push hook.
    throw rejected(dir, upstream, 'the push was stopped before it reached the remote', result.stderr);
  }
  const [, flag = '', summary = ''] = status;
  if (flag === '=') return 'up-to-date';
  if (flag !== '!') return 'pushed';
  if (isBehind(summary, result.stderr)) return 'behind';
  throw rejected(dir, upstream, summary, result.stderr);
}

/**
 * True for the rejections another push causes: a non-fast-forward, or the remote losing the race
 * for the ref's lock to a concurrent push ("failed to update ref", "cannot lock ref").
 */
function isBehind(summary: string, stderr: string): boolean {
  if (/^\[rejected\] \((fetch first|non-fast-forward)\)/.test(summary)) return true;
  if (/^\[remote rejected\] \((failed to update ref|failed to lock|cannot lock ref)/.test(summary)) return true;
  return /^\[rejected\]/.test(summary) && /Updates were rejected because the (remote contains work|tip of your current branch is behind)/.test(stderr);
}

function rejected(dir: string, upstream: Upstream, summary: string, stderr: string): BlueError {
  const reason = summary.replace(/^\[(remote )?rejected\] /, '').replace(/^\((.*)\)$/, '$1');
  const said = gitLines(stderr).filter((line) => !/^(To |error: failed to push some refs)/.test(line));
  const detail = said.length > 0 ? `: ${said.slice(-10).join(' | ')}` : '';
  return new BlueError('PUSH_REJECTED', redactSecrets(`${upstream.remote} rejected the push of ${upstream.branch} from ${dir} (${reason})${detail}`), {
    hint: 'Nothing was pushed and your commits are kept. Fix what the remote said (a hook, a protected branch, your access), then push again.',
  });
}

function conflictError(dir: string, upstream: Upstream, start: string, conflicts: readonly string[]): BlueError {
  const files = listFiles(conflicts);
  return new BlueError('PUSH_REJECTED', redactSecrets(`Could not push ${upstream.branch} to ${upstream.remote}: it has new commits that conflict with yours in ${files}. Nothing was pushed; ${dir} is as it was (HEAD ${start.slice(0, 12)}).`), {
    hint: `Run \`git -C ${dir} pull --rebase\`, resolve the conflicts in ${files}, finish with \`git rebase --continue\`, then push again.`,
  });
}

/** Jittered exponential backoff: between half and all of base * 2^(attempt-1), capped at 1 s. */
function backoffDelay(attempt: number, base: number): number {
  const ceiling = Math.min(1000, Math.max(0, base) * 2 ** (attempt - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}
