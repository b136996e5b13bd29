import {
  BlueError,
  defaultPullTitle,
  domainFilePath,
  linkedPullBody,
  linkedPullSection,
  linkedSectionOf,
  mergeOrderLine,
  mergePlan,
  parseFileOfKind,
  pullLinks,
  REPO_EXPORTS_FILE,
  withLinkedSection,
  worktreeTrackingPath,
  type LinkedPull,
  type MergePlan,
  type WorktreeFile,
} from '@blue/core';
import { repoClaims, unclaimedOutcome } from '../repo-claim.js';
import { repoFromDomain, type GitHubClient, type PullRequestInfo, type RepoRef } from '@blue/github';
import { reviewBranchState, type ReviewBranchState } from '@blue/git';
import type { BlueContext } from '../context.js';
import type { RealmSnapshot } from '../store/realm-files.js';
import { gateTracked, importEdges, type GatePullOutcome } from './gate-change.js';
import { forEachRepo, openUnifiedBranch, pendingOutcome, pendingStep, repoFinder, type PendingPart, saveTracking, worktreePath, type RepoOutcome, type SavedTracking } from './unified.js';

export interface OpenPullRequestsInput {
  /** Title of every pull request (default: per repo, the last coordinated commit's subject). */
  title?: string | undefined;
  /** Text above Blue's links in every body (default: a sentence naming the change). */
  body?: string | undefined;
  /** Open as drafts (true), mark ready (false); absent: new ones ready, existing ones as they are. */
  draft?: boolean | undefined;
  /** The unified branch (default: the branch checked out at ctx.cwd). */
  branch?: string | undefined;
}

export interface PullOutcome extends RepoOutcome {
  /** owner/name on GitHub. */
  repo?: string;
  number?: number;
  url?: string;
  title?: string;
  base?: string;
  draft?: boolean;
  /** True when this run opened it; false when an open one for the branch was updated or kept. */
  created?: boolean;
  /** The other domains' pull requests (`fungal-image-analysis#23`), in merge order. */
  links_to: string[];
  /** The providers' pull requests that must merge first. */
  blocked_by: string[];
  /** The blue/merge-order check set on its head. */
  check?: { state: 'pending' | 'success' | 'failure'; description: string; target_url?: string };
}

export interface OpenPullRequestsResult {
  realm: { name: string; path: string };
  branch: string;
  rfc: string;
  /** One per domain of the worktree, in merge order. */
  pulls: PullOutcome[];
  /** The domains, providers before consumers. */
  merge_order: string[];
  /** `aperture#45 → fungal-image-analysis#23`. */
  merge_order_line: string;
  tracking: { file: string } & SavedTracking;
  next_steps: string[];
}

/**
 * One pull request per domain of a unified worktree (RFC "Coordinated PRs"), through GitHub:
 * the merge order comes from the realm's imports (providers first; a cycle is IMPORT_CYCLE before
 * anything is opened), each body links the others and names the providers it is blocked by, and
 * the numbers, URLs and merge order are recorded in the tracking file. The open pull request of
 * the branch is updated rather than a second one opened, so re-running after a partial failure
 * completes the set. A repo with no commits on the branch is skipped; one whose branch is not on
 * its remote fails with BRANCH_NOT_PUSHED (the others still get theirs).
 */
