import type { RepoRef } from './repo-ref.js';
import { toPullInfo, type Session } from './session.js';
import type { EnsurePullRequestInput, Ensured, PullRequestInfo } from './types.js';

const slug = (repo: RepoRef): string => `${repo.owner}/${repo.name}`;

export async function getDefaultBranch(session: Session, repo: RepoRef): Promise<string> {
  return session.run(`read ${slug(repo)}`, async (octokit) => {
    const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
    return data.default_branch;
  });
}

export async function findPullRequest(session: Session, repo: RepoRef, head: string): Promise<PullRequestInfo | undefined> {
  return session.run(`find the pull request for ${head} in ${slug(repo)}`, async (octokit) => {
    const { data } = await octokit.rest.pulls.list({ owner: repo.owner, repo: repo.name, head: `${repo.owner}:${head}`, state: 'open', per_page: 100 });
    const pull = data.find((p) => p.head.ref === head);
    return pull ? toPullInfo(pull) : undefined;
  });
}

export async function getPullRequest(session: Session, repo: RepoRef, pullNumber: number): Promise<PullRequestInfo> {
  return session.run(`read pull request #${pullNumber} of ${slug(repo)}`, async (octokit) => {
    const { data } = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.name, pull_number: pullNumber });
    return toPullInfo(data);
  });
}

export async function updatePullRequest(session: Session, repo: RepoRef, pullNumber: number, changes: { title?: string; body?: string; base?: string }): Promise<PullRequestInfo> {
  return session.run(`update pull request #${pullNumber} of ${slug(repo)}`, async (octokit) => {
    const { data } = await octokit.rest.pulls.update({ owner: repo.owner, repo: repo.name, pull_number: pullNumber, ...changes });
    return toPullInfo(data);
  });
}

const MUTATIONS = {
  draft: 'mutation($id: ID!) { convertPullRequestToDraft(input: {pullRequestId: $id}) { pullRequest { isDraft } } }',
  ready: 'mutation($id: ID!) { markPullRequestReadyForReview(input: {pullRequestId: $id}) { pullRequest { isDraft } } }',
};

/** Marks a pull request draft or ready for review (GraphQL: REST has no route for it). */
export async function setPullRequestDraft(session: Session, repo: RepoRef, pullNumber: number, draft: boolean): Promise<PullRequestInfo> {
  const action = `mark pull request #${pullNumber} of ${slug(repo)} ${draft ? 'as draft' : 'ready for review'}`;
  return session.run(action, async (octokit) => {
    const { data: current } = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.name, pull_number: pullNumber });
    if ((current.draft === true) === draft) return toPullInfo(current);
    await octokit.graphql(draft ? MUTATIONS.draft : MUTATIONS.ready, { id: current.node_id });
    const { data } = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.name, pull_number: pullNumber });
    return toPullInfo(data);
  });
}

function alreadyExists(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'GITHUB_API' && /already exists/i.test(err.message);
}

async function reconcile(session: Session, repo: RepoRef, existing: PullRequestInfo, input: EnsurePullRequestInput): Promise<Ensured<PullRequestInfo>> {
  const changes: { title?: string; body?: string; base?: string } = {};
  const wanted = input.existing ? input.existing(existing) : input;
  if (existing.title !== wanted.title) changes.title = wanted.title;
  if (existing.body !== wanted.body) changes.body = wanted.body;
  if (input.base !== undefined && existing.base !== input.base) changes.base = input.base;
  let value = existing;
  let updated = false;
  if (Object.keys(changes).length > 0) {
    value = await updatePullRequest(session, repo, existing.number, changes);
    updated = true;
  }
  if (input.draft !== undefined && value.draft !== input.draft) {
    value = await setPullRequestDraft(session, repo, existing.number, input.draft);
    updated = true;
  }
  return { created: false, updated, value };
}

/**
 * The open pull request for `head`, created if missing, with title, body, base and (when given)
 * draft state brought to `input`. A creation that races another ("already exists") adopts it.
 */
export async function ensurePullRequest(session: Session, repo: RepoRef, input: EnsurePullRequestInput): Promise<Ensured<PullRequestInfo>> {
  const existing = await findPullRequest(session, repo, input.head);
  if (existing) return reconcile(session, repo, existing, input);
  const base = input.base ?? (await getDefaultBranch(session, repo));
  try {
    const value = await session.run(`open a pull request from ${input.head} into ${base} in ${slug(repo)}`, async (octokit) => {
      const { data } = await octokit.rest.pulls.create({
        owner: repo.owner,
        repo: repo.name,
        head: input.head,
        base,
        title: input.title,
        body: input.body,
        draft: input.draft === true,
      });
      return toPullInfo(data);
    });
    return { created: true, updated: false, value };
  } catch (err) {
    if (!alreadyExists(err)) throw err;
    const raced = await findPullRequest(session, repo, input.head);
    if (!raced) throw err;
    return reconcile(session, repo, raced, { ...input, base });
  }
}
