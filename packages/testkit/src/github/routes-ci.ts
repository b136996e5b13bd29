// Routes the GitHub Action's pull request comment needs (issue 21): a comment found by its hidden
// marker is edited in place on every run. Kept apart from the issue and pull routes.
import { commentJson } from './shapes.js';
import { bodyObject, notFound, requireRepo, validationFailed, type RouteHandler } from './routes-common.js';

const updateComment: RouteHandler = (ctx) => {
  const repo = requireRepo(ctx);
  const comment = ctx.store.comments.find((c) => c.repo === repo && c.id === Number(ctx.params.comment_id));
  if (comment === undefined) throw notFound();
  const text = bodyObject(ctx).body;
  if (typeof text !== 'string' || text.trim() === '') throw validationFailed([{ resource: 'IssueComment', field: 'body', code: 'missing_field' }]);
  comment.body = text;
  comment.updatedAt = ctx.now();
  return { status: 200, body: commentJson(comment, ctx.base) };
};

export const CI_ROUTES: Record<string, RouteHandler> = {
  'issues/update-comment': updateComment,
};