export async function openPullRequests(ctx: BlueContext, input: OpenPullRequestsInput = {}): Promise<OpenPullRequestsResult> {
  if (input.title?.trim() === '') throw new BlueError('VALUE_INVALID', 'A pull request title cannot be empty.', { hint: 'Leave --title out to use each repo\'s last coordinated commit message.' });
  const unified = await openUnifiedBranch(ctx, { branch: input.branch });
  const { member, branch, snapshot, file } = unified;
  // The whole change, also the parts on other machines: links and order span every repo.
  const plan = mergePlan([...unified.domains, ...unified.elsewhere.map((p) => p.domain)], importEdges(snapshot));
  // Asked for only when a repo has something to open: "nothing to review" needs no token.
  let github: Promise<GitHubClient> | undefined;
  const client = (): Promise<GitHubClient> => (github ??= ctx.github());
  const pulls: Record<string, LinkedPull | undefined> = Object.fromEntries(file.domains.flatMap((d) => (d.pr === undefined ? [] : [[d.name, d.pr]])));
  const opened = new Map<string, { repo: RepoRef; info: PullRequestInfo; created: boolean }>();
  const changedExports = new Map<string, string[]>();
  const sectionOf = (domain: string): string => linkedPullSection({ domain, realm: snapshot.realm.name, file, plan, pulls });

  const repoOf = repoFinder(ctx, member, snapshot, unified.clones);
  // Blue opens and edits pull requests only in repositories that belong to their domains.
  const claimed = repoClaims({ name: snapshot.realm.name, url: member.config.realm.url }, snapshot.domains, 'opening a pull request for');
  const elsewhere = new Map(unified.elsewhere.map((p) => [p.domain, p]));
  // 1. Open (or find and update) the pull request of each part on this machine; a title or text
  // a person set is kept unless --title / --body replace it: Blue rewrites only its own part.
  const outcomes = await forEachRepo(ctx, plan.order, async (domain) => {
    const pending = elsewhere.get(domain);
    if (pending !== undefined) return awaitingOutcome(pending, branch, pulls);
    const path = worktreePath(await repoOf(domain), branch);
    const state = await reviewBranchState(path, branch, ctx.git.options);
    if (state.ahead === 0) {
      const known = pulls[domain];
      return { domain, status: 'skipped', path, message: `no commits on ${branch} beyond ${state.base}: nothing to review${known ? ` (PR #${known.number} recorded earlier)` : ''}` };
    }
    const repo = repoFromDomain(snapshot.domains.find((d) => d.name === domain)?.domain ?? { name: domain }, domainFilePath(domain, 'domain.yaml'));
    const pushedNote = pushNote(state, branch, domain);
    changedExports.set(domain, await exportsChangedOn(ctx, path, branch, state.base));
    const unclaimed = await unclaimedOutcome(claimed, await client(), repo, domain);
    if (unclaimed !== undefined) return { ...unclaimed, path };
    const ensured = await (await client()).ensurePullRequest(repo, {
      head: branch,
      title: input.title ?? defaultPullTitle(file, domain),
      body: linkedPullBody({ domain, realm: snapshot.realm.name, file, plan, pulls, text: input.body }),
      existing: (current) => ({ title: input.title ?? current.title, body: input.body === undefined ? current.body : withLinkedSection(current.body, linkedSectionOf(current.body) ?? sectionOf(domain), input.body) }),
      ...(input.draft === undefined ? {} : { draft: input.draft }),
    });
    ctx.checkpoint('pr:opened');
    pulls[domain] = { number: ensured.value.number, url: ensured.value.url };
    opened.set(domain, { repo, info: ensured.value, created: ensured.created });
    const verb = ensured.created ? 'opened' : ensured.updated ? 'updated' : 'already open';
    return { domain, status: 'ok', path, message: `${verb} PR #${ensured.value.number} into ${ensured.value.base}${pushedNote}` };
  });

  const withPulls = (from: WorktreeFile): WorktreeFile | undefined => {
    const next = recordPulls(from, plan, pulls, changedExports, snapshot);
    return JSON.stringify(next) === JSON.stringify(from) ? undefined : next;
  };
  const recorded = withPulls(file) ?? file;
  const saved = recorded === file ? { pushed: false } : await saveTracking(ctx, member.realmPath, branch, `worktree ${branch}: pull requests ${mergeOrderLine(plan.order, pulls)}`, (current) => withPulls(current ?? file));
  // 2. Now that every number is known: links, order and the blue/merge-order check on every
  // pull request of the change (also those opened on other machines).
  const gated = Object.values(pulls).some((p) => p !== undefined)
    ? await gateTracked(ctx, { realmPath: member.realmPath, snapshot, file: recorded, client, claimed, known: new Map([...opened].map(([d, o]) => [d, o.info])) })
    : undefined;
  const results = outcomes.map((o): PullOutcome => describe(o, gated?.pulls.find((g) => g.domain === o.domain), opened.get(o.domain), plan, pulls));
  return {
    realm: { name: snapshot.realm.name, path: member.realmPath },
    branch,
    rfc: file.source_rfc,
    pulls: results,
    merge_order: plan.order,
    merge_order_line: mergeOrderLine(plan.order, pulls),
    tracking: { file: worktreeTrackingPath(branch), ...(gated?.tracking.commit !== undefined ? gated.tracking : saved) },
    next_steps: [...nextSteps(results, plan, pulls), ...(unified.elsewhere.some((p) => pulls[p.domain] === undefined) ? [pendingStep(unified.elsewhere.filter((p) => pulls[p.domain] === undefined), branch)] : [])],
  };
}

/** A part run on its owner's machine: its pull request when it has one, else pending with who owns it. */
function awaitingOutcome(part: PendingPart, branch: string, pulls: Record<string, LinkedPull | undefined>): RepoOutcome {
  const known = pulls[part.domain];
  return known ? { domain: part.domain, status: 'skipped', message: `PR #${known.number} is opened on its owner's machine` } : pendingOutcome(part, branch);
}

/**
 * The exports the branch changes in the repo's `.blue/exports.yaml` (declared differently than
 * where it forked from the default branch), by name.
 */
async function exportsChangedOn(ctx: BlueContext, path: string, branch: string, base: string): Promise<string[]> {
  const baseRef = (await ctx.git.output(path, ['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${base}`]).catch(() => '')) || base;
  const fork = await ctx.git.output(path, ['merge-base', baseRef, branch]).catch(() => undefined);
  if (fork === undefined) return [];
  const declared = async (ref: string): Promise<Map<string, string>> => {
    const text = await ctx.git.output(path, ['show', `${ref}:${REPO_EXPORTS_FILE}`]).catch(() => undefined);
    if (text === undefined || text.trim() === '') return new Map();
    const parsed = parseFileOfKind('repo-exports', text, `${ref}:${REPO_EXPORTS_FILE}`);
    return new Map(parsed.exports.map((e) => [e.name, JSON.stringify(e)]));
  };
  const [before, after] = await Promise.all([declared(fork), declared(branch)]);
  return [...after].filter(([name, text]) => before.get(name) !== text).map(([name]) => name).sort();
}

/**
 * BRANCH_NOT_PUSHED unless the remote has the branch; a note when the remote's branch is not the
 * local one (the pull request shows what the remote has).
 */
function pushNote(state: ReviewBranchState, branch: string, domain: string): string {
  if (state.remote === undefined) {
    throw new BlueError('BRANCH_NOT_PUSHED', `${domain}'s remote has no branch ${branch}, so a pull request cannot show it.`, {
      hint: 'Push it first: blue realm push (from any of the worktrees), then run blue realm pr again.',
    });
  }
  return state.local !== undefined && state.local !== state.remote ? ` (the remote's ${branch} differs from the local one: blue realm push to update it)` : '';
}

function describe(outcome: RepoOutcome, gated: GatePullOutcome | undefined, pr: { repo: RepoRef; info: PullRequestInfo; created: boolean } | undefined, plan: MergePlan, pulls: Record<string, LinkedPull | undefined>): PullOutcome {
  const links = pullLinks(outcome.domain, plan, pulls);
  const check = gated?.check === undefined ? {} : { check: gated.check };
  if (pr === undefined) return { ...outcome, ...links, ...check };
  const failedLinking = gated?.status === 'failed' ? { status: 'failed' as const, message: `PR #${pr.info.number} is open but its links or merge check could not be updated: ${gated.message}`, ...(gated.error ? { error: gated.error } : {}) } : {};
  return {
    ...outcome,
    ...failedLinking,
    repo: `${pr.repo.owner}/${pr.repo.name}`,
    number: pr.info.number,
    url: pr.info.url,
    title: pr.info.title,
    base: pr.info.base,
    draft: pr.info.draft,
    created: pr.created,
    ...links,
    ...check,
  };
}

/**
 * The tracking file with each domain's pull request, the merge order, and the exports each
 * domain's branch changes with the version published before (recorded once: a later run must
 * not move what the merge-order check waits for).
 */
function recordPulls(file: WorktreeFile, plan: MergePlan, pulls: Record<string, LinkedPull | undefined>, changed: ReadonlyMap<string, readonly string[]>, snapshot: RealmSnapshot): WorktreeFile {
  return {
    ...file,
    domains: file.domains.map((d) => {
      const pr = pulls[d.name];
      const known = new Set(d.exports_changed?.map((e) => e.name));
      const fresh = (changed.get(d.name) ?? []).filter((name) => !known.has(name));
      const published = (name: string): string | null => snapshot.domains.find((x) => x.name === d.name)?.exports.find((e) => e.name === name)?.version ?? null;
      const exportsChanged = fresh.length === 0 ? d.exports_changed : [...(d.exports_changed ?? []), ...fresh.map((name) => ({ name, published: published(name) }))];
      return { ...d, ...(pr === undefined ? {} : { pr: { number: pr.number, url: pr.url } }), ...(exportsChanged === undefined ? {} : { exports_changed: exportsChanged }) };
    }),
    coordination: { ...file.coordination, merge_order: plan.order },
  };
}

function nextSteps(results: readonly PullOutcome[], plan: MergePlan, pulls: Record<string, LinkedPull | undefined>): string[] {
  const steps: string[] = [];
  if (results.some((r) => r.status === 'failed')) steps.push('Fix the failed repos above, then run blue realm pr again: open pull requests are updated, never duplicated.');
  if (results.some((r) => r.status === 'skipped')) steps.push('Repos without commits on the branch get no pull request; commit there (blue realm commit), push, and run blue realm pr again.');
  const [first] = plan.order.filter((d) => pulls[d] !== undefined);
  if (first !== undefined) steps.push(`Merge in this order: ${mergeOrderLine(plan.order, pulls)} (start with ${first}).`);
  return steps;
}
