import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bareRemote, git, sandbox, useGitHubStandIn, writeTree, type GitHubStandIn, type Sandbox } from '@blue/testkit';
import { createContext, initRealm, joinRealm } from '@blue/realm';

export const BUCKET = 'reliability-bucket';
export const EXPORT = 'required-s3-permissions';
export const ORG = 'reliability';

export interface DomainRepo {
  name: string;
  dir: string;
  remote: string;
}

export interface DomainRealm {
  box: Sandbox;
  /** The folder holding the realm clone, the repos and the bare remotes. */
  root: string;
  realm: string;
  realmRemote: string;
  /** repos[0] is the provider; every other domain imports its export. */
  repos: DomainRepo[];
  /** Set with `github`: every repo is `reliability/<name>` on it. */
  standIn?: GitHubStandIn;
  /** The sandbox's environment, pointed at the stand-in when there is one. */
  env: Record<string, string>;
}

export interface DomainRealmOptions {
  /** Repos to create (default 10). */
  count?: number;
  /** Repos joined while building it (default all); the others are left for the test to join. */
  joined?: number;
  /** A GitHub stand-in holding every repo (default false). */
  github?: boolean;
  /** Each domain joins through a realm clone of its own (`realm-<name>`), as separate teams do. */
  clonePerDomain?: boolean;
}

export const domainName = (i: number): string => `d${String(i).padStart(2, '0')}`;

const PROVIDER_CODE = `from app import storage


def load_config(job_id: str) -> dict:
    return storage.read_json(f"s3://${BUCKET}/jobs/{job_id}/config.json")
`;

const CONSUMER_POLICY = `READ_PATHS = [\n    "arn:aws:s3:::${BUCKET}/jobs/*/config.json",\n]\n`;

/**
 * A realm `reliability` on a bare remote, with `count` domain repos each on its own bare remote
 * (d00 the provider of required-s3-permissions, every other domain binding it in iam/policy.py).
 * Built in-process (initRealm/joinRealm, as `blue realm join` does) in a sandbox of its own, so
 * two of them never share a BLUE_HOME. Joined domains' imports are detected at join; the realm is
 * pushed and each joined repo's .blue/ committed and pushed.
 */
export async function domainRealm(options: DomainRealmOptions = {}): Promise<DomainRealm> {
  const count = options.count ?? 10;
  const joined = options.joined ?? count;
  const box = await sandbox();
  const standIn = options.github ? await useGitHubStandIn() : undefined;
  const env = { ...box.env, ...(standIn?.env ?? {}) };
  const root = box.root;
  const ctx = (cwd: string) => createContext({ cwd, env });
  await initRealm(ctx(root), { name: 'reliability', path: 'realm' });
  const realm = join(root, 'realm');
  const realmRemote = await bareRemote(box, 'realm.git');
  await git(box, realm, ['remote', 'add', 'origin', realmRemote]);
  await git(box, realm, ['push', '--quiet', '-u', 'origin', 'main']);

  const repos: DomainRepo[] = [];
  for (let i = 0; i < count; i++) {
    const name = domainName(i);
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    const files: Record<string, string> = { 'README.md': `# ${name}\n`, 'src/app.py': `def main() -> None:\n    print("${name}")\n` };
    if (i === 0) files['src/storage_paths.py'] = PROVIDER_CODE;
    else files['iam/policy.py'] = CONSUMER_POLICY;
    await writeTree(dir, files);
    const remote = await bareRemote(box, `${name}.git`);
    await git(box, dir, ['init', '--quiet', '--initial-branch=main']);
    await git(box, dir, ['add', '--all']);
    await git(box, dir, ['commit', '--quiet', '-m', `${name}: initial import`]);
    await git(box, dir, ['remote', 'add', 'origin', remote]);
    await git(box, dir, ['push', '--quiet', '-u', 'origin', 'main']);
    standIn?.addRepo({ owner: ORG, name, remote });
    repos.push({ name, dir, remote });
    if (i < joined) {
      let realmPath = '../realm';
      if (options.clonePerDomain) {
        await git(box, realm, ['push', '--quiet']);
        realmPath = `../realm-${name}`;
        await git(box, root, ['clone', '--quiet', realmRemote, join(root, `realm-${name}`)]);
      }
      await joinRealm(ctx(dir), { realmPath, as: name, ...(standIn ? { github: `${ORG}/${name}` } : {}) });
      if (options.clonePerDomain) {
        await git(box, join(root, `realm-${name}`), ['push', '--quiet']);
        await git(box, realm, ['pull', '--quiet', '--rebase']);
      }
      await commitMembership(box, dir);
    }
  }
  await git(box, realm, ['push', '--quiet']);
  return { box, root, realm, realmRemote, repos, env, ...(standIn ? { standIn } : {}) };
}

/** A new S3 path in the provider's code, committed: the next sync publishes a minor version. */
/** Commits and pushes what `blue realm join` wrote in the repo at `dir` (join's "Next:" step). */
export async function commitMembership(box: Sandbox, dir: string): Promise<void> {
  await git(box, dir, ['add', '.blue']);
  await git(box, dir, ['commit', '--quiet', '-m', 'Join realm reliability']);
  await git(box, dir, ['push', '--quiet']);
}

export async function growProviderExport(fx: DomainRealm, tag: string): Promise<void> {
  const provider = fx.repos[0] as DomainRepo;
  const path = `src/extra_${tag}.py`;
  await writeFile(join(provider.dir, path), `def save_${tag}(path: str) -> None:\n    upload(path, "s3://${BUCKET}/${tag}/output.json")\n`);
  await git(fx.box, provider.dir, ['add', '--', path]);
  await git(fx.box, provider.dir, ['commit', '--quiet', '-m', `add ${tag}`]);
}

/**
 * A second user of the same realm and repos: a sandbox of their own (BLUE_HOME, git config) with
 * clones of the realm and of every repo under the same folder names, each registered in their
 * index by joining again (which only records the clone).
 */
export async function secondUser(fx: DomainRealm): Promise<DomainRealm> {
  const box = await sandbox();
  const root = box.root;
  await git(box, root, ['clone', '--quiet', fx.realmRemote, join(root, 'realm')]);
  const repos: DomainRepo[] = [];
  for (const repo of fx.repos) {
    const dir = join(root, repo.name);
    await git(box, root, ['clone', '--quiet', repo.remote, dir]);
    await joinRealm(createContext({ cwd: dir, env: box.env }), { realmPath: '../realm', as: repo.name });
    repos.push({ name: repo.name, dir, remote: repo.remote });
  }
  return { box, root, realm: join(root, 'realm'), realmRemote: fx.realmRemote, repos, env: { ...box.env } };
}
