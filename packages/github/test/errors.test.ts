import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useGitHubStandIn } from '@blue/testkit';
import { blueMarker, createGitHubClient } from '@blue/github';
import { repo, standInWithClient } from './helpers.js';

/** Everything a user or a log could ever see of an error. */
function everything(err: unknown): string {
  return [String(err), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), (err as { hint?: string }).hint ?? ''].join('\n');
}

describe('GitHub errors', () => {
  it('401: GITHUB_AUTH naming where the token came from, never the token', async () => {
    const standIn = await useGitHubStandIn();
    standIn.addRepo({ owner: 'acme', name: 'widgets' });
    const wrong = 'wrong-but-secret-token-5f1c2d';
    const client = await createGitHubClient({ env: { BLUE_GITHUB_API_URL: standIn.apiUrl, GH_ENTERPRISE_TOKEN: wrong }, ghCommand: false });
    const err = await client.getDefaultBranch(repo).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GITHUB_AUTH', message: expect.stringContaining('GH_ENTERPRISE_TOKEN (401 Bad credentials)') });
    expect(everything(err)).not.toContain(wrong);
    expect(standIn.requests).toHaveLength(1);
  });

  it('404: GITHUB_API saying the repository does not exist or cannot be seen', async () => {
    const { client } = await standInWithClient();
    await expect(client.getDefaultBranch({ owner: 'acme', name: 'nope' })).rejects.toMatchObject({
      code: 'GITHUB_API',
      message: expect.stringMatching(/404 Not Found to read acme\/nope/),
      hint: expect.stringContaining('github: owner/name'),
    });
  });

  it('redacts the token wherever GitHub (or a proxy) echoes it, including in Octokit request errors', async () => {
    const { standIn, client } = await standInWithClient();
    standIn.failNext({ status: 400, body: { message: `Malformed header: Authorization: token ${standIn.token}`, documentation_url: 'x' } });
    const err = await client.getDefaultBranch(repo).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GITHUB_API', message: expect.stringContaining('Malformed header') });
    expect(everything(err)).not.toContain(standIn.token);
    expect((err as Error).cause).toBeUndefined();
  });

  it('retries 5xx on reads with exponential backoff, then succeeds', async () => {
    const { standIn, client, delays } = await standInWithClient();
    standIn.failNext({ status: 503, times: 2, method: 'GET', path: '/repos/acme/widgets' });
    expect(await client.getDefaultBranch(repo)).toBe('main');
    expect(delays).toEqual([1000, 2000]);
    expect(standIn.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('gives up after the bounded number of retries', async () => {
    const { standIn, client, delays } = await standInWithClient({ client: { retry: { retries: 2, baseDelayMs: 10 } } });
    standIn.failNext({ status: 502, times: 10 });
    await expect(client.getDefaultBranch(repo)).rejects.toMatchObject({ code: 'GITHUB_API', message: expect.stringContaining('502') });
    expect(delays).toEqual([10, 20]);
    expect(standIn.requests).toHaveLength(3);
  });

  it('does not retry a create on 5xx (it may have happened); a re-run finds instead of duplicating', async () => {
    const { standIn, client } = await standInWithClient();
    standIn.failNext({ status: 502, method: 'POST' });
    const marker = blueMarker('retry/create');
    await expect(client.ensureIssue(repo, { marker, title: 'T', body: 'B' })).rejects.toMatchObject({ code: 'GITHUB_API', hint: expect.stringContaining('re-run') });
    expect(standIn.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(await client.ensureIssue(repo, { marker, title: 'T', body: 'B' })).toMatchObject({ created: true });
  });

  it('honours retry-after and x-ratelimit-reset on rate limits, for writes too', async () => {
    const now = 1_700_000_000_000;
    const { standIn, client, delays } = await standInWithClient({ client: { now: () => now } });
    standIn.failNext({ status: 429, method: 'POST', headers: { 'retry-after': '7' } });
    standIn.failNext({ status: 403, method: 'GET', path: '/repos/acme/widgets', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) } });
    await client.ensureIssue(repo, { marker: blueMarker('rate'), title: 'T', body: 'B' });
    await client.getDefaultBranch(repo);
    expect(delays).toEqual([7000, 30_000]);
    expect(standIn.state.issues()).toHaveLength(1);
  });

  it('fails at once with GITHUB_API when the rate limit resets later than Blue waits', async () => {
    const now = 1_700_000_000_000;
    const { standIn, client, delays } = await standInWithClient({ client: { now: () => now } });
    standIn.failNext({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 7200) } });
    await expect(client.getDefaultBranch(repo)).rejects.toMatchObject({ code: 'GITHUB_API', message: expect.stringContaining('rate limit resets in 7200 s') });
    expect(delays).toEqual([]);
  });

  it('reports an unreachable API as GITHUB_API naming the URL', async () => {
    const standIn = await useGitHubStandIn();
    const apiUrl = standIn.apiUrl;
    await standIn.close();
    const client = await createGitHubClient({ env: { BLUE_GITHUB_API_URL: apiUrl, GH_ENTERPRISE_TOKEN: 'tok-unreachable-1234' }, ghCommand: false, retry: { retries: 0 } });
    const err = await client.getDefaultBranch(repo).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GITHUB_API', message: expect.stringContaining(`Could not reach GitHub at ${apiUrl}`) });
    expect(everything(err)).not.toContain('tok-unreachable-1234');
  });

  it('gives up on a GitHub that does not answer after timeoutMs (GITHUB_API "no answer within"), without retrying; the default comes from BLUE_GITHUB_TIMEOUT_MS', async () => {
    const { standIn, client } = await standInWithClient({ client: { timeoutMs: 200 } });
    standIn.failNext({ status: 200, delayMs: 5000, times: 2 });
    const started = Date.now();
    const err = await client.getDefaultBranch(repo).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(err).toMatchObject({ code: 'GITHUB_API', message: expect.stringMatching(/^Could not reach GitHub at .* no answer within 0\.2 s$/) });
    const fromEnv = await createGitHubClient({ env: { ...standIn.env, BLUE_GITHUB_TIMEOUT_MS: '150' }, ghCommand: false });
    await expect(fromEnv.getDefaultBranch(repo)).rejects.toMatchObject({ message: expect.stringContaining('no answer within 0.15 s') });
    const patient = await createGitHubClient({ env: { ...standIn.env }, ghCommand: false, timeoutMs: 20_000 });
    expect(await patient.getDefaultBranch(repo)).toBe('main');
  });
});
