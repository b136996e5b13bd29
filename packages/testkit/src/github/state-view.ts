import type { StandInStore } from './store.js';

/** A snapshot of one comment. */
export interface StandInComment {
  id: number;
  body: string;
  author: string;
}

/** A snapshot of one issue (pull requests excluded; see pulls()). */
export interface StandInIssue {
  repo: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  author: string;
  comments: StandInComment[];
}

/** A snapshot of one pull request. */
export interface StandInPull {
  repo: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  head: string;
  base: string;
  headSha: string;
  merged: boolean;
  labels: string[];
  comments: StandInComment[];
}

/** A snapshot of one commit status, as it was created. */
export interface StandInStatus {
  repo: string;
  sha: string;
  state: string;
  context: string;
  description: string | null;
  targetUrl: string | null;
}

export interface StandInRepo {
  owner: string;
  name: string;
  defaultBranch: string;
  remote: string | undefined;
  labels: string[];
}

/** Read-only access to the stand-in's state; every call returns fresh snapshots. */
export interface StandInState {
  repos(): StandInRepo[];
  /** Issues of `repo` ("owner/name"), or of every repo; in number order. */
  issues(repo?: string): StandInIssue[];
  pulls(repo?: string): StandInPull[];
  /** Every commit status created in `repo` (or everywhere), oldest first; `sha` narrows to one commit. */
  statuses(repo?: string, sha?: string): StandInStatus[];
}

export function stateView(store: StandInStore): StandInState {
  const inRepo = (fullName: string | undefined) => (owner: string, name: string) =>
    fullName === undefined || `${owner}/${name}`.toLowerCase() === fullName.toLowerCase();
  const commentsOf = (repoKey: string, number: number): StandInComment[] =>
    store.comments
      .filter((c) => `${c.repo.owner}/${c.repo.name}` === repoKey && c.issueNumber === number)
      .map((c) => ({ id: c.id, body: c.body, author: c.author }));
  return {
    repos: () =>
      [...store.repos.values()].map((r) => ({ owner: r.owner, name: r.name, defaultBranch: r.defaultBranch, remote: r.remote, labels: [...r.labels.values()].map((l) => l.name) })),
    issues: (repo) =>
      store.issues
        .filter((i) => !i.pull && inRepo(repo)(i.repo.owner, i.repo.name))
        .map((i) => {
          const key = `${i.repo.owner}/${i.repo.name}`;
          return { repo: key, number: i.number, title: i.title, body: i.body, state: i.state, stateReason: i.stateReason, labels: [...i.labels], author: i.author, comments: commentsOf(key, i.number) };
        }),
    pulls: (repo) =>
      store.issues
        .filter((i) => i.pull && inRepo(repo)(i.repo.owner, i.repo.name))
        .map((i) => {
          const key = `${i.repo.owner}/${i.repo.name}`;
          const p = i.pull!;
          return { repo: key, number: i.number, title: i.title, body: i.body, state: i.state, draft: p.draft, head: p.head, base: p.base, headSha: p.headSha, merged: p.mergedAt !== undefined, labels: [...i.labels], comments: commentsOf(key, i.number) };
        }),
    statuses: (repo, sha) =>
      store.statuses
        .filter((s) => inRepo(repo)(s.repo.owner, s.repo.name) && (sha === undefined || s.sha === sha))
        .map((s) => ({ repo: `${s.repo.owner}/${s.repo.name}`, sha: s.sha, state: s.state, context: s.context, description: s.description, targetUrl: s.targetUrl })),
  };
}
