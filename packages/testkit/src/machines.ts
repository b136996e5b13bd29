import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bareRemote, git } from './git.js';
import { runBlue, type BlueRun } from './run-blue.js';
import { sandbox, sandboxAt, type Sandbox } from './temp.js';

/**
 * One person's machine: a sandbox of its own (HOME, BLUE_HOME, runtime folder, git identity,
 * clones), sharing nothing with the others but the bare remotes of the "server".
 */
export interface Machine {
  name: string;
  email: string;
  box: Sandbox;
  /** Where this person keeps their clones. */
  root: string;
  env: Record<string, string>;
  /** `blue …` on this machine, in `cwd` (default: its root). */
  blue(args: readonly string[], cwd?: string, env?: Record<string, string | undefined>): Promise<BlueRun>;
  git(cwd: string, args: readonly string[]): Promise<string>;
  /** Clones a shared remote into `<root>/<name>`. */
  clone(remote: string, name: string): Promise<string>;
}

export interface Machines {
  /** The shared "server": a sandbox holding only bare remotes (`remote(name)`). */
  server: Sandbox;
  remote(name: string): Promise<string>;
  machines: Machine[];
}

export interface MachinesOptions {
  /** One machine per person (default: alice and bob). */
  people?: readonly string[];
  /**
   * Leave BLUE_HOME and BLUE_RUNTIME_DIR unset, as on a fresh CI runner: Blue then uses
   * `$HOME/.blue` (HOME is the machine's own folder) and the default runtime folder. CI=true.
   */
  bare?: boolean;
  /**
   * Create every sandbox under this folder, which the caller removes (a fixture shared by the
   * tests of a file, built in beforeAll); default: temp folders removed when the test ends.
   */
  within?: string;
}

/**
 * Two (or more) people on separate machines, as teams are: each with a HOME, BLUE_HOME,
 * runtime folder, git identity and clones of their own, over bare remotes of a shared server.
 * Everything is removed when the test ends.
 */
export async function manyMachines(options: MachinesOptions = {}): Promise<Machines> {
  const fresh = (): Promise<Sandbox> => (options.within === undefined ? sandbox() : mkdtemp(join(options.within, 'box-')).then(sandboxAt));
  const server = await fresh();
  const machines: Machine[] = [];
  for (const name of options.people ?? ['alice', 'bob']) machines.push(await machine(name, options.bare === true, await fresh()));
  return { server, remote: (name) => bareRemote(server, name), machines };
}

async function machine(name: string, bare: boolean, box: Sandbox): Promise<Machine> {
  const email = `${name}@${name}-org.example`;
  const home = join(box.root, 'user-home');
  await mkdir(home, { recursive: true });
  const gitconfig = box.env.GIT_CONFIG_GLOBAL ?? join(box.root, 'gitconfig');
  await writeFile(gitconfig, `[user]\n\tname = ${name}\n\temail = ${email}\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgSign = false\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n[protocol "file"]\n\tallow = always\n`);
  const env: Record<string, string> = { ...box.env, HOME: home };
  if (bare) {
    delete env.BLUE_HOME;
    delete env.BLUE_RUNTIME_DIR;
    // What every CI service sets (Blue makes shallow realm clones there).
    env.CI = 'true';
    env.XDG_RUNTIME_DIR = join(box.root, 'xdg-run');
    await mkdir(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  }
  const own: Sandbox = { root: box.root, env };
  const root = join(box.root, 'work');
  await mkdir(root, { recursive: true });
  return {
    name,
    email,
    box: own,
    root,
    env,
    blue: (args, cwd = root, extra = {}) => runBlue(own, args, { cwd, env: extra, timeoutMs: 60_000 }),
    git: (cwd, args) => git(own, cwd, args),
    clone: async (remote, dir) => {
      const target = join(root, dir);
      await git(own, root, ['clone', '--quiet', remote, target]);
      return target;
    },
  };
}
