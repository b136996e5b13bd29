import type { Octokit } from '@octokit/rest';
import { toBlueError, type ErrorContext } from './errors.js';
import type { CommentInfo, IssueInfo, PullRequestInfo } from './types.js';

/** An Octokit instance plus the error context every call is wrapped in. Internal. */
export interface Session {
  octokit: Octokit;
  /** Pages of 100 recent issues scanned when search does not find a marker. */
  recentIssuePages: number;
  /** Runs `fn`, turning Octokit's errors into redacted BlueErrors that say `action`. */
  run<T>(action: string, fn: (octokit: Octokit) => Promise<T>): Promise<T>;
}

export function createSession(octokit: Octokit, ctx: Omit<ErrorContext, 'action'>, recentIssuePages: number): Session {
  return {
    octokit,
    recentIssuePages,
    async run(action, fn) {
      try {
        return await fn(octokit);
      } catch (err) {
        throw toBlueError(err, { ...ctx, action });
      }
    },
  };
}

interface IssueLike {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  labels: Array<string | { name?: string }>;
}

export function toIssueInfo(data: IssueLike): IssueInfo {
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? '',
    state: data.state === 'closed' ? 'closed' : 'open',
    labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
    url: data.html_url,
  };
}

export function toCommentInfo(data: { id: number; body?: string; html_url: string }): CommentInfo {
  return { id: data.id, body: data.body ?? '', url: data.html_url };
}

interface PullLike {
  number: number;
  title: string;
  body: string | null;
  state: string;
  draft?: boolean;
  html_url: string;
  node_id: string;
  merged_at?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
}

export function toPullInfo(data: PullLike): PullRequestInfo {
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? '',
    state: data.state === 'closed' ? 'closed' : 'open',
    draft: data.draft === true,
    head: data.head.ref,
    headSha: data.head.sha,
    merged: typeof data.merged_at === 'string',
    base: data.base.ref,
    url: data.html_url,
    nodeId: data.node_id,
  };
}
