import type { UrlBase } from './shapes.js';
import type { IssueRecord, LabelRecord, RepoRecord, StandInStore } from './store.js';

export const DOCS = 'https://docs.github.com/rest';

/** What a route handler gets: the matched operation's parameters, the coerced query and the body. */
export interface RouteContext {
  store: StandInStore;
  base: UrlBase;
  /** The login of the token's user (the author of everything created). */
  actor: string;
  now: () => Date;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** Marks a new or changed record as searchable (immediately, or at the next indexSearch()). */
  touch: (issue: IssueRecord) => void;
}

/** A handler's answer. `page` asks the server to paginate a list (and wrap it, for search). */
export type RouteReply =
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { status: 200; page: unknown[]; wrap?: (items: unknown[], total: number) => unknown };

export type RouteHandler = (ctx: RouteContext) => RouteReply | Promise<RouteReply>;

/** An error answer with GitHub's body shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

export function notFound(): HttpError {
  return new HttpError(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
}

export function notImplemented(what: string): HttpError {
  return new HttpError(501, { message: `The Blue GitHub stand-in does not implement ${what}`, documentation_url: DOCS, status: '501' });
}

export interface FieldError {
  resource: string;
  field?: string;
  code: string;
  message?: string;
}

export function validationFailed(errors: FieldError[], message = 'Validation Failed'): HttpError {
  return new HttpError(422, { message, errors, documentation_url: DOCS, status: '422' });
}

export function requireRepo(ctx: RouteContext): RepoRecord {
  const repo = ctx.store.repo(ctx.params.owner ?? '', ctx.params.repo ?? '');
  if (!repo) throw notFound();
  return repo;
}

export function requireIssue(ctx: RouteContext, repo: RepoRecord, key = 'issue_number'): IssueRecord {
  const issue = ctx.store.issue(repo, Number(ctx.params[key]));
  if (!issue) throw notFound();
  return issue;
}

export function labelsOf(ctx: RouteContext, issue: IssueRecord): LabelRecord[] {
  return issue.labels.map((name) => ctx.store.label(issue.repo, name));
}

export function openIssueCount(store: StandInStore, repo: RepoRecord): number {
  return store.issues.filter((i) => i.repo === repo && i.state === 'open').length;
}

/** Label names from a body's `labels` (strings or `{name}` objects). */
export function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((item: unknown) => (typeof item === 'string' ? item : scalarText((item as { name?: unknown } | null)?.name)))
    .filter((name) => name.length > 0);
}

/** A string, number or boolean as text; anything else as ''. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function bodyObject(ctx: RouteContext): Record<string, unknown> {
  return typeof ctx.body === 'object' && ctx.body !== null && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

/** Orders records as GitHub's list endpoints do (`sort` created|updated, `direction`). */
export function sortRecords<T extends { createdAt: Date; updatedAt: Date }>(records: T[], sort: unknown, direction: unknown): T[] {
  const key = sort === 'updated' ? 'updatedAt' : 'createdAt';
  const sign = direction === 'asc' ? 1 : -1;
  return [...records].sort((a, b) => sign * (a[key].getTime() - b[key].getTime()));
}
