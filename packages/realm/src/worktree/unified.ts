import { dirname, join, resolve } from 'node:path';
import { asBlueError, BlueError, branchSlug, sameRemoteUrl, shellQuote, REPO_WORKTREES_DIR, readYamlFileIfExists, worktreeTrackingPath, type BlueErrorJson, type IndexFile, type WorktreeFile } from '@blue/core';
import { currentBranch } from '@blue/git';
import type { BlueContext } from '../context.js';
import { realmYamlFile } from '../realm-writes.js';
import { defaultPoolSize, runLimited } from '../run-limited.js';
import { readIndex } from '../store/index-store.js';
import { readMembership, type Membership } from '../store/membership.js';
import type { RealmSnapshot } from '../store/realm-files.js';
import { writeRealm, type PublishResult } from '../store/realm-gate.js';
import { configuredRemoteUrl } from '../store/realm-location.js';

/** What happened in one repo of a unified worktree. */
export interface RepoOutcome {
  domain: string;
  status: 'ok' | 'skipped' | 'failed';
  /** The worktree folder (absent when the domain has no local clone). */
  path?: string;
  /** One line: what was done, or why not. */
  message: string;
  error?: BlueErrorJson;
}

/** The worktree folder of `branch` in a domain repo (DESIGN.md departure 7). */
export function worktreePath(repo: string, branch: string): string {
  return join(repo, REPO_WORKTREES_DIR, branchSlug(branch));
}

/**
 * UNKNOWN_DOMAIN for a domain with no local clone in the user's index (DESIGN.md departure 1),
 * naming how to register one.
 */
function noLocalClone(ctx: BlueContext, realm: { name: string }, domain: string, repoUrl: string | undefined): BlueError {
  return new BlueError('UNKNOWN_DOMAIN', `No local clone of domain "${domain}" is registered on this machine (${join(ctx.home, 'index.yaml')}).`, {
    hint: `Clone it${repoUrl ? ` (git clone ${shellQuote(repoUrl)})` : ''} and run \`blue realm join <path of realm ${realm.name}>\` in the clone (joining again only registers it), then run this again.`,
  });
}

/** A domain's local clone registered on this machine, or undefined (see localClones). */
export type LocalClones = (domain: string) => string | undefined;

/**
 * The local clones of the realm's domains registered on this machine: the index and the realm's
 * remote URL are read once (each lookup of a realm-wide command would otherwise start a
 * `git config`), then each domain is looked up in memory; undefined for a domain with no clone.
 */
export async function localClones(ctx: BlueContext, realm: { name: string; path: string; url?: string | undefined }): Promise<LocalClones> {
  const [{ realms }, url] = await Promise.all([readIndex(ctx), realm.url ?? configuredRemoteUrl(ctx, realm.path)]);
  // Realms are told apart by URL, never by name alone: this clone's entry first, then other
  // clones of the same remote (a realm with no remote: only this clone).
  const same = (r: IndexFile['realms'][number]): boolean => resolve(ctx.home, r.path) === realm.path || (url !== undefined && sameRemoteUrl(r.url, url));
  const entries = realms.filter(same).sort((a, b) => Number(resolve(ctx.home, b.path) === realm.path) - Number(resolve(ctx.home, a.path) === realm.path));
  return (domain) => {
    for (const entry of entries) {
      const clone = entry.domains?.find((d) => d.name === domain);
      if (clone !== undefined) return resolve(ctx.home, clone.path);
    }
    return undefined;
  };
}

/**
 * The member's realm clone as localClones looks it up. Its remote URL is the one the repo's
 * `.blue/config.yaml` names when it names one: readMembership found the clone by it (an index
 * entry or path hint whose origin is that URL, or a clone made from it), so git is not asked again.
 */
function realmOf(member: Membership, snapshot: RealmSnapshot): { name: string; path: string; url: string | undefined } {
  return { name: snapshot.realm.name, path: member.realmPath, url: member.config.realm.url };
}

/** A part of a change whose repo has no clone on this machine: its owner runs it on theirs. */
export interface PendingPart {
  domain: string;
  /** Who to ask: the domain's maintainers. */
  owners: string[];
}

/** A pending part as a per-repo outcome (skipped, not failed: nothing went wrong here). */
export function pendingOutcome(part: PendingPart, branch: string): RepoOutcome {
  const owners = part.owners.length > 0 ? part.owners.join(', ') : `the maintainers of ${part.domain}`;
  return { domain: part.domain, status: 'skipped', message: `pending: no clone on this machine; ${owners} run this part (blue realm worktree --join ${branch})` };
}

