import { describe, expect, it } from 'vitest';
import { git, sandbox, useGitHubStandIn } from '@blue/testkit';
import { createGitHubClient } from '@blue/github';
import { remoteWithBranch as pushedBranch, repo, standInWithClient } from './helpers.js';

/** A bare remote holding main and feat/rfc-7 (one commit ahead). */
async function remoteWithBranch(): Promise<string> {
  return (await pushedBranch()).remote;
}

describe('pull requests through Octokit against the stand-in', () => {
  it('opens a pull request for a pushed branch, and the same call again updates instead of opening a second', async () => {
    const remote = await remoteWithBranch();
    const { standIn, client } = await standInWithClient({ remote });
    const first = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'RFC 7', body: 'Part 1 of 2', draft: true });
    const same = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'RFC 7', body: 'Part 1 of 2', draft: true });
    const edited = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'RFC 7', body: 'Part 1 of 2, after #3' });

    expect(first).toMatchObject({ created: true, value: { number: 1, head: 'feat/rfc-7', base: 'main', draft: true, state: 'open' } });
    expect(same).toEqual({ created: false, updated: false, value: first.value });
    expect(edited).toMatchObject({ created: false, updated: true, value: { number: 1, body: 'Part 1 of 2, after #3', draft: true } });
    const pulls = standIn.state.pulls('acme/widgets');
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.headSha).toBe(await git(await sandbox(), remote, ['rev-parse', 'feat/rfc-7']));
    expect(standIn.requests.filter((r) => r.operationId === 'pulls/create')).toHaveLength(1);
  });

  it('marks a pull request ready and back to draft, idempotently', async () => {
    const remote = await remoteWithBranch();
    const { standIn, client } = await standInWithClient({ remote });
    const { value } = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', base: 'main', title: 'T', body: 'B', draft: true });
    expect(await client.setPullRequestDraft(repo, value.number, false)).toMatchObject({ draft: false });
    expect(await client.setPullRequestDraft(repo, value.number, false)).toMatchObject({ draft: false });
    expect(standIn.state.pulls()[0]!.draft).toBe(false);
    const again = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'T', body: 'B', draft: true });
    expect(again).toMatchObject({ created: false, updated: true, value: { draft: true } });
    expect(standIn.requests.filter((r) => r.path.endsWith('graphql'))).toHaveLength(2);
  });

  it('reports a draft change GitHub refuses (a closed pull request) as GITHUB_API', async () => {
    const remote = await remoteWithBranch();
    const { standIn, client } = await standInWithClient({ remote });
    const { value } = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'T', body: 'B' });
    const closed = await fetch(`${standIn.apiUrl}/repos/acme/widgets/pulls/${value.number}`, {
      method: 'PATCH',
      headers: { authorization: `token ${standIn.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'closed' }),
    });
    expect(closed.status).toBe(200);
    await expect(client.setPullRequestDraft(repo, value.number, true)).rejects.toMatchObject({
      code: 'GITHUB_API',
      message: expect.stringContaining('Pull request is closed'),
    });
    // A closed pull request is not "the" pull request of its branch: ensure opens a new one.
    expect(await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'T', body: 'B' })).toMatchObject({ created: true, value: { number: 2 } });
  });

  it('shares one number sequence between issues and pull requests', async () => {
    const remote = await remoteWithBranch();
    const { client } = await standInWithClient({ remote });
    await client.ensureIssue(repo, { marker: '<!-- blue:x -->', title: 'I', body: '' });
    const { value } = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'P', body: '' });
    expect(value.number).toBe(2);
    expect(await client.findIssue(repo, '<!-- blue:x -->')).toMatchObject({ number: 1 });
  });

  it('says which field GitHub rejected when the head branch was never pushed (422)', async () => {
    const remote = await remoteWithBranch();
    const { standIn, client } = await standInWithClient({ remote });
    const err = await client.ensurePullRequest(repo, { head: 'feat/not-pushed', title: 'T', body: 'B' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'GITHUB_API',
      message: expect.stringMatching(/422.*field "head" of PullRequest is invalid/),
      hint: expect.stringContaining('Push the branch'),
    });
    expect((err as Error).message).toMatch(/request id [0-9A-F:]+/);
    expect(standIn.state.pulls()).toEqual([]);
  });

  it('refuses a pull request without commits (the branch equals its base)', async () => {
    const remote = await remoteWithBranch();
    const { client } = await standInWithClient({ remote });
    await expect(client.ensurePullRequest(repo, { head: 'main', base: 'main', title: 'T', body: '' })).rejects.toMatchObject({
      code: 'GITHUB_API',
      message: expect.stringContaining('No commits between main and main'),
    });
  });

  it('works against a GitHub Enterprise Server base URL (/api/v3), GraphQL included', async () => {
    const remote = await remoteWithBranch();
    const standIn = await useGitHubStandIn({ enterprise: true });
    standIn.addRepo({ owner: 'acme', name: 'widgets', remote, defaultBranch: 'main' });
    expect(standIn.apiUrl).toBe(`${standIn.url}/api/v3`);
    const client = await createGitHubClient({ env: { GITHUB_API_URL: `${standIn.apiUrl}/`, GITHUB_ENTERPRISE_TOKEN: standIn.token }, ghCommand: false });
    expect(client.apiUrl).toBe(standIn.apiUrl);
    expect(client.tokenSource).toBe('GITHUB_ENTERPRISE_TOKEN');
    const { value } = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'T', body: 'B', draft: true });
    await client.setPullRequestDraft(repo, value.number, false);
    expect(standIn.state.pulls()[0]).toMatchObject({ draft: false });
    expect(standIn.requests.every((r) => r.status < 400)).toBe(true);
    expect(standIn.requests.map((r) => r.path)).toContain('/api/graphql');
  });
});
