import { readdir } from 'node:fs/promises';
import {
  domainFilePath,
  evaluateMergeOrder,
  linkedPullSection,
  MERGE_ORDER_CONTEXT,
  mergeOrderLine,
  mergePlan,
  withLinkedSection,
  WORKTREES_DIR,
  worktreeTrackingPath,
  type ExportWait,
  type GatePull,
  type GatePullState,
  type LinkedPull,
  type MergeOrderState,
  type MergeOrderVerdict,
  type MergePlan,
  type WorktreeFile,
} from '@blue/core';
import { repoFromDomain, type GitHubClient, type PullRequestInfo, type RepoRef } from '@blue/github';
import { currentBranch } from '@blue/git';
import { join } from 'node:path';
import type { BlueContext } from '../context.js';
import { repoClaims, unclaimedOutcome, type RepoClaimCheck } from '../repo-claim.js';
import type { RealmSnapshot } from '../store/realm-files.js';
import { forEachRepo, freshRealm, memberAround, readTracking, requireTracking, saveTracking, type RepoOutcome, type SavedTracking } from './unified.js';

export interface GateChangeInput {
  /** The change's branch (default: the branch at cwd when it is a unified worktree, else every open change of this domain). */
  branch?: string | undefined;
  /** Every unfinished change this domain is part of, whatever the cwd's branch. */
  all?: boolean | undefined;
}

export interface GatePullOutcome extends RepoOutcome {
  /** owner/name on GitHub. */
  repo?: string;
  number?: number;
  url?: string;
  pull_state?: GatePullState;
  /** The head commit the status was checked on. */
  head?: string;
  /** The merge-order check as it is now (for open pull requests). */
  check?: { state: MergeOrderState; description: string; target_url?: string };
  /** Everything it waits for (the description may be cut at 140 characters). */
  waits_for: string[];
  /** True when this run set the status (it differed, or the head moved). */
  status_set: boolean;
  /** True when this run rewrote Blue's part of the body. */
  body_updated: boolean;
}

export interface GatedChange {
  branch: string;
  rfc: string;
  merge_order: string[];
  merge_order_line: string;
  pulls: GatePullOutcome[];
  tracking: { file: string } & SavedTracking;
}

export interface GateChangeResult {
  realm: { name: string; path: string };
  /** This domain (where the command ran). */
  domain: string;
  changes: GatedChange[];
  next_steps: string[];
}

/**
 * Re-evaluates the merge order of a coordinated change (or of every unfinished change this domain
 * is part of) against GitHub and the realm: each open pull request gets the `blue/merge-order`
 * commit status on its current head (set only when it differs, so re-running converges and adds
 * nothing) and Blue's part of its body brought up to date in place; merged and closed pull
 * requests are recorded in the tracking file. A GitHub failure is that pull request's result;
 * the others are still gated.
 */
export async function gateChange(ctx: BlueContext, input: GateChangeInput = {}): Promise<GateChangeResult> {
  const member = await memberAround(ctx);
  const snapshot = await freshRealm(ctx, member.realmPath, `blue realm gate (${member.domain})`);
  const files = await changesToGate(ctx, member.realmPath, member.domain, input);
  let github: Promise<GitHubClient> | undefined;
  const client = (): Promise<GitHubClient> => (github ??= ctx.github());
  const changes: GatedChange[] = [];
  const claimed = repoClaims({ name: snapshot.realm.name, url: member.config.realm.url }, snapshot.domains, 'gating the pull request of');
  for (const file of files) changes.push(await gateTracked(ctx, { realmPath: member.realmPath, snapshot, file, client, claimed }));
  return { realm: { name: snapshot.realm.name, path: member.realmPath }, domain: member.domain, changes, next_steps: gateSteps(changes, files.length === 0) };
}

async function changesToGate(ctx: BlueContext, realmPath: string, domain: string, input: GateChangeInput): Promise<WorktreeFile[]> {
  const branch = input.all === true ? undefined : (input.branch ?? (await currentBranch(ctx.cwd, ctx.git.options)));
  const own = branch === undefined ? undefined : await readTracking(realmPath, branch);
  if (input.branch !== undefined) return [own ?? (await requireTracking(realmPath, input.branch))];
  if (own !== undefined) return [own];
  const names = await readdir(join(realmPath, WORKTREES_DIR)).catch(() => [] as string[]);
  const files: WorktreeFile[] = [];
  for (const name of names.filter((n) => n.endsWith('.yaml')).sort()) {
    const file = await readTracking(realmPath, name.slice(0, -'.yaml'.length));
    if (file !== undefined && file.finished_at === undefined && file.domains.some((d) => d.name === domain)) files.push(file);
  }
  return files;
}