/** The next step naming the parts other machines run. */
export function pendingStep(parts: readonly PendingPart[], branch: string): string {
  return `Pending on their owners' machines: ${parts.map((p) => `${p.domain}${p.owners.length > 0 ? ` (${p.owners.join(', ')})` : ''}`).join(', ')}. Each runs blue realm worktree --join ${branch} in their repo, then commit, push and pr there.`;
}

/** Which of `domains` have a clone on this machine, and who owns the others. */
export async function splitByClone(ctx: BlueContext, member: Membership, snapshot: RealmSnapshot, domains: readonly string[], file?: WorktreeFile): Promise<{ here: string[]; elsewhere: PendingPart[]; clones: LocalClones }> {
  const cloneOf = await localClones(ctx, realmOf(member, snapshot));
  const here: string[] = [];
  const elsewhere: PendingPart[] = [];
  for (const domain of domains) {
    const local = domain === member.domain || cloneOf(domain) !== undefined;
    if (local) here.push(domain);
    else elsewhere.push({ domain, owners: file?.domains.find((d) => d.name === domain)?.maintainers ?? snapshot.domains.find((d) => d.name === domain)?.domain.maintainers ?? [] });
  }
  return { here, elsewhere, clones: cloneOf };
}

/**
 * The membership behind ctx.cwd, which may be one of the unified worktrees (whose `.blue/` may
 * not be committed): then the main checkout of its repo is asked.
 */
