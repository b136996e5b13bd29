// A simulated GitHub Actions runner for the Action's committed bundle: a machine of the
// two-machines fixture in its bare "CI runner" mode (no BLUE_HOME, no git identity), the event
// payload in GITHUB_EVENT_PATH, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, CI=true, no TTY.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { manyMachines, writeTree, type Machine, type Machines } from '@blue/testkit';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const BUNDLE = join(ROOT, 'action/dist/index.cjs');

export interface ActionResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Reads a GITHUB_OUTPUT file (`name<<DELIMITER` blocks) into name -> value. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (m === null) continue;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i] ?? '');
    out[m[1] ?? ''] = value.join('\n');
  }
  return out;
}

/** The inputs action.yml declares, with their defaults. */
export async function declaredInputs(): Promise<Record<string, { default?: string }>> {
  return (parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs;
}

let runs = 0;

/**
 * Runs the bundle on `runner` in `workspace` as the runner would: inputs as INPUT_* variables
 * (defaults from action.yml, as the runner applies them), the event payload written to a file.
 */
export async function runAction(runner: Machine, workspace: string, options: { inputs: Record<string, string>; event: object; eventName: string; env?: Record<string, string | undefined> }): Promise<ActionResult> {
  const dir = join(runner.root, '..', `step-${++runs}`);
  await mkdir(dir, { recursive: true });
  const files = { event: join(dir, 'event.json'), output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  await writeFile(files.event, JSON.stringify(options.event));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  const env: Record<string, string | undefined> = { ...runner.env, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: options.eventName, GITHUB_EVENT_PATH: files.event, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, GITHUB_WORKSPACE: workspace };
  for (const [name, spec] of Object.entries(await declaredInputs())) {
    const value = options.inputs[name] ?? (spec.default?.includes('${{') ? '' : (spec.default ?? ''));
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) env[key] = value;
  const child = spawn(process.execPath, [BUNDLE], { cwd: workspace, env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exitCode = await new Promise<number | null>((done, fail) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
  return { exitCode, stdout, stderr, outputs: parseOutputs(await readFile(files.output, 'utf8')), summary: await readFile(files.summary, 'utf8') };
}

const PROVIDER = {
  'README.md': '# provider\n',
  'src/jobs.py': 'def load(job: str) -> str:\n    return read("s3://ci-realm/jobs/{job}/config.json")\n',
};
const CONSUMER = {
  'README.md': '# consumer\n',
  'iam/policy.py': 'READ = ["arn:aws:s3:::ci-realm/jobs/*/config.json"]\n',
};

export interface CiRealm {
  net: Machines;
  alice: Machine;
  bob: Machine;
  /** The CI runner: no BLUE_HOME, no git identity, only the code repo it checks out. */
  runner: Machine;
  realmUrl: string;
  providerRemote: string;
  consumerRemote: string;
  provider: string;
  consumer: string;
}

async function ok(m: Machine, args: string[], cwd: string): Promise<string> {
  const run = await m.blue(args, cwd);
  if (run.exitCode !== 0) throw new Error(`${m.name}: blue ${args.join(' ')} failed (${run.exitCode}): ${run.stdout}${run.stderr}`);
  return run.stdout;
}

async function repoOn(m: Machine, remote: string, dir: string, tree: Record<string, string>): Promise<string> {
  const path = await m.clone(remote, dir);
  await writeTree(path, tree);
  await m.git(path, ['add', '--all']);
  await m.git(path, ['commit', '--quiet', '-m', 'initial']);
  await m.git(path, ['push', '--quiet', '-u', 'origin', 'main']);
  return path;
}

/**
 * A realm on the server whose approver is alice and whose governance grants the Actions bot every
 * domain; alice's provider (letemcook/provider on GitHub) exports S3 paths that bob's consumer
 * (letemcook/consumer) imports, both joined by the realm's URL.
 */
export async function ciRealm(within: string): Promise<CiRealm> {
  const net = await manyMachines({ people: ['alice', 'bob', 'runner'], bare: true, within });
  const [alice, bob, runner] = net.machines as [Machine, Machine, Machine];
  // A fresh runner has no git identity: realm commits must come from the Action's bot identity.
  const gitconfig = join(runner.box.root, 'runner-gitconfig');
  await writeFile(gitconfig, '[init]\n\tdefaultBranch = main\n[commit]\n\tgpgSign = false\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n');
  runner.env.GIT_CONFIG_GLOBAL = gitconfig;
  const realmUrl = await net.remote('realm.git');
  await ok(alice, ['realm', 'init', '--name', 'ci-realm', '--path', 'realm'], alice.root);
  const realm = join(alice.root, 'realm');
  const realmYaml = join(realm, 'realm.yaml');
  await writeFile(realmYaml, (await readFile(realmYaml, 'utf8')).replace('admission: approval', 'admission: open').replace(/(\n {2}breaking_changes:)/, '\n  bots:\n    - email: 41898282+github-actions[bot]@users.noreply.github.com\n      domains: ["*"]$1'));
  await alice.git(realm, ['commit', '--quiet', '-am', 'open admission; the Actions bot publishes']);
  await alice.git(realm, ['remote', 'add', 'origin', realmUrl]);
  await alice.git(realm, ['push', '--quiet', '-u', 'origin', 'main']);
  const providerRemote = await net.remote('provider.git');
  const consumerRemote = await net.remote('consumer.git');
  const provider = await repoOn(alice, providerRemote, 'provider', PROVIDER);
  await ok(alice, ['realm', 'join', realmUrl, '--as', 'provider', '--github', 'letemcook/provider'], provider);
  await alice.git(provider, ['add', '.blue']);
  await alice.git(provider, ['commit', '--quiet', '-m', 'join']);
  await alice.git(provider, ['push', '--quiet']);
  const consumer = await repoOn(bob, consumerRemote, 'consumer', CONSUMER);
  await ok(bob, ['realm', 'join', realmUrl, '--as', 'consumer', '--github', 'letemcook/consumer'], consumer);
  await bob.git(consumer, ['add', '.blue']);
  await bob.git(consumer, ['commit', '--quiet', '-m', 'join']);
  await bob.git(consumer, ['push', '--quiet']);
  return { net, alice, bob, runner, realmUrl, providerRemote, consumerRemote, provider, consumer };
}

/** Pushes `tree` as a new commit on `branch` of `repo` (created from main), back on main after. */
export async function pushBranch(m: Machine, repo: string, branch: string, tree: Record<string, string>, remove: string[] = []): Promise<string> {
  await m.git(repo, ['checkout', '--quiet', '-B', branch, 'origin/main']);
  await writeTree(repo, tree);
  for (const file of remove) await m.git(repo, ['rm', '--quiet', file]);
  await m.git(repo, ['add', '--all']);
  await m.git(repo, ['commit', '--quiet', '-m', `change on ${branch}`]);
  await m.git(repo, ['push', '--quiet', '--force', '-u', 'origin', branch]);
  const sha = (await m.git(repo, ['rev-parse', 'HEAD'])).trim();
  await m.git(repo, ['checkout', '--quiet', 'main']);
  return sha;
}

/** The runner's checkout of `remote` at `ref`, as actions/checkout leaves it. */
export async function checkout(runner: Machine, remote: string, ref: string, dir: string): Promise<string> {
  const path = await runner.clone(remote, dir);
  await runner.git(path, ['checkout', '--quiet', ref]);
  return path;
}

/** A `pull_request` event payload as GitHub sends it (the fields Blue reads, and the usual neighbours). */
export function pullRequestEvent(repo: string, number: number, head: { ref: string; sha: string }, base: { sha: string }): object {
  const [owner = '', name = ''] = repo.split('/');
  return {
    action: 'synchronize',
    number,
    pull_request: { number, state: 'open', title: `PR ${number}`, head: { ref: head.ref, sha: head.sha }, base: { ref: 'main', sha: base.sha } },
    repository: { full_name: repo, name, owner: { login: owner }, default_branch: 'main' },
  };
}

/** A `push` event payload to `ref`. */
export function pushEvent(repo: string, ref: string, after: string): object {
  const [owner = '', name = ''] = repo.split('/');
  return { ref, after, before: '0'.repeat(40), repository: { full_name: repo, name, owner: { login: owner }, default_branch: 'main' }, pusher: { name: 'alice' } };
}
