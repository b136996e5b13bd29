import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureRepo, git, useGitHubStandIn, verifies, type GitHubStandIn, type Sandbox } from '@blue/testkit';
import { parse } from 'yaml';
import { coordinatedCommit, createContext, createWorktree, gateChange, joinRealm, openPullRequests, pushWorktrees, type BlueContext } from '@blue/realm';
import { commitAll, NOW, sharedRealm } from './helpers.js';

const BRANCH = 'feat/training-metrics-v2';
const SLUG = 'feat-training-metrics-v2';

function ctxWith(box: Sandbox, cwd: string, standIn: GitHubStandIn): BlueContext {
  return createContext({ cwd, env: { ...box.env, ...standIn.env }, now: () => NOW });
}

/** Letemcook on a shared realm remote, both repos on the stand-in (branches checked against their bare remotes), a worktree started. */
async function started() {
  const shared = await sharedRealm({ apertureGithub: 'letemcook/aperture', fungalGithub: 'letemcook/fungal-image-analysis' });
  const standIn = await useGitHubStandIn();
  standIn.addRepo({ owner: 'letemcook', name: 'aperture', remote: shared.aperture.remote });
  standIn.addRepo({ owner: 'letemcook', name: 'fungal-image-analysis', remote: shared.fungal.remote });
  await createWorktree(ctxWith(shared.box, shared.aperture.dir, standIn), { rfc: 'training-metrics-v2' });
  return { ...shared, standIn, apertureTree: join(shared.aperture.dir, '.worktrees', SLUG), fungalTree: join(shared.fungal.dir, '.worktrees', SLUG) };
}

/** Appends to one file in each worktree, commits both as one coordinated commit and pushes. */
async function commitBoth(s: Awaited<ReturnType<typeof started>>, aperture: [string, string], fungal: [string, string], message: string): Promise<void> {
  await appendFile(join(s.apertureTree, aperture[0]), aperture[1]);
  await appendFile(join(s.fungalTree, fungal[0]), fungal[1]);
  await coordinatedCommit(ctxWith(s.box, s.apertureTree, s.standIn), { message });
  await pushWorktrees(ctxWith(s.box, s.apertureTree, s.standIn));
}

async function tracking(box: Sandbox, remote: string): Promise<{ domains: Array<{ name: string; pr?: { number: number; url: string } }>; coordination: { merge_order?: string[] } }> {
  return parse(await git(box, remote, ['show', `main:worktrees/${SLUG}.yaml`])) as never;
}

