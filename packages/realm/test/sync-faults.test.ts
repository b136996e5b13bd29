import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { bareRemote, clone, git, gitRepo, sandbox, verifies } from '@blue/testkit';
import { parse, stringify } from 'yaml';
import { checkRealm, exportContract, initRealm, joinRealm, syncRealm } from '@blue/realm';
import { commitAll, commitFile, ctxIn, EXPERIMENTS, sharedRealm } from './helpers.js';

const DOMAINS = 10;

/** A realm on a bare remote and `count` small domains, each with its own realm clone, joined. */
async function manyDomains(count: number) {
  const box = await sandbox();
  await initRealm(ctxIn(box, box.root), { name: 'many', path: 'realm' });
  const remote = await bareRemote(box, 'realm.git');
  await git(box, join(box.root, 'realm'), ['remote', 'add', 'origin', remote]);
  await git(box, join(box.root, 'realm'), ['push', '-q', '-u', 'origin', 'main']);
  const repos: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `d${i}`;
    const realmClone = await clone(box, remote, `realm-${name}`);
    const repo = await gitRepo(box, { 'README.md': `# ${name}\n` }, { name });
    await joinRealm(ctxIn(box, repo), { realmPath: `../realm-${name}`, as: name, detectExports: false });
    await commitAll(box, repo, 'Join realm');
    await git(box, realmClone, ['push', '-q']);
    repos.push(repo);
  }
  return { box, remote, repos };
}

describe('sync under concurrency and faults', () => {
  verifies('multi-domain-coordination', `${DOMAINS} domains syncing to one realm remote at the same moment all land, twice`, async () => {
    const { box, remote, repos } = await manyDomains(DOMAINS);
    for (const [round, value] of [{ port: 8000 }, { port: 8000, tls: true }].entries()) {
      await Promise.all(repos.map((repo, i) => exportContract(ctxIn(box, repo), { name: 'service', value: JSON.stringify({ ...value, id: `d${i}` }) })));
      await Promise.all(repos.map((repo) => commitAll(box, repo, 'Declare service')));
      const results = await Promise.all(repos.map((repo) => syncRealm(ctxIn(box, repo))));
      expect(results.every((r) => r.commit !== undefined)).toBe(true);
      const subjects = (await git(box, remote, ['log', '--format=%s', 'main'])).split('\n');
      const version = round === 0 ? '1.0.0' : '1.1.0';
      for (let i = 0; i < DOMAINS; i++) expect(subjects).toContain(`d${i}: export service@${version}`);
      expect(await git(box, remote, ['rev-list', '--merges', '--count', 'main'])).toBe('0');
    }
    const checker = await clone(box, remote, 'realm-check');
    const check = await checkRealm(ctxIn(box, checker));
    expect(check.findings.filter((f) => f.severity === 'error')).toEqual([]);
    for (let i = 0; i < DOMAINS; i++) {
      const file = parse(await readFile(join(checker, `domains/d${i}/exports.yaml`), 'utf8')) as { exports: Array<{ version: string; value: unknown }> };
      expect(file.exports[0]).toMatchObject({ version: '1.1.0', value: { port: 8000, tls: true, id: `d${i}` } });
    }
  });

  verifies('sync-updates-exports', 'a value that breaks its schema is refused (SCHEMA_INVALID naming the file), nothing written', async () => {
    const { box, aperture, realm } = await sharedRealm();
    await exportContract(ctxIn(box, aperture.dir), { name: 'limits', value: '{"max_jobs": 4}' });
    await commitAll(box, aperture.dir, 'Declare limits');
    await syncRealm(ctxIn(box, aperture.dir));
    const declared = join(aperture.dir, '.blue/exports.yaml');
    const file = parse(await readFile(declared, 'utf8')) as { exports: Array<{ name: string; value?: unknown }> };
    const limits = file.exports.find((e) => e.name === 'limits');
    if (limits) limits.value = { max_jobs: 'four' };
    await writeFile(declared, stringify(file));
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    await expect(syncRealm(ctxIn(box, aperture.dir))).rejects.toMatchObject({ code: 'SCHEMA_INVALID', file: '.blue/exports.yaml', message: expect.stringContaining('max_jobs') as unknown });
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
  });

  verifies('sync-updates-exports', 'an unreachable realm remote is GIT_FAILED with the remote named; the next sync, with it back, publishes', async () => {
    const { box, aperture, realm, remote } = await sharedRealm();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    await rename(remote, `${remote}.away`);
    const head = await git(box, realm, ['rev-parse', 'HEAD']);
    await expect(syncRealm(ctxIn(box, aperture.dir))).rejects.toMatchObject({ code: 'GIT_FAILED', message: expect.stringContaining('origin') as unknown });
    expect(await git(box, realm, ['rev-parse', 'HEAD'])).toBe(head);
    expect(await git(box, realm, ['status', '--porcelain'])).toBe('');
    await rename(`${remote}.away`, remote);
    expect(await syncRealm(ctxIn(box, aperture.dir))).toMatchObject({ pushed: true, exports: [{ to_version: '1.1.0' }] });
  });

  verifies('sync-updates-exports', 'a dirty realm clone is refused (DIRTY_WORKTREE naming the file) and left as it was', async () => {
    const { box, aperture, realm } = await sharedRealm();
    await commitFile(box, aperture.dir, 'models/training/metrics_exporter.py', EXPERIMENTS);
    const edited = `${await readFile(join(realm, 'realm.yaml'), 'utf8')}# my note\n`;
    await writeFile(join(realm, 'realm.yaml'), edited);
    await expect(syncRealm(ctxIn(box, aperture.dir))).rejects.toMatchObject({ code: 'DIRTY_WORKTREE', message: expect.stringContaining('realm.yaml') as unknown });
    expect(await readFile(join(realm, 'realm.yaml'), 'utf8')).toBe(edited);
  });
});
