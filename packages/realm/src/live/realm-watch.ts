import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asBlueError, envNumber, HELD_BRANCHES, nextNoticeDue, planMomentNotices, realmFacts, writeFileAtomic, type BlueErrorJson, type RealmFacts } from '@blue/core';
import { fetchBranches, isAncestor, isClean, remoteHeads, resolveCommit, resolveUpstream, runGit } from '@blue/git';
import type { BlueContext, Env } from '../context.js';
import { acquireLock, type HeldLock } from '../store/lock.js';
import { lockRealm } from '../store/realm-lock.js';
import { heldFromRefs, withHeldChanges } from '../store/held-changes.js';
import { domainIn, type RealmSnapshot } from '../store/realm-files.js';
import { readRealm } from '../store/realm-gate.js';
import { fetchTimeoutMs, recordReach, refreshRealmNow, unreachableWarning } from '../store/realm-freshness.js';
import { deliverImpliedNotices, type ImpliedDelivery } from './implied-notices.js';

/** Seconds between two looks at the realm remote (BLUE_WATCH_INTERVAL); 0 turns the watcher off. */
export const DEFAULT_WATCH_INTERVAL_S = 20;

/** BLUE_WATCH_INTERVAL in milliseconds (fractions of a second allowed); 0: no watcher (also under BLUE_OFFLINE=1). */
export function watchIntervalMs(env: Env): number {
  if (env.BLUE_OFFLINE === '1') return 0;
  return Math.round(envNumber(env, 'BLUE_WATCH_INTERVAL', DEFAULT_WATCH_INTERVAL_S) * 1000);
}

/** What this machine's watcher of a realm last did, in `<runtime>/<realm>/watch.json`. */
export interface WatchState {
  /** The process that watches the remote for every session of this realm on this machine. */
  leader_pid: number;
  interval_s: number;
  /** The last look at the remote. */
  checked_at: string;
  /** The last time the remote answered (absent: not since this leader started). */
  reached_at?: string;
  /** The remote branch's tip as last seen. */
  tip?: string;
  /** Why the last look failed (the watcher backs off and tries again). */
  error?: BlueErrorJson;
  /** When the watcher last found the realm's history rewritten (force-pushed). */
  rewritten_at?: string;
}

/** The watcher's file: its state as reported, and what it plans notices from. */
interface WatchFile extends WatchState {
  /** The remote's held breaking-change branches as last listed (`<domain>/<export>@<version>`). */
  held?: string[];
  /** The realm clone's HEAD the notices were last planned from. */
  planned_head?: string;
  /** When the planned notices change by themselves (a grace period's last day): planned again then. */
  due?: string;
}

const STATE_FILE = 'watch.json';
/** The realm's facts as this machine's watcher last saw them (RealmFacts): moments are their changes. */
const FACTS_FILE = 'facts.json';
const LOCK_FILE = 'watch.lock';
/** Backing off while unreachable doubles the wait up to this many times. */
const MAX_BACKOFF_DOUBLINGS = 4;

/** The watcher's last state for the realm whose runtime folder is `runtimeDir`; undefined when none ran. */
export async function readWatchState(runtimeDir: string): Promise<WatchState | undefined> {
  const file = await readWatchFile(runtimeDir);
  if (file === undefined) return undefined;
  const { held: _held, planned_head: _head, due: _due, ...state } = file;
  return state;
}

async function readWatchFile(runtimeDir: string): Promise<WatchFile | undefined> {
  try {
    const value = JSON.parse(await readFile(join(runtimeDir, STATE_FILE), 'utf8')) as Partial<WatchFile>;
    return typeof value.leader_pid === 'number' && typeof value.checked_at === 'string' ? (value as WatchFile) : undefined;
  } catch {
    return undefined;
  }
}

export interface RealmWatchEvents {
  /** Notices the leader found in new realm commits and delivered to this machine's sessions. */
  delivered?(deliveries: ImpliedDelivery[]): void;
  /** The realm's history was rewritten, or the remote could not be reached. */
  warning?(text: string): void;
}

