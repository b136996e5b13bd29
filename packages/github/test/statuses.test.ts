import { describe, expect, it } from 'vitest';
import { git } from '@blue/testkit';
import { remoteWithBranch, repo, standInWithClient } from './helpers.js';

describe('commit statuses and merged pull requests through Octokit against the stand-in', () => {
  it('sets statuses, reads the newest per context, follows a moved head and tells a merge from a close', async () => {
    const { remote, work, box } = await remoteWithBranch();
    const { standIn, client } = await standInWithClient({ remote });
    const { value: pull } = await client.ensurePullRequest(repo, { head: 'feat/rfc-7', title: 'T', body: 'B' });
    expect(pull).toMatchObject({ merged: false, headSha: await git(box, work, ['rev-parse', 'HEAD']) });

    await client.setCommitStatus(repo, pull.headSha, { state: 'pending', context: 'blue/merge-order', description: 'waiting for a#1', targetUrl: 'https://example.com/a/pull/1' });
    await client.setCommitStatus(repo, pull.headSha, { state: 'success', context: 'blue/merge-order', description: 'a#1 merged', targetUrl: 'https://example.com/a/pull/1' });
    await client.setCommitStatus(repo, pull.headSha, { state: 'failure', context: 'ci/other', description: 'red', targetUrl: 'https://example.com/ci' });
    const statuses = await client.getCommitStatuses(repo, pull.headSha);
    expect(statuses.sort((x, y) => x.context.localeCompare(y.context))).toEqual([
      { state: 'success', context: 'blue/merge-order', description: 'a#1 merged', targetUrl: 'https://example.com/a/pull/1' },
      { state: 'failure', context: 'ci/other', description: 'red', targetUrl: 'https://example.com/ci' },
    ]);
    expect(standIn.state.statuses('acme/widgets')).toHaveLength(3);

    await git(box, work, ['commit', '--quiet', '--allow-empty', '-m', 'more']);
    await git(box, work, ['push', '--quiet', 'origin', 'feat/rfc-7']);
    const moved = await client.getPullRequest(repo, pull.number);
    expect(moved.headSha).toBe(await git(box, work, ['rev-parse', 'HEAD']));
    expect(await client.getCommitStatuses(repo, moved.headSha)).toEqual([]);

    await standIn.mergePull('acme/widgets', pull.number);
    expect(await client.getPullRequest(repo, pull.number)).toMatchObject({ state: 'closed', merged: true });
    expect(await git(box, remote, ['rev-list', '--count', 'main'])).toBe('4');
    expect(standIn.violations).toEqual([]);
  });
});
