import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { BlueError, redactSecrets, REPO_CONFIG_FILE, runsOnCi, sameRemoteUrl, type IndexFile, type RepoConfigFile } from '@blue/core';
import { configValue } from '@blue/git';
import type { BlueContext } from '../context.js';
import { readIndex, updateIndex } from './index-store.js';
import { withFileLock } from './locked-file.js';
import { readRealmFile } from './realm-files.js';
import { stripCredentials } from '../realm-writes.js';

/**
 * Where this machine's clone of a realm is. The realm is known by its URL (`.blue/config.yaml`
 * `realm.url`, the same on every machine); where its clone lives is each machine's business: the
 * user's index, a path hint that is a clone of that URL, or a clone Blue makes in
 * `$BLUE_HOME/realms/<name>/`. Nothing here writes into a tracked file.
 */

/** The URL of the clone's `origin` as configured (never git's insteadOf-rewritten form), or undefined. */
export async function configuredRemoteUrl(ctx: BlueContext, dir: string): Promise<string | undefined> {
  return configValue(dir, 'remote.origin.url', ctx.git.options).catch(() => undefined);
}

/** True when `dir` is a realm clone whose origin is `url`. */
async function isCloneOf(ctx: BlueContext, dir: string, url: string): Promise<boolean> {
  if (!(await stat(join(dir, '.git')).then(() => true, () => false))) return false;
  return sameRemoteUrl(await configuredRemoteUrl(ctx, dir), url);
}

/**
 * This machine's clone of the realm `config` names, for the repo at `repo`: the index's entry for
 * its URL, else the path hint when it is a clone of that URL, else a new clone in
 * `$BLUE_HOME/realms/<name>/` (recorded in the index). Without a URL (a realm with no remote), the
 * path hint as it is, resolved from `mainRepo` when `repo` is a linked worktree whose hint misses.
 */
export async function locateRealmClone(ctx: BlueContext, repo: string, config: RepoConfigFile, mainRepo: string = repo): Promise<string> {
  const { url, path, name } = config.realm;
  if (url === undefined) return pathHint(repo, mainRepo, path ?? '.');
  const index = await readIndex(ctx);
  const clones = index.realms.filter((r) => sameRemoteUrl(r.url, url));
  // The clone this repo was registered with first (several clones of one realm may live on a machine).
  const mine = clones.filter((r) => (r.domains ?? []).some((d) => resolve(ctx.home, d.path) === mainRepo || resolve(ctx.home, d.path) === repo));
  for (const entry of mine) {
    const clone = resolve(ctx.home, entry.path);
    if (await isCloneOf(ctx, clone, url)) return clone;
  }
  if (path !== undefined) {
    for (const hint of new Set([resolve(repo, path), resolve(mainRepo, path)])) {
      if (await isCloneOf(ctx, hint, url)) {
        await recordClone(ctx, { name, url, path: hint });
        return hint;
      }
      await refuseOtherRealm(hint, name);
    }
  }
  for (const entry of clones) {
    const clone = resolve(ctx.home, entry.path);
    if (await isCloneOf(ctx, clone, url)) return clone;
  }
  return cloneRealm(ctx, { name, url });
}

/** REALM_MISMATCH when the path hint holds a realm of another name (a clone of something else is just passed over). */
async function refuseOtherRealm(hint: string, name: string): Promise<void> {
  const other = await readRealmFile(hint).catch(() => undefined);
  if (other === undefined || other.name === name) return;
  throw new BlueError('REALM_MISMATCH', `${REPO_CONFIG_FILE} realm.path leads to ${hint}, a clone of realm "${other.name}", not "${name}".`, {
    hint: `Remove realm.path from ${REPO_CONFIG_FILE} (realm.url is enough: Blue finds or clones the realm itself), or move that folder.`,
  });
}

async function pathHint(repo: string, mainRepo: string, path: string): Promise<string> {
  const here = resolve(repo, path);
  if (repo === mainRepo || (await stat(join(here, '.git')).then(() => true, () => false))) return here;
  return resolve(mainRepo, path);
}

/** Records `clone` as this machine's clone of the realm at `url` in the index (once). */
export async function recordClone(ctx: BlueContext, realm: { name: string; url: string | undefined; path: string }): Promise<void> {
  await updateIndex(ctx, `blue: record the clone of realm ${realm.name}`, (index) => withRealmClone(index, realm));
}

