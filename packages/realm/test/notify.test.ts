import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, useGitHubStandIn, verifies, type GitHubStandIn, type Sandbox } from '@blue/testkit';
import { createContext, syncRealm, type BlueContext } from '@blue/realm';
import { commitFile, EXPERIMENTS, NOW, sharedRealm } from './helpers.js';

const FUNGAL = { owner: 'letemcook', name: 'fungal-image-analysis' };

function ctxWith(box: Sandbox, cwd: string, env: Record<string, string>, now: Date = NOW): BlueContext {
  return createContext({ cwd, env: { ...box.env, ...env }, now: () => now });
}

async function scene() {
  const shared = await sharedRealm({ fungalGithub: 'letemcook/fungal-image-analysis' });
  const standIn = await useGitHubStandIn();
  standIn.addRepo({ ...FUNGAL, remote: shared.fungal.remote });
  return { ...shared, standIn };
}

const issuesOf = (standIn: GitHubStandIn) => standIn.state.issues('letemcook/fungal-image-analysis');

describe('consumer notifications', () => {
  verifies('sync-creates-github-issues', 'opens one issue in the consumer repo, titled from the diff, and never a second one', async () => {
    const { box, aperture, standIn } = await scene();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const result = await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    expect(result.pushed).toBe(true);
    expect(result.notifications).toEqual([
      expect.objectContaining({
        consumer: 'fungal-image-analysis',
        export: 'required-s3-permissions',
        version: '1.1.0',
        from_version: '1.0.0',
        breaking: false,
        repo: 'letemcook/fungal-image-analysis',
        status: 'created',
        title: 'Update IAM policy: new S3 path experiments/*',
        issue: { number: 1, url: `${standIn.url}/letemcook/fungal-image-analysis/issues/1` },
      }),
    ]);
    const [issue] = issuesOf(standIn);
    expect(issue?.title).toBe('Update IAM policy: new S3 path experiments/*');
    expect(issue?.body).toContain('`required-s3-permissions` **1.1.0**');
    expect(issue?.body).toContain('`+ experiments/* (write)`');
    expect(issue?.body).toContain('cdk/training_tools_access_stack.py');
    expect(issue?.body).toContain('blue realm sync');

    const again = await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    expect(again.commit).toBeUndefined();
    expect(again.notifications).toEqual([expect.objectContaining({ status: 'exists', issue: { number: 1, url: expect.any(String) as string } })]);
    expect(issuesOf(standIn)).toHaveLength(1);
  });

  verifies('sync-creates-github-issues', 'a newer version moves the open issue to it and comments, instead of opening another', async () => {
    const { box, aperture, standIn } = await scene();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    await appendFile(join(aperture.dir, 'models/training/metrics_exporter.py'), '\n\ndef export_sweep(path: str) -> None:\n    storage.upload_file(path, "s3://cultivarium-fungal/training-metrics/sweeps/latest.json")\n');
    await git(box, aperture.dir, ['commit', '-qam', 'sweeps']);
    const next = await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    expect(next.exports[0]).toMatchObject({ to_version: '1.2.0' });
    expect(next.notifications).toEqual([expect.objectContaining({ version: '1.2.0', from_version: '1.0.0', status: 'updated', issue: expect.objectContaining({ number: 1 }) as unknown })]);
    const issues = issuesOf(standIn);
    expect(issues).toHaveLength(1);
    // training-metrics/sweeps/latest.json is already granted (training-metrics/*): the title asks only for experiments/*.
    expect(issues[0]?.title).toBe('Update IAM policy: new S3 path experiments/*');
    expect(issues[0]?.body).toContain('### Already granted');
    expect(issues[0]?.body).toContain('- `+ training-metrics/sweeps/latest.json (write)`');
    expect(issues[0]?.body).toContain('**1.2.0**');
    expect(issuesOf(standIn)[0]?.comments).toEqual([expect.objectContaining({ body: expect.stringContaining('required-s3-permissions` 1.2.0') as unknown })]);
    // Re-running leaves it alone: no second comment.
    await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    expect(issuesOf(standIn)[0]?.comments).toHaveLength(1);
  });

  verifies('sync-creates-github-issues', 'a GitHub failure keeps the publish, is reported for the consumer, and the next sync delivers it', async () => {
    const { box, aperture, remote, standIn } = await scene();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    standIn.failNext({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded' }, times: 1 });
    const result = await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    expect(result.pushed).toBe(true);
    expect(await git(box, remote, ['log', '-1', '--format=%s', 'main'])).toBe('aperture: export required-s3-permissions@1.1.0');
    expect(result.notifications).toEqual([expect.objectContaining({ status: 'failed', error: expect.objectContaining({ code: 'GITHUB_API' }) as unknown })]);
    expect(result.next_steps.join('\n')).toContain('the next blue realm sync retries');
    expect(issuesOf(standIn)).toHaveLength(0);

    const retry = await syncRealm(ctxWith(box, aperture.dir, standIn.env));
    expect(retry.commit).toBeUndefined();
    expect(retry.notifications).toEqual([expect.objectContaining({ status: 'created', version: '1.1.0' })]);
    expect(issuesOf(standIn)).toHaveLength(1);
  });

  verifies('sync-creates-github-issues', 'no token: GITHUB_AUTH per consumer naming every option, the publish still lands', async () => {
    const { box, aperture, standIn } = await scene();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const result = await syncRealm(ctxWith(box, aperture.dir, { BLUE_GITHUB_API_URL: standIn.apiUrl, PATH: '/usr/bin:/bin' }));
    expect(result.pushed).toBe(true);
    expect(result.notifications[0]).toMatchObject({ status: 'failed', error: { code: 'GITHUB_AUTH', hint: expect.stringContaining('GH_TOKEN') as unknown } });
    expect(JSON.stringify(result)).not.toContain(standIn.token);
  });

  verifies('sync-dry-run', '--dry-run plans the notices without a single GitHub request; --no-notify sends none', async () => {
    const { box, aperture, realm, standIn } = await scene();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    // aperture's realm clone has not pulled fungal's join yet: the dry run says so instead of pulling.
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    const behind = await syncRealm(ctxWith(box, aperture.dir, standIn.env), { dryRun: true });
    expect(behind).toMatchObject({ realm_behind: 1, notifications: [] });
    expect(behind.next_steps[0]).toContain('1 commit(s) behind its remote');
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    await git(box, realm, ['pull', '-q', '--rebase']);
    const dry = await syncRealm(ctxWith(box, aperture.dir, standIn.env), { dryRun: true });
    expect(dry.realm_behind).toBe(0);
    expect(dry.notifications).toEqual([expect.objectContaining({ status: 'planned', repo: 'letemcook/fungal-image-analysis', title: 'Update IAM policy: new S3 path experiments/*' })]);
    expect(standIn.requests).toHaveLength(0);
    const quiet = await syncRealm(ctxWith(box, aperture.dir, standIn.env), { notify: false });
    expect(quiet).toMatchObject({ pushed: true, notify: false, notifications: [] });
    expect(standIn.requests).toHaveLength(0);
  });

  verifies('sync-creates-github-issues', 'a consumer with no GitHub repository is skipped with what to add', async () => {
    const { box, aperture } = await sharedRealm();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const result = await syncRealm(ctxWith(box, aperture.dir, {}));
    expect(result.notifications[0]).toMatchObject({ status: 'skipped', error: { code: 'VALUE_INVALID' } });
    expect(result.next_steps.join('\n')).toContain('add `github: owner/name` to domains/fungal-image-analysis/domain.yaml');
  });
});
