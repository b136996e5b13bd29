import { join } from 'node:path';
import { BlueError, REALM_FILE } from '@blue/core';
import { findRepoRoot } from '@blue/git';
import { stat } from 'node:fs/promises';
import type { BlueContext } from '../context.js';
import { readMembership, type Membership } from './membership.js';

/** The realm to act on: the realm repo around cwd itself, or the realm of the member repo around cwd. */
export async function locateRealm(ctx: BlueContext): Promise<{ realmPath: string; member?: Membership }> {
  const root = await findRepoRoot(ctx.cwd, ctx.git.options);
  if (root !== undefined && (await stat(join(root, REALM_FILE)).then((s) => s.isFile(), () => false))) {
    return { realmPath: root };
  }
  try {
    const member = await readMembership(ctx);
    return { realmPath: member.realmPath, member };
  } catch (err) {
    if (err instanceof BlueError && (err.code === 'NOT_IN_REALM' || err.code === 'NOT_A_REPO')) {
      throw new BlueError('NOT_IN_REALM', `${ctx.cwd} is neither a realm nor a domain of one.`, {
        hint: 'Run it inside a realm repo or a repo that joined one (`blue realm join <realm>`), or pass --cwd.',
      });
    }
    throw err;
  }
}
