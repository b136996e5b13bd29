import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlueError, hasErrno } from '@blue/core';
import type { Env, ProgressReporter } from '../context.js';
import { currentProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';

/** Who holds a lock: written into the lock file when it is created, whole (see writeLockFile). */
export interface LockOwner extends ProcessIdentity {
  /** What the holder is doing, for the person who waits: "blue realm sync (aperture)". */
  command: string;
  host: string;
  /** When it took the lock (ISO 8601). */
  since: string;
}

/** A lock this process holds; `release()` is idempotent. */
export interface HeldLock {
  path: string;
  owner: LockOwner;
  release(): Promise<void>;
}

export interface LockOptions {
  /** What the holder is doing, shown to whoever waits. */
  command: string;
  env: Env;
  progress?: ProgressReporter;
  /** What the lock guards, for messages: "the realm clone /x/realm". */
  what: string;
}

/** Default wait for a live holder, overridden by BLUE_LOCK_TIMEOUT_MS. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

/** A lock file with no readable owner is a holder that died between create and write, after this long. */
const UNREADABLE_GRACE_MS = 2_000;

/** The wait for a live holder: BLUE_LOCK_TIMEOUT_MS (ms, 0 = do not wait), else 30 s. */
export function lockTimeoutMs(env: Env): number {
  const raw = env.BLUE_LOCK_TIMEOUT_MS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_LOCK_TIMEOUT_MS;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new BlueError('VALUE_INVALID', `BLUE_LOCK_TIMEOUT_MS=${raw} is not a number of milliseconds.`, { hint: 'Set it to a whole number such as 30000, or unset it.' });
  }
  return Math.floor(value);
}

/**
 * Takes the lock file at `path`, git's way: the file is created exclusively holding its owner
 * (pid, process start time, command), so a second taker fails fast and can name the holder.
 * A holder that is dead (no such process, or the pid now belongs to a process started later) is
 * taken over at once; a live one is waited for up to BLUE_LOCK_TIMEOUT_MS, with one progress
 * event, then REALM_BUSY names its pid and command. Holders in this same process (parallel MCP
 * calls) wait for each other like any other.
 */
export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const owner: LockOwner = { ...currentProcess(), command: options.command, host: hostname(), since: new Date().toISOString() };
  const text = `${JSON.stringify(owner)}\n`;
  const deadline = Date.now() + lockTimeoutMs(options.env);
  let told = false;
  for (let attempt = 0; ; attempt++) {
    if (await createLockFile(path, text)) return heldLock(path, owner, text);
    const holder = await readLockFile(path);
    if (holder === undefined) continue; // released between our try and our read
    if (!(await holderLives(path, holder.owner))) {
      await breakStaleLock(path, holder.text);
      continue;
    }
    if (Date.now() >= deadline) throw busyError(path, options.what, holder.owner);
    if (!told && holder.owner !== undefined) {
      told = true;
      options.progress?.report({ target: 'lock', status: 'started', message: `waiting for pid ${holder.owner.pid} (${holder.owner.command}) to release ${options.what}` });
    }
    await sleep(Math.min(Math.max(0, deadline - Date.now()), 15 + Math.random() * Math.min(200, 20 * (attempt + 1))));
  }
}

function heldLock(path: string, owner: LockOwner, text: string): HeldLock {
  let released = false;
  return {
    path,
    owner,
    async release() {
      if (released) return;
      released = true;
      // Only our own file: a lock someone took over (they judged us dead) is theirs now.
      const current = await readFile(path, 'utf8').catch(() => undefined);
      if (current === text) await rm(path, { force: true });
    },
  };
}

/**
 * Creates `path` holding `text`, whole, or returns false when it exists: the text goes to a
 * private temp file first, which is then hard-linked to `path` (link fails when `path` exists),
 * so nobody ever reads a half-written owner.
 */
async function createLockFile(path: string, text: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    if (hasErrno(err, 'EEXIST')) return false;
    throw err;
  } finally {
    await rm(temp, { force: true });
  }
}

interface LockFile {
  text: string;
  owner: LockOwner | undefined;
}

async function readLockFile(path: string): Promise<LockFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  return { text, owner: parseOwner(text) };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return undefined;
    return {
      pid: value.pid,
      ...(typeof value.start === 'string' ? { start: value.start } : {}),
      command: typeof value.command === 'string' ? value.command : 'unknown command',
      host: typeof value.host === 'string' ? value.host : '',
      since: typeof value.since === 'string' ? value.since : '',
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's holder may still be running. A holder on another host (a clone on a shared
 * disk) cannot be checked and counts as alive. An unreadable lock file (written by something
 * else, or damaged) counts as alive for a short grace, then as dead.
 */
async function holderLives(path: string, owner: LockOwner | undefined): Promise<boolean> {
  if (owner === undefined) {
    const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
    return age < UNREADABLE_GRACE_MS;
  }
  if (owner.host !== '' && owner.host !== hostname()) return true;
  return isProcessAlive(owner);
}

/**
 * Removes a lock whose holder died, unless someone else got there first: under a second lock
 * (`<path>.break`, itself broken when its holder died), the lock is removed only if it still
 * holds the text judged stale, so a lock just taken by a live process is never removed.
 */
async function breakStaleLock(path: string, staleText: string): Promise<void> {
  const breaker = `${path}.break`;
  const owner: LockOwner = { ...currentProcess(), command: 'breaking a stale lock', host: hostname(), since: new Date().toISOString() };
  const text = `${JSON.stringify(owner)}\n`;
  if (!(await createLockFile(breaker, text))) {
    const other = await readLockFile(breaker);
    if (other !== undefined && !(await holderLives(breaker, other.owner))) await rm(breaker, { force: true });
    else await sleep(5 + Math.random() * 20);
    return;
  }
  try {
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === staleText) await rm(path, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

function busyError(path: string, what: string, owner: LockOwner | undefined): BlueError {
  const who = owner === undefined ? 'another process' : `pid ${owner.pid} (${owner.command})${owner.since ? `, since ${owner.since}` : ''}`;
  return new BlueError('REALM_BUSY', `${what} is busy: ${who} holds its lock ${path}.`, {
    hint: 'Wait for it to finish, then run the command again (or raise BLUE_LOCK_TIMEOUT_MS to wait longer). If no such process is running, the lock is taken over by itself on the next run.',
  });
}
