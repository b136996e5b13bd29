import { isAbsolute } from 'node:path';
import { checkRealmDir, ensureRealmDir, resolveRuntimeDir } from '@blue/ipc';
import { remoteUrl, upstreamOf } from '@blue/git';
import type { BlueContext } from '../context.js';

/**
 * What identifies a realm among the runtime folders of this user: its name plus the URL of the
 * realm clone's remote (so domains using different clones of one realm meet), else the clone's
 * real path.
 */
export async function realmIdentity(ctx: BlueContext, realmPath: string): Promise<string> {
  const upstream = await upstreamOf(realmPath, { env: ctx.env });
  const url = upstream === undefined ? undefined : await remoteUrl(realmPath, upstream.remote, { env: ctx.env });
  if (url === undefined) return realmPath;
  // Non-path URLs are made absolute so the runtime folder never depends on the cwd.
  return isAbsolute(url) ? url : `/${url}`;
}

/**
 * The realm's runtime folder (DESIGN.md departure 2). `create` makes and checks it (0700, owned
 * by this user, not a symlink: else SOCKET_DIR_UNSAFE); without it, nothing is created but what
 * exists of it is checked the same way (readers never trust a folder others can write).
 */
export async function realmRuntimeDir(ctx: BlueContext, realm: { name: string; path: string }, create: boolean): Promise<string> {
  const runtime = resolveRuntimeDir(ctx.env);
  const ref = { name: realm.name, path: await realmIdentity(ctx, realm.path) };
  return create ? ensureRealmDir(runtime, ref) : checkRealmDir(runtime, ref);
}
