import { join } from 'node:path';
import { gitDirsAt } from '@blue/git';
import type { BlueContext } from '../context.js';
import { acquireLock } from './lock.js';

/**
 * Read-modify-write of one file Blue rewrites, under that file's lock: `work` reads the file,
 * decides and writes (atomically), while no other Blue process or parallel MCP call can do the
 * same to that file. The write was already atomic; the lock keeps the read from going stale.
 */
export async function withFileLock<T>(ctx: BlueContext, lockPath: string, what: string, command: string, work: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(lockPath, { command, env: ctx.env, progress: ctx.progress, what });
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

/**
 * The lock of a file of code repo `repo` (`.blue/exports.yaml`, `.blue/config.yaml`), kept in
 * the repo's git folder (`blue/locks/`), out of the worktree: a lock never shows as a change.
 */
export async function repoFileLockPath(ctx: BlueContext, repo: string, file: string): Promise<string> {
  const dirs = await gitDirsAt(repo, ctx.env);
  const common = dirs?.commonDir ?? (await ctx.git.output(repo, ['rev-parse', '--path-format=absolute', '--git-common-dir']));
  return join(common, 'blue', 'locks', `${file.replaceAll('/', '+')}.lock`);
}

/** Runs `work` under the lock of `file` of code repo `repo` (see withFileLock). */
export async function withRepoFileLock<T>(ctx: BlueContext, repo: string, file: string, command: string, work: () => Promise<T>): Promise<T> {
  return withFileLock(ctx, await repoFileLockPath(ctx, repo, file), `${file} in ${repo}`, command, work);
}
