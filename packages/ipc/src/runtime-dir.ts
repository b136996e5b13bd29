import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BlueError, hasErrno } from '@blue/core';

export type Env = Record<string, string | undefined>;

/**
 * The longest socket path (in bytes) that works everywhere: macOS and the BSDs keep 104 bytes for
 * `sun_path` including the terminating NUL. Node 20 truncates longer paths without a word.
 */
export const SOCKET_PATH_MAX_BYTES = 103;

/** Length of the hex hashes used for realm folders and socket names. */
export const HASH_LENGTH = 12;

/** The realm a runtime folder belongs to: its name and the realm clone's folder on this machine. */
export interface RealmRef {
  name: string;
  path: string;
}

export interface DirCheckOptions {
  /** The uid that must own the folder; default: this process's uid. */
  uid?: number;
}

/** The current uid; 0 where the platform has none (sockets and modes are POSIX-only anyway). */
export function currentUid(): number {
  return process.getuid?.() ?? 0;
}

/** POSIX temp folder from `env` (as `os.tmpdir()` computes it, but from the given environment). */
function tmpDirFrom(env: Env): string {
  const dir = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/**
 * Where this user's sockets, session index and inboxes live: `$BLUE_RUNTIME_DIR`, else
 * `$XDG_RUNTIME_DIR/blue`, else `<tmpdir>/blue-<uid>`. Pure: nothing is created or checked.
 */
export function resolveRuntimeDir(env: Env = process.env, uid: number = currentUid()): string {
  if (env.BLUE_RUNTIME_DIR) return resolve(env.BLUE_RUNTIME_DIR);
  if (env.XDG_RUNTIME_DIR) return join(resolve(env.XDG_RUNTIME_DIR), 'blue');
  return join(tmpDirFrom(env), `blue-${uid}`);
}

/** `HASH_LENGTH` hex characters of the sha256 of `text`. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/** The realm's folder name inside the runtime folder: a short hash of its name and path. */
export function realmKey(realm: RealmRef): string {
  return shortHash(`${realm.name}\0${realm.path}`);
}

function unsafe(dir: string, problem: string, hint: string): BlueError {
  return new BlueError('SOCKET_DIR_UNSAFE', `The runtime folder ${dir} ${problem}; Blue will not put session sockets there.`, { hint });
}

const OTHER_DIR_HINT = 'Set BLUE_RUNTIME_DIR to a folder only you can use (Blue creates it with mode 0700), or remove this one.';

/**
 * Creates `dir` (mode 0700, parents included) when it is missing, then checks it is safe to hold
 * sockets: not a symlink, a folder, owned by this user, and closed to group and others. Existing
 * folders are never chmod-ed: a folder that is open to others is refused, not repaired.
 * Throws SOCKET_DIR_UNSAFE (or NOT_A_DIRECTORY). Returns `dir`, resolved.
 */
export async function ensureRuntimeDir(dir: string, options: DirCheckOptions = {}): Promise<string> {
  const path = resolve(dir);
  let stats = await lstatIfExists(path);
  if (stats === undefined) {
    try {
      await mkdir(path, { recursive: true, mode: 0o700 });
    } catch (err) {
      if (hasErrno(err, 'EACCES') || hasErrno(err, 'EPERM') || hasErrno(err, 'EROFS')) {
        throw new BlueError('PATH_NOT_WRITABLE', `Blue cannot create the runtime folder ${path}.`, { hint: OTHER_DIR_HINT, cause: err });
      }
      if (hasErrno(err, 'ENOTDIR') || hasErrno(err, 'EEXIST')) {
        throw new BlueError('NOT_A_DIRECTORY', `The runtime folder ${path} cannot be created: a file is in the way.`, { hint: OTHER_DIR_HINT, cause: err });
      }
      throw err;
    }
    stats = await lstat(path);
  }
  return assertSafeDir(path, stats, options);
}

/**
 * Checks an existing runtime folder as ensureRuntimeDir does, without creating a missing one
 * (nothing to read there then). Throws SOCKET_DIR_UNSAFE (or NOT_A_DIRECTORY). Returns `dir`, resolved.
 */
export async function checkRuntimeDir(dir: string, options: DirCheckOptions = {}): Promise<string> {
  const path = resolve(dir);
  const stats = await lstatIfExists(path);
  return stats === undefined ? path : assertSafeDir(path, stats, options);
}

function assertSafeDir(path: string, stats: Stats, options: DirCheckOptions): string {
  if (stats.isSymbolicLink()) throw unsafe(path, 'is a symbolic link', 'Remove the link, or set BLUE_RUNTIME_DIR to a real folder only you can use.');
  if (!stats.isDirectory()) throw new BlueError('NOT_A_DIRECTORY', `The runtime folder ${path} is not a folder.`, { hint: OTHER_DIR_HINT });
  const uid = options.uid ?? currentUid();
  if (stats.uid !== uid) throw unsafe(path, `is owned by uid ${stats.uid}, not by you (uid ${uid})`, OTHER_DIR_HINT);
  const mode = stats.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw unsafe(path, `has mode ${mode.toString(8).padStart(4, '0')}: group or others can use it`, `Run \`chmod 700 ${path}\`, or set BLUE_RUNTIME_DIR to another folder.`);
  }
  return path;
}