export async function memberAround(ctx: BlueContext): Promise<Membership> {
  try {
    return await readMembership(ctx);
  } catch (err) {
    const common = await ctx.git.output(ctx.cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir']).catch(() => undefined);
    if (common === undefined) throw err;
    return readMembership({ ...ctx, cwd: dirname(common) });
  }
}

/**
 * The realm as a worktree command starts from: pulled under the realm lock (so tracking files are
 * read fresh), with realm commits an earlier run made but did not push (it was killed, or the
 * remote was unreachable) pushed, since a command whose tracking file is unchanged commits nothing.
 */
export async function freshRealm(ctx: BlueContext, realmPath: string, command: string): Promise<RealmSnapshot> {
  return (await writeRealm(ctx, realmPath, { command }, () => ({ value: undefined }))).snapshot;
}

export async function readTracking(realmPath: string, branch: string): Promise<WorktreeFile | undefined> {
  const label = worktreeTrackingPath(branch);
  return readYamlFileIfExists('worktree', join(realmPath, label), { label, within: realmPath });
}

/** The tracking file of `branch`, or a VALUE_INVALID saying how to start one. */
export async function requireTracking(realmPath: string, branch: string): Promise<WorktreeFile> {
  const file = await readTracking(realmPath, branch);
  if (file === undefined) {
    throw new BlueError('VALUE_INVALID', `Branch "${branch}" is not a unified worktree of this realm (no ${worktreeTrackingPath(branch)}).`, {
      hint: 'Start one with `blue realm worktree --rfc <name>`, then run this from one of its worktrees (or pass --branch).',
    });
  }
  return file;
}

/** What saving a tracking file did: its realm commit, and whether that reached the realm's remote. */
export interface SavedTracking {
  commit?: string;
  pushed: boolean;
  realm_push?: PublishResult;
}

/**
 * Updates the tracking file of `branch` in one realm commit and pushes it. `update` is applied
 * under the realm lock to the file as it is then (another command may have changed it since this
 * one read it); it returns the new file, or undefined for no change.
 */
export async function saveTracking(ctx: BlueContext, realmPath: string, branch: string, message: string, update: (current: WorktreeFile | undefined) => WorktreeFile | undefined): Promise<SavedTracking> {
  const written = await writeRealm(ctx, realmPath, { command: `blue realm worktree ${branch}`, pull: false }, async () => {
    const next = update(await readTracking(realmPath, branch));
    return { value: next, changes: next === undefined ? [] : [realmYamlFile('worktree', worktreeTrackingPath(next.name), next)], message };
  });
  return savedTracking(written);
}

/** What a realm write that saved a tracking file did (its commit, and whether it reached the remote). */
export function savedTracking(written: { commit?: string; publish: PublishResult }): SavedTracking {
  const saved: SavedTracking = { pushed: written.publish.status === 'pushed', realm_push: written.publish };
  if (written.commit !== undefined) saved.commit = written.publish.head ?? written.commit;
  return saved;
}

/**
 * Runs `work` for each domain in a bounded pool, reporting progress; a throw becomes that
 * domain's `failed` outcome, never the others'.
 */
export async function forEachRepo(ctx: BlueContext, domains: readonly string[], work: (domain: string) => Promise<RepoOutcome>): Promise<RepoOutcome[]> {
  const outcomes = new Map<string, RepoOutcome>();
  await runLimited(
    domains.map((domain) => async () => {
      ctx.progress.report({ target: domain, status: 'started' });
      const outcome = await outcomeOf(domain, () => work(domain));
      outcomes.set(domain, outcome);
      reportOutcome(ctx, outcome);
    }),
    defaultPoolSize(),
  );
  return domains.map((d) => outcomes.get(d) as RepoOutcome);
}

/** What `work` for one domain returned, or (a throw) that domain's `failed` outcome. */
export async function outcomeOf<T>(domain: string, work: () => Promise<T>): Promise<T | RepoOutcome> {
  try {
    return await work();
  } catch (err) {
    const error = asBlueError(err).toJSON();
    return { domain, status: 'failed', message: error.message, error };
  }
}

/** Reports a repo's outcome as done. */
export function reportOutcome(ctx: BlueContext, outcome: RepoOutcome): void {
  ctx.progress.report({ target: outcome.domain, status: outcome.status, message: outcome.message });
}

/**
 * The local clone of each domain for one use case: the member's own repo, else from the user's
 * index only (DESIGN.md departure 1; `known`, or localClones read once when first needed), else
 * UNKNOWN_DOMAIN.
 */
export function repoFinder(ctx: BlueContext, member: Membership, snapshot: RealmSnapshot, known?: LocalClones): (domain: string) => Promise<string> {
  const realm = realmOf(member, snapshot);
  let clones: Promise<LocalClones> | undefined = known === undefined ? undefined : Promise.resolve(known);
  return async (domain) => {
    if (domain === member.domain) return member.main;
    const found = (await (clones ??= localClones(ctx, realm)))(domain);
    if (found !== undefined) return found;
    throw noLocalClone(ctx, realm, domain, snapshot.domains.find((d) => d.name === domain)?.domain.repo_url);
  };
}

/** A unified branch as commit, push and pr find it: from the cwd's branch (or the one given). */
export interface UnifiedBranch {
  member: Membership;
  branch: string;
  snapshot: RealmSnapshot;
  file: WorktreeFile;
  /** The domains to work on here: the tracked ones (or the named subset) with a clone on this machine. */
  domains: string[];
  /** The others: pending on their owners' machines. */
  elsewhere: PendingPart[];
  /** The local clones, as read for `domains` (for repoFinder). */
  clones: LocalClones;
}

/**
 * Finds the unified branch checked out at ctx.cwd (or `input.branch`), with the realm pulled
 * fresh and its tracking file read. VALUE_INVALID when the cwd is on no branch or the branch is
 * not a unified worktree; UNKNOWN_DOMAIN for a named domain the worktree does not include.
 */
export async function openUnifiedBranch(ctx: BlueContext, input: { branch?: string | undefined; domains?: readonly string[] | undefined }): Promise<UnifiedBranch> {
  const member = await memberAround(ctx);
  const branch = input.branch ?? (await currentBranch(ctx.cwd, ctx.git.options));
  if (branch === undefined) throw new BlueError('VALUE_INVALID', `${ctx.cwd} is not on a branch.`, { hint: 'Run it from one of the unified worktrees, or pass --branch.' });
  const snapshot = await freshRealm(ctx, member.realmPath, `blue realm ${branch} (${member.domain})`);
  const file = await requireTracking(member.realmPath, branch);
  const { here, elsewhere, clones } = await splitByClone(ctx, member, snapshot, selectDomains(file.domains.map((d) => d.name), input.domains, branch), file);
  return { member, branch, snapshot, file, domains: here, elsewhere, clones };
}

/** The worktree's domains, or the named subset (each must be one of them). */
export function selectDomains(tracked: readonly string[], wanted: readonly string[] | undefined, branch: string): string[] {
  if (wanted === undefined) return [...tracked];
  for (const d of wanted) {
    if (!tracked.includes(d)) {
      throw new BlueError('UNKNOWN_DOMAIN', `The unified worktree ${branch} does not include domain "${d}" (it has ${tracked.join(', ')}).`, {
        hint: `Add it: blue realm worktree --branch ${branch} --rfc <rfc> --domains ${[...tracked, d].join(',')}`,
      });
    }
  }
  return [...new Set(wanted)];
}
