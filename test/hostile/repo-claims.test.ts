// Hostile member corpus: a domain that names another team's GitHub repository. Blue acts on a
// repository only when its default branch's .blue/config.yaml names this realm and that domain,
// and no other domain claims it (issue 19, point 3).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { bareRemote, git, gitRepo, letemcookScenario, runBlue, sandbox, spawnMcp, useGitHubStandIn, verifies, type Sandbox, type Scenario } from '@blue/testkit';
import { MALLORY } from './helpers.js';

const EXPERIMENTS = 'from aperture import storage\n\n\ndef export_experiment(run_id: str, path: str) -> None:\n    storage.upload_file(path, f"s3://cultivarium-fungal/experiments/{run_id}")\n';

/** Mallory's domain in the realm: it names `github` and imports aperture's export. */
async function plantDomain(box: Sandbox, realm: string, name: string, github: string): Promise<void> {
  await mkdir(join(realm, 'domains', name), { recursive: true });
  await writeFile(join(realm, 'domains', name, 'domain.yaml'), `name: ${name}\nmaintainers: [mallory@evil.example]\ngithub: ${github}\njoined_at: "2026-01-01T00:00:00Z"\n`);
  await writeFile(join(realm, 'domains', name, 'imports.yaml'), 'imports:\n  - {contract: required-s3-permissions, from: aperture, version: "^1.0.0", binding: x.py, status: current}\n');
  await git(box, realm, ['add', '-A']);
  await git(box, realm, [...MALLORY, 'commit', '-q', '-m', `add ${name}`]);
}

/** The letemcook realm; GitHub holds fungal's repo (joined) and training-dashboard (a repo that never joined). */
async function scene(under: string) {
  const box = await sandbox();
  const s: Scenario = await letemcookScenario(box, { under, github: true });
  const dashboardRemote = await bareRemote(box, 'training-dashboard.git');
  const dashboard = await gitRepo(box, { 'README.md': '# dashboard\n' }, { origin: dashboardRemote });
  await git(box, dashboard, ['push', '--quiet', 'origin', 'main']);
  const standIn = await useGitHubStandIn();
  standIn.addRepo({ owner: 'letemcook', name: 'fungal-image-analysis', remote: s.fungal.remote });
  standIn.addRepo({ owner: 'letemcook', name: 'training-dashboard', remote: dashboardRemote });
  await writeFile(join(s.aperture.dir, 'models/training/metrics_exporter.py'), EXPERIMENTS);
  await git(box, s.aperture.dir, ['add', '--all']);
  await git(box, s.aperture.dir, ['commit', '-qm', 'experiments']);
  return { box, s, standIn };
}

interface Notice {
  consumer: string;
  status: string;
  repo?: string;
  error?: { code: string; message: string; hint?: string };
}

describe('hostile member: a domain naming a repository that is not its own', () => {
  verifies('github-repo-claims', "CLI: a domain claiming fungal's repository and one claiming a repo that never joined: sync publishes, opens no issue in either repository, says why; check flags the shared claim", async () => {
    const { box, s, standIn } = await scene('cli');
    await plantDomain(box, s.realm, 'evil', 'letemcook/fungal-image-analysis');
    await plantDomain(box, s.realm, 'mallory-dash', 'letemcook/training-dashboard');

    const run = await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir, env: standIn.env });
    expect(run.exitCode, run.stderr).toBe(0);
    const notices = run.json<{ notifications: Notice[]; next_steps: string[] }>();
    const by = (consumer: string): Notice | undefined => notices.notifications.find((n) => n.consumer === consumer);
    expect(by('fungal-image-analysis')).toMatchObject({ status: 'skipped', error: { code: 'REPO_CLAIMED_TWICE' } });
    expect(by('evil')).toMatchObject({ status: 'skipped', error: { code: 'REPO_CLAIMED_TWICE' } });
    expect(by('evil')?.error?.message).toContain('Domains evil and fungal-image-analysis both name the repository letemcook/fungal-image-analysis');
    expect(by('mallory-dash')).toMatchObject({ status: 'skipped', repo: 'letemcook/training-dashboard', error: { code: 'REPO_NOT_CLAIMED' } });
    expect(by('mallory-dash')?.error?.message).toContain('letemcook/training-dashboard has no .blue/config.yaml on its default branch');
    expect(notices.next_steps.join('\n')).toContain('both name the repository letemcook/fungal-image-analysis; Blue acts for none of them there');
    // Nothing was written on GitHub: the only requests read the claim.
    expect(standIn.state.issues('letemcook/fungal-image-analysis')).toEqual([]);
    expect(standIn.state.issues('letemcook/training-dashboard')).toEqual([]);
    expect(standIn.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(standIn.violations).toEqual([]);

    const check = await runBlue(box, ['realm', 'check', '--json'], { cwd: s.aperture.dir });
    const finding = check.json<{ findings: Array<{ rule: string; file?: string; message: string }> }>().findings.find((f) => f.rule === 'repo-claimed-twice');
    expect(finding).toMatchObject({ file: 'domains/fungal-image-analysis/domain.yaml' });
    expect(finding?.message).toContain('domains evil, fungal-image-analysis all name the GitHub repository letemcook/fungal-image-analysis');
    expect(check.exitCode).toBe(1);
  });

  verifies('github-repo-claims', 'MCP: the consumer whose default branch shows it joined gets its issue; a domain naming a repository that never joined is skipped with REPO_NOT_CLAIMED', async () => {
    const { box, s, standIn } = await scene('mcp');
    await plantDomain(box, s.realm, 'mallory-dash', 'letemcook/training-dashboard');
    const { client } = await spawnMcp(box, { env: standIn.env });
    const tool = await client.callTool({ name: 'blue_realm_sync', arguments: { cwd: s.aperture.dir } });
    const notices = (tool.structuredContent as { notifications: Notice[] }).notifications;
    expect(notices.find((n) => n.consumer === 'fungal-image-analysis')).toMatchObject({ status: 'created', repo: 'letemcook/fungal-image-analysis' });
    expect(notices.find((n) => n.consumer === 'mallory-dash')).toMatchObject({ status: 'skipped', error: { code: 'REPO_NOT_CLAIMED', hint: expect.stringContaining('blue realm join') } });
    expect(standIn.state.issues('letemcook/fungal-image-analysis')).toHaveLength(1);
    expect(standIn.state.issues('letemcook/training-dashboard')).toEqual([]);
    expect(standIn.requests.filter((r) => r.operationId === 'issues/create').map((r) => r.path)).toEqual(['/repos/letemcook/fungal-image-analysis/issues']);
  });
});
