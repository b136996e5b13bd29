import { chmod, lstat, mkdir, mkdtemp, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { BlueError, hasErrno, planRealmInit, readYamlFileIfExists, REALM_FILE, writeFileAtomic, type Governance } from '@blue/core';
import { commit, initRepo, userEmail } from '@blue/git';
import type { BlueContext } from './context.js';

export interface InitRealmInput {
  /** Realm name, kebab-case. */
  name: string;
  /** Folder to create the realm in (default: the context's cwd). Created if missing. */
  path?: string | undefined;
}

export interface InitRealmResult {
  realm: { name: string; path: string; version: string; created_at: string };
  /** A new realm's governance: it grants no bots yet. */
  governance: Omit<Governance, 'bots'>;
  /** Files created, relative to the realm. */
  files: string[];
  /** SHA of the realm's first commit. */
  commit: string;
  next_steps: string[];
}

/**
 * Creates a realm: realm.yaml with default governance, domains/, contracts/, CODEOWNERS, a git
 * repository on main and a first commit. The realm is assembled in a temp folder beside the
 * target and moved into place in one rename, so a failure at any step leaves nothing behind.
 */
export async function initRealm(ctx: BlueContext, input: InitRealmInput): Promise<InitRealmResult> {
  const target = resolve(ctx.cwd, input.path ?? '.');
  const creator = await userEmail(ctx.cwd, ctx.git.options).catch(() => undefined);
  const plan = planRealmInit({ name: input.name, now: ctx.now(), creator });
  await assertCanCreateRealm(target);

  const createdParent = await ensureParent(dirname(target));
  // An existing (empty) folder is kept, with its inode, mode, owner, group and setgid bit: the
  // realm is assembled inside it (so new files take its group) and moved up into it.
  const keep = await isFolder(target);
  let staging: string | undefined;
  try {
    const home = keep ? target : dirname(target);
    staging = await writable(() => mkdtemp(join(home, `.blue-init-${plan.realm.name}-`)), home);
    // mkdtemp makes it 0700; a realm is an ordinary folder. Moved up into a kept folder, it keeps
    // what it inherited from it instead (a setgid bit, so every file takes the folder's group).
    if (!keep) await chmod(staging, 0o777 & ~process.umask());
    for (const file of plan.files) await writeFileAtomic(join(staging, file.path), file.content);
    await initRepo(staging, ctx.git.options);
    const sha = await commit(staging, `realm: init ${plan.realm.name}\n\nCreated by blue realm init.`, ctx.git.options);
    if (keep) await moveEntriesUp(staging, target);
    else await writable(() => rename(staging as string, target), dirname(target));
    staging = undefined;
    return {
      realm: { name: plan.realm.name, path: target, version: plan.realm.version, created_at: plan.realm.created_at },
      governance: plan.realm.governance,
      files: plan.files.map((f) => f.path),
      commit: sha,
      next_steps: [
        `Push the realm somewhere your domains can reach: git -C ${target} remote add origin <url> && git -C ${target} push -u origin main`,
        `In each code repo: blue realm join ${target} --as <domain>`,
      ],
    };
  } catch (err) {
    if (staging !== undefined) await rm(staging, { recursive: true, force: true });
    if (createdParent !== undefined) await rm(createdParent, { recursive: true, force: true });
    throw err;
  }
}

/** Refuses a target that is a file, already a realm, or a folder with other things in it. */
async function assertCanCreateRealm(target: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(target);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return;
    if (hasErrno(err, 'ENOTDIR')) throw notADirectory(target);
    throw err;
  }
  if (!stats.isDirectory()) throw notADirectory(target);
  const entries = await readdir(target);
  if (entries.includes(REALM_FILE)) {
    const existing = await readYamlFileIfExists('realm', join(target, REALM_FILE)).catch(() => undefined);
    throw new BlueError('REALM_EXISTS', `A realm${existing?.name ? ` named "${existing.name}"` : ''} already exists at ${target}.`, {
      hint: `Use it as it is (\`blue realm join ${target}\` from a code repo), or pick another --path.`,
    });
  }
  if (entries.length > 0) {
    const shown = entries.slice(0, 3).join(', ');
    throw new BlueError('FOLDER_NOT_EMPTY', `${target} is not empty (${shown}${entries.length > 3 ? ', …' : ''}) and is not a realm.`, {
      hint: 'A realm is its own repository: pass --path with a new or empty folder, e.g. --path ../realm-<name>.',
    });
  }
}

async function isFolder(path: string): Promise<boolean> {
  return lstat(path).then((s) => s.isDirectory(), () => false);
}

/** Moves every entry of `staging` into its parent `target`, then removes `staging`; on failure the moved entries go back. */
async function moveEntriesUp(staging: string, target: string): Promise<void> {
  const moved: string[] = [];
  try {
    for (const name of await readdir(staging)) {
      await rename(join(staging, name), join(target, name));
      moved.push(name);
    }
    await rmdir(staging);
  } catch (err) {
    for (const name of moved.reverse()) await rename(join(target, name), join(staging, name)).catch(() => undefined);
    throw err;
  }
}

function notADirectory(target: string): BlueError {
  return new BlueError('NOT_A_DIRECTORY', `${target} is a file (or lies under one), not a folder.`, {
    hint: 'Pass --path with a new or empty folder for the realm.',
  });
}

/** Creates missing parent folders; returns the topmost one it created, for cleanup on failure. */
async function ensureParent(parent: string): Promise<string | undefined> {
  try {
    return await writable(() => mkdir(parent, { recursive: true }), parent);
  } catch (err) {
    if (hasErrno(err, 'ENOTDIR') || hasErrno(err, 'EEXIST')) throw notADirectory(parent);
    throw err;
  }
}

/** Runs a file-system step, turning permission errors into PATH_NOT_WRITABLE. */
async function writable<T>(step: () => Promise<T>, folder: string): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (hasErrno(err, 'EACCES') || hasErrno(err, 'EPERM') || hasErrno(err, 'EROFS')) {
      throw new BlueError('PATH_NOT_WRITABLE', `Blue may not write in ${folder}.`, {
        hint: 'Pick a folder you can write to with --path, or fix its permissions.',
        cause: err,
      });
    }
    throw err;
  }
}