export interface GateTrackedInput {
  realmPath: string;
  snapshot: RealmSnapshot;
  file: WorktreeFile;
  client: () => Promise<GitHubClient>;
  /** Whether each domain's repository belongs to it (repoClaims): Blue writes to none that does not. */
  claimed: RepoClaimCheck;
  /** Pull requests this command just opened or updated (read again otherwise). */
  known?: ReadonlyMap<string, PullRequestInfo>;
}

/** Gates one change (see gateChange); `pr` calls it after opening the pull requests. */
export async function gateTracked(ctx: BlueContext, input: GateTrackedInput): Promise<GatedChange> {
  const { snapshot, file } = input;
  const plan = mergePlan(file.domains.map((d) => d.name), importEdges(snapshot));
  const withPr = file.domains.filter((d) => d.pr !== undefined);
  const repos = new Map<string, RepoRef>();
  const infos = new Map<string, PullRequestInfo>(input.known);
  // 1. Read every pull request (state, merged, head).
  const reads = await forEachRepo(ctx, withPr.map((d) => d.name), async (domain) => {
    const repo = repoFromDomain(snapshot.domains.find((d) => d.name === domain)?.domain ?? { name: domain }, domainFilePath(domain, 'domain.yaml'));
    repos.set(domain, repo);
    if (!infos.has(domain)) infos.set(domain, await (await input.client()).getPullRequest(repo, file.domains.find((d) => d.name === domain)?.pr?.number ?? 0));
    return { domain, status: 'ok', message: 'read' };
  });
  const gatePulls: Record<string, GatePull | undefined> = {};
  for (const d of withPr) {
    const info = infos.get(d.name);
    const tracked: GatePullState = d.status === 'merged' ? 'merged' : d.status === 'abandoned' ? 'closed' : 'open';
    gatePulls[d.name] = { number: d.pr!.number, url: d.pr!.url, state: info === undefined ? tracked : stateOf(info) };
  }
  const verdicts = new Map(evaluateMergeOrder({ plan, pulls: gatePulls, exportWaits: exportWaits(snapshot, file, plan) }).map((v) => [v.domain, v]));
  const links: Record<string, LinkedPull | undefined> = Object.fromEntries(withPr.map((d) => [d.name, d.pr]));

  // 2. Bring each open pull request's status and body up to date.
  const writes = await forEachRepo(ctx, plan.order, async (domain) => {
    const read = reads.find((r) => r.domain === domain);
    if (read?.status === 'failed') return read;
    const info = infos.get(domain);
    const repo = repos.get(domain);
    if (info === undefined || repo === undefined) return { domain, status: 'skipped', message: statusOf(file, domain) === 'awaiting' ? `no pull request yet: waiting for ${ownersOf(file, domain)} to join` : 'no pull request yet' };
    if (info.state === 'closed') return { domain, status: 'skipped', message: info.merged ? `#${info.number} merged` : `#${info.number} closed without merging` };
    const verdict = verdicts.get(domain) as MergeOrderVerdict;
    const body = withLinkedSection(info.body, linkedPullSection({ domain, realm: snapshot.realm.name, file, plan, pulls: links, verdict }));
    const github = await input.client();
    const unclaimed = await unclaimedOutcome(input.claimed, github, repo, domain);
    if (unclaimed !== undefined) return unclaimed;
    const bodyUpdated = body !== info.body;
    if (bodyUpdated) await github.updatePullRequest(repo, info.number, { body });
    const wanted = { state: verdict.state, context: MERGE_ORDER_CONTEXT, description: verdict.description, targetUrl: verdict.target_url ?? info.url };
    const current = (await github.getCommitStatuses(repo, info.headSha)).find((s) => s.context === MERGE_ORDER_CONTEXT);
    const statusSet = current === undefined || current.state !== wanted.state || current.description !== wanted.description || current.targetUrl !== wanted.targetUrl;
    if (statusSet) await github.setCommitStatus(repo, info.headSha, wanted);
    return { domain, status: 'ok', message: `#${info.number} ${verdict.state}: ${verdict.description}${statusSet ? '' : ' (status unchanged)'}`, ...{ bodyUpdated, statusSet } };
  });

  const pulls = writes.map((w): GatePullOutcome => describe(w, infos.get(w.domain), repos.get(w.domain), verdicts.get(w.domain)));
  const finalStates = (from: WorktreeFile): WorktreeFile | undefined => {
    const next: WorktreeFile = {
      ...from,
      domains: from.domains.map((d) => {
        const info = infos.get(d.name);
        if (info === undefined || info.state === 'open' || d.pr?.number !== info.number) return d;
        return { ...d, status: info.merged ? 'merged' : 'abandoned' };
      }),
      coordination: { ...from.coordination, merge_order: plan.order },
    };
    return JSON.stringify(next) === JSON.stringify(from) ? undefined : next;
  };
  const saved = finalStates(file) === undefined ? { pushed: false } : await saveTracking(ctx, input.realmPath, file.name, `worktree ${file.name}: gate ${mergeOrderLine(plan.order, links)}`, (current) => finalStates(current ?? file));
  return { branch: file.name, rfc: file.source_rfc, merge_order: plan.order, merge_order_line: mergeOrderLine(plan.order, links), pulls, tracking: { file: worktreeTrackingPath(file.name), ...saved } };
}

