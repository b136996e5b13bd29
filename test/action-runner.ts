// A simulated GitHub Actions runner for the Action's committed bundle: a machine of the
// two-machines fixture in its bare "CI runner" mode (no BLUE_HOME, no git identity), the event
// payload in GITHUB_EVENT_PATH, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, CI=true, no TTY.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { writeTree, type Machine } from '@blue/testkit';
import { twoOrgs, type TwoOrgs } from './two-orgs.js';

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

/** The two-orgs realm whose governance grants the Actions bot every domain; carol's machine is the CI runner (no BLUE_HOME, no git identity). */
export async function ciRealm(within: string): Promise<TwoOrgs> {
  const world = await twoOrgs({ bare: true, within, github: true, bots: [{ email: '41898282+github-actions[bot]@users.noreply.github.com', domains: ['*'] }] });
  // A fresh runner has no git identity: realm commits must come from the Action's bot identity.
  const gitconfig = join(world.carol.box.root, 'runner-gitconfig');
  await writeFile(gitconfig, '[init]\n\tdefaultBranch = main\n[commit]\n\tgpgSign = false\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n');
  world.carol.env.GIT_CONFIG_GLOBAL = gitconfig;
  return world;
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
