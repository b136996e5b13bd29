import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { checkRealmDir, ensureRealmDir, resolveRuntimeDir } from '@blue/ipc';
import { gitDirsAt, remoteUrl, upstreamOf } from '@blue/git';
import type { BlueContext, Env } from '../context.js';
import { readHomeCache, writeHomeCache } from '../store/home-cache.js';

/**
 * What identifies a realm among the runtime folders of this user: its name plus the URL of the
 * realm clone's remote (so domains using different clones of one realm meet), else the clone's
 * real path.
 */
export async function realmIdentity(ctx: BlueContext, realmPath: string): Promise<string> {
  // Every status asks, and blue-mcp asks again and again: the answer is kept (in the process, and
  // in $BLUE_HOME/cache for the next process) while nothing it depends on changed (the clone's
  // HEAD and config, the user's and system git config, git's config variables), which costs a few
  // stats instead of two or three git processes.
  const fingerprint = await identityFingerprint(realmPath, ctx.env);
  if (fingerprint === undefined) return askIdentity(ctx, realmPath);
  let loading = savedIdentities.get(ctx.home);
  if (loading === undefined) savedIdentities.set(ctx.home, (loading = loadIdentities(ctx.home)));
  const identities = await loading;
  const known = identities.get(realmPath);
  if (known !== undefined && known.fingerprint === fingerprint) return known.identity;
  const identity = await askIdentity(ctx, realmPath);
  identities.delete(realmPath);
  identities.set(realmPath, { fingerprint, identity });
  while (identities.size > IDENTITIES_KEPT) identities.delete(identities.keys().next().value as string);
  await writeHomeCache(ctx.home, IDENTITIES_CACHE, { format: 1, entries: Object.fromEntries(identities) });
  return identity;
}

type Identities = Map<string, { fingerprint: string; identity: string }>;
/** Per BLUE_HOME (one in a CLI process; tests and servers may use several). */
const savedIdentities = new Map<string, Promise<Identities>>();
const IDENTITIES_KEPT = 64;

const IDENTITIES_CACHE = 'realm-identities';

/** The identities an earlier process saved; a missing or malformed file is an empty cache. */
async function loadIdentities(home: string): Promise<Identities> {
  const identities: Identities = new Map();
  const saved = (await readHomeCache(home, IDENTITIES_CACHE)) as { format?: unknown; entries?: unknown } | undefined;
  if (saved?.format !== 1 || typeof saved.entries !== 'object' || saved.entries === null) return identities;
  for (const [path, entry] of Object.entries(saved.entries as Record<string, { fingerprint?: unknown; identity?: unknown } | null>)) {
    if (typeof entry?.fingerprint === 'string' && typeof entry.identity === 'string') identities.set(path, { fingerprint: entry.fingerprint, identity: entry.identity });
  }
  return identities;
}

/** What the identity depends on, as text; undefined when it cannot be told from files (then git is asked every time). */
async function identityFingerprint(realmPath: string, env: Env): Promise<string | undefined> {
  const dirs = await gitDirsAt(realmPath, env);
  if (dirs === undefined) return undefined;
  const home = env.HOME ?? '';
  const configs = [
    join(dirs.commonDir, 'config'),
    join(dirs.gitDir, 'config.worktree'),
    env.GIT_CONFIG_GLOBAL ?? join(home, '.gitconfig'),
    join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'git', 'config'),
    env.GIT_CONFIG_SYSTEM ?? '/etc/gitconfig',
  ];
  const stamps = await Promise.all(configs.map(async (file) => {
    const stats = await stat(file).catch(() => undefined);
    return stats === undefined ? '-' : `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  }));
  const head = await readFile(join(dirs.gitDir, 'HEAD'), 'utf8').catch(() => undefined);
  if (head === undefined) return undefined;
  const gitVars = Object.keys(env).filter((name) => name.startsWith('GIT_CONFIG')).sort().map((name) => `${name}=${env[name] ?? ''}`);
  return JSON.stringify([head, stamps, gitVars]);
}

async function askIdentity(ctx: BlueContext, realmPath: string): Promise<string> {
  const upstream = await upstreamOf(realmPath, ctx.git.options);
  const url = upstream === undefined ? undefined : await remoteUrl(realmPath, upstream.remote, ctx.git.options);
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
