import {
  BlueError,
  defaultPullTitle,
  domainFilePath,
  linkedPullBody,
  mergeOrderLine,
  mergePlan,
  pullLinks,
  worktreeTrackingPath,
  type LinkedPull,
  type MergePlan,
  type WorktreeFile,
} from '@blue/core';
import { repoFromDomain, type GitHubClient, type PullRequestInfo, type RepoRef } from '@blue/github';
import { reviewBranchState, type ReviewBranchState } from '@blue/git';
import type { BlueContext } from '../context.js';
import type { RealmSnapshot } from '../store/realm-files.js';
import { forEachRepo, openUnifiedBranch, repoFinder, saveTracking, worktreePath, type RepoOutcome, type SavedTracking } from './unified.js';

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
  const plan = mergePlan(unified.domains, importEdges(snapshot));
  // Asked for only when a repo has something to open: "nothing to review" needs no token.
  let github: Promise<GitHubClient> | undefined;
  const client = (): Promise<GitHubClient> => (github ??= ctx.github());
  const pulls: Record<string, LinkedPull | undefined> = Object.fromEntries(file.domains.flatMap((d) => (d.pr === undefined ? [] : [[d.name, d.pr]])));
  const opened = new Map<string, { repo: RepoRef; info: PullRequestInfo; created: boolean }>();
  const bodyOf = (domain: string): string => linkedPullBody({ domain, realm: snapshot.realm.name, file, plan, pulls, text: input.body });

  const repoOf = repoFinder(ctx, member, snapshot);
  // 1. Open (or find and update) each pull request, with the links known so far.
  const outcomes = await forEachRepo(ctx, plan.order, async (domain) => {
    const path = worktreePath(await repoOf(domain), branch);
    const state = await reviewBranchState(path, branch, ctx.git.options);
    if (state.ahead === 0) {
      const known = pulls[domain];
      return { domain, status: 'skipped', path, message: `no commits on ${branch} beyond ${state.base}: nothing to review${known ? ` (PR #${known.number} recorded earlier)` : ''}` };
    }
    const repo = repoFromDomain(snapshot.domains.find((d) => d.name === domain)?.domain ?? { name: domain }, domainFilePath(domain, 'domain.yaml'));
    const pushedNote = pushNote(state, branch, domain);
    const ensured = await (await client()).ensurePullRequest(repo, { head: branch, title: input.title ?? defaultPullTitle(file, domain), body: bodyOf(domain), ...(input.draft === undefined ? {} : { draft: input.draft }) });
    ctx.checkpoint('pr:opened');
    pulls[domain] = { number: ensured.value.number, url: ensured.value.url };
    opened.set(domain, { repo, info: ensured.value, created: ensured.created });
    const verb = ensured.created ? 'opened' : ensured.updated ? 'updated' : 'already open';
    return { domain, status: 'ok', path, message: `${verb} PR #${ensured.value.number} into ${ensured.value.base}${pushedNote}` };
  });

  // 2. Now that every number is known, bring the bodies that lack a link up to date.
  const linked = await forEachRepo(ctx, [...opened.keys()], async (domain) => {
    const pr = opened.get(domain) as { repo: RepoRef; info: PullRequestInfo; created: boolean };
    const body = bodyOf(domain);
    if (pr.info.body !== body) pr.info = await (await client()).updatePullRequest(pr.repo, pr.info.number, { body });
    return { domain, status: 'ok', message: 'linked' };
  });
  const results = outcomes.map((o): PullOutcome => describe(o, linked.find((l) => l.domain === o.domain), opened.get(o.domain), plan, pulls));

  const withPulls = (from: WorktreeFile): WorktreeFile | undefined => {
    const next = recordPulls(from, plan, pulls);
    return JSON.stringify(next) === JSON.stringify(from) ? undefined : next;
  };
  const saved = withPulls(file) === undefined ? { pushed: false } : await saveTracking(ctx, member.realmPath, branch, `worktree ${branch}: pull requests ${mergeOrderLine(plan.order, pulls)}`, (current) => withPulls(current ?? file));
  return {
    realm: { name: snapshot.realm.name, path: member.realmPath },
    branch,
    rfc: file.source_rfc,
    pulls: results,
    merge_order: plan.order,
    merge_order_line: mergeOrderLine(plan.order, pulls),
    tracking: { file: worktreeTrackingPath(branch), ...saved },
    next_steps: nextSteps(results, plan, pulls),
  };
}

/** Provider -> consumer for every import in the realm. */
function importEdges(snapshot: RealmSnapshot): Array<{ from: string; to: string }> {
  return snapshot.domains.flatMap((d) => d.imports.map((i) => ({ from: i.from, to: d.name })));
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

function describe(outcome: RepoOutcome, linked: RepoOutcome | undefined, pr: { repo: RepoRef; info: PullRequestInfo; created: boolean } | undefined, plan: MergePlan, pulls: Record<string, LinkedPull | undefined>): PullOutcome {
  const links = pullLinks(outcome.domain, plan, pulls);
  if (pr === undefined) return { ...outcome, ...links };
  const failedLinking = linked?.status === 'failed' ? { status: 'failed' as const, message: `PR #${pr.info.number} is open but its links could not be updated: ${linked.message}`, ...(linked.error ? { error: linked.error } : {}) } : {};
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
  };
}

/** The tracking file with each domain's pull request and the merge order. */
function recordPulls(file: WorktreeFile, plan: MergePlan, pulls: Record<string, LinkedPull | undefined>): WorktreeFile {
  return {
    ...file,
    domains: file.domains.map((d) => {
      const pr = pulls[d.name];
      return pr === undefined ? d : { ...d, pr: { number: pr.number, url: pr.url } };
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