describe('linked pull requests', () => {
  verifies('pr-linked-merge-order', 'opens one PR per repo, providers first, each body linking the others; the numbers are tracked and a re-run opens nothing new', async () => {
    const s = await started();
    const { box, remote, standIn, apertureTree, fungalTree } = s;
    await commitBoth(s, ['models/training/metrics.py', '\nEXPERIMENTS = "s3://cultivarium-fungal/training-metrics/experiments/"\n'], ['cdk/training_tools_access_stack.py', '\n# training-metrics/experiments/*\n'], 'feat: experiment metrics');

    const result = await openPullRequests(ctxWith(box, fungalTree, standIn));
    const apertureUrl = `${standIn.url}/letemcook/aperture/pull/1`;
    const fungalUrl = `${standIn.url}/letemcook/fungal-image-analysis/pull/1`;
    expect(result.merge_order).toEqual(['aperture', 'fungal-image-analysis']);
    expect(result.merge_order_line).toBe('aperture#1 → fungal-image-analysis#1');
    expect(result.pulls).toEqual([
      expect.objectContaining({ domain: 'aperture', status: 'ok', repo: 'letemcook/aperture', number: 1, url: apertureUrl, base: 'main', title: 'feat: experiment metrics', created: true, draft: false, links_to: ['fungal-image-analysis#1'], blocked_by: [] }),
      expect.objectContaining({ domain: 'fungal-image-analysis', status: 'ok', number: 1, url: fungalUrl, created: true, links_to: ['aperture#1'], blocked_by: ['aperture#1'] }),
    ]);
    const [aperturePull] = standIn.state.pulls('letemcook/aperture');
    const [fungalPull] = standIn.state.pulls('letemcook/fungal-image-analysis');
    expect(aperturePull).toMatchObject({ head: BRANCH, base: 'main', headSha: await git(box, apertureTree, ['rev-parse', 'HEAD']) });
    expect(aperturePull?.body).toContain(`Links to: [fungal-image-analysis#1](${fungalUrl})`);
    expect(aperturePull?.body).not.toContain('Blocked by');
    expect(fungalPull?.body).toContain(`Links to: [aperture#1](${apertureUrl})`);
    expect(fungalPull?.body).toContain(`Blocked by: [aperture#1](${apertureUrl}) (merge aperture first)`);
    expect(fungalPull?.body).toContain('Merge order: aperture#1 → fungal-image-analysis#1');
    const tracked = await tracking(box, remote);
    expect(tracked.coordination.merge_order).toEqual(['aperture', 'fungal-image-analysis']);
    expect(tracked.domains.map((d) => d.pr)).toEqual([{ number: 1, url: apertureUrl }, { number: 1, url: fungalUrl }]);

    const realmHead = await git(box, remote, ['rev-parse', 'main']);
    const requests = standIn.requests.length;
    const again = await openPullRequests(ctxWith(box, apertureTree, standIn), { draft: true });
    expect(again.pulls.map((p) => [p.number, p.created, p.draft])).toEqual([[1, false, true], [1, false, true]]);
    expect(standIn.state.pulls()).toHaveLength(2);
    expect(standIn.requests.slice(requests).filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(realmHead);
  });

  verifies('pr-linked-merge-order', 'an unpushed branch fails for that repo and a repo without commits is skipped; after push and commit the re-run completes the set without duplicates', async () => {
    const { box, standIn, apertureTree, fungalTree } = await started();
    await appendFile(join(apertureTree, 'README.md'), '\nexperiments\n');
    await coordinatedCommit(ctxWith(box, apertureTree, standIn), { message: 'docs: experiments' });

    const first = await openPullRequests(ctxWith(box, apertureTree, standIn));
    expect(first.pulls).toEqual([
      expect.objectContaining({ domain: 'aperture', status: 'failed', error: expect.objectContaining({ code: 'BRANCH_NOT_PUSHED', hint: expect.stringContaining('blue realm push') }) }),
      expect.objectContaining({ domain: 'fungal-image-analysis', status: 'skipped', message: expect.stringContaining('no commits on feat/training-metrics-v2 beyond main') }),
    ]);
    expect(standIn.state.pulls()).toHaveLength(0);

    await pushWorktrees(ctxWith(box, apertureTree, standIn));
    const second = await openPullRequests(ctxWith(box, apertureTree, standIn));
    expect(second.pulls.map((p) => [p.domain, p.status, p.number])).toEqual([['aperture', 'ok', 1], ['fungal-image-analysis', 'skipped', undefined]]);
    expect(standIn.state.pulls('letemcook/aperture')[0]?.body).toContain('Links to: fungal-image-analysis (no pull request yet)');

    await appendFile(join(fungalTree, 'README.md'), '\nexperiments\n');
    await coordinatedCommit(ctxWith(box, fungalTree, standIn), { message: 'docs: grants' });
    await pushWorktrees(ctxWith(box, fungalTree, standIn));
    const third = await openPullRequests(ctxWith(box, fungalTree, standIn), { title: 'Experiment metrics', body: 'Adds the experiments path end to end.' });
    expect(third.pulls.map((p) => [p.domain, p.status, p.number, p.created, p.title])).toEqual([
      ['aperture', 'ok', 1, false, 'Experiment metrics'],
      ['fungal-image-analysis', 'ok', 1, true, 'Experiment metrics'],
    ]);
    expect(standIn.state.pulls()).toHaveLength(2);
    const aperturePull = standIn.state.pulls('letemcook/aperture')[0];
    expect(aperturePull?.body).toMatch(/^Adds the experiments path end to end\.\n/);
    expect(aperturePull?.body).toContain(`Links to: [fungal-image-analysis#1](${standIn.url}/letemcook/fungal-image-analysis/pull/1)`);
  });

  verifies('github-repo-claims', "a realm member who points another domain at a repository it does not own gets no pull request edited or gated there: gate and pr skip both claimants with REPO_CLAIMED_TWICE", async () => {
    const s = await started();
    const { box, standIn, remote, apertureTree } = s;
    await commitBoth(s, ['README.md', '\nexperiments\n'], ['README.md', '\nexperiments\n'], 'docs: experiments');
    await openPullRequests(ctxWith(box, apertureTree, standIn));
    const body = standIn.state.pulls('letemcook/aperture')[0]?.body;
    // The hostile edit, from a member's own clone: fungal's domain file now names aperture's
    // repository (fungal's tracked PR is #1 too, so a gate would edit aperture#1 as fungal's).
    const hostile = join(box.root, 'hostile-realm');
    await git(box, box.root, ['clone', '-q', remote, hostile]);
    const domainFile = 'domains/fungal-image-analysis/domain.yaml';
    await writeFile(join(hostile, domainFile), (await readFile(join(hostile, domainFile), 'utf8')).replace('letemcook/fungal-image-analysis', 'letemcook/aperture'));
    await git(box, hostile, ['commit', '-qam', 'fungal lives in aperture now']);
    await git(box, hostile, ['push', '-q']);
    const requests = standIn.requests.length;
    for (const run of [() => gateChange(ctxWith(box, apertureTree, standIn)), () => openPullRequests(ctxWith(box, apertureTree, standIn))]) {
      const result = await run();
      const pulls = 'changes' in result ? (result.changes[0]?.pulls ?? []) : result.pulls;
      expect(pulls.map((p) => [p.domain, p.status, p.error?.code])).toEqual([
        ['aperture', 'skipped', 'REPO_CLAIMED_TWICE'],
        ['fungal-image-analysis', 'skipped', 'REPO_CLAIMED_TWICE'],
      ]);
    }
    // Reads only: no pull request edited, no status set, nothing opened; aperture's PR body is as it was.
    expect(standIn.requests.slice(requests).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(standIn.state.pulls('letemcook/aperture')[0]?.body).toBe(body);
  });

  it('orders a three-domain chain providers first, also through the realm, and refuses a cycle before opening anything', async () => {
    const { box, remote, standIn, aperture, realm, apertureTree, fungalTree } = await started();
    // training-dashboard imports from fungal (which imports from aperture): a chain of three.
    const dashboard = await fixtureRepo(box, 'aperture', { as: 'training-dashboard' });
    await git(box, realm, ['pull', '-q']);
    await joinRealm(ctxWith(box, dashboard.dir, standIn), { realmPath: '../realm-letemcook', as: 'training-dashboard', detectExports: false, github: 'letemcook/training-dashboard' });
    // As join's next step says: its .blue/ on the default branch is what shows the repository is the domain's.
    await commitAll(box, dashboard.dir, 'Join realm', { push: true });
    standIn.addRepo({ owner: 'letemcook', name: 'training-dashboard', remote: dashboard.remote });
    await writeRealmFile(box, realm, 'domains/fungal-image-analysis/exports.yaml', 'exports:\n  - name: training-role\n    version: 1.0.0\n    value: {role: training-tools}\n    schema: {type: object}\n    changelog:\n      - version: 1.0.0\n        changes: [initial]\n        date: 2026-01-20\n');
    await writeRealmFile(box, realm, 'domains/training-dashboard/imports.yaml', 'imports:\n  - contract: training-role\n    from: fungal-image-analysis\n    version: ">=1.0.0"\n    binding: README.md\n    status: current\n');
    await createWorktree(ctxWith(box, aperture.dir, standIn), { rfc: 'training-metrics-v2', domains: ['training-dashboard', 'fungal-image-analysis', 'aperture'] });
    const dashboardTree = join(dashboard.dir, '.worktrees', SLUG);
    for (const tree of [apertureTree, fungalTree, dashboardTree]) await appendFile(join(tree, 'README.md'), '\nexperiments\n');
    await coordinatedCommit(ctxWith(box, dashboardTree, standIn), { message: 'feat: experiments end to end' });
    await pushWorktrees(ctxWith(box, dashboardTree, standIn));

    const result = await openPullRequests(ctxWith(box, dashboardTree, standIn));
    expect(result.merge_order).toEqual(['aperture', 'fungal-image-analysis', 'training-dashboard']);
    expect(result.merge_order_line).toBe('aperture#1 → fungal-image-analysis#1 → training-dashboard#1');
    expect(result.pulls.find((p) => p.domain === 'training-dashboard')?.blocked_by).toEqual(['aperture#1', 'fungal-image-analysis#1']);

    // Someone merges an import that closes a cycle: no merge order exists, nothing is touched.
    await writeRealmFile(box, realm, 'domains/training-dashboard/exports.yaml', 'exports:\n  - name: dashboard-url\n    version: 1.0.0\n    value: {url: "https://dash"}\n    schema: {type: object}\n    changelog:\n      - version: 1.0.0\n        changes: [initial]\n        date: 2026-01-20\n');
    await writeRealmFile(box, realm, 'domains/aperture/imports.yaml', 'imports:\n  - contract: dashboard-url\n    from: training-dashboard\n    version: ">=1.0.0"\n    binding: README.md\n    status: current\n');
    const requests = standIn.requests.length;
    const realmHead = await git(box, remote, ['rev-parse', 'main']);
    await expect(openPullRequests(ctxWith(box, fungalTree, standIn))).rejects.toMatchObject({
      code: 'IMPORT_CYCLE',
      message: expect.stringMatching(/cycle.*aperture.*fungal-image-analysis.*training-dashboard/),
    });
    expect(standIn.requests.length).toBe(requests);
    expect(await git(box, remote, ['rev-parse', 'main'])).toBe(realmHead);
  });

  verifies('merge-order-check', 'pr sets blue/merge-order: the consumer waits for its provider, fails while it is closed unmerged, succeeds once merged; gate again sets and edits nothing', async () => {
    const { box, remote, standIn, apertureTree, fungalTree } = await started();
    await appendFile(join(apertureTree, 'README.md'), '\nexperiments\n');
    await appendFile(join(fungalTree, 'README.md'), '\nexperiments\n');
    await coordinatedCommit(ctxWith(box, apertureTree, standIn), { message: 'feat: experiments' });
    await pushWorktrees(ctxWith(box, apertureTree, standIn));
    const opened = await openPullRequests(ctxWith(box, fungalTree, standIn));
    expect(opened.pulls.map((p) => [p.domain, p.check?.state, p.check?.description])).toEqual([
      ['aperture', 'success', 'first in the merge order: nothing to wait for'],
      ['fungal-image-analysis', 'pending', 'waiting for aperture#1 to merge'],
    ]);
    const check = (repo: string) => standIn.state.statuses(repo, standIn.state.pulls(repo)[0]?.headSha).at(-1);
    expect(check('letemcook/fungal-image-analysis')).toMatchObject({ context: 'blue/merge-order', state: 'pending', targetUrl: `${standIn.url}/letemcook/aperture/pull/1` });

    const quiet = standIn.requests.length;
    const again = await gateChange(ctxWith(box, fungalTree, standIn));
    expect(again.changes[0]?.pulls.map((p) => [p.status_set, p.body_updated])).toEqual([[false, false], [false, false]]);
    expect(standIn.requests.slice(quiet).filter((r) => r.method !== 'GET')).toEqual([]);

    const close = (state: 'open' | 'closed') => fetch(`${standIn.apiUrl}/repos/letemcook/aperture/pulls/1`, { method: 'PATCH', headers: { authorization: `token ${standIn.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ state }) });
    await close('closed');
    await gateChange(ctxWith(box, fungalTree, standIn), { branch: BRANCH });
    expect(check('letemcook/fungal-image-analysis')).toMatchObject({ state: 'failure', description: 'aperture#1 was closed without merging: reopen it, or finish the change without aperture' });
    await close('open');
    await standIn.mergePull('letemcook/aperture', 1);
    const merged = await gateChange(ctxWith(box, fungalTree, standIn));
    expect(merged.changes[0]?.pulls.map((p) => [p.domain, p.pull_state, p.check?.state])).toEqual([['aperture', 'merged', undefined], ['fungal-image-analysis', 'open', 'success']]);
    expect(check('letemcook/fungal-image-analysis')).toMatchObject({ state: 'success', description: 'aperture#1 merged; exports published' });
    expect(standIn.state.pulls('letemcook/fungal-image-analysis')[0]?.body).toContain('Merge check (blue/merge-order): ✅ aperture#1 merged; exports published');
    expect((await tracking(box, remote)).domains.map((d) => [d.name, (d as { status?: string }).status])).toEqual([['aperture', 'merged'], ['fungal-image-analysis', 'pushed']]);
  });

  verifies('pr-keeps-human-words', 'a title and text a person set or edited on GitHub survive pr --draft without --title/--body; Blue rewrites only its marked part', async () => {
    const { box, standIn, apertureTree } = await started();
    await appendFile(join(apertureTree, 'README.md'), '\nexperiments\n');
    await coordinatedCommit(ctxWith(box, apertureTree, standIn), { message: 'feat: experiments' });
    await pushWorktrees(ctxWith(box, apertureTree, standIn));
    await openPullRequests(ctxWith(box, apertureTree, standIn), { title: 'Experiment metrics', body: 'Adds the experiments path.' });
    const edited = `${standIn.state.pulls('letemcook/aperture')[0]?.body ?? ''}\nReviewers: please check the bucket policy.\n`.replace('Adds the experiments path.', 'Adds the experiments path (edited by Ana).');
    await fetch(`${standIn.apiUrl}/repos/letemcook/aperture/pulls/1`, { method: 'PATCH', headers: { authorization: `token ${standIn.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Experiment metrics (v2)', body: edited }) });

    const again = await openPullRequests(ctxWith(box, apertureTree, standIn), { draft: true });
    expect(again.pulls[0]).toMatchObject({ title: 'Experiment metrics (v2)', draft: true });
    const body = standIn.state.pulls('letemcook/aperture')[0]?.body ?? '';
    expect(body.startsWith('Adds the experiments path (edited by Ana).\n\n<!-- blue:linked-pulls -->')).toBe(true);
    expect(body.endsWith('Reviewers: please check the bucket policy.\n')).toBe(true);
    expect(body.match(/blue:linked-pulls -->/g)).toHaveLength(2);
  });
});


/** Commits a hand-written realm file (as if merged by someone) and pushes it. */
async function writeRealmFile(box: Sandbox, realm: string, path: string, text: string): Promise<void> {
  await mkdir(join(realm, path, '..'), { recursive: true });
  await writeFile(join(realm, path), text);
  await git(box, realm, ['pull', '-q', '--rebase']);
  await git(box, realm, ['add', '--', path]);
  await git(box, realm, ['commit', '-qm', `edit ${path}`]);
  await git(box, realm, ['push', '-q']);
}
