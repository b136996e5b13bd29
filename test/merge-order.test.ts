import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { LONG_TESTS, manyMachines, useGitHubStandIn, verifies, writeTree, type GitHubStandIn, type Machine } from '@blue/testkit';

/**
 * One change across three organisations, each on its own machine with only its own clone:
 * payments-api → checkout-web → analytics-pipeline. The blue/merge-order status is what GitHub's
 * branch protection would require.
 */

const BRANCH = 'feat/payments-v2';
const SLUG = 'feat-payments-v2';
const CONTEXT = 'blue/merge-order';

async function repoOn(m: Machine, remote: string, dir: string): Promise<string> {
  const path = await m.clone(remote, dir);
  await writeTree(path, { 'README.md': `# ${dir}\n` });
  await m.git(path, ['add', '--all']);
  await m.git(path, ['commit', '--quiet', '-m', 'initial']);
  await m.git(path, ['push', '--quiet', '-u', 'origin', 'main']);
  return path;
}

async function commitPush(m: Machine, dir: string, message: string): Promise<void> {
  await m.git(dir, ['add', '--all']);
  await m.git(dir, ['commit', '--quiet', '-m', message]);
  await m.git(dir, ['push', '--quiet']);
}

interface Run {
  json: Record<string, unknown> & { pulls?: Array<Record<string, unknown>>; changes?: Array<{ pulls: Array<Record<string, unknown>> }> };
  exitCode: number;
}

