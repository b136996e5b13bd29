import { join } from 'node:path';
import { gitDirsAt } from '@blue/git';
import type { BlueContext } from '../context.js';
import { acquireLock, type HeldLock } from './lock.js';

/** This realm clone's lock, in its git folder. */
export async function lockRealm(ctx: BlueContext, realmPath: string, command: string): Promise<HeldLock> {
  return acquireLock(join(await realmGitDir(ctx, realmPath), 'blue-realm.lock'), { command, env: ctx.env, progress: ctx.progress, what: `The realm clone ${realmPath}` });
}

/** The realm clone's git folder (shared by its worktrees), where Blue keeps the clone's lock, journal and fetch stamp. */
export async function realmGitDir(ctx: BlueContext, realmPath: string): Promise<string> {
  const dirs = await gitDirsAt(realmPath, ctx.env);
  return dirs?.commonDir ?? (await ctx.git.output(realmPath, ['rev-parse', '--path-format=absolute', '--git-common-dir']));
}
