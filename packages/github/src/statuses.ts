import type { RepoRef } from './repo-ref.js';
import type { Session } from './session.js';
import type { CommitStatus, CommitStatusState } from './types.js';

const slug = (repo: RepoRef): string => `${repo.owner}/${repo.name}`;

/** The newest status of each context on `sha` (GitHub's combined status, first 100 contexts). */
export async function getCommitStatuses(session: Session, repo: RepoRef, sha: string): Promise<CommitStatus[]> {
  return session.run(`read the statuses of ${sha.slice(0, 7)} in ${slug(repo)}`, async (octokit) => {
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({ owner: repo.owner, repo: repo.name, ref: sha, per_page: 100 });
    return data.statuses.map((s) => ({ state: s.state as CommitStatusState, context: s.context, description: s.description ?? '', targetUrl: s.target_url ?? '' }));
  });
}

/** Adds a status to `sha`; GitHub keeps the newest per context. */
export async function setCommitStatus(session: Session, repo: RepoRef, sha: string, status: CommitStatus): Promise<void> {
  await session.run(`set status ${status.context} on ${sha.slice(0, 7)} in ${slug(repo)}`, async (octokit) => {
    await octokit.rest.repos.createCommitStatus({ owner: repo.owner, repo: repo.name, sha, state: status.state, context: status.context, description: status.description, target_url: status.targetUrl });
  });
}
