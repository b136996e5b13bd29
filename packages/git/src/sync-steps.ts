// Steps of realm sync (fetch, rebase, restore, upstream lookup) shared by sync.ts; not public API.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BlueError, hasErrno, redactSecrets } from '@blue/core';
import { localValue, readLocalConfig } from './config-file.js';
import { gitDirsAt } from './paths.js';
import { currentBranch, headSha } from './repo.js';
import { gitOutput, runGit, type GitOptions } from './run.js';

/** An upstream and the local ref that tracks it (absent when the remote is a bare URL). */
export interface Upstream {
  remote: string;
  branch: string;
  tracking: string | undefined;
}

/**
 * Config pinned on every rebase so the user's git config cannot change what it does: no stash of
 * local changes, no rewriting other branches, no signing prompt, no replay of recorded
 * resolutions (a conflict must stay a conflict, then be aborted).
 */
export const REBASE_CONFIG: readonly string[] = [
  '-c', 'rebase.autoStash=false',
  '-c', 'rebase.updateRefs=false',
  '-c', 'commit.gpgSign=false',
  '-c', 'rerere.enabled=false',
  '-c', 'rerere.autoUpdate=false',
];

/** Like upstreamOf, also naming the local tracking ref. Undefined on a detached HEAD. */
export async function resolveUpstream(dir: string, options: GitOptions = {}): Promise<Upstream | undefined> {
  const branch = await currentBranch(dir, options);
  if (branch === undefined) return undefined;
  const known = await upstreamFromConfigFile(dir, branch, options);
  if (known !== undefined) return known;
  const format = '--format=%(upstream:remotename)%00%(upstream:remoteref)%00%(upstream)';
  const line = await gitOutput(dir, ['for-each-ref', format, `refs/heads/${branch}`], options);
  const [remote = '', remoteRef = '', tracking = ''] = line.split('\0');
  // '.' is an upstream in this same repository: nothing to push to.
  if (remote !== '' && remote !== '.' && remoteRef.startsWith('refs/heads/')) {
    return { remote, branch: remoteRef.slice('refs/heads/'.length), tracking: tracking.startsWith('refs/remotes/') ? tracking : undefined };
  }
  const remotes = (await gitOutput(dir, ['remote'], options)).split('\n');
  return remotes.includes('origin') ? { remote: 'origin', branch, tracking: `refs/remotes/origin/${branch}` } : undefined;
}

/**
 * The upstream as the repository's config file states it, the way `git clone` writes it
 * (`branch.<b>.remote` and `.merge`, the remote's default fetch refspec); undefined for anything
 * else, and git is asked.
 */
async function upstreamFromConfigFile(dir: string, branch: string, options: GitOptions): Promise<Upstream | undefined> {
  const dirs = await gitDirsAt(dir, options.env);
  const config = dirs === undefined ? undefined : await readLocalConfig(dirs, options.env);
  const remote = localValue(config, `branch.${branch}.remote`);
  const merge = localValue(config, `branch.${branch}.merge`);
  if (remote === undefined || remote === '.' || !merge?.startsWith('refs/heads/')) return undefined;
  if (localValue(config, `remote.${remote}.fetch`) !== `+refs/heads/*:refs/remotes/${remote}/*`) return undefined;
  const upstream = merge.slice('refs/heads/'.length);
  return { remote, branch: upstream, tracking: `refs/remotes/${remote}/${upstream}` };
}

/** The upstream to sync with; GIT_FAILED naming the fix on a detached HEAD or without a remote. */
export async function requireUpstream(dir: string, verb: string, options: GitOptions = {}): Promise<Upstream> {
  const upstream = await resolveUpstream(dir, options);
  if (upstream !== undefined) return upstream;
  if ((await currentBranch(dir, options)) === undefined) {
    throw new BlueError('GIT_FAILED', `${dir} is on a detached HEAD, so there is no branch to ${verb}.`, {
      hint: `Check out the branch (\`git -C ${dir} switch main\`), then run the command again.`,
    });
  }
  throw new BlueError('GIT_FAILED', `${dir} has no remote to ${verb} (no upstream and no "origin").`, {
    hint: `Add the remote with \`git -C ${dir} remote add origin <url>\`, then run the command again.`,
  });
}

/**
 * Fetches the upstream branch (updating its tracking ref as a plain fetch would). Returns the
 * remote tip, or undefined when the remote does not have the branch yet. Unreachable: GIT_FAILED.
 */
