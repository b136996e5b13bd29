import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { paginate } from './paginate.js';
import { DOCS, HttpError, notImplemented, type RouteContext, type RouteHandler, type RouteReply } from './routes-common.js';
import { CI_ROUTES } from './routes-ci.js';
import { CONTENT_ROUTES } from './routes-contents.js';
import { ISSUE_ROUTES } from './routes-issues.js';
import { handleGraphql, PULL_ROUTES } from './routes-pulls.js';
import { mergePullRecord, STATUS_ROUTES } from './routes-statuses.js';
import type { UrlBase } from './shapes.js';
import { stateView, type StandInRepo, type StandInState } from './state-view.js';
import { StandInStore, type IssueRecord } from './store.js';
import { readOpenApiSubset } from './subset.js';
import { OpenApiValidator, type RequestProblem } from './validator.js';

export interface GitHubStandInOptions {
  /** Reject unknown body fields and query parameters with 422 (default true). */
  strict?: boolean;
  /** The token the stand-in accepts (default: a fresh random one). */
  token?: string;
  /** Login of the token's user, the author of what is created (default `blue-bot`). */
  login?: string;
  /** Serve `apiUrl` under GitHub Enterprise Server's `/api/v3` prefix (both forms are always served). */
  enterprise?: boolean;
  /** 'manual': new and changed issues stay out of search until indexSearch() (GitHub indexes with a delay). */
  searchIndexing?: 'immediate' | 'manual';
  /** The clock (default: the real one). */
  now?: () => Date;
}

export interface AddRepoOptions {
  owner: string;
  name: string;
  defaultBranch?: string;
  /** A local bare repository standing in for the GitHub remote: pull request branches must exist there. */
  remote?: string;
  private?: boolean;
}

/** An answer to inject instead of handling a request (override `injected-faults`). */
export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests get it (default 1). */
  times?: number;
  method?: string;
  /** Matches the path without the `/api/v3` prefix. */
  path?: string | RegExp;
  /** Answer only after this many ms (a GitHub that stops answering: the client's timeout fires first). */
  delayMs?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Path without query and without the `/api/v3` prefix. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  requestId: string;
  operationId: string | undefined;
  /** The Authorization header was present (its value is never logged). */
  authenticated: boolean;
}

