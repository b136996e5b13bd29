import { branchSha, commitsAhead, fakeSha } from './remote.js';
import { refreshHead } from './routes-statuses.js';
import { nodeId, pullJson } from './shapes.js';
import type { IssueRecord, RepoRecord } from './store.js';
import {
  bodyObject,
  labelsOf,
  notFound,
  notImplemented,
  openIssueCount,
  requireRepo,
  sortRecords,
  validationFailed,
  type RouteContext,
  type RouteHandler,
} from './routes-common.js';

function pullReply(ctx: RouteContext, issue: IssueRecord, status = 200): { status: number; body: unknown } {
  return { status, body: pullJson(issue, ctx.base, labelsOf(ctx, issue), openIssueCount(ctx.store, issue.repo), true) };
}

function requirePull(ctx: RouteContext, repo: RepoRecord): IssueRecord {
  const issue = ctx.store.issue(repo, Number(ctx.params.pull_number));
  if (!issue?.pull) throw notFound();
  return issue;
}

/** The sha of `branch`, checked against the repo's bare remote when it has one. */
async function resolveBranch(repo: RepoRecord, branch: string, field: 'head' | 'base'): Promise<string> {
  if (!repo.remote) return fakeSha(`${repo.owner}/${repo.name}:${branch}`);
  const sha = await branchSha(repo.remote, branch);
  if (!sha) throw validationFailed([{ resource: 'PullRequest', field, code: 'invalid' }]);
  return sha;
}

/** `owner:branch` or `branch` -> branch, for heads in the same repository. */
function ownBranch(repo: RepoRecord, head: string): string {
  const colon = head.indexOf(':');
  if (colon < 0) return head;
  if (head.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) throw notImplemented('pull requests from forks');
  return head.slice(colon + 1);
}

const listPulls: RouteHandler = async (ctx) => {
  const repo = requireRepo(ctx);
  const state = (ctx.query.state as string | undefined) ?? 'open';
  let head: string | undefined;
  if (typeof ctx.query.head === 'string') {
    // Override `pulls-head-format`: GitHub ignores a bare branch name here.
    const colon = ctx.query.head.indexOf(':');
    if (colon < 0) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid', message: 'head must be user:ref-name' }]);
    if (ctx.query.head.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) return { status: 200, page: [] };
    head = ctx.query.head.slice(colon + 1);
  }
  const pulls = ctx.store.issues.filter(
    (i) =>
      i.repo === repo &&
      i.pull !== undefined &&
      (state === 'all' || i.state === state) &&
      (head === undefined || i.pull.head === head) &&
      (ctx.query.base === undefined || i.pull.base === ctx.query.base),
  );
  if (ctx.query.sort === 'popularity' || ctx.query.sort === 'long-running') throw notImplemented(`sort=${String(ctx.query.sort)}`);
  for (const pull of pulls) await refreshHead(pull);
  const sorted = sortRecords(pulls, ctx.query.sort, ctx.query.direction);
  const open = openIssueCount(ctx.store, repo);
  return { status: 200, page: sorted.map((i) => pullJson(i, ctx.base, labelsOf(ctx, i), open, false)) };
};