export async function fetchUpstream(dir: string, upstream: Upstream, options: GitOptions & { timeoutMs?: number } = {}): Promise<string | undefined> {
  const args = ['fetch', '--quiet', '--no-tags', '--', upstream.remote, `refs/heads/${upstream.branch}`];
  const result = await runGit(dir, args, { ...options, okExitCodes: [1, 128] });
  if (result.exitCode === 0) return resolveCommit(dir, 'FETCH_HEAD', options.env === undefined ? {} : { env: options.env });
  if (/couldn't find remote ref/i.test(result.stderr)) return undefined;
  throw unreachable(dir, upstream, result.stderr);
}

/**
 * The upstream branch's tip on the remote, asked with one `git ls-remote` (no objects
 * transferred): undefined when the remote does not have the branch. Unreachable: GIT_FAILED.
 */
export async function remoteTip(dir: string, upstream: Upstream, options: GitOptions & { timeoutMs?: number } = {}): Promise<string | undefined> {
  const result = await runGit(dir, ['ls-remote', '--heads', '--', upstream.remote, `refs/heads/${upstream.branch}`], { ...options, okExitCodes: [2, 128] });
  if (result.exitCode === 0) return result.stdout.split('\t')[0]?.trim() || undefined;
  if (result.exitCode === 2) return undefined;
  throw unreachable(dir, upstream, result.stderr);
}

/**
 * The upstream's remote branches matching `patterns` (ls-remote patterns such as
 * `refs/heads/main` or `refs/heads/blue/breaking/*`), ref name -> object id, in one round trip.
 */
export async function remoteHeads(dir: string, upstream: Upstream, patterns: readonly string[], options: GitOptions & { timeoutMs?: number } = {}): Promise<Map<string, string>> {
  const result = await runGit(dir, ['ls-remote', '--heads', '--', upstream.remote, ...patterns], { ...options, okExitCodes: [128] });
  if (result.exitCode !== 0) throw unreachable(dir, upstream, result.stderr);
  const heads = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const [id, ref] = line.trim().split('\t');
    if (id !== undefined && ref !== undefined) heads.set(ref, id);
  }
  return heads;
}

/** GIT_FAILED for a remote that could not be read from or written to. */
export function unreachable(dir: string, upstream: Upstream, stderr: string): BlueError {
  return new BlueError('GIT_FAILED', redactSecrets(`Could not reach the remote "${upstream.remote}" from ${dir}: ${gitLines(stderr).join(' | ')}`), {
    hint: `Check the remote's URL (\`git -C ${dir} remote -v\`), your network and your access rights, then run the command again.`,
  });
}

/**
 * Rebases the current branch onto `onto`. On a conflict the rebase is aborted (HEAD, index and
 * worktree back as they were) and the conflicting files are returned; [] means it went through.
 * Any other failure is aborted too, then thrown.
 */
export async function rebaseOnto(dir: string, onto: string, options: GitOptions = {}): Promise<string[]> {
  const args = [...REBASE_CONFIG, 'rebase', '--quiet', '--merge', '--no-autostash', '--no-verify', '--empty=drop', '--no-rebase-merges', onto];
  try {
    await runGit(dir, args, options);
    return [];
  } catch (err) {
    if (!(await rebaseInProgress(dir, options))) throw err;
    const conflicts = (await gitOutput(dir, ['diff', '--name-only', '-z', '--diff-filter=U'], options)).split('\0').filter(Boolean);
    await runGit(dir, ['rebase', '--abort'], options);
    if (conflicts.length === 0) throw err;
    return conflicts;
  }
}

/** Puts the current branch back on `sha` (after a rebase this call made), keeping the worktree safe. */
export async function restoreHead(dir: string, sha: string, options: GitOptions = {}): Promise<void> {
  if ((await headSha(dir, options)) === sha) return;
  await runGit(dir, ['reset', '--keep', '--quiet', sha], options);
}

/** True when `ancestor` is reachable from `descendant`. */
export async function isAncestor(dir: string, ancestor: string, descendant: string, options: GitOptions = {}): Promise<boolean> {
  const result = await runGit(dir, ['merge-base', '--is-ancestor', ancestor, descendant], { ...options, okExitCodes: [1] });
  return result.exitCode === 0;
}

/** "a.txt, b.txt and 3 more" */
export function listFiles(files: readonly string[]): string {
  const more = files.length > 5 ? ` and ${files.length - 5} more` : '';
  return files.slice(0, 5).join(', ') + more;
}

/** git's stderr without its advice lines, as short as it can be said. */
export function gitLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('hint:'));
}

export async function resolveCommit(dir: string, ref: string, options: GitOptions): Promise<string | undefined> {
  const result = await runGit(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { ...options, okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

async function rebaseInProgress(dir: string, options: GitOptions): Promise<boolean> {
  const paths = (await gitOutput(dir, ['rev-parse', '--git-path', 'rebase-merge', '--git-path', 'rebase-apply'], options)).split('\n');
  for (const path of paths) {
    try {
      await access(resolve(dir, path));
      return true;
    } catch (err) {
      if (!hasErrno(err, 'ENOENT')) throw err;
    }
  }
  return false;
}
