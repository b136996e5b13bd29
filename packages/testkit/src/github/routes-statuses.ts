// Commit statuses (issue 22: the `blue/merge-order` check) and merging a pull request as a person
// would on GitHub. Kept apart from the issue and pull routes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { branchSha } from './remote.js';
import { nodeId, repoJson, timestamp, userJson, type UrlBase } from './shapes.js';
import { bodyObject, openIssueCount, requireRepo, validationFailed, type RouteContext, type RouteHandler } from './routes-common.js';
import type { IssueRecord, StandInStore, StatusRecord } from './store.js';

const exec = promisify(execFile);
const STATES = ['error', 'failure', 'pending', 'success'] as const;

function statusJson(status: StatusRecord, base: UrlBase): Record<string, unknown> {
  const { repo } = status;
  return {
    url: `${base.api}/repos/${repo.owner}/${repo.name}/statuses/${status.sha}`,
    avatar_url: `${base.web}/avatars/${status.creator}`,
    id: status.id,
    node_id: nodeId('SC_', status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: timestamp(status.createdAt),
    updated_at: timestamp(status.createdAt),
  };
}

/** Resolves a ref (sha, or branch of the repo's bare remote) to the sha statuses are kept under. */
async function refSha(ctx: RouteContext, ref: string): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(ref)) return ref;
  const repo = requireRepo(ctx);
  const sha = repo.remote ? await branchSha(repo.remote, ref) : undefined;
  return sha ?? ref;
}

const createStatus: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  const body = bodyObject(ctx);
  const state = body.state as StatusRecord['state'];
  if (!STATES.includes(state)) throw validationFailed([{ resource: 'Status', field: 'state', code: 'invalid' }]);
  const status: StatusRecord = {
    id: ctx.store.nextId(),
    repo,
    sha: ctx.params.sha ?? '',
    state,
    context: typeof body.context === 'string' && body.context !== '' ? body.context : 'default',
    description: typeof body.description === 'string' ? body.description : null,
    targetUrl: typeof body.target_url === 'string' ? body.target_url : null,
    creator: ctx.actor,
    createdAt: ctx.now(),
  };
  ctx.store.statuses.push(status);
  return { status: 201, body: { ...statusJson(status, ctx.base), creator: userJson(ctx.actor, ctx.base) } };
};

/** The newest status per context, newest first (GitHub's combined view). */
export function latestStatuses(store: StandInStore, repoKey: string, sha: string): StatusRecord[] {
  const seen = new Set<string>();
  const out: StatusRecord[] = [];
  for (const s of [...store.statuses].reverse()) {
    if (`${s.repo.owner}/${s.repo.name}`.toLowerCase() !== repoKey.toLowerCase() || s.sha !== sha || seen.has(s.context)) continue;
    seen.add(s.context);
    out.push(s);
  }
  return out;
}

function combinedState(statuses: readonly StatusRecord[]): string {
  if (statuses.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (statuses.length === 0 || statuses.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

const combinedStatus: RouteHandler = async (ctx) => {
  const repo = requireRepo(ctx);
  const sha = await refSha(ctx, ctx.params.ref ?? '');
  const latest = latestStatuses(ctx.store, `${repo.owner}/${repo.name}`, sha);
  const api = `${ctx.base.api}/repos/${repo.owner}/${repo.name}`;
  return {
    status: 200,
    body: {
      state: combinedState(latest),
      statuses: latest.map((s) => statusJson(s, ctx.base)),
      sha,
      total_count: latest.length,
      repository: repoJson(repo, ctx.base, openIssueCount(ctx.store, repo)),
      commit_url: `${api}/commits/${sha}`,
      url: `${api}/commits/${sha}/status`,
    },
  };
};

export const STATUS_ROUTES: Record<string, RouteHandler> = {
  'repos/create-commit-status': createStatus,
  'repos/get-combined-status-for-ref': combinedStatus,
};

/**
 * Merges an open pull request as a person would with GitHub's merge button: a merge commit of
 * head into base in the repo's bare remote (base moves), the pull request closed and merged.
 */
export async function mergePullRecord(issue: IssueRecord, now: Date): Promise<void> {
  const pull = issue.pull;
  if (!pull || issue.state !== 'open') throw new Error(`${issue.repo.owner}/${issue.repo.name}#${issue.number} is not an open pull request`);
  const remote = issue.repo.remote;
  if (remote) {
    const run = async (args: string[]): Promise<string> => (await exec('git', args, { cwd: remote })).stdout.trim();
    const [base, head] = [await run(['rev-parse', `refs/heads/${pull.base}`]), await run(['rev-parse', `refs/heads/${pull.head}`])];
    const tree = (await run(['merge-tree', '--write-tree', base, head])).split('\n')[0] ?? '';
    const env = { ...process.env, GIT_AUTHOR_NAME: 'GitHub', GIT_AUTHOR_EMAIL: 'noreply@github.com', GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' };
    const { stdout } = await exec('git', ['commit-tree', tree, '-p', base, '-p', head, '-m', `Merge pull request #${issue.number} from ${pull.head}`], { cwd: remote, env });
    const merge = stdout.trim();
    await run(['update-ref', `refs/heads/${pull.base}`, merge, base]);
    pull.headSha = head;
    pull.mergeCommitSha = merge;
  }
  pull.mergedAt = now;
  issue.state = 'closed';
  issue.closedAt = now;
  issue.updatedAt = now;
}

/** An open pull request's head follows its branch on the remote, as on GitHub. */
export async function refreshHead(issue: IssueRecord): Promise<void> {
  if (!issue.pull || issue.state !== 'open' || !issue.repo.remote) return;
  issue.pull.headSha = (await branchSha(issue.repo.remote, issue.pull.head)) ?? issue.pull.headSha;
}