export interface RealmWatch {
  /** True while this process is the machine's watcher of the realm. */
  readonly leading: boolean;
  /** One look now (tests and benchmarks; the timer does the same). */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches the realm remote for every session of this realm on this machine: the sessions that
 * start one elect a leader through a lock file in the realm's runtime folder (pid and start time,
 * taken over when its holder died); every interval (jittered) the leader asks the remote for its
 * tip with one `git ls-remote`, fetches only when it moved, and delivers the notices the new
 * commits imply to this machine's sessions over their sockets. The others try to take over at
 * each interval, so a stopped or killed leader is replaced within two. While the remote is
 * unreachable the leader backs off; nothing here ever blocks a caller. Undefined when
 * BLUE_WATCH_INTERVAL is 0.
 */
export function startRealmWatch(ctx: BlueContext, realm: { name: string; path: string }, runtimeDir: string, events: RealmWatchEvents = {}): RealmWatch | undefined {
  const intervalMs = watchIntervalMs(ctx.env);
  if (intervalMs <= 0) return undefined;
  let lock: HeldLock | undefined;
  let closed = false;
  let failures = 0;
  let caughtUp = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let state: WatchFile | undefined;

  const lead = async (): Promise<HeldLock | undefined> => {
    try {
      return await acquireLock(join(runtimeDir, LOCK_FILE), { command: `blue: watch realm ${realm.name}`, env: { BLUE_LOCK_TIMEOUT_MS: '0' }, what: `the watcher of realm ${realm.name}` });
    } catch (err) {
      if (asBlueError(err).code === 'REALM_BUSY') return undefined;
      throw err;
    }
  };

  const save = async (patch: Partial<WatchFile>): Promise<void> => {
    const previous = state ?? (await readWatchFile(runtimeDir));
    const { error: _error, ...kept } = previous ?? {};
    state = { ...kept, ...patch, leader_pid: process.pid, interval_s: intervalMs / 1000, checked_at: ctx.now().toISOString() };
    if (state.due === undefined) delete state.due;
    await writeFileAtomic(join(runtimeDir, STATE_FILE), `${JSON.stringify(state)}\n`);
  };

  const look = async (): Promise<void> => {
    lock ??= await lead();
    if (lock === undefined) return;
    state ??= await readWatchFile(runtimeDir);
    const upstream = await resolveUpstream(realm.path, ctx.git.options);
    if (upstream?.tracking === undefined) return;
    const mainRef = `refs/heads/${upstream.branch}`;
    let heads: Map<string, string>;
    try {
      // One round trip: the realm's branch, and the branches holding breaking changes for an approver.
      heads = await remoteHeads(realm.path, upstream, [mainRef, `refs/heads/${HELD_BRANCHES}*`], { env: ctx.env, timeoutMs: fetchTimeoutMs(ctx) });
    } catch (err) {
      failures++;
      const error = unreachableWarning(realm.path, err);
      await recordReach(ctx, realm.path, error);
      await save({ error });
      events.warning?.(error.message);
      return;
    }
    failures = 0;
    const tip = heads.get(mainRef);
    const held = heldFromRefs(heads.keys());
    const heldKeys = held.map((h) => `${h.domain}/${h.export}@${h.version}`);
    const known = await resolveCommit(realm.path, upstream.tracking, ctx.git.options);
    const patch: Partial<WatchFile> = { reached_at: ctx.now().toISOString(), held: heldKeys, ...(tip === undefined ? {} : { tip }) };
    if (tip !== undefined && tip !== known) {
      const error = await refreshRealmNow(ctx, realm, upstream);
      if (error !== undefined) {
        await save({ error });
        return;
      }
      if (known !== undefined && !(await isAncestor(realm.path, known, tip, ctx.git.options))) {
        patch.rewritten_at = ctx.now().toISOString();
        await followRewrite(ctx, realm, known, tip);
        events.warning?.(`The history of realm ${realm.name} was rewritten (force-pushed): notices are recomputed from the new history.`);
      }
      caughtUp = false;
    } else {
      await recordReach(ctx, realm.path, undefined);
    }
    const heldMoved = heldKeys.join('\n') !== (state?.held ?? []).join('\n');
    // status reads held changes from the clone's remote-tracking branches: bring them up to date.
    if (heldMoved) await fetchBranches(realm.path, HELD_BRANCHES, ctx.git.options).catch(() => undefined);
    const head = await resolveCommit(realm.path, 'HEAD', ctx.git.options);
    const due = state?.due !== undefined && Date.parse(state.due) <= ctx.now().getTime();
    // Planned again when the remote moved, this clone moved (a command on this machine wrote the
    // realm), the held changes changed, or a grace period entered its last day.
    if (!caughtUp || heldMoved || due || head !== state?.planned_head) {
      // The moments are what changed since this machine's watcher last planned; its first look
      // only notes the realm's facts, so nothing older is told as news.
      const before = await readFacts(runtimeDir);
      const snapshot = await readRealm(ctx, realm.path);
      const after = realmFacts(snapshot.domains);
      const now = ctx.now();
      const imported = held.filter((h) => snapshot.domains.some((d) => d.imports.some((i) => i.from === h.domain && i.contract === h.export)));
      const deliveries = await deliverImpliedNotices(ctx, runtimeDir, snapshot, { held: await withHeldChanges(ctx, realm.path, imported), now, moments: before === undefined ? [] : planMomentNotices(before, after, now) });
      await writeFileAtomic(join(runtimeDir, FACTS_FILE), `${JSON.stringify(after)}\n`);
      const next = nextDue(snapshot, now);
      Object.assign(patch, { planned_head: head, due: next?.toISOString() });
      caughtUp = true;
      if (deliveries.length > 0) events.delivered?.(deliveries);
    }
    await save(patch);
  };

  const tick = (): Promise<void> => {
    running = running.then(look).catch((err: unknown) => events.warning?.(`Watching realm ${realm.name} failed: ${asBlueError(err).message}`));
    return running;
  };

  const schedule = (): void => {
    if (closed) return;
    const backoff = lock === undefined ? 1 : 2 ** Math.min(failures, MAX_BACKOFF_DOUBLINGS);
    const jitter = 0.85 + Math.random() * 0.3;
    timer = setTimeout(() => void tick().finally(schedule), intervalMs * backoff * jitter);
    timer.unref();
  };
  // The first look comes after one interval, as every later one: a session starting never waits
  // on the remote, and its own command (status, sync) has just brought the view up to date.
  schedule();

  return {
    get leading() {
      return lock !== undefined;
    },
    tick,
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
      await lock?.release();
      lock = undefined;
    },
  };
}

