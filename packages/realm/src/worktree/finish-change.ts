import { BlueError, domainFilePath, worktreeTrackingPath, type WorktreeFile } from '@blue/core';
import { deleteLocalBranchAt, removeWorktree, currentBranch } from '@blue/git';
import { repoFromDomain, type GitHubClient, type PullRequestInfo } from '@blue/github';
import type { BlueContext } from '../context.js';
import { forEachRepo, freshRealm, memberAround, repoFinder, requireTracking, saveTracking, splitByClone, worktreePath, type RepoOutcome, type SavedTracking } from './unified.js';

export interface FinishChangeInput {
  /** The change's branch (default: the branch at cwd). */
  branch?: string | undefined;
  /** Finish although pull requests are still open (they stay open on GitHub). */
  force?: boolean | undefined;
}

export interface FinishChangeResult {
  realm: { name: string; path: string };
  branch: string;
  /** Pull requests still open when it finished (only with force). */
  left: string[];
  /** This machine's repos: worktree removed, merged local branch deleted. */
  repos: Array<RepoOutcome & { worktree_removed?: boolean; branch_deleted?: boolean }>;
  /** True when this run marked the tracking file finished (false: it already was). */
  finished: boolean;
  tracking: { file: string } & SavedTracking;
  next_steps: string[];
}

/**
 * Finishes a coordinated change once every pull request is merged or closed: removes this
 * machine's worktrees of the branch, deletes each local branch whose pull request was merged at
 * exactly that commit (nothing unmerged is lost), and marks the tracking file finished, keeping it
 * as history. CHANGE_STILL_OPEN, naming what is left, while pull requests are open, unless force.
 * Other machines run it for their own parts; re-running finishes what failed.
 */
export async function finishChange(ctx: BlueContext, input: FinishChangeInput = {}): Promise<FinishChangeResult> {
  const member = await memberAround(ctx);
  const branch = input.branch ?? (await currentBranch(ctx.cwd, ctx.git.options));
  if (branch === undefined) throw new BlueError('VALUE_INVALID', `${ctx.cwd} is not on a branch.`, { hint: 'Pass the change with --branch.' });
  const snapshot = await freshRealm(ctx, member.realmPath, `blue realm done ${branch} (${member.domain})`);
  const file = await requireTracking(member.realmPath, branch);
  let github: Promise<GitHubClient> | undefined;
  const client = (): Promise<GitHubClient> => (github ??= ctx.github());
  const infos = new Map<string, PullRequestInfo>();
  for (const d of file.domains) {
    if (d.pr === undefined) continue;
    const repo = repoFromDomain(snapshot.domains.find((x) => x.name === d.name)?.domain ?? { name: d.name }, domainFilePath(d.name, 'domain.yaml'));
    infos.set(d.name, await (await client()).getPullRequest(repo, d.pr.number));
  }
  const left = [...infos].filter(([, info]) => info.state === 'open').map(([domain, info]) => `${domain}#${info.number}`);
  if (left.length > 0 && input.force !== true) {
    throw new BlueError('CHANGE_STILL_OPEN', `The change on ${branch} still has open pull requests: ${left.join(', ')}.`, {
      hint: `Merge or close them (blue realm gate shows what each waits for), then run this again; or pass --force to finish anyway (they stay open on GitHub).`,
    });
  }
  const mergedAt = (domain: string): string | undefined => {
    const info = infos.get(domain);
    return info?.merged === true ? info.headSha : undefined;
  };
  const { here, clones } = await splitByClone(ctx, member, snapshot, file.domains.map((d) => d.name), file);
  const repoOf = repoFinder(ctx, member, snapshot, clones);
  const repos = new Map<string, { worktree_removed: boolean; branch_deleted: boolean }>();
  const outcomes = await forEachRepo(ctx, here, async (domain) => {
    const repo = await repoOf(domain);
    const path = worktreePath(repo, branch);
    const { removed } = await removeWorktree(repo, path, { ...ctx.git.options, force: input.force === true });
    const sha = mergedAt(domain);
    const deleted = sha === undefined ? false : await deleteLocalBranchAt(repo, branch, sha, ctx.git.options);
    repos.set(domain, { worktree_removed: removed, branch_deleted: deleted });
    const kept = sha === undefined ? 'branch kept (its pull request was not merged)' : deleted ? `branch ${branch} deleted (merged)` : `branch kept (it has commits its merged pull request lacks)`;
    return { domain, status: 'ok', path, message: `${removed ? 'worktree removed' : 'no worktree here'}; ${kept}` };
  });
  const now = ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const finish = (from: WorktreeFile): WorktreeFile | undefined => {
    const domains = from.domains.map((d) => {
      const info = infos.get(d.name);
      return info === undefined || info.state === 'open' ? d : { ...d, status: info.merged ? ('merged' as const) : ('abandoned' as const) };
    });
    const next: WorktreeFile = { ...from, domains, finished_at: from.finished_at ?? now };
    return JSON.stringify(next) === JSON.stringify(from) ? undefined : next;
  };
  const failed = outcomes.some((o) => o.status === 'failed');
  const finishing = !failed && file.finished_at === undefined;
  const saved = failed || finish(file) === undefined ? { pushed: false } : await saveTracking(ctx, member.realmPath, branch, `worktree ${branch}: finished`, (current) => finish(current ?? file));
  const steps = failed
    ? ['Fix the failed repos above (uncommitted changes in a worktree: commit or discard them, or pass --force), then run this again.']
    : [`Done on this machine. Owners of the other parts run blue realm done --branch ${branch} on theirs to remove their worktrees.`];
  return {
    realm: { name: snapshot.realm.name, path: member.realmPath },
    branch,
    left,
    repos: outcomes.map((o) => ({ ...o, ...repos.get(o.domain) })),
    finished: finishing,
    tracking: { file: worktreeTrackingPath(branch), ...saved },
    next_steps: steps,
  };
}
