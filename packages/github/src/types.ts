import type { RepoRef } from './repo-ref.js';
import type { TokenSource } from './token.js';

export interface IssueInfo {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  /** The issue's page (html_url). */
  url: string;
}

export interface CommentInfo {
  id: number;
  body: string;
  url: string;
}

export interface PullRequestInfo {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  /** The commit the head branch points at now. */
  headSha: string;
  /** Closed by merging (state is then `closed`). */
  merged: boolean;
  base: string;
  url: string;
  /** GraphQL node id (used to change the draft state). */
  nodeId: string;
}

/** The result of a find-or-create call: `created` is false when it already existed. */
export interface Ensured<T> {
  created: boolean;
  /** True when an existing item was changed (title, body, base or draft). */
  updated: boolean;
  value: T;
}

export interface EnsureIssueInput {
  /** A marker from blueMarker(); it is appended to the body when missing. */
  marker: string;
  title: string;
  body: string;
  labels?: string[];
  /** Rewrite title and body of an existing issue when they differ (default false: leave humans' edits alone). */
  updateExisting?: boolean;
  /** Which existing issues count: any (default), or only open ones (a closed one leads to a new issue). */
  state?: 'open' | 'all';
}

export interface EnsurePullRequestInput {
  /** The branch with the changes, in the same repository. */
  head: string;
  /** The branch to merge into (default: the repository's default branch). */
  base?: string;
  title: string;
  body: string;
  /** Create as draft; for an existing pull request, set its draft state when given. */
  draft?: boolean;
  /**
   * For an existing pull request: the title and body it should have, from what it has now (so a
   * title or text a person edited on GitHub can be kept). Default: `title` and `body`.
   */
  existing?: (current: PullRequestInfo) => { title: string; body: string };
}

export type CommitStatusState = 'error' | 'failure' | 'pending' | 'success';

/** One commit status: the newest of its context on a commit. */
export interface CommitStatus {
  state: CommitStatusState;
  context: string;
  description: string;
  targetUrl: string;
}

/** What Blue's use cases need from GitHub. Every call is idempotent. */
export interface GitHubClient {
  readonly apiUrl: string;
  /** Where the token came from (never the token). */
  readonly tokenSource: TokenSource;
  getDefaultBranch(repo: RepoRef): Promise<string>;
  /** A file's text on the default branch (or `ref`); undefined when it is not there (or not a file within 1 MB). */
  readFile(repo: RepoRef, path: string, options?: { ref?: string }): Promise<string | undefined>;
  /** The issue carrying `marker` (any state), found through search, then through recent issues. */
  findIssue(repo: RepoRef, marker: string, options?: { labels?: string[]; state?: 'open' | 'all' }): Promise<IssueInfo | undefined>;
  ensureIssue(repo: RepoRef, input: EnsureIssueInput): Promise<Ensured<IssueInfo>>;
  /** Comments; with a marker, returns the existing comment that carries it instead of adding another (with `update`, rewritten when its body differs). */
  commentOnIssue(repo: RepoRef, issueNumber: number, body: string, options?: { marker?: string; update?: boolean }): Promise<Ensured<CommentInfo>>;
  closeIssue(repo: RepoRef, issueNumber: number, options?: { reason?: 'completed' | 'not_planned'; comment?: string; commentMarker?: string }): Promise<IssueInfo>;
  /** The open pull request whose head is `head` in `repo`. */
  findPullRequest(repo: RepoRef, head: string): Promise<PullRequestInfo | undefined>;
  ensurePullRequest(repo: RepoRef, input: EnsurePullRequestInput): Promise<Ensured<PullRequestInfo>>;
  updatePullRequest(repo: RepoRef, pullNumber: number, changes: { title?: string; body?: string; base?: string }): Promise<PullRequestInfo>;
  setPullRequestDraft(repo: RepoRef, pullNumber: number, draft: boolean): Promise<PullRequestInfo>;
  /** One pull request, open or closed (merged tells a merge from a close). */
  getPullRequest(repo: RepoRef, pullNumber: number): Promise<PullRequestInfo>;
  /** The newest status of each context on a commit (GitHub's combined status). */
  getCommitStatuses(repo: RepoRef, sha: string): Promise<CommitStatus[]>;
  /** Adds a status to a commit (GitHub keeps the newest per context). */
  setCommitStatus(repo: RepoRef, sha: string, status: CommitStatus): Promise<void>;
}
