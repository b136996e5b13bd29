/** The stand-in's in-memory state. Plain records; shapes.ts turns them into GitHub's JSON. */

export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  /** A local bare repository standing in for the GitHub remote (branches are checked there). */
  remote: string | undefined;
  /** Issues and pull requests share one number sequence per repo, as on GitHub. */
  lastNumber: number;
  labels: Map<string, LabelRecord>;
  createdAt: Date;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface PullData {
  id: number;
  head: string;
  headSha: string;
  base: string;
  baseSha: string;
  draft: boolean;
  maintainerCanModify: boolean;
  /** Set when the pull request was merged (mergePull): then it is closed and `merged`. */
  mergedAt?: Date;
  mergeCommitSha?: string;
}

/** A commit status (repos/create-commit-status): the newest per sha and context wins. */
export interface StatusRecord {
  id: number;
  repo: RepoRecord;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: Date;
}

/** An issue, or a pull request (which on GitHub is an issue with pull request data). */
export interface IssueRecord {
  id: number;
  repo: RepoRecord;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  labels: string[];
  comments: number;
  author: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** False while searchIndexing is 'manual' and indexSearch() has not run since the last change. */
  indexed: boolean;
  pull: PullData | undefined;
}

export interface CommentRecord {
  id: number;
  repo: RepoRecord;
  issueNumber: number;
  body: string;
  author: string;
  createdAt: Date;
  updatedAt: Date;
}

/** All state of one stand-in. `nextId` hands out database ids shared by every kind of record. */
export class StandInStore {
  readonly repos = new Map<string, RepoRecord>();
  readonly issues: IssueRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly statuses: StatusRecord[] = [];
  #lastId = 1000;

  nextId(): number {
    return ++this.#lastId;
  }

  static key(owner: string, name: string): string {
    return `${owner}/${name}`.toLowerCase();
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(StandInStore.key(owner, name));
  }

  issue(repo: RepoRecord, number: number): IssueRecord | undefined {
    return this.issues.find((i) => i.repo === repo && i.number === number);
  }

  /**
   * A new open issue (or pull request, with `pull`) taking the repo's next number: issues and
   * pulls share one number sequence per repo, as on GitHub. Not yet stored; the caller adds it.
   */
  newIssue(repo: RepoRecord, fields: { title: string; body: string | null; author: string; now: Date; pull?: PullData }): IssueRecord {
    return {
      id: this.nextId(),
      repo,
      number: ++repo.lastNumber,
      title: fields.title,
      body: fields.body,
      state: 'open',
      stateReason: null,
      labels: [],
      comments: 0,
      author: fields.author,
      createdAt: fields.now,
      updatedAt: fields.now,
      closedAt: null,
      indexed: false,
      pull: fields.pull,
    };
  }

  /** Returns the repo's label of that name (case-insensitive), creating it as GitHub does. */
  label(repo: RepoRecord, name: string): LabelRecord {
    const key = name.toLowerCase();
    let label = repo.labels.get(key);
    if (!label) {
      label = { id: this.nextId(), name, color: 'ededed', description: null };
      repo.labels.set(key, label);
    }
    return label;
  }
}
