import { apiHost, resolveApiUrl } from './api-url.js';
import { readRepoFile } from './contents.js';
import { closeIssue, commentOnIssue, ensureIssue, findIssue } from './issues.js';
import { ensurePullRequest, findPullRequest, getDefaultBranch, getPullRequest, setPullRequestDraft, updatePullRequest } from './pulls.js';
import { retryDelay, type RetryPolicy } from './retry.js';
import { createSession } from './session.js';
import { getCommitStatuses, setCommitStatus } from './statuses.js';
import { discoverToken, type DiscoveredToken } from './token.js';
import type { GitHubClient } from './types.js';

export interface GitHubClientOptions {
  /** Environment to read the API URL and tokens from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** REST API base; overrides BLUE_GITHUB_API_URL and GITHUB_API_URL. */
  apiUrl?: string;
  /** Use this token instead of discovering one. */
  token?: string;
  /** The fetch Octokit uses (default: the global one). */
  fetch?: typeof globalThis.fetch;
  retry?: RetryPolicy;
  /** Waits between retries (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock in ms, for rate-limit resets (default Date.now). */
  now?: () => number;
  /** The gh executable used for `gh auth token` (default `gh`); false skips gh. */
  ghCommand?: string | false;
  ghTimeoutMs?: number;
  /**
   * Longest wait for one answer from GitHub, in ms; then the request fails (GITHUB_API). Default:
   * BLUE_GITHUB_TIMEOUT_MS from `env`, else 30 s.
   */
  timeoutMs?: number;
  /** Pages of 100 recent issues scanned when search misses a marker (default 3). */
  recentIssuePages?: number;
  userAgent?: string;
}

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * A GitHub client for Blue's use cases. Resolves the API base and a token (throwing
 * GITHUB_AUTH when there is none), then loads Octokit. Rate limits and 5xx are retried with
 * backoff; every error is a redacted BlueError.
 */
export async function createGitHubClient({ env = process.env, ...options }: GitHubClientOptions = {}): Promise<GitHubClient> {
  const apiUrl = resolveApiUrl(env, options.apiUrl);
  const host = apiHost(apiUrl);
  const discovered: DiscoveredToken =
    options.token !== undefined && options.token !== ''
      ? { token: options.token, source: 'option' }
      : await discoverToken({ env, host, ...(options.ghCommand !== undefined ? { ghCommand: options.ghCommand } : {}), ...(options.ghTimeoutMs !== undefined ? { ghTimeoutMs: options.ghTimeoutMs } : {}) });
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({
    auth: discovered.token,
    baseUrl: apiUrl,
    userAgent: options.userAgent ?? 'blue-realms',
    log: SILENT,
    request: { fetch: withTimeout(options.fetch ?? globalThis.fetch, options.timeoutMs ?? requestTimeout(env)) },
  });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const policy = options.retry ?? {};
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (err) {
        const delay = retryDelay(err, attempt, policy, now());
        if (delay === undefined) throw err;
        await sleep(delay);
      }
    }
  });
  const session = createSession(octokit, { apiUrl, tokenSource: discovered.source, secrets: [discovered.token] }, options.recentIssuePages ?? 3);
  return {
    apiUrl,
    tokenSource: discovered.source,
    getDefaultBranch: (repo) => getDefaultBranch(session, repo),
    readFile: (repo, path, opts) => readRepoFile(session, repo, path, opts?.ref),
    findIssue: (repo, marker, opts) => findIssue(session, repo, marker, opts?.labels, opts?.state),
    ensureIssue: (repo, input) => ensureIssue(session, repo, input),
    commentOnIssue: (repo, number, body, opts) => commentOnIssue(session, repo, number, body, opts?.marker, opts?.update),
    closeIssue: (repo, number, opts) => closeIssue(session, repo, number, opts ?? {}),
    findPullRequest: (repo, head) => findPullRequest(session, repo, head),
    ensurePullRequest: (repo, input) => ensurePullRequest(session, repo, input),
    updatePullRequest: (repo, number, changes) => updatePullRequest(session, repo, number, changes),
    setPullRequestDraft: (repo, number, draft) => setPullRequestDraft(session, repo, number, draft),
    getPullRequest: (repo, number) => getPullRequest(session, repo, number),
    getCommitStatuses: (repo, sha) => getCommitStatuses(session, repo, sha),
    setCommitStatus: (repo, sha, status) => setCommitStatus(session, repo, sha, status),
  };
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** BLUE_GITHUB_TIMEOUT_MS when it is a positive number of ms, else 30 s. */
function requestTimeout(env: Record<string, string | undefined>): number {
  const ms = Number(env.BLUE_GITHUB_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS;
}

/**
 * `fetch` that gives up after `ms` (answer headers and body), so a GitHub that stops answering
 * fails the call (GITHUB_API, "did not answer within …") instead of hanging the command.
 */
function withTimeout(fetch: typeof globalThis.fetch, ms: number): typeof globalThis.fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    try {
      return await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    } catch (err) {
      if (timeout.aborted) throw new Error(`no answer within ${ms / 1000} s`);
      throw err;
    }
  };
}