async function chain() {
  const net = await manyMachines({ people: ['pay', 'chk', 'ana'] });
  const [pay, chk, ana] = net.machines as [Machine, Machine, Machine];
  const standIn = await useGitHubStandIn();
  const blue = async (m: Machine, args: string[], cwd: string, expected = 0): Promise<Run> => {
    const run = await m.blue([...args, '--json'], cwd, standIn.env);
    expect(run.exitCode, `${m.name}: blue ${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(expected);
    return { json: JSON.parse(run.stdout) as Run['json'], exitCode: run.exitCode ?? -1 };
  };
  const realmUrl = await net.remote('realm.git');
  await blue(pay, ['realm', 'init', '--name', 'shop', '--path', 'realm'], pay.root);
  const realmYaml = join(pay.root, 'realm', 'realm.yaml');
  await writeFile(realmYaml, (await readFile(realmYaml, 'utf8')).replace('admission: approval', 'admission: open'));
  await pay.git(join(pay.root, 'realm'), ['commit', '--quiet', '-am', 'open admission']);
  await pay.git(join(pay.root, 'realm'), ['remote', 'add', 'origin', realmUrl]);
  await pay.git(join(pay.root, 'realm'), ['push', '--quiet', '-u', 'origin', 'main']);
  const repos: Record<string, string> = {};
  for (const [m, name] of [[pay, 'payments-api'], [chk, 'checkout-web'], [ana, 'analytics-pipeline']] as const) {
    const remote = await net.remote(`${name}.git`);
    standIn.addRepo({ owner: `${m.name}-org`, name, remote });
    repos[name] = await repoOn(m, remote, name);
    await blue(m, ['realm', 'join', realmUrl, '--as', name, '--no-detect-exports', '--github', `${m.name}-org/${name}`], repos[name]);
  }
  const [payments, checkout, analytics] = [repos['payments-api']!, repos['checkout-web']!, repos['analytics-pipeline']!];
  // payments-api exports charges-api 1.0.0; checkout-web imports it and exports checkout-events, which analytics imports.
  await blue(pay, ['realm', 'export', '--name', 'charges-api', '--value', '{"charges":"/v1/charges"}'], payments);
  await commitPush(pay, payments, 'export charges-api');
  await blue(pay, ['realm', 'sync', '--no-notify'], payments);
  await blue(chk, ['realm', 'export', '--name', 'checkout-events', '--value', '{"topic":"checkout"}'], checkout);
  await commitPush(chk, checkout, 'export checkout-events');
  await blue(chk, ['realm', 'sync', '--no-notify'], checkout);
  await blue(chk, ['realm', 'import', '--contract', 'charges-api', '--from', 'payments-api', '--version', '>=1.0.0', '--binding', 'README.md'], checkout);
  await blue(ana, ['realm', 'import', '--contract', 'checkout-events', '--from', 'checkout-web', '--version', '>=1.0.0', '--binding', 'README.md'], analytics);
  // As join's next step says: .blue/ on the default branch shows the repository is the domain's.
  await commitPush(ana, analytics, 'join the realm');
  return { net, pay, chk, ana, standIn, blue, payments, checkout, analytics, realmUrl };
}

/** The newest blue/merge-order status on the head of a repo's pull request #1. */
function check(standIn: GitHubStandIn, repo: string): { state: string; description: string | null; targetUrl: string | null } | undefined {
  const pull = standIn.state.pulls(repo)[0];
  return standIn.state.statuses(repo, pull?.headSha).filter((s) => s.context === CONTEXT).at(-1);
}

async function tracking(m: Machine, realmUrl: string): Promise<{ domains: Array<{ name: string; status: string; maintainers?: string[]; exports_changed?: unknown }>; coordination: { commits: Array<{ linked: boolean; shas: Record<string, string | null> }> }; finished_at?: string }> {
  return parse(await m.git(m.root, ['--git-dir', realmUrl, 'show', `main:worktrees/${SLUG}.yaml`])) as never;
}

// About 35 CLI runs on three machines (100 s on 2 shared cores): long. The same gate logic runs
// in-process on every test run (packages/realm/test/pull-requests.test.ts).
describe.runIf(LONG_TESTS)('[long] a coordinated change across three organisations, merged in order', () => {
  verifies(['merge-order-check', 'cross-org-change', 'change-done'], 'each org runs its part on its own machine; blue/merge-order blocks the wrong order, advances the right one, fails on close-unmerged; gate converges', async () => {
    const { pay, chk, ana, standIn, blue, payments, checkout, analytics, realmUrl } = await chain();

    // payments-api starts the change for all three: the two without a clone here are awaiting, not failed.
    const started = await blue(pay, ['realm', 'worktree', '--rfc', 'payments-v2', '--domains', 'payments-api,checkout-web,analytics-pipeline'], payments);
    expect((started.json.worktrees as Array<{ domain: string; status: string }>).map((w) => [w.domain, w.status])).toEqual([['payments-api', 'ok'], ['checkout-web', 'skipped'], ['analytics-pipeline', 'skipped']]);
    expect((await tracking(pay, realmUrl)).domains).toEqual([
      { name: 'analytics-pipeline', status: 'awaiting', commits: 0, maintainers: [ana.email] },
      { name: 'checkout-web', status: 'awaiting', commits: 0, maintainers: [chk.email] },
      { name: 'payments-api', status: 'active', commits: 0 },
    ]);
    const payTree = join(payments, '.worktrees', SLUG);
    const exportsFile = join(payTree, '.blue', 'exports.yaml');
    await writeFile(exportsFile, (await readFile(exportsFile, 'utf8')).replace('charges: /v1/charges', 'charges: /v1/charges\n      refunds: /v1/refunds'));
    const committed = await blue(pay, ['realm', 'commit', '-m', 'feat: refunds endpoint'], payTree);
    // The parts on this machine first, then the ones pending on their owners' machines.
    expect((committed.json.commits as Array<{ domain: string; status: string; message: string }>).map((c) => [c.domain, c.status])).toEqual([['payments-api', 'ok'], ['analytics-pipeline', 'skipped'], ['checkout-web', 'skipped']]);
    expect((committed.json.commits as Array<{ message: string }>)[2]?.message).toContain(`${chk.email} run this part (blue realm worktree --join ${BRANCH})`);
    await blue(pay, ['realm', 'push'], payTree);
    const payPr = await blue(pay, ['realm', 'pr'], payTree);
    expect(payPr.json.pulls?.map((p) => [p.domain, p.status, p.number])).toEqual([['payments-api', 'ok', 1], ['checkout-web', 'skipped', undefined], ['analytics-pipeline', 'skipped', undefined]]);
    expect(check(standIn, 'pay-org/payments-api')).toMatchObject({ state: 'success' });
    expect((await tracking(pay, realmUrl)).domains[2]).toMatchObject({ exports_changed: [{ name: 'charges-api', published: '1.0.0' }] });

    // checkout-web and analytics-pipeline join on their own machines and open their PRs.
    for (const [m, repo, file] of [[chk, checkout, 'checkout.ts'], [ana, analytics, 'analytics.sql']] as const) {
      const joined = await blue(m, ['realm', 'worktree', '--join', BRANCH], repo);
      expect(joined.json.worktrees).toEqual([expect.objectContaining({ status: 'ok', created: true })]);
      const tree = join(repo, '.worktrees', SLUG);
      await writeTree(tree, { [file]: 'refunds\n' });
      await blue(m, ['realm', 'commit', '-m', `feat: refunds in ${repo}`], tree);
      await blue(m, ['realm', 'push'], tree);
      await blue(m, ['realm', 'pr', '--title', `Refunds (${m.name})`], tree);
    }
    const recorded = await tracking(ana, realmUrl);
    expect(recorded.domains.map((d) => [d.name, d.status])).toEqual([['analytics-pipeline', 'pushed'], ['checkout-web', 'pushed'], ['payments-api', 'pushed']]);
    expect(recorded.coordination.commits.map((c) => Object.entries(c.shas).filter(([, sha]) => sha !== null).map(([d]) => d))).toEqual([['payments-api'], ['checkout-web'], ['analytics-pipeline']]);
    const paymentsUrl = `${standIn.url}/pay-org/payments-api/pull/1`;
    expect(check(standIn, 'chk-org/checkout-web')).toMatchObject({ state: 'pending', description: 'waiting for payments-api#1 to merge', targetUrl: paymentsUrl });
    expect(check(standIn, 'ana-org/analytics-pipeline')).toMatchObject({ state: 'pending', description: 'waiting for payments-api#1 to merge, checkout-web#1 to merge' });
    expect(standIn.state.pulls('chk-org/checkout-web')[0]?.body).toContain(`Blocked by: [payments-api#1](${paymentsUrl})`);
    expect(standIn.state.pulls('pay-org/payments-api')[0]?.body).toContain(`[analytics-pipeline#1](${standIn.url}/ana-org/analytics-pipeline/pull/1)`);

    // Nothing moved: gating again sets nothing and edits nothing.
    const before = { statuses: standIn.state.statuses().length, requests: standIn.requests.length };
    const quiet = await blue(ana, ['realm', 'gate'], join(analytics, '.worktrees', SLUG));
    expect(quiet.json.changes?.[0]?.pulls.map((p) => [p.domain, p.status_set, p.body_updated])).toEqual([['payments-api', false, false], ['checkout-web', false, false], ['analytics-pipeline', false, false]]);
    expect(standIn.state.statuses()).toHaveLength(before.statuses);
    expect(standIn.requests.slice(before.requests).filter((r) => r.method !== 'GET')).toEqual([]);

    // payments-api merges; checkout waits until charges-api's new version is published.
    await standIn.mergePull('pay-org/payments-api', 1);
    await blue(chk, ['realm', 'gate', '--branch', BRANCH], checkout);
    expect(check(standIn, 'chk-org/checkout-web')).toMatchObject({ state: 'pending', description: expect.stringContaining('payments-api#1 merged: payments-api to publish charges-api (newer than 1.0.0') });
    await pay.git(payments, ['pull', '--quiet']);
    // The realm knows checkout-web's PR covers the changed export: the notice links it, no new issue.
    const synced = await blue(pay, ['realm', 'sync'], payments);
    expect(synced.json.notifications).toEqual([expect.objectContaining({ consumer: 'checkout-web', export: 'charges-api', status: 'linked', issue: { number: 1, url: `${standIn.url}/chk-org/checkout-web/pull/1` } })]);
    expect(standIn.state.issues('chk-org/checkout-web')).toEqual([]);
    expect(standIn.state.pulls('chk-org/checkout-web')[0]?.comments.map((c) => c.body)).toEqual([expect.stringContaining('changed in the coordinated change `feat/payments-v2`')]);
    await blue(pay, ['realm', 'gate', '--all'], payments);
    expect(check(standIn, 'chk-org/checkout-web')).toMatchObject({ state: 'success', description: 'payments-api#1 merged; exports published' });
    expect(check(standIn, 'ana-org/analytics-pipeline')).toMatchObject({ state: 'pending', description: 'waiting for checkout-web#1 to merge' });
    expect(standIn.state.pulls('ana-org/analytics-pipeline')[0]?.body).toContain('Merge check (blue/merge-order): ⏳ waiting for checkout-web#1 to merge');

    // A head that moved gets the status on the new head; a GitHub failure is that PR's result, and a rerun converges.
    const anaTree = join(analytics, '.worktrees', SLUG);
    await writeTree(anaTree, { 'analytics.sql': 'refunds v2\n' });
    await commitPush(ana, anaTree, 'refunds v2');
    standIn.failNext({ status: 403, method: 'POST', path: /^\/repos\/ana-org\/analytics-pipeline\/statuses\// });
    const faulty = await blue(chk, ['realm', 'gate', '--branch', BRANCH], checkout, 5);
    expect(faulty.json.changes?.[0]?.pulls.map((p) => [p.domain, p.status])).toEqual([['payments-api', 'skipped'], ['checkout-web', 'ok'], ['analytics-pipeline', 'failed']]);
    await blue(chk, ['realm', 'gate', '--branch', BRANCH], checkout);
    const newHead = await ana.git(anaTree, ['rev-parse', 'HEAD']);
    expect(standIn.state.pulls('ana-org/analytics-pipeline')[0]?.headSha).toBe(newHead);
    expect(standIn.state.statuses('ana-org/analytics-pipeline', newHead).map((s) => s.state)).toEqual(['pending']);
    const settled = standIn.state.statuses().length;
    await blue(chk, ['realm', 'gate', '--branch', BRANCH], checkout);
    expect(standIn.state.statuses()).toHaveLength(settled);
    expect(standIn.state.pulls().flatMap((p) => p.comments)).toHaveLength(1);

    // done refuses while PRs are open; checkout closes unmerged: analytics fails, with what to do.
    const refused = await chk.blue(['realm', 'done', '--branch', BRANCH, '--json'], checkout, standIn.env);
    expect(refused.exitCode).toBe(4);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'CHANGE_STILL_OPEN', message: expect.stringContaining('analytics-pipeline#1, checkout-web#1') } });
    await fetch(`${standIn.apiUrl}/repos/chk-org/checkout-web/pulls/1`, { method: 'PATCH', headers: { authorization: `token ${standIn.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ state: 'closed' }) });
    await blue(ana, ['realm', 'gate'], anaTree);
    expect(check(standIn, 'ana-org/analytics-pipeline')).toMatchObject({ state: 'failure', description: 'checkout-web#1 was closed without merging: reopen it, or finish the change without checkout-web' });
    await fetch(`${standIn.apiUrl}/repos/ana-org/analytics-pipeline/pulls/1`, { method: 'PATCH', headers: { authorization: `token ${standIn.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ state: 'closed' }) });

    // Every PR merged or closed: done removes this machine's worktree, deletes the merged branch, keeps the file as history.
    const done = await blue(pay, ['realm', 'done', '--branch', BRANCH], payments);
    expect(done.json).toMatchObject({ finished: true, left: [], repos: [expect.objectContaining({ domain: 'payments-api', worktree_removed: true, branch_deleted: true })] });
    expect(await pay.git(payments, ['branch', '--list', BRANCH])).toBe('');
    const finished = await tracking(pay, realmUrl);
    expect(finished.finished_at).toEqual(expect.any(String));
    expect(finished.domains.map((d) => [d.name, d.status])).toEqual([['analytics-pipeline', 'abandoned'], ['checkout-web', 'abandoned'], ['payments-api', 'merged']]);
    const own = await blue(chk, ['realm', 'done', '--branch', BRANCH], checkout);
    expect(own.json).toMatchObject({ finished: false, repos: [expect.objectContaining({ domain: 'checkout-web', worktree_removed: true, branch_deleted: false })] });
  }, 240_000);
});
