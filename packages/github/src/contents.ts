import type { RepoRef } from './repo-ref.js';
import type { Session } from './session.js';

/** The largest file Blue reads from a repository through the API (the contents API serves up to 1 MB as JSON). */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The text of `path` on the repository's default branch (or `ref`), or undefined when there is
 * no such file (404) or it is not a regular file within 1 MB.
 */
export async function readRepoFile(session: Session, repo: RepoRef, path: string, ref?: string): Promise<string | undefined> {
  return session.run(`read ${path} in ${repo.owner}/${repo.name}`, async (octokit) => {
    try {
      const { data } = await octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path, ...(ref === undefined ? {} : { ref }) });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data) || data.size > MAX_FILE_BYTES) return undefined;
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    } catch (err) {
      if (typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 404) return undefined;
      throw err;
    }
  });
}
