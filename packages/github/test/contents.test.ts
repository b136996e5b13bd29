import { describe, expect, it } from 'vitest';
import { bareRemote, git, gitRepo, sandbox } from '@blue/testkit';
import { repo, standInWithClient } from './helpers.js';

describe('reading a file of a repository through the contents API', () => {
  it('reads a nested file on the default branch or at a ref; a missing file, a folder and a repo without files are undefined', async () => {
    const box = await sandbox();
    const remote = await bareRemote(box);
    const work = await gitRepo(box, { '.blue/config.yaml': 'realm:\n  name: acme\n  domain: widgets\n', 'ünï code.txt': 'bytes ✓\n' }, { origin: remote });
    await git(box, work, ['push', '--quiet', 'origin', 'main']);
    await git(box, work, ['switch', '--quiet', '-c', 'other']);
    await git(box, work, ['rm', '--quiet', '.blue/config.yaml']);
    await git(box, work, ['commit', '--quiet', '-m', 'drop']);
    await git(box, work, ['push', '--quiet', 'origin', 'other']);
    const { standIn, client } = await standInWithClient({ remote });

    expect(await client.readFile(repo, '.blue/config.yaml')).toBe('realm:\n  name: acme\n  domain: widgets\n');
    expect(await client.readFile(repo, 'ünï code.txt')).toBe('bytes ✓\n');
    expect(await client.readFile(repo, '.blue/config.yaml', { ref: 'other' })).toBeUndefined();
    expect(await client.readFile(repo, 'nope.yaml')).toBeUndefined();
    expect(await client.readFile(repo, '.blue')).toBeUndefined();
    standIn.addRepo({ owner: 'acme', name: 'empty' });
    expect(await client.readFile({ owner: 'acme', name: 'empty' }, '.blue/config.yaml')).toBeUndefined();
    expect(standIn.requests.filter((r) => r.operationId === 'repos/get-content').map((r) => r.status)).toEqual([200, 200, 404, 404, 404, 404]);
    expect(standIn.violations).toEqual([]);
  });
});