/**
 * After a force-push: a clone that held exactly the old remote tip (no realm commits of its own)
 * and is clean follows the new history (`reset --keep`, under the realm lock; the old commits
 * stay in the reflog). Any other clone is left as it is: `blue realm sync` says what to do.
 */
async function followRewrite(ctx: BlueContext, realm: { name: string; path: string }, oldTip: string, newTip: string): Promise<void> {
  const held = await lockRealm(ctx, realm.path, `blue: follow the rewritten realm ${realm.name}`);
  try {
    const head = await resolveCommit(realm.path, 'HEAD', ctx.git.options);
    if (head === oldTip && (await isClean(realm.path, ctx.git.options))) await runGit(realm.path, ['reset', '--quiet', '--keep', newTip], ctx.git.options);
  } finally {
    await held.release();
  }
}

/** The facts this machine's watcher last saw, or undefined when it never looked (or the file is unreadable). */
async function readFacts(runtimeDir: string): Promise<RealmFacts | undefined> {
  try {
    const value = JSON.parse(await readFile(join(runtimeDir, FACTS_FILE), 'utf8')) as Partial<RealmFacts>;
    const lists = [value.members, value.approved, value.resolved];
    return lists.every((l) => Array.isArray(l) && l.every((x) => typeof x === 'string')) ? (value as RealmFacts) : undefined;
  } catch {
    return undefined;
  }
}

/** The earliest moment any member's implied notices change by themselves (nextNoticeDue), after `now`. */
function nextDue(snapshot: RealmSnapshot, now: Date): Date | undefined {
  const graceDays = snapshot.realm.governance.breaking_changes.grace_period_days;
  let due: Date | undefined;
  for (const d of snapshot.domains) {
    const next = nextNoticeDue({ imports: d.imports, exportsOf: (name) => domainIn(snapshot, name)?.exports, graceDays, now });
    if (next !== undefined && (due === undefined || next < due)) due = next;
  }
  return due;
}
