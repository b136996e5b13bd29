import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { asBlueError, BlueError, envNumber, redactSecrets, writeFileAtomic, type BlueErrorJson } from '@blue/core';
import { fetchUpstream, gitDirsAt, headFromFiles, isClean, readStoredRefs, resolveUpstream, runGit, type Upstream } from '@blue/git';
import type { BlueContext } from '../context.js';
import { realmGitDir, lockRealm } from './realm-lock.js';
import { configuredRemoteUrl } from './realm-location.js';
import { stripCredentials as stripUrlCredentials } from '../realm-writes.js';

/**
 * How fresh this machine's view of a realm is. A command that reads the realm fetches its remote
 * first when the last fetch on this machine is older than BLUE_FETCH_TTL seconds (default 60):
 * one fetch per TTL per realm clone, shared by every process through a stamp in the clone's git
 * folder, bounded by BLUE_FETCH_TIMEOUT_MS (default 5000). A clone that is only behind is then
 * fast-forwarded (under the realm lock, as a pull would); `--offline` / BLUE_OFFLINE=1 never fetch.
 */
export interface RealmFreshness {
  name: string;
  /** The realm's remote as configured (credentials removed); absent when the clone has none. */
  url?: string;
  path: string;
  /** When this machine last reached the realm's remote (absent: never, or no remote). */
  fetched_at?: string;
  /** Commits on the remote (as of `fetched_at`) this clone does not have. */
  behind: number;
  /** Commits of this clone the remote does not have (unpushed realm writes). */
  ahead: number;
  offline: boolean;
  /** The remote could not be reached: the answer comes from the local view. */
  warning?: BlueErrorJson;
}

const DEFAULT_TTL_S = 60;
const DEFAULT_FETCH_TIMEOUT_MS = 5000;
const STAMP = 'blue-fetch.json';

interface Stamp {
  at: string;
  error?: BlueErrorJson;
}

/** Brings the clone up to its remote when the view is older than the TTL, then says how fresh it is. */
export async function freshenRealm(ctx: BlueContext, realm: { name: string; path: string }, options: { offline?: boolean | undefined } = {}): Promise<RealmFreshness> {
  const offline = options.offline === true || ctx.env.BLUE_OFFLINE === '1';
  const [upstream, url, stamped] = await Promise.all([resolveUpstream(realm.path, ctx.git.options), configuredRemoteUrl(ctx, realm.path), readStamp(ctx, realm.path)]);
  const base = { name: realm.name, path: realm.path, ...(url === undefined ? {} : { url: stripUrlCredentials(url) }), offline };
  if (upstream === undefined) return { ...base, behind: 0, ahead: 0 };
  let stamp = stamped;
  if (!offline && isStale(ctx, stamp)) {
    const lock = await lockRealm(ctx, realm.path, `blue: refresh realm ${realm.name}`);
    try {
      stamp = await readStamp(ctx, realm.path);
      if (isStale(ctx, stamp)) stamp = await fetchAndForward(ctx, realm.path, upstream);
    } finally {
      await lock.release();
    }
  }
  const { behind, ahead } = await divergence(ctx, realm.path, upstream);
  return { ...base, behind, ahead, ...(stamp?.error === undefined ? {} : { warning: stamp.error }), ...(lastReached(stamp) === undefined ? {} : { fetched_at: lastReached(stamp) }) };
}

/**
 * Fetches now, whatever the TTL (the live watcher saw the remote move): under the realm lock,
 * fetch, fast-forward a clean clone that is only behind, stamp.
 */
export async function refreshRealmNow(ctx: BlueContext, realm: { name: string; path: string }, upstream: Upstream): Promise<BlueErrorJson | undefined> {
  const lock = await lockRealm(ctx, realm.path, `blue: refresh realm ${realm.name}`);
  try {
    return (await fetchAndForward(ctx, realm.path, upstream)).error;
  } finally {
    await lock.release();
  }
}

/** Records that the clone just reached its remote (`error` undefined) or failed to. */
export async function stampFetched(ctx: BlueContext, realmPath: string, error: BlueErrorJson | undefined, previous?: Stamp): Promise<Stamp> {
  const at = ctx.now().toISOString();
  // A failed fetch keeps when the remote was last reached, so results can still say so.
  const stamp: Stamp & { reached?: string } = error === undefined ? { at } : { at, error, ...(lastReached(previous) === undefined ? {} : { reached: lastReached(previous) }) };
  await writeFileAtomic(join(await realmGitDir(ctx, realmPath), STAMP), JSON.stringify(stamp)).catch(() => undefined);
  return stamp;
}

/** Records that the live watcher reached the remote (`error` undefined) or failed to, keeping when it last did. */
export async function recordReach(ctx: BlueContext, realmPath: string, error: BlueErrorJson | undefined): Promise<void> {
  await stampFetched(ctx, realmPath, error, await readStamp(ctx, realmPath));
}

/** REALM_UNREACHABLE for a remote that failed (or hung past BLUE_FETCH_TIMEOUT_MS). */
export function unreachableWarning(realmPath: string, err: unknown): BlueErrorJson {
  const blue = asBlueError(err);
  return new BlueError('REALM_UNREACHABLE', redactSecrets(`The realm's remote could not be reached (${blue.message}); this answer comes from the local clone ${realmPath}.`), {
    hint: 'Check your network and your access to the realm remote; run again with --offline to skip the fetch (BLUE_FETCH_TIMEOUT_MS bounds its wait).',
  }).toJSON();
}

function lastReached(stamp: (Stamp & { reached?: string }) | undefined): string | undefined {
  if (stamp === undefined) return undefined;
  return stamp.error === undefined ? stamp.at : stamp.reached;
}

