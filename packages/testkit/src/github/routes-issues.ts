import { matchesSearch, parseSearchQuery, UnsupportedQuery } from './search.js';
import { commentJson, issueJson, labelJson, repoJson } from './shapes.js';
import type { IssueRecord } from './store.js';
import {
  bodyObject,
  labelNames,
  labelsOf,
  notImplemented,
  openIssueCount,
  requireIssue,
  requireRepo,
  scalarText,
  sortRecords,
  validationFailed,
  type RouteContext,
  type RouteHandler,
} from './routes-common.js';

function issueReply(ctx: RouteContext, issue: IssueRecord, status = 200): { status: number; body: unknown } {
  return { status, body: issueJson(issue, ctx.base, labelsOf(ctx, issue)) };
}

const getRepo: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  return { status: 200, body: repoJson(repo, ctx.base, openIssueCount(ctx.store, repo)) };
};

const listIssues: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  for (const unsupported of ['milestone', 'assignee', 'type', 'mentioned']) {
    if (ctx.query[unsupported] !== undefined) throw notImplemented(`the issues/list-for-repo parameter ${unsupported}`);
  }
  const state = (ctx.query.state as string | undefined) ?? 'open';
  const labels = typeof ctx.query.labels === 'string' ? ctx.query.labels.split(',').map((l) => l.trim().toLowerCase()).filter(Boolean) : [];
  const since = typeof ctx.query.since === 'string' ? new Date(ctx.query.since).getTime() : undefined;
  const matching = ctx.store.issues.filter(
    (i) =>
      i.repo === repo &&
      (state === 'all' || i.state === state) &&
      labels.every((l) => i.labels.some((have) => have.toLowerCase() === l)) &&
      (ctx.query.creator === undefined || i.author === ctx.query.creator) &&
      (since === undefined || i.updatedAt.getTime() >= since),
  );
  if (ctx.query.sort === 'comments') throw notImplemented('sort=comments');
  const sorted = sortRecords(matching, ctx.query.sort, ctx.query.direction);
  return { status: 200, page: sorted.map((i) => issueJson(i, ctx.base, labelsOf(ctx, i))) };
};

const createIssue: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  const body = bodyObject(ctx);
  const title = scalarText(body.title);
  if (title.trim() === '') throw validationFailed([{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
  const now = ctx.now();
  const issue = ctx.store.newIssue(repo, { title, body: typeof body.body === 'string' ? body.body : null, author: ctx.actor, now });
  issue.labels = labelNames(body.labels).map((name) => ctx.store.label(repo, name).name);
  ctx.store.issues.push(issue);
  ctx.touch(issue);
  const reply = issueReply(ctx, issue, 201);
  return { ...reply, headers: { location: `${ctx.base.api}/repos/${repo.owner}/${repo.name}/issues/${issue.number}` } };
};

const getIssue: RouteHandler = (ctx) => issueReply(ctx, requireIssue(ctx, requireRepo(ctx)));

const updateIssue: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  const issue = requireIssue(ctx, repo);
  const body = bodyObject(ctx);
  if (body.title !== undefined && body.title !== null) issue.title = scalarText(body.title);
  if (body.body !== undefined) issue.body = typeof body.body === 'string' ? body.body : null;
  if (body.labels !== undefined) issue.labels = labelNames(body.labels).map((name) => ctx.store.label(repo, name).name);
  if (body.state === 'closed' && issue.state === 'open') {
    issue.state = 'closed';
    issue.closedAt = ctx.now();
    issue.stateReason = (body.state_reason as IssueRecord['stateReason'] | undefined) ?? 'completed';
  } else if (body.state === 'open' && issue.state === 'closed') {
    issue.state = 'open';
    issue.closedAt = null;
    issue.stateReason = 'reopened';
  }
  issue.updatedAt = ctx.now();
  ctx.touch(issue);
  return issueReply(ctx, issue);
};

const addLabels: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  const issue = requireIssue(ctx, repo);
  const names = labelNames(bodyObject(ctx).labels);
  for (const name of names) {
    const label = ctx.store.label(repo, name);
    if (!issue.labels.some((l) => l.toLowerCase() === label.name.toLowerCase())) issue.labels.push(label.name);
  }
  issue.updatedAt = ctx.now();
  ctx.touch(issue);
  return { status: 200, body: labelsOf(ctx, issue).map((l) => labelJson(repo, l, ctx.base)) };
};

const listComments: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  const issue = requireIssue(ctx, repo);
  const since = typeof ctx.query.since === 'string' ? new Date(ctx.query.since).getTime() : undefined;
  const comments = ctx.store.comments.filter(
    (c) => c.repo === repo && c.issueNumber === issue.number && (since === undefined || c.updatedAt.getTime() >= since),
  );
  return { status: 200, page: comments.map((c) => commentJson(c, ctx.base)) };
};

const createComment: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  const issue = requireIssue(ctx, repo);
  const text = bodyObject(ctx).body;
  if (typeof text !== 'string' || text.trim() === '') throw validationFailed([{ resource: 'IssueComment', field: 'body', code: 'missing_field' }]);
  const now = ctx.now();
  const comment = { id: ctx.store.nextId(), repo, issueNumber: issue.number, body: text, author: ctx.actor, createdAt: now, updatedAt: now };
  ctx.store.comments.push(comment);
  issue.comments += 1;
  issue.updatedAt = now;
  const json = commentJson(comment, ctx.base);
  return { status: 201, body: json, headers: { location: String(json.url) } };
};

const searchIssues: RouteHandler = (ctx) => {
  let query;
  try {
    query = parseSearchQuery(scalarText(ctx.query.q));
  } catch (err) {
    if (err instanceof UnsupportedQuery) throw notImplemented(`the search qualifier ${err.message}`);
    throw err;
  }
  for (const full of query.repos) {
    const [owner = '', name = ''] = full.split('/');
    if (!ctx.store.repo(owner, name)) {
      throw validationFailed(
        [{ resource: 'Search', field: 'q', code: 'invalid', message: `The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.` }],
      );
    }
  }
  const hits = ctx.store.issues.filter((i) => matchesSearch(i, query));
  const sorted = ctx.query.sort === 'created' || ctx.query.sort === 'updated' ? sortRecords(hits, ctx.query.sort, ctx.query.order) : hits;
  return {
    status: 200,
    page: sorted.map((i) => ({ ...issueJson(i, ctx.base, labelsOf(ctx, i)), score: 1 })),
    wrap: (items, total) => ({ total_count: total, incomplete_results: false, items }),
  };
};

export const ISSUE_ROUTES: Record<string, RouteHandler> = {
  'repos/get': getRepo,
  'issues/list-for-repo': listIssues,
  'issues/create': createIssue,
  'issues/get': getIssue,
  'issues/update': updateIssue,
  'issues/add-labels': addLabels,
  'issues/list-comments': listComments,
  'issues/create-comment': createComment,
  'search/issues-and-pull-requests': searchIssues,
};
