#!/usr/bin/env node
// The Blue realms demo: the RFC's letemcook scenario, run with the built CLI in a temp folder.
// Run it through `npx --yes pnpm@10.34.8 run demo` (installs and builds first).
// Nothing outside the temp folder is touched: BLUE_HOME and BLUE_RUNTIME_DIR point inside it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BLUE = fileURLToPath(new URL('../apps/cli/bin/run.js', import.meta.url));
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

/** Runs `blue ARGS` in `cwd`, echoing the command line; returns its exit code. */
function blue(args, cwd, expectExit = 0) {
  process.stdout.write(`\n$ blue ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [BLUE, ...args], { cwd, env, stdio: 'inherit' });
  if (run.status !== expectExit) {
    process.stderr.write(`demo: expected exit ${expectExit} from "blue ${args.join(' ')}", got ${run.status}\n`);
    process.exit(1);
  }
}

heading(`Blue realms demo in ${root}`);
const realm = join(root, 'realm-letemcook');
mkdirSync(realm);

heading('1. Create the realm (RFC "Initial Setup", step 1)');
blue(['realm', 'init', '--name', 'letemcook'], realm);

heading('2. Running it again is refused and changes nothing (exit 4)');
blue(['realm', 'init', '--name', 'letemcook'], realm, 4);

heading('3. The same use case as JSON, for scripts (another realm beside it)');
blue(['realm', 'init', '--name', 'letemcook-json', '--path', 'realm-json', '--json'], root);

heading('Done');
process.stdout.write(`The realm is at ${realm} (git log, cat realm.yaml). Remove ${root} when finished.\n`);
