// One realm on a server, a provider repo on alice's machine and a consumer repo on bob's, both
// joined by the realm's URL; carol is a third machine (a teammate, or a CI runner). Shared by the
// two-machines tests and the GitHub Action's tests.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { manyMachines, writeTree, type Machine, type MachinesOptions } from '@blue/testkit';

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

export interface TwoOrgsOptions extends Pick<MachinesOptions, 'bare' | 'within'> {
  /** Join each repo as letemcook/<domain> on GitHub. */
  github?: boolean;
  /** realm.yaml `governance.bots` entries (email, domains) to grant. */
  bots?: ReadonlyArray<{ email: string; domains: string[] }>;
}

/** A realm on the server, a provider repo on alice's machine and a consumer repo on bob's, both joined by the realm's URL. */
export async function twoOrgs(options: TwoOrgsOptions = {}) {
  const net = await manyMachines({ people: ['alice', 'bob', 'carol'], bare: options.bare, within: options.within });
  const [alice, bob, carol] = net.machines as [Machine, Machine, Machine];
  const realmUrl = await net.remote('realm.git');
  await ok(alice, ['realm', 'init', '--name', 'two-orgs', '--path', 'realm'], alice.root);
  // Open admission: each org joins on its own, without waiting for an approver.
  const realmYaml = join(alice.root, 'realm', 'realm.yaml');
  const bots = (options.bots ?? []).map((b) => `\n    - email: ${b.email}\n      domains: [${b.domains.map((d) => JSON.stringify(d)).join(', ')}]`).join('');
  await writeFile(realmYaml, (await readFile(realmYaml, 'utf8')).replace('admission: approval', 'admission: open').replace(/(\n {2}breaking_changes:)/, bots === '' ? '$1' : `\n  bots:${bots}$1`));
  await alice.git(join(alice.root, 'realm'), ['commit', '--quiet', '-am', 'open admission']);
  await alice.git(join(alice.root, 'realm'), ['remote', 'add', 'origin', realmUrl]);
  await alice.git(join(alice.root, 'realm'), ['push', '--quiet', '-u', 'origin', 'main']);
  const providerRemote = await net.remote('provider.git');
  const consumerRemote = await net.remote('consumer.git');
  const joined = async (m: Machine, remote: string, domain: 'provider' | 'consumer', tree: Record<string, string>): Promise<string> => {
    const repo = await repoOn(m, remote, domain, tree);
    await ok(m, ['realm', 'join', realmUrl, '--as', domain, ...(options.github ? ['--github', `letemcook/${domain}`] : [])], repo);
    await m.git(repo, ['add', '.blue']);
    await m.git(repo, ['commit', '--quiet', '-m', 'join']);
    await m.git(repo, ['push', '--quiet']);
    return repo;
  };
  const provider = await joined(alice, providerRemote, 'provider', PROVIDER);
  const consumer = await joined(bob, consumerRemote, 'consumer', CONSUMER);
  return { net, alice, bob, carol, realmUrl, provider, consumer, providerRemote, consumerRemote };
}

export type TwoOrgs = Awaited<ReturnType<typeof twoOrgs>>;

/** Alice publishes a new path: the provider's export goes to 1.1.0. */
export async function publishNewPath(alice: Machine, provider: string): Promise<void> {
  await writeTree(provider, { 'src/reports.py': 'def save(run: str) -> None:\n    upload("s3://two-machines/reports/{run}/report.html")\n' });
  await alice.git(provider, ['add', '--all']);
  await alice.git(provider, ['commit', '--quiet', '-m', 'reports']);
  await ok(alice, ['realm', 'sync', '--no-notify'], provider);
}