const createPull: RouteHandler = async (ctx) => {
  const repo = requireRepo(ctx);
  const body = bodyObject(ctx);
  if (body.issue !== undefined) throw notImplemented('converting an issue into a pull request');
  if (body.head_repo !== undefined) throw notImplemented('head_repo');
  const missing = ['title', 'head', 'base'].filter((f) => typeof body[f] !== 'string' || body[f].trim() === '');
  if (missing.length > 0) throw validationFailed(missing.map((field) => ({ resource: 'PullRequest', field, code: 'missing_field' })));
  const head = ownBranch(repo, String(body.head));
  const base = String(body.base);
  const [headSha, baseSha] = [await resolveBranch(repo, head, 'head'), await resolveBranch(repo, base, 'base')];
  const existing = ctx.store.issues.find((i) => i.repo === repo && i.state === 'open' && i.pull?.head === head && i.pull.base === base);
  if (existing) {
    throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${head}.` }]);
  }
  if (head === base || (repo.remote && (await commitsAhead(repo.remote, base, head)) === 0)) {
    throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }]);
  }
  const now = ctx.now();
  const issue = ctx.store.newIssue(repo, {
    title: String(body.title),
    body: typeof body.body === 'string' ? body.body : null,
    author: ctx.actor,
    now,
    pull: { id: ctx.store.nextId(), head, headSha, base, baseSha, draft: body.draft === true, maintainerCanModify: body.maintainer_can_modify !== false },
  });
  ctx.store.issues.push(issue);
  ctx.touch(issue);
  const reply = pullReply(ctx, issue, 201);
  return { ...reply, headers: { location: `${ctx.base.api}/repos/${repo.owner}/${repo.name}/pulls/${issue.number}` } };
};

const getPull: RouteHandler = async (ctx) => {
  const issue = requirePull(ctx, requireRepo(ctx));
  await refreshHead(issue);
  return pullReply(ctx, issue);
};

const updatePull: RouteHandler = async (ctx) => {
  const repo = requireRepo(ctx);
  const issue = requirePull(ctx, repo);
  const pull = issue.pull!;
  const body = bodyObject(ctx);
  if (typeof body.base === 'string' && body.base !== pull.base) {
    pull.baseSha = await resolveBranch(repo, body.base, 'base');
    pull.base = body.base;
  }
  if (typeof body.title === 'string') issue.title = body.title;
  if (typeof body.body === 'string') issue.body = body.body;
  if (typeof body.maintainer_can_modify === 'boolean') pull.maintainerCanModify = body.maintainer_can_modify;
  if (body.state === 'closed' && issue.state === 'open') {
    issue.state = 'closed';
    issue.closedAt = ctx.now();
  } else if (body.state === 'open' && issue.state === 'closed') {
    issue.state = 'open';
    issue.closedAt = null;
  }
  issue.updatedAt = ctx.now();
  ctx.touch(issue);
  return pullReply(ctx, issue);
};

export const PULL_ROUTES: Record<string, RouteHandler> = {
  'pulls/list': listPulls,
  'pulls/create': createPull,
  'pulls/get': getPull,
  'pulls/update': updatePull,
};

const DRAFT_MUTATIONS = { markPullRequestReadyForReview: false, convertPullRequestToDraft: true } as const;

/**
 * POST /graphql: only the two draft-state mutations (override `graphql-draft`). The pull request is
 * found by the node id passed as `pullRequestId`, literally or through a variable.
 */
export function handleGraphql(ctx: RouteContext): { status: number; body: unknown } {
  const { query, variables } = bodyObject(ctx) as { query?: unknown; variables?: Record<string, unknown> };
  const text = typeof query === 'string' ? query : '';
  const mutation = (Object.keys(DRAFT_MUTATIONS) as Array<keyof typeof DRAFT_MUTATIONS>).find((name) => new RegExp(`\\b${name}\\s*\\(`).test(text));
  if (!mutation) throw notImplemented('this GraphQL query');
  const arg = /pullRequestId\s*:\s*(?:\$(\w+)|"([^"]*)")/.exec(text);
  const id = arg?.[1] !== undefined ? variables?.[arg[1]] : arg?.[2];
  const issue = ctx.store.issues.find((i) => i.pull && nodeId('PR_', i.id) === id);
  if (!issue?.pull) {
    return { status: 200, body: { data: { [mutation]: null }, errors: [{ type: 'NOT_FOUND', path: [mutation], message: `Could not resolve to a node with the global id of '${String(id)}'` }] } };
  }
  if (issue.state !== 'open') return { status: 200, body: { data: { [mutation]: null }, errors: [{ type: 'UNPROCESSABLE', path: [mutation], message: 'Pull request is closed' }] } };
  issue.pull.draft = DRAFT_MUTATIONS[mutation];
  issue.updatedAt = ctx.now();
  return { status: 200, body: { data: { [mutation]: { pullRequest: { id, number: issue.number, isDraft: issue.pull.draft } } } } };
}