/** The index with the realm clone at `realm.path` carrying `url` (its entry created when missing). */
function withRealmClone(index: IndexFile, realm: { name: string; url: string | undefined; path: string }): IndexFile {
  const existing = index.realms.find((r) => r.path === realm.path);
  const url = stripCredentials(realm.url);
  const entry = { ...existing, name: realm.name, path: realm.path, ...(url === undefined ? {} : { url }) };
  const realms = [...index.realms.filter((r) => r !== existing), entry];
  realms.sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
  return { realms };
}

/**
 * Clones the realm at `url` into `$BLUE_HOME/realms/<name>/` (another folder when that one holds
 * something else), whole or not at all: git clones into a temp folder that is renamed into place,
 * under a lock per URL, so two commands needing the clone at once make one, and a clone killed
 * half-way is never used (its temp folder is removed by the next clone of that URL). With `name`, checks that the clone's realm.yaml names that realm.
 * Returns the clone's path and the realm's name.
 */
export async function cloneRealm(ctx: BlueContext, realm: { name?: string | undefined; url: string }): Promise<string> {
  const base = join(ctx.home, 'realms');
  await mkdir(base, { recursive: true });
  const key = createHash('sha256').update(realm.url).digest('hex').slice(0, 12);
  const shown = redactSecrets(realm.url);
  return withFileLock(ctx, join(base, `.clone-${key}.lock`), `the clone of ${shown}`, `blue: clone realm ${realm.name ?? shown}`, async () => {
    // Another command may have made the clone while this one waited.
    for (const entry of (await readIndex(ctx)).realms.filter((r) => sameRemoteUrl(r.url, realm.url))) {
      if (await isCloneOf(ctx, resolve(ctx.home, entry.path), realm.url)) return resolve(ctx.home, entry.path);
    }
    // Under this lock no other command clones this URL: any temp folder of it is a killed clone's.
    for (const stale of (await readdir(base)).filter((f) => f.startsWith(`.clone-${key}.`) && f.endsWith('.tmp'))) await rm(join(base, stale), { recursive: true, force: true });
    const temp = join(base, `.clone-${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    ctx.progress.report({ target: 'realm', status: 'started', message: `cloning realm ${realm.name ?? ''} from ${shown}`.replace('  ', ' ') });
    try {
      // On a CI runner, only the latest commit (deepened by the commands that read history); git
      // makes shallow clones of a local path only through file://, and origin keeps the URL as given.
      const shallow = runsOnCi(ctx.env);
      const source = shallow && isAbsolute(realm.url) ? `file://${realm.url}` : realm.url;
      const cloned = await ctx.git.run(base, ['clone', '--quiet', '--no-hardlinks', ...(shallow ? ['--depth=1', '--no-single-branch'] : []), '--', source, temp], { okExitCodes: [128] });
      if (cloned.exitCode === 0 && source !== realm.url) await ctx.git.run(temp, ['remote', 'set-url', 'origin', '--', realm.url]);
      if (cloned.exitCode !== 0) {
        throw new BlueError('GIT_FAILED', redactSecrets(`Could not clone the realm ${realm.name === undefined ? '' : `"${realm.name}" `}from ${shown}: ${cloned.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('hint:')).join(' ')}`), {
          hint: `Check the URL (${REPO_CONFIG_FILE} realm.url, or the one you passed), your network and your access to it (a credential helper or SSH key), then run the command again.`,
        });
      }
      const found = await readRealmFile(temp).catch((err: unknown) => {
        throw new BlueError('NOT_IN_REALM', `${shown} is a git repository but not a realm (no realm.yaml).`, { hint: 'Pass the URL of a realm repository (one made with `blue realm init`).', cause: err });
      });
      if (realm.name !== undefined && found.name !== realm.name) {
        throw new BlueError('REALM_MISMATCH', `${shown} holds realm "${found.name}", not "${realm.name}" as ${REPO_CONFIG_FILE} says.`, {
          hint: `Fix realm.url (or realm.name) in ${REPO_CONFIG_FILE}: it must name the realm this repo joined.`,
        });
      }
      let target = join(base, found.name);
      for (let n = 2; await stat(target).then(() => true, () => false); n++) target = join(base, `${found.name}-${n}`);
      await rename(temp, target);
      ctx.progress.report({ target: 'realm', status: 'ok', message: `cloned realm ${found.name} into ${target}` });
      await recordClone(ctx, { name: found.name, url: realm.url, path: target });
      return target;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  });
}
