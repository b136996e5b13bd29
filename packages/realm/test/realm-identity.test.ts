// The realm's identity (what its runtime folder is keyed on) is kept by a long-running process
// while nothing it depends on changed; every change that could change git's answer must be seen.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareRemote, git, gitRepo, sandbox } from '@blue/testkit';
import { realmIdentity } from '../src/live/realm-runtime.js';
import { ctxIn } from './helpers.js';

describe('realmIdentity', () => {
  it('follows the remote URL, the branch, the user config and GIT_CONFIG variables, asking git only when they change', async () => {
    const box = await sandbox();
    const first = await bareRemote(box);
    const second = await bareRemote(box);
    const realm = await gitRepo(box, { 'realm.yaml': 'x: 1\n' }, { origin: first });
    await git(box, realm, ['push', '--quiet', '-u', 'origin', 'main']);
    const ctx = ctxIn(box, realm);
    expect(await realmIdentity(ctx, realm)).toBe(first);
    expect(await realmIdentity(ctx, realm)).toBe(first);
    await git(box, realm, ['remote', 'set-url', 'origin', second]);
    expect(await realmIdentity(ctx, realm)).toBe(second);
    // A branch without upstream, and no origin to fall back on: the clone's own path.
    await git(box, realm, ['remote', 'remove', 'origin']);
    expect(await realmIdentity(ctx, realm)).toBe(realm);
    await git(box, realm, ['remote', 'add', 'origin', 'example.com:/r.git']);
    expect(await realmIdentity(ctx, realm)).toBe('/example.com:/r.git');
    // insteadOf in the user's config rewrites the URL git reports.
    const gitconfig = box.env.GIT_CONFIG_GLOBAL ?? join(box.env.HOME ?? box.root, '.gitconfig');
    await writeFile(gitconfig, `${await readFile(gitconfig, 'utf8').catch(() => '')}[url "${first}"]\n\tinsteadOf = example.com:\n`);
    expect(await realmIdentity(ctx, realm)).toBe(`${first}/r.git`);
    // Config given in the environment counts too (the longer insteadOf wins).
    const envCtx = ctxIn({ ...box, env: { ...box.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `url.${second}.insteadOf`, GIT_CONFIG_VALUE_0: 'example.com:/r.git' } }, realm);
    expect(await realmIdentity(envCtx, realm)).toBe(second);
  });
});