async function lstatIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** The realm clone's folder with symlinks resolved, so every session of a realm agrees on it. */
async function canonicalPath(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return resolve(path);
    throw err;
  }
}

/**
 * The realm's runtime folder, without creating or checking anything: for readers (`blue status`
 * reading the inbox) that would rather find nothing than create folders. The realm path is
 * canonicalised (realpath) exactly as `ensureRealmDir` does.
 */
export async function locateRealmDir(runtimeDir: string, realm: RealmRef): Promise<string> {
  return join(resolve(runtimeDir), realmKey({ name: realm.name, path: await canonicalPath(realm.path) }));
}

/**
 * The realm's runtime folder for readers: created nowhere, but every part of it that exists (the
 * runtime folder, the realm's folder, `sessions/`, `inbox/`) is checked as ensureRealmDir checks
 * it, so session records and notices are never read from a folder someone else can write.
 */
export async function checkRealmDir(runtimeDir: string, realm: RealmRef, options: DirCheckOptions = {}): Promise<string> {
  await checkRuntimeDir(runtimeDir, options);
  const realmDir = await checkRuntimeDir(await locateRealmDir(runtimeDir, realm), options);
  await checkRuntimeDir(join(realmDir, SESSIONS_DIR), options);
  await checkRuntimeDir(join(realmDir, INBOX_DIR), options);
  return realmDir;
}

/** Sub-folders of a realm's runtime folder. */
export const SESSIONS_DIR = 'sessions';
export const INBOX_DIR = 'inbox';

/**
 * Checks the runtime folder, then creates and checks `<runtime>/<realm-key>/` with its
 * `sessions/` and `inbox/` folders. The realm path is canonicalised (realpath) before hashing.
 * Returns the realm's runtime folder, the `realmDir` every other function takes.
 */
export async function ensureRealmDir(runtimeDir: string, realm: RealmRef, options: DirCheckOptions = {}): Promise<string> {
  await ensureRuntimeDir(runtimeDir, options);
  const realmDir = await ensureRuntimeDir(await locateRealmDir(runtimeDir, realm), options);
  await ensureRuntimeDir(join(realmDir, SESSIONS_DIR), options);
  await ensureRuntimeDir(join(realmDir, INBOX_DIR), options);
  // Fail now, not at the first listen, when the runtime folder is too deep for socket paths.
  socketPathFor(realmDir, 'probe');
  return realmDir;
}

/**
 * Throws SOCKET_DIR_UNSAFE when `path` does not fit `SOCKET_PATH_MAX_BYTES` (Node would truncate
 * it silently and the socket would be unreachable under its recorded name).
 */
export function assertSocketPathFits(path: string): void {
  const bytes = Buffer.byteLength(path);
  if (bytes <= SOCKET_PATH_MAX_BYTES) return;
  throw new BlueError(
    'SOCKET_DIR_UNSAFE',
    `The socket path ${path} is ${bytes} bytes long; Unix sockets need at most ${SOCKET_PATH_MAX_BYTES}.`,
    { hint: 'Set BLUE_RUNTIME_DIR to a shorter folder, for example /tmp/blue-$(id -u).' },
  );
}

/** `<realmDir>/<hash of the session id>.sock`, checked to fit. */
export function socketPathFor(realmDir: string, sessionId: string): string {
  const path = join(realmDir, `${shortHash(sessionId)}.sock`);
  assertSocketPathFits(path);
  return path;
}