async function readStamp(ctx: BlueContext, realmPath: string): Promise<(Stamp & { reached?: string }) | undefined> {
  try {
    const value = JSON.parse(await readFile(join(await realmGitDir(ctx, realmPath), STAMP), 'utf8')) as Stamp & { reached?: string };
    return typeof value.at === 'string' && !Number.isNaN(Date.parse(value.at)) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isStale(ctx: BlueContext, stamp: Stamp | undefined): boolean {
  if (stamp === undefined) return true;
  const ttl = envNumber(ctx.env, 'BLUE_FETCH_TTL', DEFAULT_TTL_S);
  return ctx.now().getTime() - Date.parse(stamp.at) >= ttl * 1000;
}

/** Under the realm lock: fetch (bounded in time), fast-forward a clean clone that is only behind, stamp. */
async function fetchAndForward(ctx: BlueContext, realmPath: string, upstream: Upstream): Promise<Stamp> {
  const previous = await readStamp(ctx, realmPath);
  const timeoutMs = fetchTimeoutMs(ctx);
  let tip: string | undefined;
  try {
    tip = await fetchUpstream(realmPath, upstream, { env: ctx.env, timeoutMs });
  } catch (err) {
    return stampFetched(ctx, realmPath, unreachableWarning(realmPath, err), previous);
  }
  if (tip !== undefined) {
    const { behind, ahead } = await divergence(ctx, realmPath, upstream);
    if (behind > 0 && ahead === 0 && (await isClean(realmPath, ctx.git.options))) await runGit(realmPath, ['merge', '--ff-only', '--quiet', tip], ctx.git.options);
  }
  return stampFetched(ctx, realmPath, undefined);
}

export function fetchTimeoutMs(ctx: BlueContext): number {
  return envNumber(ctx.env, 'BLUE_FETCH_TIMEOUT_MS', DEFAULT_FETCH_TIMEOUT_MS, 1);
}

/** Commits behind and ahead of the remote-tracking ref (as of the last fetch). */
async function divergence(ctx: BlueContext, realmPath: string, upstream: Upstream): Promise<{ behind: number; ahead: number }> {
  if (upstream.tracking === undefined) return { behind: 0, ahead: 0 };
  // Most often the clone is at its remote-tracking ref: git's files say so without a process.
  if (await atTrackingRef(ctx, realmPath, upstream.tracking)) return { behind: 0, ahead: 0 };
  // One process; a tracking ref that does not exist yet (never fetched) counts as nothing.
  const counts = await ctx.git.output(realmPath, ['rev-list', '--left-right', '--count', `HEAD...${upstream.tracking}`, '--']).catch(() => '0\t0');
  const [ahead = 0, behind = 0] = counts.split(/\s+/).map(Number);
  return { behind, ahead };
}

/** True when the ref files show HEAD at `tracking`, or `tracking` missing (never fetched: nothing to count); false when git must count. */
async function atTrackingRef(ctx: BlueContext, realmPath: string, tracking: string): Promise<boolean> {
  const dirs = await gitDirsAt(realmPath, ctx.git.options.env);
  if (dirs === undefined) return false;
  const [head, refs] = await Promise.all([headFromFiles(dirs).catch(() => undefined), readStoredRefs(dirs.commonDir, [tracking]).catch(() => undefined)]);
  if (head === undefined || refs === undefined) return false;
  const ref = refs.get(tracking);
  return ref === undefined || ('sha' in ref && ref.sha === head);
}

/** What to do about the view itself: an unreachable remote, unpushed realm commits, a clone that could not catch up. */
export function freshnessSteps(view: RealmFreshness): string[] {
  const steps: string[] = [];
  if (view.warning !== undefined) steps.push(`The realm's remote ${view.url ?? ''} could not be reached${view.fetched_at ? ` (last reached ${view.fetched_at})` : ''}: this answer is from the local clone. ${view.warning.hint ?? ''}`.trim());
  if (view.ahead > 0) steps.push(`The realm clone ${view.path} has ${view.ahead} commit(s) its remote does not: blue realm sync pushes them (until then, others do not see them).`);
  if (view.behind > 0) steps.push(`The realm clone ${view.path} is ${view.behind} commit(s) behind its remote and could not fast-forward: blue realm sync rebases and pushes.`);
  return steps;
}

/**
 * Fetches the realm's whole history into a shallow clone (what the history rules of `blue realm
 * check` read), under the realm lock and bounded like a fetch. Undefined when the clone has its
 * history (or now has it); otherwise why it could not be deepened.
 */
export async function deepenRealm(ctx: BlueContext, realmPath: string, options: { offline?: boolean | undefined } = {}): Promise<string | undefined> {
  // git marks a shallow clone with a `shallow` file in its git folder: no process needed to ask.
  if (!(await stat(join(await realmGitDir(ctx, realmPath), 'shallow')).then(() => true, () => false))) return undefined;
  if (options.offline === true || ctx.env.BLUE_OFFLINE === '1') return `the realm clone ${realmPath} is shallow and --offline forbids fetching its history`;
  const lock = await lockRealm(ctx, realmPath, 'blue: fetch the realm history');
  try {
    const deepened = await ctx.git.run(realmPath, ['fetch', '--quiet', '--unshallow', 'origin'], { okExitCodes: [1, 128], timeoutMs: fetchTimeoutMs(ctx) * 6 }).catch((err: unknown) => ({ exitCode: 128, stderr: asBlueError(err).message }));
    return deepened.exitCode === 0 ? undefined : redactSecrets(`the realm clone ${realmPath} is shallow and its history could not be fetched (${deepened.stderr.trim().split('\n')[0] ?? ''})`);
  } finally {
    await lock.release();
  }
}
