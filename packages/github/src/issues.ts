import { hasMarker, markerKey, withMarker } from './marker.js';
import type { RepoRef } from './repo-ref.js';
import { toCommentInfo, toIssueInfo, type Session } from './session.js';
import type { CommentInfo, EnsureIssueInput, Ensured, IssueInfo } from './types.js';

const slug = (repo: RepoRef): string => `${repo.owner}/${repo.name}`;

/**
 * The issue carrying `marker`, in any state. Search finds older issues; because GitHub indexes
 * with a delay, the most recent issues are then listed too (filtered by `labels` when given), so
 * an issue created a moment ago is found. Several matches (a race) resolve to the oldest.
 */
export async function findIssue(session: Session, repo: RepoRef, marker: string, labels: readonly string[] = [], state: 'open' | 'all' = 'all'): Promise<IssueInfo | undefined> {
  const key = markerKey(marker);
  const q = `repo:${slug(repo)} is:issue${state === 'open' ? ' is:open' : ''} in:body "blue:${key}"`;
  const found = await session.run(`search issues of ${slug(repo)} for ${marker}`, async (octokit) => {
    const { data } = await octokit.rest.search.issuesAndPullRequests({ q, per_page: 100 });
    return data.items.filter((i) => !i.pull_request && hasMarker(i.body, marker) && (state === 'all' || i.state === 'open'));
  });
  if (found.length > 0) return toIssueInfo(found.reduce((a, b) => (b.number < a.number ? b : a)));
  return session.run(`list recent issues of ${slug(repo)}`, async (octokit) => {
    const matches: IssueInfo[] = [];
    let pages = 0;
    const iterator = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      owner: repo.owner,
      repo: repo.name,
      state,
      sort: 'created',
      direction: 'desc',
      per_page: 100,
      ...(labels.length > 0 ? { labels: labels.join(',') } : {}),
    });
    for await (const { data } of iterator) {
      for (const issue of data) if (!issue.pull_request && hasMarker(issue.body, marker)) matches.push(toIssueInfo(issue));
      if (++pages >= session.recentIssuePages) break;
    }
    return matches.length > 0 ? matches.reduce((a, b) => (b.number < a.number ? b : a)) : undefined;
  });
}

export async function ensureIssue(session: Session, repo: RepoRef, input: EnsureIssueInput): Promise<Ensured<IssueInfo>> {
  const body = withMarker(input.body, input.marker);
  const existing = await findIssue(session, repo, input.marker, input.labels, input.state);
  if (existing) {
    if (!input.updateExisting || (existing.title === input.title && existing.body === body)) return { created: false, updated: false, value: existing };
    const value = await session.run(`update issue #${existing.number} of ${slug(repo)}`, async (octokit) => {
      const { data } = await octokit.rest.issues.update({ owner: repo.owner, repo: repo.name, issue_number: existing.number, title: input.title, body });
      return toIssueInfo(data);
    });
    return { created: false, updated: true, value };
  }
  const value = await session.run(`create an issue in ${slug(repo)}`, async (octokit) => {
    const { data } = await octokit.rest.issues.create({
      owner: repo.owner,
      repo: repo.name,
      title: input.title,
      body,
      ...(input.labels && input.labels.length > 0 ? { labels: input.labels } : {}),
    });
    return toIssueInfo(data);
  });
  return { created: true, updated: false, value };
}

/**
 * Comments on an issue or pull request. With a marker, the comment carrying it is returned instead
 * of adding another; with `update` too, its body is rewritten when it differs (one comment kept
 * current in place, as the Action's pull request report).
 */
export async function commentOnIssue(session: Session, repo: RepoRef, issueNumber: number, text: string, marker?: string, update = false): Promise<Ensured<CommentInfo>> {
  const body = marker === undefined ? text : withMarker(text, marker);
  if (marker !== undefined) {
    const existing = await session.run(`list comments of #${issueNumber} in ${slug(repo)}`, async (octokit) => {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: repo.owner, repo: repo.name, issue_number: issueNumber, per_page: 100 });
      return comments.find((c) => hasMarker(c.body, marker));
    });
    if (existing && (!update || existing.body === body)) return { created: false, updated: false, value: toCommentInfo(existing) };
    if (existing) {
      const value = await session.run(`update comment ${existing.id} on #${issueNumber} in ${slug(repo)}`, async (octokit) => {
        const { data } = await octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.name, comment_id: existing.id, body });
        return toCommentInfo(data);
      });
      return { created: false, updated: true, value };
    }
  }
  const value = await session.run(`comment on #${issueNumber} in ${slug(repo)}`, async (octokit) => {
    const { data } = await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: issueNumber, body });
    return toCommentInfo(data);
  });
  return { created: true, updated: false, value };
}

export async function closeIssue(
  session: Session,
  repo: RepoRef,
  issueNumber: number,
  options: { reason?: 'completed' | 'not_planned'; comment?: string; commentMarker?: string },
): Promise<IssueInfo> {
  if (options.comment !== undefined) await commentOnIssue(session, repo, issueNumber, options.comment, options.commentMarker);
  return session.run(`close issue #${issueNumber} of ${slug(repo)}`, async (octokit) => {
    const { data: current } = await octokit.rest.issues.get({ owner: repo.owner, repo: repo.name, issue_number: issueNumber });
    if (current.state === 'closed') return toIssueInfo(current);
    const { data } = await octokit.rest.issues.update({
      owner: repo.owner,
      repo: repo.name,
      issue_number: issueNumber,
      state: 'closed',
      state_reason: options.reason ?? 'completed',
    });
    return toIssueInfo(data);
  });
}
