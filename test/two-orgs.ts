import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { manyMachines, writeTree, type Machine } from '@blue/testkit';

/**
 * One realm, many machines: the provider (alice) and the consumer (bob) each on their own
 * machine, sharing only the bare remotes of a server. Nobody pulls by hand.
 */

export const PROVIDER = {
  'README.md': '# provider\n',
  'src/jobs.py': 'def load(job: str) -> str:\n    return read("s3://two-machines/jobs/{job}/config.json")\n',
};
export const CONSUMER = {
  'README.md': '# consumer\n',
  'iam/policy.py': 'READ = ["arn:aws:s3:::two-machines/jobs/*/config.json"]\n',
};

export interface StatusJson {
  realm: { name: string; url?: string; path: string; fetched_at?: string; behind: number; ahead: number; offline: boolean; warning?: { code: string; message: string } };
  imports: Array<{ from: string; status: string; available?: string; resolved_version?: string }>;
  notices: Array<{ id: string; from: string; export: string; new_version: string; changes: string[] }>;
}

export async function repoOn(m: Machine, remote: string, dir: string, tree: Record<string, string>): Promise<string> {
  const path = await m.clone(remote, dir);
  await writeTree(path, tree);
  await m.git(path, ['add', '--all']);
  await m.git(path, ['commit', '--quiet', '-m', 'initial']);
  await m.git(path, ['push', '--quiet', '-u', 'origin', 'main']);
  return path;
}

export async function ok(m: Machine, args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<string> {
  const run = await m.blue(args, cwd, env);
  expect(run.exitCode, `${m.name}: blue ${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(0);
  return run.stdout;
}

/** A realm on the server, a provider repo on alice's machine and a consumer repo on bob's, both joined by the realm's URL. */
export async function twoOrgs(options: { bare?: boolean } = {}) {
  const net = await manyMachines({ people: ['alice', 'bob', 'carol'], ...options });
  const [alice, bob, carol] = net.machines as [Machine, Machine, Machine];
  const realmUrl = await net.remote('realm.git');
  await ok(alice, ['realm', 'init', '--name', 'two-orgs', '--path', 'realm'], alice.root);
  // Open admission: each org joins on its own, without waiting for an approver.
  const realmYaml = join(alice.root, 'realm', 'realm.yaml');
  await writeFile(realmYaml, (await readFile(realmYaml, 'utf8')).replace('admission: approval', 'admission: open'));
  await alice.git(join(alice.root, 'realm'), ['commit', '--quiet', '-am', 'open admission']);
  await alice.git(join(alice.root, 'realm'), ['remote', 'add', 'origin', realmUrl]);
  await alice.git(join(alice.root, 'realm'), ['push', '--quiet', '-u', 'origin', 'main']);
  const providerRemote = await net.remote('provider.git');
  const consumerRemote = await net.remote('consumer.git');
  const provider = await repoOn(alice, providerRemote, 'provider', PROVIDER);
  await ok(alice, ['realm', 'join', realmUrl, '--as', 'provider'], provider);
  await alice.git(provider, ['add', '.blue']);
  await alice.git(provider, ['commit', '--quiet', '-m', 'join']);
  await alice.git(provider, ['push', '--quiet']);
  const consumer = await repoOn(bob, consumerRemote, 'consumer', CONSUMER);
  await ok(bob, ['realm', 'join', realmUrl, '--as', 'consumer'], consumer);
  await bob.git(consumer, ['add', '.blue']);
  await bob.git(consumer, ['commit', '--quiet', '-m', 'join']);
  await bob.git(consumer, ['push', '--quiet']);
  return { net, alice, bob, carol, realmUrl, provider, consumer, providerRemote, consumerRemote };
}

/** Alice publishes a new path: the provider's export goes to 1.1.0. */
export async function publishNewPath(alice: Machine, provider: string): Promise<void> {
  await writeTree(provider, { 'src/reports.py': 'def save(run: str) -> None:\n    upload("s3://two-machines/reports/{run}/report.html")\n' });
  await alice.git(provider, ['add', '--all']);
  await alice.git(provider, ['commit', '--quiet', '-m', 'reports']);
  await ok(alice, ['realm', 'sync', '--no-notify'], provider);
}
