import { createHash } from 'node:crypto';
import type { CommentRecord, IssueRecord, LabelRecord, RepoRecord } from './store.js';

/** URL bases for one response: the API base (with `/api/v3` when the request used it) and the web base. */
export interface UrlBase {
  api: string;
  web: string;
}

/** GitHub's timestamp format: ISO 8601 in UTC without milliseconds. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64').replace(/=+$/, '');
}

/** A stable fake user id for a login. */
function userId(login: string): number {
  return parseInt(createHash('sha1').update(login).digest('hex').slice(0, 7), 16);
}

export function userJson(login: string, base: UrlBase, type: 'User' | 'Organization' | 'Bot' = 'User'): Record<string, unknown> {
  const id = userId(login);
  const api = `${base.api}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId('U_', id),
    avatar_url: `${base.web}/avatars/${login}`,
    gravatar_id: '',
    url: api,
    html_url: `${base.web}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** A repository object valid as both `repository` and `full-repository`. */
export function repoJson(repo: RepoRecord, base: UrlBase, openIssues: number): Record<string, unknown> {
  const api = `${base.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${base.web}/${repo.owner}/${repo.name}`;
  const host = new URL(base.web).host;
  const created = timestamp(repo.createdAt);
  const templated: Record<string, string> = {
    archive_url: '/{archive_format}{/ref}',
    assignees_url: '/assignees{/user}',
    blobs_url: '/git/blobs{/sha}',
    branches_url: '/branches{/branch}',
    collaborators_url: '/collaborators{/collaborator}',
    comments_url: '/comments{/number}',
    commits_url: '/commits{/sha}',
    compare_url: '/compare/{base}...{head}',
    contents_url: '/contents/{+path}',
    git_commits_url: '/git/commits{/sha}',
    git_refs_url: '/git/refs{/sha}',
    git_tags_url: '/git/tags{/sha}',
    issue_comment_url: '/issues/comments{/number}',
    issue_events_url: '/issues/events{/number}',
    issues_url: '/issues{/number}',
    keys_url: '/keys{/key_id}',
    labels_url: '/labels{/name}',
    milestones_url: '/milestones{/number}',
    notifications_url: '/notifications{?since,all,participating}',
    pulls_url: '/pulls{/number}',
    releases_url: '/releases{/id}',
    statuses_url: '/statuses/{sha}',
    trees_url: '/git/trees{/sha}',
  };
  const plain = ['contributors', 'deployments', 'downloads', 'events', 'forks', 'hooks', 'languages', 'merges', 'stargazers', 'subscribers', 'subscription', 'tags', 'teams'];
  const json: Record<string, unknown> = {
    id: repo.id,
    node_id: nodeId('R_', repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: userJson(repo.owner, base, 'Organization'),
    private: repo.private,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    clone_url: `${html}.git`,
    git_url: `git://${host}/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@${host}:${repo.owner}/${repo.name}.git`,
    svn_url: html,
    mirror_url: null,
    homepage: null,
    language: null,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues: openIssues,
    open_issues_count: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: created,
    created_at: created,
    updated_at: created,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
  for (const [key, suffix] of Object.entries(templated)) json[key] = `${api}${suffix}`;
  for (const name of plain) json[`${name}_url`] = `${api}/${name}`;
  return json;
}

export function labelJson(repo: RepoRecord, label: LabelRecord, base: UrlBase): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId('LA_', label.id),
    url: `${base.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

function reactions(url: string): Record<string, unknown> {
  return { url: `${url}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 };
}

/** An `issue` object; pull requests carry the `pull_request` member, as on GitHub. */
export function issueJson(issue: IssueRecord, base: UrlBase, labels: LabelRecord[]): Record<string, unknown> {
  const { repo } = issue;
  const repoApi = `${base.api}/repos/${repo.owner}/${repo.name}`;
  const api = `${repoApi}/issues/${issue.number}`;
  const html = `${base.web}/${repo.owner}/${repo.name}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`;
  const json: Record<string, unknown> = {
    id: issue.id,
    node_id: nodeId(issue.pull ? 'PR_' : 'I_', issue.id),
    url: api,
    repository_url: repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userJson(issue.author, base),
    labels: labels.map((l) => labelJson(repo, l, base)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: issue.comments,
    closed_at: issue.closedAt ? timestamp(issue.closedAt) : null,
    created_at: timestamp(issue.createdAt),
    updated_at: timestamp(issue.updatedAt),
    closed_by: null,
    author_association: 'OWNER',
    reactions: reactions(api),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
  };
  if (issue.pull) {
    json.draft = issue.pull.draft;
    json.pull_request = {
      url: `${repoApi}/pulls/${issue.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: null,
    };
  }
  return json;
}

export function commentJson(comment: CommentRecord, base: UrlBase): Record<string, unknown> {
  const repoApi = `${base.api}/repos/${comment.repo.owner}/${comment.repo.name}`;
  const url = `${repoApi}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: nodeId('IC_', comment.id),
    url,
    html_url: `${base.web}/${comment.repo.owner}/${comment.repo.name}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: userJson(comment.author, base),
    created_at: timestamp(comment.createdAt),
    updated_at: timestamp(comment.updatedAt),
    issue_url: `${repoApi}/issues/${comment.issueNumber}`,
    author_association: 'OWNER',
    performed_via_github_app: null,
    reactions: reactions(url),
  };
}

/**
 * A `pull-request` object (`full`) or a `pull-request-simple` one (lists). Counts that need a
 * diff (additions, commits, ...) are reported as zero or one.
 */
export function pullJson(issue: IssueRecord, base: UrlBase, labels: LabelRecord[], openIssues: number, full: boolean): Record<string, unknown> {
  const pull = issue.pull;
  if (!pull) throw new Error(`#${issue.number} is not a pull request`);
  const { repo } = issue;
  const repoApi = `${base.api}/repos/${repo.owner}/${repo.name}`;
  const api = `${repoApi}/pulls/${issue.number}`;
  const html = `${base.web}/${repo.owner}/${repo.name}/pull/${issue.number}`;
  const repository = repoJson(repo, base, openIssues);
  const owner = userJson(repo.owner, base, 'Organization');
  const side = (ref: string, sha: string): Record<string, unknown> => ({ label: `${repo.owner}:${ref}`, ref, sha, user: owner, repo: repository });
  const link = (href: string): Record<string, string> => ({ href });
  const json: Record<string, unknown> = {
    url: api,
    id: pull.id,
    node_id: nodeId('PR_', issue.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${repoApi}/issues/${issue.number}`,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${issue.number}/comments`,
    statuses_url: `${repoApi}/statuses/${pull.headSha}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userJson(issue.author, base),
    body: issue.body,
    labels: labels.map((l) => labelJson(repo, l, base)),
    milestone: null,
    active_lock_reason: null,
    created_at: timestamp(issue.createdAt),
    updated_at: timestamp(issue.updatedAt),
    closed_at: issue.closedAt ? timestamp(issue.closedAt) : null,
    merged_at: pull.mergedAt ? timestamp(pull.mergedAt) : null,
    merge_commit_sha: pull.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, pull.headSha),
    base: side(pull.base, pull.baseSha),
    _links: {
      self: link(api),
      html: link(html),
      issue: link(`${repoApi}/issues/${issue.number}`),
      comments: link(`${repoApi}/issues/${issue.number}/comments`),
      review_comments: link(`${api}/comments`),
      review_comment: link(`${repoApi}/pulls/comments{/number}`),
      commits: link(`${api}/commits`),
      statuses: link(`${repoApi}/statuses/${pull.headSha}`),
    },
    author_association: 'OWNER',
    auto_merge: null,
    draft: pull.draft,
  };
  if (full) {
    Object.assign(json, {
      merged: pull.mergedAt !== undefined,
      mergeable: null,
      rebaseable: null,
      mergeable_state: 'unknown',
      merged_by: null,
      comments: issue.comments,
      review_comments: 0,
      maintainer_can_modify: pull.maintainerCanModify,
      commits: 1,
      additions: 0,
      deletions: 0,
      changed_files: 0,
    });
  }
  return json;
}
