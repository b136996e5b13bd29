import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { bareRemote, clone, git, verifies } from '@blue/testkit';
import { createContext } from '../src/context.js';
import { listHeldChanges } from '../src/store/held-changes.js';
import { letemcook } from './helpers.js';

describe('held breaking changes of a realm clone', () => {
  verifies('live-across-machines', 'are listed from the clone\'s own branches and its remote-tracking ones (another machine\'s clone has only those), read from the ref files or asked of git alike', async () => {
    const { box, realm } = await letemcook({ join: true });
    const remote = await bareRemote(box);
    await git(box, realm, ['remote', 'add', 'origin', remote]);
    await git(box, realm, ['push', '--quiet', '-u', 'origin', 'main']);
    const elsewhere = await clone(box, remote);
    for (const branch of ['blue/breaking/aperture/required-s3-permissions@2.0.0', 'blue/breaking/aperture/required-s3-permissions@3.0.0']) {
      await git(box, realm, ['branch', branch]);
      await git(box, realm, ['push', '--quiet', 'origin', branch]);
    }
    await git(box, elsewhere, ['fetch', '--quiet', 'origin', '+refs/heads/blue/breaking/*:refs/remotes/origin/blue/breaking/*']);
    const want = [
      { domain: 'aperture', export: 'required-s3-permissions', version: '2.0.0' },
      { domain: 'aperture', export: 'required-s3-permissions', version: '3.0.0' },
    ];
    const fromFiles = createContext({ cwd: elsewhere, env: box.env });
    // GIT_DIR set: the ref files are not read, git is asked (the reference).
    const fromGit = createContext({ cwd: elsewhere, env: { ...box.env, GIT_DIR: join(elsewhere, '.git') } });
    for (const dir of [realm, elsewhere]) {
      expect((await listHeldChanges(fromFiles, dir)).map(({ domain, export: name, version }) => ({ domain, export: name, version }))).toEqual(want);
    }
    expect(await listHeldChanges(fromGit, elsewhere)).toEqual(await listHeldChanges(fromFiles, elsewhere));
    await git(box, elsewhere, ['pack-refs', '--all']);
    expect(await listHeldChanges(fromFiles, elsewhere)).toEqual(await listHeldChanges(fromGit, elsewhere));
  });
});
