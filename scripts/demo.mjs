#!/usr/bin/env node
// The Blue realms demo: the RFC's letemcook scenario, run with the built CLI in a temp folder.
// Run it through `npx --yes pnpm@10.34.8 run demo` (installs and builds first).
// Nothing outside the temp folder is touched: BLUE_HOME and BLUE_RUNTIME_DIR point inside it,
// the code repos' "GitHub" remotes are local bare repositories.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BLUE = fileURLToPath(new URL('../apps/cli/bin/run.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const root = realpathSync(mkdtempSync(join(tmpdir(), 'blue-demo-')));
const env = { ...process.env, BLUE_HOME: join(root, 'home'), BLUE_RUNTIME_DIR: join(root, 'run') };

// The demo commits; give git an identity when this machine has none.
if (spawnSync('git', ['config', 'user.email'], { encoding: 'utf8' }).stdout.trim() === '') {
  Object.assign(env, { GIT_AUTHOR_NAME: 'Blue Demo', GIT_AUTHOR_EMAIL: 'demo@blue.example', GIT_COMMITTER_NAME: 'Blue Demo', GIT_COMMITTER_EMAIL: 'demo@blue.example' });
}

const bold = process.stdout.isTTY && !process.env.NO_COLOR ? (t) => `\u001b[1m${t}\u001b[0m` : (t) => t;

function heading(text) {
  process.stdout.write(`\n${bold(`== ${text}`)}\n`);
}

function git(cwd, ...args) {
  const run = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${run.stderr}`);
}

/** Runs `blue ARGS` in `cwd`, echoing the command line; stops the demo on an unexpected exit code. */
function blue(args, cwd, expectExit = 0) {
  process.stdout.write(`\n${bold(`${cwd.replace(root, '~')}$ blue ${args.join(' ')}`)}\n`);
  const run = spawnSync(process.execPath, [BLUE, ...args], { cwd, env, stdio: 'inherit' });
  if (run.status !== expectExit) {
    process.stderr.write(`demo: expected exit ${expectExit} from "blue ${args.join(' ')}", got ${run.status}\n`);
    process.exit(1);
  }
}

/** A code repo from fixtures/, committed on main and pushed to a local bare "origin". */
function codeRepo(name) {
  const dir = join(root, name);
  const remote = join(root, 'remotes', `${name}.git`);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  mkdirSync(remote, { recursive: true });
  git(remote, 'init', '--quiet', '--bare', '--initial-branch=main');
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', `${name}: initial import`);
  git(dir, 'remote', 'add', 'origin', remote);
  git(dir, 'push', '--quiet', '-u', 'origin', 'main');
  return dir;
}

heading(`Blue realms demo in ${root}`);
const aperture = codeRepo('aperture');
const fungal = codeRepo('fungal-image-analysis');
const realm = join(root, 'realm-letemcook');
mkdirSync(realm);

heading('1. Create the realm');
blue(['realm', 'init', '--name', 'letemcook'], realm);
blue(['realm', 'init', '--name', 'letemcook'], realm, 4);

heading('2. aperture joins: its S3 paths become the export required-s3-permissions');
blue(['realm', 'join', '../realm-letemcook', '--as', 'aperture'], aperture);

heading('3. fungal-image-analysis joins: its IAM stack is detected as the binding of an import');
blue(['realm', 'join', '../realm-letemcook', '--as', 'fungal-image-analysis'], fungal);

heading('4. Status in both repos');
blue(['status'], aperture);
blue(['status'], fungal);

heading('5. The realm as a graph (Mermaid renders in GitHub Markdown) and a full check');
blue(['realm', 'graph', '--format', 'mermaid'], aperture);
blue(['realm', 'check'], realm);

heading('6. The same status as JSON, for scripts and agents');
blue(['status', '--json'], fungal);

heading('Done');
process.stdout.write(`Everything is in ${root} (realm-letemcook, aperture, fungal-image-analysis, remotes/). Remove it when finished.\n`);
