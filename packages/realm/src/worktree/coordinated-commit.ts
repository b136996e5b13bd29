import { BlueError, recordCoordinatedCommit, worktreeTrackingPath, type WorktreeFile } from '@blue/core';
import { commitAllIn } from '@blue/git';
import type { BlueContext } from '../context.js';
import { assertCoordinatedCommitFits } from '../store/write-guard.js';
import { forEachRepo, openUnifiedBranch, pendingOutcome, pendingStep, repoFinder, saveTracking, worktreePath, type RepoOutcome, type SavedTracking } from './unified.js';

export interface CoordinatedCommitInput {
  message: string;
  /** Only these domains (default: every domain of the worktree). */
  domains?: readonly string[] | undefined;
  /** Record the commits as linked when more than one domain committed (default true). */
  link?: boolean | undefined;
  /** The unified branch (default: the branch checked out at ctx.cwd). */
  branch?: string | undefined;
}

export interface CoordinatedCommitResult {
  realm: { name: string; path: string };
  branch: string;
  message: string;
  commits: Array<RepoOutcome & { sha: string | null; files: string[] }>;
  /** False when nothing was committed anywhere (then the tracking file is unchanged). */
  recorded: boolean;
  linked: boolean;
  tracking: { file: string } & SavedTracking;
  next_steps: string[];
}

/**
 * Commits in every worktree of the unified branch that has changes (all changes, `git add -A`),
 * and records the SHAs as one coordinated commit in the realm's tracking file (null where a
 * domain had nothing), linked when more than one domain committed. Nothing anywhere: says so
 * and changes nothing. Re-running after a partial failure commits what is left; SHAs already
 * recorded are not recorded again.
 */
export async function coordinatedCommit(ctx: BlueContext, input: CoordinatedCommitInput): Promise<CoordinatedCommitResult> {
  if (input.message.trim() === '') throw new BlueError('VALUE_INVALID', 'A coordinated commit needs a message.', { hint: 'Pass one with -m "…".' });
  const { member, branch, snapshot, file, domains, elsewhere, clones } = await openUnifiedBranch(ctx, input);
  assertCoordinatedCommitFits(file, input.message, domains);

  const repoOf = repoFinder(ctx, member, snapshot, clones);
  const files = new Map<string, string[]>();
  const shas: Record<string, string | null> = {};
  const done = await forEachRepo(ctx, domains, async (domain) => {
    const path = worktreePath(await repoOf(domain), branch);
    const made = await commitAllIn(path, input.message, ctx.git.options);
    ctx.checkpoint('commit:repo-committed');
    const earlier = made.committed ? undefined : await unrecordedCommit(ctx, path, domain, input.message, file);
    const sha = made.sha ?? earlier?.sha;
    shas[domain] = sha ?? null;
    files.set(domain, made.committed ? made.files : (earlier?.files ?? []));
    if (earlier !== undefined) return { domain, status: 'ok', path, message: `committed ${earlier.sha.slice(0, 7)} by an earlier run that did not record it (${earlier.files.length} file(s))` };
    return made.committed
      ? { domain, status: 'ok', path, message: `committed ${made.sha?.slice(0, 7) ?? ''} (${made.files.length} file(s))` }
      : { domain, status: 'skipped', path, message: 'nothing to commit' };
  });
  const commits = [...done, ...elsewhere.map((part) => pendingOutcome(part, branch))];
  const plan = recordCoordinatedCommit(file, { message: input.message, shas, link: input.link !== false });
  const record = { message: input.message, shas, link: input.link !== false };
  const saved = plan.recorded ? await saveTracking(ctx, member.realmPath, branch, `worktree ${branch}: commit "${input.message.split('\n')[0] ?? ''}" in ${plan.committed.join(', ')}`, (current) => {
    const again = recordCoordinatedCommit(current ?? file, record);
    return again.recorded ? again.file : undefined;
  }) : { pushed: false };
  const steps: string[] = [];
  if (commits.some((c) => c.status === 'failed')) steps.push('Fix the failed repos above, then run the same command again: only what is left is committed.');
  if (plan.recorded) steps.push('blue realm push  # push the branch in every repo');
  if (elsewhere.length > 0) steps.push(pendingStep(elsewhere, branch));
  else if (!commits.some((c) => c.status === 'failed')) steps.push('Nothing to commit in any worktree: edit files first.');
  return {
    realm: { name: snapshot.realm.name, path: member.realmPath },
    branch,
    message: input.message,
    commits: commits.map((c) => ({ ...c, sha: shas[c.domain] ?? null, files: files.get(c.domain) ?? [] })),
    recorded: plan.recorded,
    linked: plan.linked,
    tracking: { file: worktreeTrackingPath(branch), ...saved },
    next_steps: steps,
  };
}

/**
 * The worktree's HEAD when it is a commit with this very message that the tracking file does not
 * record: a run that was killed (or failed) after committing here and before recording. Running
 * the command again records it, as the uninterrupted run would have.
 */
async function unrecordedCommit(ctx: BlueContext, path: string, domain: string, message: string, file: WorktreeFile): Promise<{ sha: string; files: string[] } | undefined> {
  const [sha = '', ...body] = (await ctx.git.output(path, ['log', '-1', '--format=%H%n%B', 'HEAD'])).split('\n');
  if (body.join('\n').trim() !== message.trim()) return undefined;
  if (file.coordination.commits.some((c) => c.shas[domain] === sha)) return undefined;
  const files = (await ctx.git.output(path, ['diff-tree', '--no-commit-id', '--name-only', '-r', '-z', 'HEAD'])).split('\0').filter(Boolean);
  return { sha, files };
}
