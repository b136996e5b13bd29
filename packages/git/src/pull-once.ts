import { gitOutput, runGit, type GitOptions } from './run.js';
import { gitDirsAt, readStoredRefs } from './paths.js';
import { resolveCommit } from './sync-steps.js';
import { BlueError, redactSecrets } from '@blue/core';
import { gitLines, REBASE_CONFIG, unreachable, type Upstream } from './sync-steps.js';
import { access } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';

/**
 * Config pinned on a `git pull --rebase` on top of REBASE_CONFIG: the merge backend (as
 * `rebase --merge`), no hooks (as `--no-verify`), and no rewriting of merges.
 */
const PULL_CONFIG: readonly string[] = [...REBASE_CONFIG, '-c', 'rebase.backend=merge', '-c', 'rebase.rebaseMerges=false', '-c', 'core.hooksPath=/dev/null', '-c', 'pull.ff=true'];

/** git's words for a ref (or FETCH_HEAD) locked by another process at that moment. */
const REF_LOCKED = /cannot lock ref|Unable to create '[^']*\.lock'|unable to update local ref|FETCH_HEAD.*(locked|File exists)/i;

/** What one `pullRebaseOnce` did. */
export type PullOutcome =
  /** Fetched and rebased (or fast-forwarded, or already up to date). */
  | { status: 'rebased' }
  /** The remote does not have the branch yet: nothing to rebase onto. */
  | { status: 'no-remote-branch' }
  /** The remote's commits conflict with local ones in `conflicts`: the rebase was aborted, the clone is as it was. */
  | { status: 'conflict'; conflicts: string[] };

/**
 * Fetches the upstream's branch and rebases local commits onto it in ONE git process (`git pull
 * --rebase`), the tracking ref updated as a fetch would. The clone must be clean (the caller
 * checked). A conflict is aborted and reported; an unreachable remote throws GIT_FAILED; any other
 * failure is thrown. Costs one git process when it goes through, which keeps the window between
 * reading the remote and pushing to it as short as git's own retry loop.
 */
export async function pullRebaseOnce(dir: string, upstream: Upstream, options: GitOptions = {}): Promise<PullOutcome> {
  // A remote name is never an option: one that looks like one goes the long way (fetch with `--`).
  const args = [...PULL_CONFIG, 'pull', '--rebase=true', '--no-autostash', '--no-recurse-submodules', '--quiet', '--no-tags', upstream.remote, `refs/heads/${upstream.branch}`];
  if (upstream.remote.startsWith('-')) throw new Error(`pullRebaseOnce: remote name ${upstream.remote} looks like an option`);
  let result = await runGit(dir, args, { ...options, okExitCodes: [1, 128] });
  // Another process of this clone holding a ref's lock for a moment (a push updating the tracking
  // ref, a reader's fetch): the fetch part failed before anything changed; try again shortly.
  for (let retry = 0; retry < 3 && result.exitCode !== 0 && REF_LOCKED.test(result.stderr) && !(await rebaseStopped(dir, options)); retry++) {
    await sleep(20 + Math.random() * 80);
    result = await runGit(dir, args, { ...options, okExitCodes: [1, 128] });
  }
  if (result.exitCode === 0) return { status: 'rebased' };
  if (await rebaseStopped(dir, options)) {
    const conflicts = (await gitOutput(dir, ['diff', '--name-only', '-z', '--diff-filter=U'], options)).split('\0').filter(Boolean);
    await runGit(dir, ['rebase', '--abort'], options);
    if (conflicts.length > 0) return { status: 'conflict', conflicts };
  }
  if (/couldn't find remote ref/i.test(result.stderr)) return { status: 'no-remote-branch' };
  if (/cannot (pull|rebase)|unstaged changes|uncommitted changes|would be overwritten/i.test(result.stderr)) {
    throw new BlueError('DIRTY_WORKTREE', redactSecrets(`${dir} has uncommitted changes, so git would not rebase it onto ${upstream.remote}/${upstream.branch}: ${gitLines(result.stderr).join(' | ')}`), {
      hint: `Commit or stash them (\`git -C ${dir} status\` shows them), then run the command again.`,
    });
  }
  throw unreachable(dir, upstream, result.stderr);
}

/** True when a rebase stopped half-way in `dir` (its state folder is in the git folder). */
async function rebaseStopped(dir: string, options: GitOptions): Promise<boolean> {
  const dirs = await gitDirsAt(dir, options.env);
  const gitDir = dirs?.gitDir ?? (await gitOutput(dir, ['rev-parse', '--absolute-git-dir'], options));
  for (const name of ['rebase-merge', 'rebase-apply']) {
    if (await access(join(gitDir, name)).then(() => true, () => false)) return true;
  }
  return false;
}

/** Commits on HEAD that the upstream's tracking ref lacks (all of HEAD's when there is no tracking ref yet): one git process. */
export async function commitsAhead(dir: string, upstream: Upstream, options: GitOptions = {}): Promise<number> {
  const range = upstream.tracking === undefined ? ['HEAD'] : ['HEAD', '--not', upstream.tracking, '--'];
  const result = await runGit(dir, ['rev-list', '--count', ...range], { ...options, okExitCodes: [128] });
  if (result.exitCode === 0) return Number(result.stdout.trim());
  // The tracking ref does not exist yet (never fetched): everything is ahead; no HEAD: nothing is.
  const all = await runGit(dir, ['rev-list', '--count', 'HEAD', '--'], { ...options, okExitCodes: [128] });
  return all.exitCode === 0 ? Number(all.stdout.trim()) : 0;
}

/**
 * The commit a full ref name (`refs/heads/main`, `refs/remotes/origin/main`) points at: from the
 * ref files when they say it for certain (no git process), else from `git rev-parse`; undefined
 * when there is no such ref.
 */
export async function refTip(dir: string, ref: string, options: GitOptions = {}): Promise<string | undefined> {
  const dirs = await gitDirsAt(dir, options.env);
  const stored = dirs === undefined ? undefined : await readStoredRefs(dirs.commonDir, [ref]);
  const found = stored?.get(ref);
  if (found !== undefined && 'sha' in found) return found.sha;
  // Certain from the files that it does not exist:
  if (stored !== undefined && found === undefined) return undefined;
  return resolveCommit(dir, ref, options);
}