export interface GitHubStandIn extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` (also the web base of html_url links). */
  readonly url: string;
  /** The REST base URL to give Octokit (`url`, plus `/api/v3` when `enterprise`). */
  readonly apiUrl: string;
  readonly token: string;
  /** Environment that points Blue at the stand-in: BLUE_GITHUB_API_URL and the token (127.0.0.1 counts as an enterprise host for token discovery). */
  readonly env: { BLUE_GITHUB_API_URL: string; GH_ENTERPRISE_TOKEN: string };
  readonly state: StandInState;
  /** Every request answered so far, oldest first. */
  readonly requests: readonly RequestLogEntry[];
  /** Responses the stand-in produced that did not match GitHub's description (each sent as a 500). Should stay empty. */
  readonly violations: readonly string[];
  addRepo(repo: AddRepoOptions): StandInRepo;
  failNext(fault: Fault): void;
  /** Makes every issue and pull request searchable (for searchIndexing 'manual'). */
  indexSearch(): void;
  /** Merges an open pull request ("owner/name", number) as a person would on GitHub: a merge commit moves base on the remote. */
  mergePull(repo: string, number: number): Promise<void>;
  close(): Promise<void>;
}

const ROUTES: Record<string, RouteHandler> = { ...ISSUE_ROUTES, ...PULL_ROUTES, ...CONTENT_ROUTES, ...CI_ROUTES, ...STATUS_ROUTES };
const PREFIX = '/api/v3';

function problemsError(operationId: string, problems: RequestProblem[]): HttpError {
  const resource = operationId.startsWith('pulls/') ? 'PullRequest' : operationId.startsWith('search/') ? 'Search' : operationId.includes('comment') ? 'IssueComment' : operationId.startsWith('repos/') ? 'Repository' : 'Issue';
  const message = `Invalid request.\n\n${problems.map((p) => p.message).join('\n')}`;
  return new HttpError(422, {
    message,
    documentation_url: DOCS,
    status: '422',
    errors: problems.map((p) => ({ resource, field: p.field, code: p.code === 'unknown_field' ? 'invalid' : p.code, message: p.message })),
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function requestId(): string {
  const hex = randomBytes(10).toString('hex').toUpperCase();
  return `${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 14)}:${hex.slice(14, 20)}`;
}

/**
 * Starts a local stand-in for GitHub's REST API on 127.0.0.1 (a free port), with in-memory repos,
 * issues, pull requests, labels and comments. Every request and response is validated against
 * GitHub's published REST description (@octokit/openapi); see overrides.ts for the deviations.
 * Close it with close() or `await using`.
 */
export async function githubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const strict = options.strict ?? true;
  const token = options.token ?? `blue-standin-${randomBytes(16).toString('hex')}`;
  const actor = options.login ?? 'blue-bot';
  const now = options.now ?? (() => new Date());
  const manualIndex = options.searchIndexing === 'manual';
  const validator = new OpenApiValidator(readOpenApiSubset());
  const store = new StandInStore();
  const requests: RequestLogEntry[] = [];
  const violations: string[] = [];
  const faults: Array<Required<Pick<Fault, 'status' | 'times'>> & Fault> = [];
  let origin = '';
  const touch = (issue: IssueRecord): void => {
    issue.indexed = !manualIndex;
  };

  async function answer(req: IncomingMessage, raw: string, url: URL, base: UrlBase, path: string, log: RequestLogEntry): Promise<{ status: number; body: unknown; headers: Record<string, string> }> {
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!auth) return { status: 401, body: { message: 'Requires authentication', documentation_url: DOCS, status: '401' }, headers: {} };
    if (auth[1] !== token) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' }, headers: {} };
    const method = req.method ?? 'GET';
    const faultIndex = faults.findIndex(
      (f) => (f.method === undefined || f.method.toUpperCase() === method) && (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (faultIndex >= 0) {
      const fault = faults[faultIndex]!;
      if (--fault.times <= 0) faults.splice(faultIndex, 1);
      if (fault.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
      return { status: fault.status, body: fault.body ?? { message: `Injected ${fault.status}`, documentation_url: DOCS }, headers: fault.headers ?? {} };
    }
    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' }, headers: {} };
      }
    }
    log.body = body;
    const ctx: RouteContext = { store, base, actor, now, params: {}, query: {}, body, touch };
    if (method === 'POST' && (path === '/graphql' || url.pathname === '/api/graphql')) {
      return { ...handleGraphql(ctx), headers: {} };
    }
    const match = validator.match(method, path);
    const handler = match && ROUTES[match.operationId];
    if (!match || !handler) throw notImplemented(`${method} ${path}`);
    log.operationId = match.operationId;
    const checked = validator.validateRequest(match.operationId, { params: match.params, query: url.searchParams, body, strict });
    if (checked.problems.length > 0) throw problemsError(match.operationId, checked.problems);
    ctx.params = match.params;
    ctx.query = checked.query;
    const reply: RouteReply = await handler(ctx);
    const sent = 'page' in reply ? paginate(reply, checked.query, url, `${origin}${base.api.slice(origin.length)}`, path) : { ...reply, headers: reply.headers ?? {} };
    const problems = validator.validateResponse(match.operationId, sent.status, sent.body);
    if (problems.length > 0) {
      violations.push(...problems);
      return { status: 500, body: { message: `Stand-in response violates GitHub's REST description: ${problems.join('; ')}`, documentation_url: DOCS }, headers: {} };
    }
    return sent;
  }

  const server = createServer((req, res: ServerResponse) => {
    const id = requestId();
    const url = new URL(req.url ?? '/', origin);
    const enterprise = url.pathname.startsWith(`${PREFIX}/`);
    const path = enterprise ? url.pathname.slice(PREFIX.length) : url.pathname;
    const base: UrlBase = { api: enterprise ? `${origin}${PREFIX}` : origin, web: origin };
    const log: RequestLogEntry = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
      requestId: id,
      operationId: undefined,
      authenticated: req.headers.authorization !== undefined,
    };
    void readBody(req)
      .then((raw) => answer(req, raw, url, base, path, log))
      .catch((err: unknown) => {
        if (err instanceof HttpError) return { status: err.status, body: err.body, headers: {} };
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        violations.push(`stand-in crashed on ${req.method} ${path}: ${message}`);
        return { status: 500, body: { message: `Stand-in crashed: ${message}`, documentation_url: DOCS }, headers: {} };
      })
      .then(({ status, body, headers }) => {
        log.status = status;
        requests.push(log);
        const text = body === undefined ? '' : JSON.stringify(body);
        const reset = Math.floor(now().getTime() / 1000) + 3600;
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'x-github-request-id': id,
          'x-github-media-type': 'github.v3; format=json',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': String(Math.max(0, 5000 - requests.length)),
          'x-ratelimit-reset': String(reset),
          'x-ratelimit-used': String(requests.length),
          'x-ratelimit-resource': path.startsWith('/search/') ? 'search' : 'core',
          ...headers,
        });
        res.end(text);
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  const apiUrl = options.enterprise ? `${origin}${PREFIX}` : origin;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }));

  return {
    url: origin,
    apiUrl,
    token,
    env: { BLUE_GITHUB_API_URL: apiUrl, GH_ENTERPRISE_TOKEN: token },
    state: stateView(store),
    requests,
    violations,
    addRepo(repo) {
      if (store.repo(repo.owner, repo.name)) throw new Error(`The stand-in already has ${repo.owner}/${repo.name}`);
      store.repos.set(StandInStore.key(repo.owner, repo.name), {
        id: store.nextId(),
        owner: repo.owner,
        name: repo.name,
        defaultBranch: repo.defaultBranch ?? 'main',
        private: repo.private ?? false,
        remote: repo.remote,
        lastNumber: 0,
        labels: new Map(),
        createdAt: now(),
      });
      return stateView(store).repos().find((r) => r.owner === repo.owner && r.name === repo.name)!;
    },
    failNext(fault) {
      faults.push({ ...fault, times: fault.times ?? 1 });
    },
    indexSearch() {
      for (const issue of store.issues) issue.indexed = true;
    },
    async mergePull(repo, number) {
      const [owner = '', name = ''] = repo.split('/');
      const record = store.repo(owner, name);
      const issue = record && store.issue(record, number);
      if (!issue) throw new Error(`The stand-in has no pull request ${repo}#${number}`);
      await mergePullRecord(issue, now());
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
