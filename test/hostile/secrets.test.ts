// Secrets never leak: tokens in every variable Blue reads and `user:token@` in remote URLs never
// appear in stdout, stderr, `--json`, MCP results, the MCP server's log (stderr), files Blue
// writes or the realm's history, also when git or the GitHub API (Octokit) fail.
import { randomBytes } from 'node:crypto';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { fixtureRepo, git, runBlue, spawnMcp, useGitHubStandIn, verifies, type BlueRun, type GitHubStandIn } from '@blue/testkit';
import { EXIT, sharedScenario, STACK } from './helpers.js';

const random = (): string => randomBytes(12).toString('hex');
/** One distinctive secret per place Blue may find one; some look like GitHub tokens, some do not. */
const SECRETS = {
  GH_TOKEN: `ghp_${random()}${random()}`,
  GITHUB_TOKEN: `plain-github-token-${random()}`,
  GH_ENTERPRISE_TOKEN: `ghs_${random()}${random()}`,
  GITHUB_ENTERPRISE_TOKEN: `plain-enterprise-token-${random()}`,
  url: `url-password-${random()}`,
  standIn: `stand-in-token-${random()}`,
};
const ALL = Object.values(SECRETS);
const tokenEnv = { GH_TOKEN: SECRETS.GH_TOKEN, GITHUB_TOKEN: SECRETS.GITHUB_TOKEN, GH_ENTERPRISE_TOKEN: SECRETS.GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN: SECRETS.GITHUB_ENTERPRISE_TOKEN };
/** A remote that carries credentials and that nothing listens on. */
const credentialedRemote = (name: string): string => `https://blue-user:${SECRETS.url}@127.0.0.1:1/${name}.git`;

function expectNoSecret(text: string, where: string): void {
  for (const secret of ALL) expect(text.includes(secret), `${where} leaks ${secret}:\n${text}`).toBe(false);
  // The credential's user stays out too: the URL is shown as https://***@host.
  expect(text, where).not.toContain(`blue-user:`);
}

function expectCleanFailure(run: BlueRun, exit: number, where: string): { code: string; message: string } {
  expect(run.exitCode, `${where}: ${run.stdout}${run.stderr}`).toBe(exit);
  expectNoSecret(run.stdout, `${where} stdout`);
  expectNoSecret(run.stderr, `${where} stderr`);
  expect(run.stdout + run.stderr).not.toMatch(STACK);
  return (run.json<{ error: { code: string; message: string } }>().error);
}

/** Every file under `dir` (the runtime folder, BLUE_HOME, a repo's working files): no secret in any. */
async function expectNoSecretInFiles(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile() || e.parentPath.includes(`${join('.git', 'objects')}`)) continue;
    const path = join(e.parentPath, e.name);
    expectNoSecret(await readFile(path, 'latin1'), path);
  }
}

/**
 * A sync whose publish went through and whose notification failed (reported per consumer; a
 * re-run retries it): exit 0, no secret anywhere, the notification's error with `code`.
 */
function failedNotification(run: BlueRun, code: string): { code: string; message: string } {
  expectNoSecret(run.stdout + run.stderr, `sync --json (${code})`);
  expect(run.exitCode, run.stdout).toBe(0);
  const [first] = run.json<{ notifications: Array<{ status: string; error?: { code: string; message: string } }> }>().notifications;
  expect(first).toMatchObject({ status: 'failed', error: { code } });
  return first?.error ?? { code: '', message: '' };
}

