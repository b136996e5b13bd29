import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Octokit } from '@octokit/rest';
import { describe, expect, it } from 'vitest';
import { bareRemote, git, gitRepo, OpenApiValidator, readOpenApiSubset, sandbox, useGitHubStandIn, type GitHubStandIn } from '@blue/testkit';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function started(options: Parameters<typeof useGitHubStandIn>[0] = {}): Promise<{ standIn: GitHubStandIn; octokit: Octokit }> {
  const standIn = await useGitHubStandIn(options);
  standIn.addRepo({ owner: 'acme', name: 'widgets' });
  return { standIn, octokit: new Octokit({ auth: standIn.token, baseUrl: standIn.apiUrl, log: silent }) };
}

/** octokit.request without Octokit's compile-time parameter types, to send what GitHub would reject. */
const untyped = (octokit: Octokit, route: string, params: Record<string, unknown>): Promise<unknown> => octokit.request(route, params);

const rejection = (p: Promise<unknown>): Promise<{ status: number; response: { data: { message: string; errors?: Array<Record<string, string>> }; headers: Record<string, string> } }> =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (err: unknown) => err as never,
  );

describe('GitHub stand-in', () => {
  it('rejects a misspelled body field in strict mode (the default) with a 422 naming it', async () => {
    const { standIn, octokit } = await started();
    const err = await rejection(octokit.request('POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'widgets', title: 'T', bodyy: 'misspelled' }));
    expect(err.status).toBe(422);
    expect(err.response.data.errors).toEqual([expect.objectContaining({ resource: 'Issue', field: 'bodyy', code: 'invalid' })]);
    expect(standIn.state.issues()).toEqual([]);

    const lenient = await started({ strict: false });
    const res = await lenient.octokit.request('POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'widgets', title: 'T', bodyy: 'misspelled' });
    expect(res.status).toBe(201);
  });

  it('validates types, enums and required fields of requests against the description', async () => {
    const { octokit } = await started();
    const wrongType = await rejection(untyped(octokit, 'POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'widgets', title: 'T', labels: 'blue' }));
    expect(wrongType.response.data.errors).toEqual([expect.objectContaining({ field: 'labels', code: 'invalid' })]);
    const missing = await rejection(untyped(octokit, 'POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'widgets', body: 'no title' }));
    expect(missing.response.data.errors).toEqual([expect.objectContaining({ field: 'title', code: 'missing_field' })]);
    const badEnum = await rejection(untyped(octokit, 'GET /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'widgets', state: 'opened' }));
    expect(badEnum.status).toBe(422);
    expect(badEnum.response.data.message).toContain('state');
    const unknownQuery = await rejection(octokit.request('GET /repos/{owner}/{repo}/pulls', { owner: 'acme', repo: 'widgets', stat: 'open' }));
    expect(unknownQuery.response.data.errors).toEqual([expect.objectContaining({ field: 'stat' })]);
  });

  it('accepts OpenAPI 3.0 nullable fields (with and without type) as GitHub does', async () => {
    const { octokit } = await started();
    await octokit.rest.issues.create({ owner: 'acme', repo: 'widgets', title: 'T' });
    const res = await octokit.rest.issues.update({ owner: 'acme', repo: 'widgets', issue_number: 1, milestone: null, body: null, state: 'closed', state_reason: null });
    expect(res.data).toMatchObject({ state: 'closed', body: null });
    await expect(rejection(untyped(octokit, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner: 'acme', repo: 'widgets', issue_number: 1, state_reason: 'bogus' }))).resolves.toMatchObject({ status: 422 });
  });

  it('answers 401 without or with a wrong token, 404 for unknown repos and 501 for routes it does not implement', async () => {
    const { standIn, octokit } = await started();
    const anonymous = await fetch(`${standIn.apiUrl}/repos/acme/widgets`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication' });
    expect(anonymous.headers.get('x-github-request-id')).toMatch(/^[0-9A-F]{4}:[0-9A-F]{4}:/);
    const wrong = await fetch(`${standIn.apiUrl}/repos/acme/widgets`, { headers: { authorization: 'token nope' } });
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials' });
    await expect(rejection(octokit.rest.repos.get({ owner: 'acme', repo: 'missing' }))).resolves.toMatchObject({ status: 404, response: { data: { message: 'Not Found' } } });
    await expect(rejection(octokit.request('GET /user'))).resolves.toMatchObject({ status: 501 });
    await expect(rejection(octokit.request('DELETE /repos/{owner}/{repo}', { owner: 'acme', repo: 'widgets' }))).resolves.toMatchObject({ status: 501 });
    await expect(rejection(octokit.rest.search.issuesAndPullRequests({ q: 'repo:acme/widgets author:someone' }))).resolves.toMatchObject({ status: 501 });
  });

  it('paginates with Link headers built from its own base URL, /api/v3 prefix included', async () => {
    const { standIn, octokit } = await started({ enterprise: true });
    for (let i = 1; i <= 5; i++) await octokit.rest.issues.create({ owner: 'acme', repo: 'widgets', title: `#${i}` });
    const first = await octokit.rest.issues.listForRepo({ owner: 'acme', repo: 'widgets', per_page: 2 });
    expect(first.headers.link).toBe(
      [
        `<${standIn.url}/api/v3/repos/acme/widgets/issues?per_page=2&page=2>; rel="next"`,
        `<${standIn.url}/api/v3/repos/acme/widgets/issues?per_page=2&page=3>; rel="last"`,
      ].join(', '),
    );
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: 'acme', repo: 'widgets', per_page: 2 });
    expect(all.map((i) => i.title)).toEqual(['#5', '#4', '#3', '#2', '#1']);
    const found = await octokit.paginate(octokit.rest.search.issuesAndPullRequests, { q: 'repo:acme/widgets is:issue is:open', per_page: 2 });
    expect(found).toHaveLength(5);
    expect(standIn.requests.filter((r) => r.operationId === 'search/issues-and-pull-requests').map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
  });

  it('searches with the qualifiers Blue uses: repo:, is:issue|pr, is:open, in:body, head:', async () => {
    const box = await sandbox();
    const remote = await bareRemote(box);
    const work = await gitRepo(box, { a: '1' }, { origin: remote });
    await git(box, work, ['push', '--quiet', 'origin', 'main']);
    await git(box, work, ['switch', '--quiet', '-c', 'feat/x']);
    await git(box, work, ['commit', '--quiet', '--allow-empty', '-m', 'x']);
    await git(box, work, ['push', '--quiet', 'origin', 'feat/x']);
    const standIn = await useGitHubStandIn();
    standIn.addRepo({ owner: 'acme', name: 'widgets', remote });
    standIn.addRepo({ owner: 'acme', name: 'other' });
    const octokit = new Octokit({ auth: standIn.token, baseUrl: standIn.apiUrl, log: silent });
    await octokit.rest.issues.create({ owner: 'acme', repo: 'widgets', title: 'blue:k in title', body: 'nothing' });
    await octokit.rest.issues.create({ owner: 'acme', repo: 'widgets', title: 'T', body: 'has <!-- blue:k -->' });
    await octokit.rest.issues.create({ owner: 'acme', repo: 'other', title: 'T', body: 'has <!-- blue:k -->' });
    await octokit.rest.pulls.create({ owner: 'acme', repo: 'widgets', head: 'feat/x', base: 'main', title: 'P', body: 'has <!-- blue:k -->' });
    await octokit.rest.issues.update({ owner: 'acme', repo: 'widgets', issue_number: 2, state: 'closed' });
    const numbers = async (q: string): Promise<number[]> => (await octokit.rest.search.issuesAndPullRequests({ q })).data.items.map((i) => i.number).sort();
    expect(await numbers('repo:acme/widgets is:issue in:body "blue:k"')).toEqual([2]);
    expect(await numbers('repo:acme/widgets is:issue "blue:k"')).toEqual([1, 2]);
    expect(await numbers('repo:acme/widgets is:pr in:body "blue:k"')).toEqual([3]);
    expect(await numbers('repo:acme/widgets is:open "blue:k"')).toEqual([1, 3]);
    expect(await numbers('repo:acme/widgets is:pr head:feat/x')).toEqual([3]);
    expect(await numbers('repo:acme/other "blue:k"')).toEqual([1]);
    expect(await numbers('repo:acme/widgets is:pr head:feat/y')).toEqual([]);
    await expect(rejection(octokit.rest.search.issuesAndPullRequests({ q: 'repo:acme/nope is:issue' }))).resolves.toMatchObject({ status: 422 });
  });

  it('creates pull requests only for branches that exist in the mapped bare remote', async () => {
    const box = await sandbox();
    const remote = await bareRemote(box);
    const work = await gitRepo(box, { a: '1' }, { origin: remote });
    await git(box, work, ['push', '--quiet', 'origin', 'main']);
    const standIn = await useGitHubStandIn();
    standIn.addRepo({ owner: 'acme', name: 'widgets', remote });
    const octokit = new Octokit({ auth: standIn.token, baseUrl: standIn.apiUrl, log: silent });
    const missing = await rejection(octokit.rest.pulls.create({ owner: 'acme', repo: 'widgets', head: 'feat/x', base: 'main', title: 'P' }));
    expect(missing.response.data.errors).toEqual([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
    await git(box, work, ['switch', '--quiet', '-c', 'feat/x']);
    await git(box, work, ['commit', '--quiet', '--allow-empty', '-m', 'x']);
    await git(box, work, ['push', '--quiet', 'origin', 'feat/x']);
    const created = await octokit.rest.pulls.create({ owner: 'acme', repo: 'widgets', head: 'acme:feat/x', base: 'main', title: 'P' });
    expect(created.data).toMatchObject({ number: 1, head: { ref: 'feat/x', sha: await git(box, work, ['rev-parse', 'HEAD']) }, base: { ref: 'main' } });
    const dup = await rejection(octokit.rest.pulls.create({ owner: 'acme', repo: 'widgets', head: 'feat/x', base: 'main', title: 'P' }));
    expect(dup.response.data.errors?.[0]?.message).toBe('A pull request already exists for acme:feat/x.');
    expect(standIn.state.pulls()).toEqual([expect.objectContaining({ number: 1, head: 'feat/x', base: 'main', draft: false, state: 'open' })]);
    expect(standIn.state.repos()).toEqual([expect.objectContaining({ owner: 'acme', name: 'widgets', defaultBranch: 'main', remote })]);
  });

  it('validates responses: a response that breaks the description is reported', () => {
    const validator = new OpenApiValidator(readOpenApiSubset());
    expect(validator.validateResponse('issues/get', 404, { message: 'Not Found', documentation_url: 'x' })).toEqual([]);
    expect(validator.validateResponse('issues/get', 200, { number: 'one' }).join('\n')).toMatch(/must have required property 'id'[\s\S]*\/number must be integer/);
    expect(validator.validateResponse('issues/get', 201, {})).toEqual(['issues/get does not declare status 201']);
    expect(validator.match('GET', '/repos/a/b/issues/7')).toEqual({ operationId: 'issues/get', method: 'GET', template: '/repos/{owner}/{repo}/issues/{issue_number}', params: { owner: 'a', repo: 'b', issue_number: '7' } });
  });

  it('can be started from a plain node script (no vitest), e.g. for the demo', async () => {
    const script = `
      import { githubStandIn } from '@blue/testkit';
      const standIn = await githubStandIn();
      standIn.addRepo({ owner: 'acme', name: 'widgets' });
      const res = await fetch(standIn.apiUrl + '/repos/acme/widgets', { headers: { authorization: 'token ' + standIn.token } });
      console.log(res.status, (await res.json()).full_name, Object.keys(standIn.env).join(','));
      await standIn.close();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url) });
    expect(stdout.trim()).toBe('200 acme/widgets BLUE_GITHUB_API_URL,GH_ENTERPRISE_TOKEN');
  });
});
