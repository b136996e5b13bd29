import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, letemcookScenario, runBlue, sandbox, spawnMcp, useGitHubStandIn, verifies, type Sandbox, grantInFixtureStack } from '@blue/testkit';

const EXPERIMENTS = 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/experiments/{run_id}")\n';
const TITLE = 'Update IAM policy: new S3 path experiments/*';

async function daily(box: Sandbox, under: string) {
  const s = await letemcookScenario(box, { under, github: true });
  await writeFile(join(s.aperture.dir, 'models/training/metrics_exporter.py'), EXPERIMENTS);
  await git(box, s.aperture.dir, ['add', '--all']);
  await git(box, s.aperture.dir, ['commit', '-qm', 'experiments']);
  return s;
}

/** The stand-in serving fungal's repository from its remote (whose default branch shows it joined). */
async function standInFor(s: { fungal: { remote: string } }) {
  const standIn = await useGitHubStandIn();
  standIn.addRepo({ owner: 'letemcook', name: 'fungal-image-analysis', remote: s.fungal.remote });
  return standIn;
}

describe('sync notifications through both faces', () => {
  verifies(['sync-creates-github-issues', 'multi-domain-coordination'], 'CLI: sync opens the issue, --no-notify and a rerun open none; fungal resolves after editing its stack', async () => {
    const box = await sandbox();
    const s = await daily(box, 'cli');
    const standIn = await standInFor(s);
    const env = { ...standIn.env };
    const quiet = await runBlue(box, ['realm', 'sync', '--dry-run', '--no-notify'], { cwd: s.aperture.dir, env });
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stdout).not.toContain('Consumers');
    const sync = await runBlue(box, ['realm', 'sync'], { cwd: s.aperture.dir, env });
    expect(sync.exitCode).toBe(0);
    expect(sync.stdout).toContain('Consumers notified:');
    // This realm has no remote yet: the sync line does not promise other machines anything.
    expect(sync.stdout).toContain('required-s3-permissions@1.1.0: no importer session runs here; notice left for fungal-image-analysis. Sessions on other machines hear nothing until the realm is pushed to its remote.');
    expect(sync.stdout).toContain(`fungal-image-analysis (letemcook/fungal-image-analysis) required-s3-permissions@1.1.0: issue opened #1 ${standIn.url}/letemcook/fungal-image-analysis/issues/1`);
    const again = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir, env });
    expect(JSON.parse(again.stdout)).toMatchObject({ notifications: [{ status: 'exists', title: TITLE }] });
    expect(standIn.state.issues('letemcook/fungal-image-analysis').map((i) => i.title)).toEqual([TITLE]);

    const stale = await runBlue(box, ['status', '--strict'], { cwd: s.fungal.dir, env });
    expect(stale.exitCode).toBe(1);
    expect(stale.stdout).toContain('experiments/*');
    await grantInFixtureStack(s.fungal.dir, 'WRITE_PATHS', 'experiments/*');
    await git(box, s.fungal.dir, ['commit', '-qam', 'cover experiments']);
    const resolved = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.fungal.dir, env });
    expect(JSON.parse(resolved.stdout)).toMatchObject({ imports: [{ status: 'current', resolved_version: '1.1.0' }], notifications: [], closed_notices: [{ from: 'aperture', export: 'required-s3-permissions', version: '1.1.0', status: 'closed', issue: { number: 1 } }] });
    const [issue] = standIn.state.issues('letemcook/fungal-image-analysis');
    expect(issue).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(issue?.comments.map((c) => c.body).join('\n')).toContain('fungal-image-analysis now imports `required-s3-permissions` from aperture at 1.1.0');
    expect((await runBlue(box, ['status', '--strict'], { cwd: s.fungal.dir, env })).exitCode).toBe(0);
  });

  verifies(['sync-creates-github-issues', 'ci-action-publish'], 'CLI in CI: a failed notice exits 5 after the publish (CI=true, --fail-on-notify-error), --no-fail-on-notify-error exits 0; the next sync notifies', async () => {
    const box = await sandbox();
    const s = await daily(box, 'ci');
    const standIn = await standInFor(s);
    const env = { ...standIn.env, CI: 'true' };
    const fault = { status: 502, method: 'POST', path: '/repos/letemcook/fungal-image-analysis/issues', body: { message: 'Server Error' } };
    standIn.failNext(fault);
    const failed = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir, env });
    expect(failed.exitCode).toBe(5);
    expect(failed.json()).toMatchObject({ pushed: false, commit: expect.any(String) as unknown, notifications: [{ status: 'failed', error: { code: 'GITHUB_API' } }] });
    standIn.failNext(fault);
    const warned = await runBlue(box, ['realm', 'sync', '--no-fail-on-notify-error'], { cwd: s.aperture.dir, env });
    expect(warned.exitCode).toBe(0);
    expect(warned.stdout).toContain('fungal-image-analysis');
    const notified = await runBlue(box, ['realm', 'sync', '--fail-on-notify-error', '--json'], { cwd: s.aperture.dir, env: { ...env, CI: undefined } });
    expect(notified.exitCode).toBe(0);
    expect(notified.json()).toMatchObject({ notifications: [{ status: 'created', title: TITLE }] });
  }, 60_000);

  verifies('sync-creates-github-issues', 'MCP: blue_realm_sync returns the same notification, and a GitHub failure as a per-consumer result', async () => {
    const box = await sandbox();
    const s = await daily(box, 'mcp');
    const standIn = await standInFor(s);
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    standIn.failNext({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded' } });
    const { client } = await spawnMcp(box, { env: { ...standIn.env } });
    const failed = await client.callTool({ name: 'blue_realm_sync', arguments: { cwd: s.aperture.dir } });
    expect(failed.isError).toBeFalsy();
    expect(failed.structuredContent).toMatchObject({ commit: expect.any(String) as unknown, notifications: [{ consumer: 'fungal-image-analysis', status: 'failed', error: { code: 'GITHUB_API' } }], live: { elsewhere: 'not-shared' } });
    const retried = await client.callTool({ name: 'blue_realm_sync', arguments: { cwd: s.aperture.dir } });
    expect(retried.structuredContent).toMatchObject({ notifications: [{ status: 'created', title: TITLE, repo: 'letemcook/fungal-image-analysis', issue: { number: 1 } }] });
    expect(standIn.state.issues('letemcook/fungal-image-analysis')).toHaveLength(1);
  });
});