describe('secrets in tokens and remote URLs', () => {
  const shared = sharedScenario({ github: true });

  /** A source change in aperture that sync publishes and notifies fungal about. */
  async function changeApertureExport(tag: string): Promise<void> {
    const { box, s } = shared();
    await appendFile(join(s.aperture.dir, 'models/training/metrics.py'), `\nPATH_${tag} = "s3://cultivarium-fungal/exports-${tag}/"\n`);
    await git(box, s.aperture.dir, ['commit', '-qam', `write ${tag}`]);
  }

  function standInEnv(standIn: GitHubStandIn): Record<string, string> {
    return { ...tokenEnv, BLUE_GITHUB_API_URL: standIn.env.BLUE_GITHUB_API_URL, GH_ENTERPRISE_TOKEN: SECRETS.standIn };
  }

  async function standIn(): Promise<GitHubStandIn> {
    const server = await useGitHubStandIn({ token: SECRETS.standIn });
    // Served from the repos' remotes: their default branches show they joined (REPO_NOT_CLAIMED otherwise).
    server.addRepo({ owner: 'letemcook', name: 'fungal-image-analysis', remote: shared().s.fungal.remote });
    server.addRepo({ owner: 'letemcook', name: 'aperture', remote: shared().s.aperture.remote });
    return server;
  }

  verifies('secrets-redacted', 'sync to a realm remote https://user:token@127.0.0.1:1 fails with a coded error naming no credential (CLI, --json, MCP)', async () => {
    const { box, s } = shared();
    await changeApertureExport('unreachable');
    // The scenario's realm has no remote; give it one that carries credentials.
    await git(box, s.realm, ['remote', 'add', 'origin', credentialedRemote('realm')]);
    try {
      const env = { ...tokenEnv };
      const json = await runBlue(box, ['realm', 'sync', '--no-notify', '--json'], { cwd: s.aperture.dir, env });
      const error = expectCleanFailure(json, EXIT.external, 'sync --json');
      expect(error.code).toBe('GIT_FAILED');
      expect(error.message).toContain('127.0.0.1:1/realm.git');
      const human = await runBlue(box, ['realm', 'sync', '--no-notify'], { cwd: s.aperture.dir, env });
      expect(human.exitCode).toBe(EXIT.external);
      expectNoSecret(human.stdout + human.stderr, 'sync (human)');
      const mcp = await spawnMcp(box, { env });
      const result = await mcp.client.callTool({ name: 'blue_realm_sync', arguments: { notify: false, cwd: s.aperture.dir } });
      expect(result.isError).toBe(true);
      expectNoSecret(JSON.stringify(result), 'MCP blue_realm_sync');
      await mcp.close();
      expectNoSecret(mcp.stderr(), 'blue-mcp stderr');
    } finally {
      await git(box, s.realm, ['remote', 'remove', 'origin']);
    }
  });

  verifies('secrets-redacted', 'push of the worktree branches to a credentialed unreachable remote: per-repo errors and exit 5 without the credential (CLI and MCP)', async () => {
    const { box, s } = shared();
    const env = { ...tokenEnv };
    const started = await runBlue(box, ['realm', 'worktree', '--rfc', 'secret-push'], { cwd: s.aperture.dir, env });
    expect(started.exitCode, started.stderr).toBe(0);
    const origin = await git(box, s.fungal.dir, ['remote', 'get-url', 'origin']);
    await git(box, s.fungal.dir, ['remote', 'set-url', 'origin', credentialedRemote('fungal')]);
    try {
      const tree = join(s.aperture.dir, '.worktrees', 'feat-secret-push');
      const run = await runBlue(box, ['realm', 'push', '--json'], { cwd: tree, env });
      expect(run.exitCode, run.stdout).toBe(EXIT.external);
      expectNoSecret(run.stdout + run.stderr, 'push --json');
      expect(run.stdout).toContain('127.0.0.1:1/fungal.git');
      const mcp = await spawnMcp(box, { env });
      const result = await mcp.client.callTool({ name: 'blue_realm_push', arguments: { cwd: tree } });
      expectNoSecret(JSON.stringify(result), 'MCP blue_realm_push');
      await mcp.close();
      expectNoSecret(mcp.stderr(), 'blue-mcp stderr');
    } finally {
      await git(box, s.fungal.dir, ['remote', 'set-url', 'origin', origin]);
    }
  });

  verifies('secrets-redacted', 'GitHub answering 401 to a wrong GITHUB_ENTERPRISE_TOKEN: the notification fails naming the variable, never the token', async () => {
    const { box, s } = shared();
    const server = await standIn();
    await changeApertureExport('unauthorized');
    const env = { ...tokenEnv, BLUE_GITHUB_API_URL: server.env.BLUE_GITHUB_API_URL, GH_ENTERPRISE_TOKEN: undefined };
    const error = failedNotification(await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir, env }), 'GITHUB_AUTH');
    expect(error.message).toContain('GITHUB_ENTERPRISE_TOKEN');
  });

  verifies('secrets-redacted', 'GitHub answering 500 with a body echoing the token and a credentialed URL: redacted in the CLI and MCP results', async () => {
    const { box, s } = shared();
    const server = await standIn();
    await changeApertureExport('server-error');
    const echo = { message: `proxy error for Authorization: token ${SECRETS.standIn} via ${credentialedRemote('api')} (${SECRETS.GH_TOKEN})` };
    server.failNext({ status: 500, method: 'POST', path: /\/issues$/, body: echo, times: 2 });
    const env = standInEnv(server);
    const error = failedNotification(await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir, env }), 'GITHUB_API');
    expect(error.message).toContain('proxy error');

    const mcp = await spawnMcp(box, { env });
    const result = await mcp.client.callTool({ name: 'blue_realm_sync', arguments: { cwd: s.aperture.dir } });
    expectNoSecret(JSON.stringify(result), 'MCP blue_realm_sync (500)');
    await mcp.close();
    expectNoSecret(mcp.stderr(), 'blue-mcp stderr');
  });

  verifies('secrets-redacted', 'BLUE_GITHUB_API_URL carrying credentials is refused (VALUE_INVALID) without echoing them', async () => {
    const { box, s } = shared();
    await changeApertureExport('api-url');
    const env = { ...tokenEnv, BLUE_GITHUB_API_URL: `https://blue-user:${SECRETS.url}@127.0.0.1:1/api/v3` };
    failedNotification(await runBlue(box, ['realm', 'sync', '--json'], { cwd: s.aperture.dir, env }), 'VALUE_INVALID');
  });

  verifies('secrets-redacted', 'join from a repo whose origin carries credentials records repo_url without them', async () => {
    const { box, s } = shared();
    const repo = await fixtureRepo({ ...box, root: s.root }, 'aperture', { as: 'aperture-mirror' });
    await git(box, repo.dir, ['remote', 'set-url', 'origin', `https://blue-user:${SECRETS.url}@github.com/letemcook/aperture-mirror.git`]);
    const run = await runBlue(box, ['realm', 'join', '../realm-letemcook', '--as', 'aperture-mirror', '--json'], { cwd: repo.dir, env: tokenEnv });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expectNoSecret(run.stdout + run.stderr, 'join --json');
    expect(run.json<{ domain: { repo_url: string } }>().domain.repo_url).toBe('https://github.com/letemcook/aperture-mirror.git');
  });

  verifies('secrets-redacted', 'after all of the above: no secret in any file Blue wrote (runtime folder, BLUE_HOME, repos) or in the realm history', async () => {
    const { box, s } = shared();
    await expectNoSecretInFiles(box.env.BLUE_RUNTIME_DIR ?? '');
    await expectNoSecretInFiles(box.env.BLUE_HOME ?? '');
    for (const repo of [s.realm, s.aperture.dir, s.fungal.dir]) await expectNoSecretInFiles(repo);
    expectNoSecret(await git(box, s.realm, ['log', '-p', '--all']), 'realm history');
  });
});
