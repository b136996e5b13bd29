// Issue 21: the GitHub Action's committed bundle, run under a simulated runner (real event
// payloads, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, CI=true, no TTY, no BLUE_HOME, no git identity)
// against the GitHub stand-in served as GitHub Enterprise Server. One realm for the file; the
// tests run in order, as a team's pull requests and merges would.
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { githubStandIn, verifies, type GitHubStandIn } from '@blue/testkit';
import { checkout, ciRealm, pullRequestEvent, pushBranch, pushEvent, runAction, type ActionResult } from './action-runner.js';
import type { TwoOrgs } from './two-orgs.js';

const REALM_TOKEN = 'realm-secret-0123456789abcdef';
const REPORTS = { 'src/reports.py': 'def save(run: str) -> None:\n    upload("s3://two-machines/reports/{run}/report.html")\n' };
const MINOR = /Merging this publishes `([a-z0-9-]+)` 1\.0\.0 → 1\.1\.0 \(minor\), read by `consumer` \(([^)]+)\), no approval needed\./;

describe('the GitHub Action under a simulated runner', () => {
  let world: TwoOrgs;
  let standIn: GitHubStandIn;
  let ws = 0;

  let root = '';
  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'blue-action-')));
    world = await ciRealm(root);
    // GHES: the API under /api/v3 on a host that is not github.com; the workflow's GITHUB_TOKEN is the only token.
    standIn = await githubStandIn({ enterprise: true });
    standIn.addRepo({ owner: 'letemcook', name: 'provider', remote: world.providerRemote });
    standIn.addRepo({ owner: 'letemcook', name: 'consumer', remote: world.consumerRemote });
  }, 120_000);
  afterAll(async () => {
    await standIn?.close();
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
    expect(standIn?.violations ?? []).toEqual([]);
  });

  const env = (repo: string) => ({ GITHUB_API_URL: standIn.apiUrl, GITHUB_SERVER_URL: standIn.url, GITHUB_REPOSITORY: repo, BLUE_FETCH_TTL: '0' });
  const inputs = (extra: Record<string, string> = {}) => ({ 'github-token': standIn.token, 'realm-token': REALM_TOKEN, ...extra });

  async function openPull(repo: string, head: string): Promise<number> {
    const res = await fetch(`${standIn.apiUrl}/repos/${repo}/pulls`, { method: 'POST', headers: { authorization: `token ${standIn.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: head, head, base: 'main' }) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { number: number }).number;
  }

  /** check on a fresh runner checkout of `branch`, as for pull request `number`. */
  async function checkPull(repo: 'provider' | 'consumer', branch: string, number: number, extra: Record<string, string> = {}): Promise<ActionResult & { workspace: string }> {
    const remote = repo === 'provider' ? world.providerRemote : world.consumerRemote;
    const workspace = await checkout(world.carol, remote, `origin/${branch}`, `ws-${++ws}`);
    const head = (await world.carol.git(workspace, ['rev-parse', 'HEAD'])).trim();
    const base = (await world.carol.git(workspace, ['rev-parse', 'origin/main'])).trim();
    const result = await runAction(world.carol, workspace, { inputs: inputs(extra), eventName: 'pull_request', event: pullRequestEvent(`letemcook/${repo}`, number, { ref: branch, sha: head }, { sha: base }), env: env(`letemcook/${repo}`) });
    return { ...result, workspace };
  }

  function expectNoSecret(result: ActionResult): void {
    const logged = result.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    for (const text of [logged, result.stderr, result.summary, JSON.stringify(result.outputs)]) {
      expect(text).not.toContain(REALM_TOKEN);
      expect(text).not.toContain(standIn.token);
    }
    expect(result.stdout).toContain(`::add-mask::${REALM_TOKEN}`);
  }

  let pull = 0;
  let exportName = '';

  verifies(['ci-action-check', 'ci-token-actions'], 'a provider PR adding a path: "merging this publishes … (minor), read by consumer, no approval needed", outputs, SARIF, one PR comment (GHES with GITHUB_TOKEN)', async () => {
    await pushBranch(world.alice, world.provider, 'feat/reports', REPORTS);
    pull = await openPull('letemcook/provider', 'feat/reports');
    const run = await checkPull('provider', 'feat/reports', pull);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const sentence = MINOR.exec(run.summary);
    expect(sentence, run.summary).not.toBeNull();
    exportName = sentence?.[1] ?? '';
    expect(sentence?.[2]).toMatch(/^\^1\./);
    expect(run.outputs).toEqual({ bump: 'minor', breaking: 'false', consumers: 'consumer', 'sarif-file': 'blue.sarif' });
    const sarif = JSON.parse(await readFile(join(run.workspace, 'blue.sarif'), 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).toBe('2.1.0');
    const [comment, ...more] = standIn.state.pulls('letemcook/provider')[0]?.comments ?? [];
    expect(more).toEqual([]);
    expect(comment?.body).toContain('Merging this publishes');
    expect(comment?.body).toContain('<!-- blue:pr-report/provider -->');
    expectNoSecret(run);
    // A provider's export change is the normal case: not a failure even with fail-on: stale.
    expect((await checkPull('provider', 'feat/reports', pull, { 'fail-on': 'stale', comment: 'false' })).exitCode).toBe(0);
    // Nothing was published by a check: the realm's remote still has 1.0.0 only.
    expect(await world.carol.git(world.carol.root, ['--git-dir', world.realmUrl, 'log', '-1', '--format=%s'])).not.toContain('1.1.0');
  }, 120_000);

  verifies('ci-action-check', 'the same PR made breaking: needs an approver, consumers see it in their grace period; the one comment is updated in place', async () => {
    await pushBranch(world.alice, world.provider, 'feat/reports', REPORTS, ['src/jobs.py']);
    const run = await checkPull('provider', 'feat/reports', pull);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.summary).toMatch(new RegExp(`Merging this publishes \`${exportName}\` 1\\.0\\.0 → 2\\.0\\.0 \\(breaking\\): needs an approver from \`governance\\.approvers\` \\(\`alice@alice-org\\.example\`\\); consumers \`consumer\` \\(\\^1[^)]*\\) will see it in their grace period\\.`));
    expect(run.outputs).toMatchObject({ bump: 'major', breaking: 'true', consumers: 'consumer' });
    const comments = standIn.state.pulls('letemcook/provider')[0]?.comments ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('2.0.0 (breaking)');
    expect(standIn.requests.filter((r) => r.operationId === 'issues/update-comment' && r.status === 200)).toHaveLength(1);
    expect(standIn.requests.filter((r) => r.operationId === 'issues/create-comment')).toHaveLength(1);
  }, 120_000);

  verifies(['ci-action-publish', 'sync-creates-github-issues'], 'publish on main: a failed notice fails the step (exit 5) after the realm push as the bot; the rerun notifies and publishes nothing twice', async () => {
    await pushBranch(world.alice, world.provider, 'main', REPORTS);
    const workspace = await checkout(world.carol, world.providerRemote, 'origin/main', `ws-${++ws}`);
    const after = (await world.carol.git(workspace, ['rev-parse', 'HEAD'])).trim();
    const event = pushEvent('letemcook/provider', 'refs/heads/main', after);
    standIn.failNext({ status: 502, method: 'POST', path: '/repos/letemcook/consumer/issues', body: { message: 'Server Error' } });
    const first = await runAction(world.carol, workspace, { inputs: inputs({ mode: 'publish' }), eventName: 'push', event, env: env('letemcook/provider') });
    expect(first.exitCode, first.stdout + first.stderr).toBe(5);
    expect(first.stdout).toMatch(/::error::consumer was not notified of [a-z0-9-]+ 1\.1\.0/);
    expect(first.outputs).toEqual({ bump: 'minor', breaking: 'false', consumers: 'consumer' });
    expectNoSecret(first);
    const git = (args: string[]) => world.carol.git(world.carol.root, ['--git-dir', world.realmUrl, ...args]);
    expect(await git(['log', '-1', '--format=%an <%ae>|%cn <%ce>|%s'])).toMatch(/^github-actions\[bot\] <41898282\+github-actions\[bot\]@users\.noreply\.github\.com>\|github-actions\[bot\] <41898282\+github-actions\[bot\]@users\.noreply\.github\.com>\|.*1\.1\.0/);
    const commits = await git(['rev-list', '--count', 'main']);
    expect(standIn.state.issues('letemcook/consumer')).toEqual([]);

    const again = await runAction(world.carol, workspace, { inputs: inputs({ mode: 'publish' }), eventName: 'push', event, env: env('letemcook/provider') });
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.summary).toContain('No export change to publish.');
    expect(again.summary).toMatch(/Notice to `consumer` \([a-z0-9-]+ 1\.1\.0\): created/);
    expect(await git(['rev-list', '--count', 'main'])).toBe(commits);
    expect(standIn.state.issues('letemcook/consumer')).toHaveLength(1);

    // A push to another branch publishes nothing.
    const branchEvent = pushEvent('letemcook/provider', 'refs/heads/feature', after);
    const elsewhere = await runAction(world.carol, workspace, { inputs: inputs({ mode: 'publish' }), eventName: 'push', event: branchEvent, env: env('letemcook/provider') });
    expect(elsewhere.exitCode).toBe(0);
    expect(elsewhere.stdout).toContain('::notice::publish runs on pushes to the default branch (main)');
  }, 120_000);

  verifies('ci-action-check', 'a consumer PR that adds the new path to its binding passes where main fails on its stale import', async () => {
    const main = await checkPull('consumer', 'main', 0, { 'fail-on': 'stale', comment: 'false' });
    expect(main.exitCode, main.summary).toBe(1);
    expect(main.summary).toContain('Findings for `consumer`');
    await pushBranch(world.bob, world.consumer, 'fix/reports', { 'iam/policy.py': 'READ = ["arn:aws:s3:::two-machines/jobs/*/config.json", "arn:aws:s3:::two-machines/reports/*/report.html"]\n' });
    const fixed = await checkPull('consumer', 'fix/reports', 0, { 'fail-on': 'stale', comment: 'false' });
    expect(fixed.exitCode, fixed.summary).toBe(0);
    expect(fixed.summary).toContain('keeps the realm whole for `consumer`');
  }, 120_000);

  verifies('ci-action-check', 'another domain broken in the realm: a warning in the provider\'s PR check, never its failure; the broken domain\'s own check fails', async () => {
    const realm = await world.bob.clone(world.realmUrl, 'realm-bob');
    const file = join(realm, 'domains/consumer/imports.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/contract: [a-z0-9-]+/, 'contract: no-such-export'));
    await world.bob.git(realm, ['commit', '--quiet', '-am', 'consumer: imports an export that does not exist']);
    await world.bob.git(realm, ['push', '--quiet']);

    const provider = await checkPull('provider', 'main', 0, { comment: 'false' });
    expect(provider.exitCode, provider.stdout).toBe(0);
    expect(provider.summary).toContain('Elsewhere in the realm (warnings; they do not fail this check)');
    expect(provider.stdout).toMatch(/::warning::consumer: import "no-such-export" from provider \([^)]+\) is broken/);
    const consumer = await checkPull('consumer', 'main', 0, { comment: 'false' });
    expect(consumer.exitCode).toBe(1);
    const sarif = JSON.parse(await readFile(join(consumer.workspace, 'blue.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const broken = sarif.runs[0]?.results.find((r) => r.ruleId === 'import-broken');
    // On the consumer's own binding file, in its repository: where code scanning shows it on the PR.
    expect(broken?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('iam/policy.py');
  }, 120_000);
  verifies('ci-action-gate', 'gate mode: the pull request of a coordinated change gets its blue/merge-order status checked and reported, converging with no new status; a pull request outside any change has nothing to gate', async () => {
    const github = { BLUE_GITHUB_API_URL: standIn.apiUrl, GH_ENTERPRISE_TOKEN: standIn.token };
    const started = await world.alice.blue(['realm', 'worktree', '--rfc', 'gate-demo', '--domains', 'provider', '--json'], world.provider);
    expect(started.exitCode, started.stdout + started.stderr).toBe(0);
    const tree = join(world.provider, '.worktrees', 'feat-gate-demo');
    await writeFile(join(tree, 'NOTES.md'), 'gate demo\n');
    for (const args of [['realm', 'commit', '-m', 'gate demo'], ['realm', 'push'], ['realm', 'pr']]) {
      const step = await world.alice.blue([...args, '--json'], tree, github);
      expect(step.exitCode, `${args.join(' ')}: ${step.stdout}${step.stderr}`).toBe(0);
    }
    const gated = standIn.state.pulls('letemcook/provider').find((p) => p.head === 'feat/gate-demo');
    expect(gated).toBeDefined();
    const before = standIn.state.statuses('letemcook/provider').filter((x) => x.context === 'blue/merge-order');
    expect(before.at(-1)).toMatchObject({ state: 'success' });

    const workspace = await checkout(world.carol, world.providerRemote, 'origin/feat/gate-demo', `ws-${++ws}`);
    const head = (await world.carol.git(workspace, ['rev-parse', 'HEAD'])).trim();
    const base = (await world.carol.git(workspace, ['rev-parse', 'origin/main'])).trim();
    const run = await runAction(world.carol, workspace, { inputs: inputs({ mode: 'gate' }), eventName: 'pull_request', event: pullRequestEvent('letemcook/provider', gated?.number ?? 0, { ref: 'feat/gate-demo', sha: head }, { sha: base }), env: env('letemcook/provider') });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.summary).toContain('merge order for `provider`');
    expect(run.summary).toMatch(/- `feat\/gate-demo` .*\n {2}- provider .*: success: /);
    expect(standIn.state.statuses('letemcook/provider').filter((x) => x.context === 'blue/merge-order')).toEqual(before);
    expectNoSecret(run);

    const outside = await checkPull('provider', 'feat/reports', pull, { mode: 'gate' });
    expect(outside.exitCode, outside.stdout + outside.stderr).toBe(0);
    expect(outside.stdout).toContain('::notice::feat/reports is not part of a coordinated change: nothing to gate.');
  }, 120_000);
});
