import { worktreeTrackingPath, type WorktreeFile } from '@blue/core';
import { pushBranchTo } from '@blue/git';
import type { BlueContext } from '../context.js';
import { forEachRepo, openUnifiedBranch, pendingOutcome, pendingStep, repoFinder, saveTracking, worktreePath, type RepoOutcome, type SavedTracking } from './unified.js';

export interface PushWorktreesInput {
  domains?: readonly string[] | undefined;
  branch?: string | undefined;
}

export interface PushWorktreesResult {
  realm: { name: string; path: string };
  branch: string;
  pushes: Array<RepoOutcome & { head?: string; up_to_date?: boolean }>;
  tracking: { file: string } & SavedTracking;
  next_steps: string[];
}

/**
 * Pushes the unified branch of every repo to its `origin` (never forced; transient failures
 * retried). A rejected push is reported for that repo with git's reason and the others are still
 * pushed; the tracking file marks the pushed domains.
 */
export async function pushWorktrees(ctx: BlueContext, input: PushWorktreesInput = {}): Promise<PushWorktreesResult> {
  const { member, branch, snapshot, file, domains, elsewhere, clones } = await openUnifiedBranch(ctx, input);
  const repoOf = repoFinder(ctx, member, snapshot, clones);
  const heads = new Map<string, { head: string; upToDate: boolean }>();
  const pushed = await forEachRepo(ctx, domains, async (domain) => {
    const path = worktreePath(await repoOf(domain), branch);
    const pushed = await pushBranchTo(path, branch, ctx.git.options);
    ctx.checkpoint('push:repo-pushed');
    heads.set(domain, { head: pushed.head, upToDate: pushed.upToDate });
    return { domain, status: 'ok', path, message: pushed.upToDate ? 'already up to date' : `pushed ${pushed.head.slice(0, 7)} to ${pushed.remote}${pushed.attempts > 1 ? ` after ${pushed.attempts} attempts` : ''}` };
  });
  const pushes = [...pushed, ...elsewhere.map((part) => pendingOutcome(part, branch))];
  const ok = new Set(pushes.filter((p) => p.status === 'ok').map((p) => p.domain));
  const markPushed = (from: WorktreeFile): WorktreeFile | undefined => {
    const next: WorktreeFile = { ...from, domains: from.domains.map((d) => (ok.has(d.name) && d.status === 'active' ? { ...d, status: 'pushed' } : d)) };
    return next.domains.some((d, i) => d.status !== from.domains[i]?.status) ? next : undefined;
  };
  const saved = markPushed(file) !== undefined ? await saveTracking(ctx, member.realmPath, branch, `worktree ${branch}: pushed ${[...ok].join(', ')}`, (current) => markPushed(current ?? file)) : { pushed: false };
  const steps = pushes.some((p) => p.status === 'failed')
    ? ['Fix what the remotes said for the failed repos (e.g. pull --rebase in that worktree), then run blue realm push again.']
    : ['blue realm pr  # open linked pull requests in merge order'];
  if (elsewhere.length > 0) steps.push(pendingStep(elsewhere, branch));
  return {
    realm: { name: snapshot.realm.name, path: member.realmPath },
    branch,
    pushes: pushes.map((p) => {
      const h = heads.get(p.domain);
      return h === undefined ? p : { ...p, head: h.head, up_to_date: h.upToDate };
    }),
    tracking: { file: worktreeTrackingPath(branch), ...saved },
    next_steps: steps,
  };
}