function stateOf(info: PullRequestInfo): GatePullState {
  if (info.state === 'open') return 'open';
  return info.merged ? 'merged' : 'closed';
}

function statusOf(file: WorktreeFile, domain: string): string | undefined {
  return file.domains.find((d) => d.name === domain)?.status;
}

function ownersOf(file: WorktreeFile, domain: string): string {
  const maintainers = file.domains.find((d) => d.name === domain)?.maintainers ?? [];
  return maintainers.length > 0 ? maintainers.join(', ') : `the maintainers of ${domain}`;
}

/** Provider -> consumer for every import in the realm. */
export function importEdges(snapshot: RealmSnapshot): Array<{ from: string; to: string }> {
  return snapshot.domains.flatMap((d) => d.imports.map((i) => ({ from: i.from, to: d.name })));
}

/** For each consumer in the change importing an export its provider's branch changes: what must be published. */
function exportWaits(snapshot: RealmSnapshot, file: WorktreeFile, plan: MergePlan): ExportWait[] {
  const waits: ExportWait[] = [];
  for (const provider of file.domains) {
    for (const changed of provider.exports_changed ?? []) {
      const published = snapshot.domains.find((d) => d.name === provider.name)?.exports.find((e) => e.name === changed.name);
      const versions = published === undefined ? [] : [...new Set([published.version, ...published.changelog.map((c) => c.version)])];
      for (const consumer of plan.order) {
        const entry = snapshot.domains.find((d) => d.name === consumer)?.imports.find((i) => i.from === provider.name && i.contract === changed.name);
        if (entry !== undefined) waits.push({ provider: provider.name, consumer, contract: changed.name, range: entry.version, published_before: changed.published, published: versions });
      }
    }
  }
  return waits;
}

function describe(outcome: RepoOutcome & { bodyUpdated?: boolean; statusSet?: boolean }, info: PullRequestInfo | undefined, repo: RepoRef | undefined, verdict: MergeOrderVerdict | undefined): GatePullOutcome {
  const { bodyUpdated, statusSet, ...base } = outcome;
  const result: GatePullOutcome = { ...base, waits_for: verdict?.waits_for ?? [], status_set: statusSet === true, body_updated: bodyUpdated === true };
  if (repo !== undefined) result.repo = `${repo.owner}/${repo.name}`;
  if (info === undefined) return result;
  Object.assign(result, { number: info.number, url: info.url, pull_state: stateOf(info), head: info.headSha });
  if (info.state === 'open' && verdict !== undefined && outcome.status === 'ok') {
    result.check = { state: verdict.state, description: verdict.description, ...(verdict.target_url === undefined ? {} : { target_url: verdict.target_url }) };
  }
  return result;
}

function gateSteps(changes: readonly GatedChange[], none: boolean): string[] {
  if (none) return ['No unfinished coordinated change includes this domain: start one with blue realm worktree --rfc <name>.'];
  const steps: string[] = [];
  const pulls = changes.flatMap((c) => c.pulls);
  if (pulls.some((p) => p.status === 'failed')) steps.push('Fix what GitHub said for the failed pull requests, then run blue realm gate again: only what differs is set.');
  for (const p of pulls.filter((x) => x.check?.state === 'failure')) steps.push(`${p.domain}#${p.number ?? ''}: ${p.check?.description ?? ''}`);
  const done = changes.filter((c) => c.pulls.every((p) => p.pull_state === 'merged' || p.pull_state === 'closed') && c.pulls.length > 0);
  for (const c of done) steps.push(`Every pull request of ${c.branch} is merged or closed: blue realm done --branch ${c.branch}`);
  if (steps.length === 0) steps.push(`Merge in this order: ${changes.map((c) => c.merge_order_line).join('; ')}; the ${MERGE_ORDER_CONTEXT} check turns green when a pull request's turn comes.`);
  return steps;
}
