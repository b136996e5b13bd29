// The realm's identity (what its runtime folder is keyed on) is kept by a long-running process
// while nothing it depends on changed; every change that could change git's answer must be seen.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

describe('realmIdentity across processes', () => {
  it('is saved in BLUE_HOME/cache and trusted there only while the fingerprint holds', async () => {
    const box = await sandbox();
    const remote = await bareRemote(box);
    const realm = await gitRepo(box, { 'realm.yaml': 'x: 1\n' }, { origin: remote });
    await git(box, realm, ['push', '--quiet', '-u', 'origin', 'main']);
    expect(await realmIdentity(ctxIn(box, realm), realm)).toBe(remote);
    const file = join(box.env.BLUE_HOME ?? '', 'cache', 'realm-identities.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as { format: number; entries: Record<string, { identity: string; fingerprint: string }> };
    expect(saved.entries[realm]?.identity).toBe(remote);
    // Another BLUE_HOME (a fresh process, as far as the cache goes) with a tampered entry under a
    // stale fingerprint: git is asked again.
    const other = { ...box, env: { ...box.env, BLUE_HOME: join(box.root, 'home-2') } };
    await mkdir(join(box.root, 'home-2', 'cache'), { recursive: true });
    await writeFile(join(box.root, 'home-2', 'cache', 'realm-identities.json'), JSON.stringify({ format: 1, entries: { [realm]: { fingerprint: 'stale', identity: '/elsewhere' } } }));
    expect(await realmIdentity(ctxIn(other, realm), realm)).toBe(remote);
    // With the fingerprint as saved, the saved identity answers (here: altered, to show it is what answers).
    const third = { ...box, env: { ...box.env, BLUE_HOME: join(box.root, 'home-3') } };
    await mkdir(join(box.root, 'home-3', 'cache'), { recursive: true });
    await writeFile(join(box.root, 'home-3', 'cache', 'realm-identities.json'), JSON.stringify({ format: 1, entries: { [realm]: { fingerprint: saved.entries[realm]?.fingerprint, identity: '/from-the-cache' } } }));
    expect(await realmIdentity(ctxIn(third, realm), realm)).toBe('/from-the-cache');
    // Garbage in the file: an empty cache.
    const fourth = { ...box, env: { ...box.env, BLUE_HOME: join(box.root, 'home-4') } };
    await mkdir(join(box.root, 'home-4', 'cache'), { recursive: true });
    await writeFile(join(box.root, 'home-4', 'cache', 'realm-identities.json'), '{not json');
    expect(await realmIdentity(ctxIn(fourth, realm), realm)).toBe(remote);
  });
});
