import { BlueError, redactSecrets } from '@blue/core';
import { gitOutput, runGit, type GitOptions } from './run.js';
import { gitLines, resolveUpstream } from './sync-steps.js';

/**
 * Pushes local `branch` to the same name on the upstream's remote, replacing what is there (for
 * branches Blue owns, such as a change awaiting approval). False when the repo has no remote.
 */
export async function pushBranch(dir: string, branch: string, options: GitOptions = {}): Promise<boolean> {
  const upstream = await resolveUpstream(dir, options);
  if (upstream === undefined) return false;
  const result = await runGit(dir, ['push', '--quiet', '--force', '--', upstream.remote, `refs/heads/${branch}:refs/heads/${branch}`], { ...options, okExitCodes: [1, 128] });
  if (result.exitCode !== 0) {
    throw new BlueError('PUSH_REJECTED', redactSecrets(`${upstream.remote} rejected branch ${branch} from ${dir}: ${gitLines(result.stderr).slice(-5).join(' | ')}`), {
      hint: `Nothing was lost: the branch is in ${dir}. Fix what the remote said, then run the command again.`,
    });
  }
  return true;
}

/**
 * Fetches the remote's branches under `prefix` (e.g. `blue/breaking/aperture/`) and lists every
 * branch there, local or remote-tracking, as `{ name, ref }` (the remote one wins).
 */
export async function fetchBranches(dir: string, prefix: string, options: GitOptions = {}): Promise<Array<{ name: string; ref: string }>> {
  const upstream = await resolveUpstream(dir, options);
  const found = new Map<string, string>();
  const list = async (pattern: string, strip: string): Promise<void> => {
    const out = await gitOutput(dir, ['for-each-ref', '--format=%(refname)', pattern], options);
    for (const ref of out.split('\n').filter(Boolean)) found.set(ref.slice(strip.length), ref);
  };
  await list(`refs/heads/${prefix}*`, 'refs/heads/');
  if (upstream !== undefined) {
    const remoteRefs = `refs/remotes/${upstream.remote}/`;
    await runGit(dir, ['fetch', '--quiet', '--prune', '--no-tags', '--', upstream.remote, `+refs/heads/${prefix}*:${remoteRefs}${prefix}*`], options);
    await list(`${remoteRefs}${prefix}*`, remoteRefs);
  }
  return [...found].map(([name, ref]) => ({ name, ref })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Deletes `branch` locally and on the upstream's remote; missing ones are fine. */
export async function deleteBranch(dir: string, branch: string, options: GitOptions = {}): Promise<void> {
  await runGit(dir, ['branch', '--quiet', '-D', '--', branch], { ...options, okExitCodes: [1] });
  const upstream = await resolveUpstream(dir, options);
  if (upstream === undefined) return;
  await runGit(dir, ['push', '--quiet', '--', upstream.remote, `:refs/heads/${branch}`], { ...options, okExitCodes: [1] });
  await runGit(dir, ['update-ref', '-d', `refs/remotes/${upstream.remote}/${branch}`], { ...options, okExitCodes: [1] });
}

/** The content of `path` at `ref`, or undefined when it is not there. */
export async function fileAt(dir: string, ref: string, path: string, options: GitOptions = {}): Promise<string | undefined> {
  const result = await runGit(dir, ['show', `${ref}:${path}`], { ...options, okExitCodes: [128] });
  return result.exitCode === 0 ? result.stdout : undefined;
}

