import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { tempDir, verifies } from '@blue/testkit';
import { createGitHubClient, discoverToken } from '@blue/github';

/** A fake `gh` on a private PATH: prints a token per host, or sleeps, or fails. */
async function fakeGh(script: string): Promise<string> {
  const dir = await tempDir('blue-gh-');
  const file = join(dir, 'gh');
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return dir;
}

const PATH = '/usr/bin:/bin';

describe('token discovery', () => {
  it('reads GH_TOKEN before GITHUB_TOKEN for github.com, and ignores enterprise variables there', async () => {
    const env = { GH_TOKEN: 'tok-gh', GITHUB_TOKEN: 'tok-github', GH_ENTERPRISE_TOKEN: 'tok-ent' };
    await expect(discoverToken({ env, host: 'github.com', ghCommand: false })).resolves.toEqual({ token: 'tok-gh', source: 'GH_TOKEN' });
    await expect(discoverToken({ env: { ...env, GH_TOKEN: '' }, host: 'github.com', ghCommand: false })).resolves.toEqual({ token: 'tok-github', source: 'GITHUB_TOKEN' });
  });

  it('reads GH_ENTERPRISE_TOKEN before GITHUB_ENTERPRISE_TOKEN for an Enterprise host, and never GH_TOKEN there', async () => {
    const env = { GH_TOKEN: 'tok-gh', GH_ENTERPRISE_TOKEN: 'tok-ent', GITHUB_ENTERPRISE_TOKEN: 'tok-github-ent' };
    await expect(discoverToken({ env, host: 'ghe.example.com', ghCommand: false })).resolves.toEqual({ token: 'tok-ent', source: 'GH_ENTERPRISE_TOKEN' });
    await expect(discoverToken({ env: { ...env, GH_ENTERPRISE_TOKEN: undefined }, host: 'ghe.example.com', ghCommand: false })).resolves.toEqual({
      token: 'tok-github-ent',
      source: 'GITHUB_ENTERPRISE_TOKEN',
    });
    await expect(discoverToken({ env: { GH_TOKEN: 'tok-gh', GITHUB_TOKEN: 'tok-github' }, host: 'ghe.example.com', ghCommand: false })).rejects.toMatchObject({ code: 'GITHUB_AUTH' });
  });

  verifies('ci-token-actions', 'inside GitHub Actions, GITHUB_TOKEN goes with the host GITHUB_API_URL names (GHES), after the enterprise variables', async () => {
    const actions = { GITHUB_ACTIONS: 'true', GITHUB_API_URL: 'https://ghe.example.com/api/v3', GITHUB_TOKEN: 'tok-workflow' };
    await expect(discoverToken({ env: actions, host: 'ghe.example.com', ghCommand: false })).resolves.toEqual({ token: 'tok-workflow', source: 'GITHUB_TOKEN' });
    await expect(discoverToken({ env: { ...actions, GH_ENTERPRISE_TOKEN: 'tok-ent' }, host: 'ghe.example.com', ghCommand: false })).resolves.toMatchObject({ source: 'GH_ENTERPRISE_TOKEN' });
    // Another enterprise host, or the same variables outside Actions: GITHUB_TOKEN is not sent there.
    await expect(discoverToken({ env: actions, host: 'other.example.com', ghCommand: false })).rejects.toMatchObject({ code: 'GITHUB_AUTH' });
    await expect(discoverToken({ env: { ...actions, GITHUB_ACTIONS: undefined }, host: 'ghe.example.com', ghCommand: false })).rejects.toMatchObject({ code: 'GITHUB_AUTH' });
  });

  it('falls back to `gh auth token --hostname <host>` found on the given PATH', async () => {
    const dir = await fakeGh('[ "$1 $2 $3" = "auth token --hostname" ] && echo "tok-from-gh-for-$4"');
    await expect(discoverToken({ env: { PATH: `${dir}:${PATH}` }, host: 'ghe.example.com' })).resolves.toEqual({ token: 'tok-from-gh-for-ghe.example.com', source: 'gh' });
    // Variables still win over gh.
    await expect(discoverToken({ env: { PATH: `${dir}:${PATH}`, GITHUB_TOKEN: 'tok-var' }, host: 'github.com' })).resolves.toMatchObject({ source: 'GITHUB_TOKEN' });
  });

  it('ignores a gh that hangs past the timeout, fails or is missing, and then names every option', async () => {
    const slow = await fakeGh('exec sleep 5');
    const failing = await fakeGh('echo "not logged in" >&2; exit 1');
    for (const env of [{ PATH: `${slow}:${PATH}` }, { PATH: `${failing}:${PATH}` }, { PATH: '/nonexistent' }]) {
      const started = Date.now();
      const err = await discoverToken({ env, host: 'github.com', ghTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(err).toMatchObject({ code: 'GITHUB_AUTH' });
      const text = `${(err as Error).message} ${(err as { hint: string }).hint}`;
      for (const option of ['GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'gh auth']) expect(text).toContain(option);
    }
  });

  it('createGitHubClient throws GITHUB_AUTH before loading anything when no token is found', async () => {
    await expect(createGitHubClient({ env: { BLUE_GITHUB_API_URL: 'https://ghe.example.com/api/v3', GH_TOKEN: 'only-for-github.com' }, ghCommand: false })).rejects.toMatchObject({
      code: 'GITHUB_AUTH',
      message: expect.stringContaining('ghe.example.com'),
    });
  });

  it('reads only the env it is given: an ambient token in process.env never leaks into a test', async () => {
    vi.stubEnv('GH_TOKEN', 'ambient-token-should-not-be-used');
    vi.stubEnv('GH_ENTERPRISE_TOKEN', 'ambient-token-should-not-be-used');
    vi.stubEnv('BLUE_GITHUB_API_URL', '');
    vi.stubEnv('GITHUB_API_URL', '');
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    await expect(createGitHubClient({ env: { BLUE_GITHUB_API_URL: 'http://127.0.0.1:9' }, ghCommand: false })).rejects.toMatchObject({ code: 'GITHUB_AUTH' });
    // The default is process.env, as a default argument only.
    await expect(createGitHubClient({ ghCommand: false })).resolves.toMatchObject({ tokenSource: 'GH_TOKEN' });
  });
});
