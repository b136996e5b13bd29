#!/usr/bin/env node
// The Blue realms demo: the RFC's letemcook scenario (Initial Setup, Daily Development, Consumer
// Response), run with the built CLI in a temp folder.
// Run it through `npx --yes pnpm@10.34.8 run demo` (installs and builds first).
// Nothing outside the temp folder is touched: BLUE_HOME and BLUE_RUNTIME_DIR point inside it,
// the code repos' "GitHub" remotes are local bare repositories, and GitHub itself is the testkit's
// local stand-in (an in-memory REST API on 127.0.0.1), so no token of yours is read or sent.
// BLUE_DEMO_CLEANUP=1 removes the temp folder at the end (otherwise it is kept for you to explore).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BLUE = fileURLToPath(new URL('../apps/cli/bin/run.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const TESTKIT = new URL('../packages/testkit/dist/index.js', import.meta.url).href;
const APERTURE_GITHUB = 'letemcook/aperture';
const FUNGAL_GITHUB = 'letemcook/fungal-image-analysis';
const CLEANUP = process.env.BLUE_DEMO_CLEANUP === '1';

const { githubStandIn } = await import(TESTKIT).catch((error) => {
  process.stderr.write(`demo: cannot load the GitHub stand-in from packages/testkit/dist (${error.message}). Build first: npx --yes pnpm@10.34.8 run build\n`);
  process.exit(1);
});

const root = realpathSync(mkdtempSync(join(tmpdir(), 'blue-demo-')));
const env = { ...process.env, BLUE_HOME: join(root, 'home'), BLUE_RUNTIME_DIR: join(root, 'run') };
// Only the stand-in's token may reach Blue: drop any real GitHub token or API URL of this machine.
for (const key of ['GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'GH_HOST', 'BLUE_GITHUB_API_URL', 'GITHUB_API_URL']) delete env[key];

// The demo commits; give git an identity when this machine has none.
if (spawnSync('git', ['config', 'user.email'], { encoding: 'utf8' }).stdout.trim() === '') {
  Object.assign(env, { GIT_AUTHOR_NAME: 'Blue Demo', GIT_AUTHOR_EMAIL: 'demo@blue.example', GIT_COMMITTER_NAME: 'Blue Demo', GIT_COMMITTER_EMAIL: 'demo@blue.example' });
}

const bold = process.stdout.isTTY && !process.env.NO_COLOR ? (t) => `\u001b[1m${t}\u001b[0m` : (t) => t;
const out = (text) => process.stdout.write(text);
const here = (cwd) => cwd.replace(root, '~');

function heading(text) {
  out(`\n${bold(`== ${text}`)}\n`);
}

function git(cwd, ...args) {
  const run = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${run.stderr}`);
  return run.stdout;
}

/** A command line as a shell would need it typed: arguments with spaces quoted. */
const commandLine = (args) => args.map((a) => (/\s/.test(a) ? `"${here(a)}"` : here(a))).join(' ');

/** Runs git in `cwd` as a step of the story: the command line is echoed, its output shown. */
function shownGit(cwd, ...args) {
  out(`\n${bold(`${here(cwd)}$ git ${commandLine(args)}`)}\n`);
  out(git(cwd, ...args));
}

class DemoFailure extends Error {}

/**
 * Runs `blue ARGS` in `cwd`, echoing the command line; stops the demo on an unexpected exit code.
 * Asynchronous (not spawnSync) because the GitHub stand-in answers from this very process.
 */
async function blue(args, cwd, expectExit = 0) {
  out(`\n${bold(`${here(cwd)}$ blue ${commandLine(args)}`)}\n`);
  await runBlue(args, cwd, expectExit, 'inherit');
}

/** Like blue(), for the exit code alone (what CI sees): the output is the one just shown. */
async function blueExitCode(args, cwd, expectExit) {
  out(`\n${bold(`${here(cwd)}$ blue ${commandLine(args)} > /dev/null; echo "exit $?"`)}\n`);
  const said = await runBlue(args, cwd, expectExit, 'ignore', 'pipe');
  out(`${said}exit ${expectExit}\n`);
}

/** Runs blue; returns what it wrote on stderr when asked to capture it ('pipe'). */
async function runBlue(args, cwd, expectExit, stdout, stderr = 'inherit') {
  const child = spawn(process.execPath, [BLUE, ...args], { cwd, env, stdio: ['ignore', stdout, stderr] });
  let said = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk) => (said += chunk));
  const status = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
  if (status !== expectExit) throw new DemoFailure(`expected exit ${expectExit} from "blue ${args.join(' ')}" in ${here(cwd)}, got ${status}${said ? `: ${said.trim()}` : ''}`);
  return said;
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

/** Commits what `blue realm join` wrote into the code repo (its "Next:" step). */
function recordMembership(dir) {
  git(dir, 'add', '.blue');
  git(dir, 'commit', '--quiet', '-m', 'Join realm letemcook');
  git(dir, 'push', '--quiet');
}

/**
 * The RFC's daily change: a new aperture module writing to training-metrics/experiments/* (which
 * fungal's stack already grants: IAM's training-metrics/* spans folders) and, beyond the RFC, to
 * models/*\/model.pt (which it does not).
 */
const METRICS_EXPORTER = `from aperture import storage


def export_experiment(run_id: str, path: str) -> None:
    storage.upload_file(path, f"s3://cultivarium-fungal/training-metrics/experiments/{run_id}")


def save_model(run_id: str, path: str) -> None:
    storage.upload_file(path, f"s3://cultivarium-fungal/models/{run_id}/model.pt")
`;

const STACK = 'cdk/training_tools_access_stack.py';
const MODELS_ARN = 'arn:aws:s3:::cultivarium-fungal/models/*/model.pt';

/** fungal's answer: the path not granted yet joins WRITE_PATHS in its IAM stack, the import's binding. */
function grantModels(fungal) {
  const file = join(fungal, STACK);
  const before = readFileSync(file, 'utf8');
  const anchor = 'WRITE_PATHS = [\n    "arn:aws:s3:::cultivarium-fungal/jobs/*/*/manifest.json",\n    "arn:aws:s3:::cultivarium-fungal/training-metrics/*",\n';
  if (!before.includes(anchor)) throw new DemoFailure(`${STACK} no longer has the WRITE_PATHS list the demo edits`);
  writeFileSync(file, before.replace(anchor, `${anchor}    "${MODELS_ARN}",\n`));
}

/** The v2 change of Change Propagation: aperture adds a summary file, fungal grants nothing new (a comment). */
const METRICS_V2 = `

def export_summary(run_id: str, path: str) -> None:
    storage.upload_file(path, f"s3://cultivarium-fungal/training-metrics/experiments/{run_id}/summary.json")
`;
const GRANT_V2 = '\n# training-metrics v2: summaries live under training-metrics/experiments/*, already granted above.\n';

/** Prints the pull requests the stand-in holds: what reviewers see on GitHub. */
function showPulls(standIn) {
  for (const repo of [APERTURE_GITHUB, FUNGAL_GITHUB]) {
    const pulls = standIn.state.pulls(repo);
    if (pulls.length !== 1) throw new DemoFailure(`expected one pull request in ${repo}, found ${pulls.length}`);
    const [pull] = pulls;
    out(`\n${repo} pull request #${pull.number} [${pull.state}${pull.draft ? ', draft' : ''}] ${pull.head} → ${pull.base}\n`);
    out(`  ${pull.title}\n${(pull.body ?? '').trimEnd().split('\n').map((l) => `  │ ${l}`.trimEnd()).join('\n')}\n`);
  }
}

/** Prints the issue the stand-in holds for fungal: what its team sees on GitHub. */
function showIssues(standIn) {
  const issues = standIn.state.issues(FUNGAL_GITHUB);
  if (issues.length === 0) throw new DemoFailure(`no issue was opened in ${FUNGAL_GITHUB}`);
  for (const issue of issues) {
    out(`\n${FUNGAL_GITHUB} issue #${issue.number} [${issue.state}] by ${issue.author}${issue.labels.length > 0 ? `, labels: ${issue.labels.join(', ')}` : ''}\n`);
    out(`${standIn.url}/${FUNGAL_GITHUB}/issues/${issue.number}\n`);
    out(`  ${issue.title}\n`);
    // GitHub does not render HTML comments (Blue's markers for finding the issue again): leave them out.
    const lines = (issue.body ?? '').replace(/<!--[\s\S]*?-->/g, '').trimEnd().split('\n');
    const shown = lines.slice(0, 20);
    out(`${shown.map((l) => `  │ ${l}`.trimEnd()).join('\n')}\n`);
    if (lines.length > shown.length) out(`  │ … (${lines.length - shown.length} more lines)\n`);
  }
}

async function story(standIn) {
  heading(`Blue realms demo in ${root}`);
  out(`GitHub is a local stand-in at ${standIn.url} holding ${APERTURE_GITHUB} and ${FUNGAL_GITHUB}.\n`);
  const aperture = codeRepo('aperture');
  const fungal = codeRepo('fungal-image-analysis');
  const realm = join(root, 'realm-letemcook');
  mkdirSync(realm);

  heading('Initial Setup');

  heading('1. Create the realm');
  await blue(['realm', 'init', '--name', 'letemcook'], realm);
  await blue(['realm', 'init', '--name', 'letemcook'], realm, 4);
  const realmRemote = join(root, 'remotes', 'realm-letemcook.git');
  mkdirSync(realmRemote, { recursive: true });
  git(realmRemote, 'init', '--quiet', '--bare', '--initial-branch=main');
  out('\n(The realm\'s "GitHub" is a local bare repository too, as init\'s "Next:" suggests.)\n');
  shownGit(realm, 'remote', 'add', 'origin', realmRemote);
  shownGit(realm, 'push', '--quiet', '-u', 'origin', 'main');

  heading('2. aperture joins: its S3 paths become the export required-s3-permissions');
  await blue(['realm', 'join', '../realm-letemcook', '--as', 'aperture', '--github', APERTURE_GITHUB], aperture);
  recordMembership(aperture);

  heading('3. fungal-image-analysis joins: its IAM stack is detected as the binding of an import');
  await blue(['realm', 'join', '../realm-letemcook', '--as', 'fungal-image-analysis', '--github', FUNGAL_GITHUB], fungal);
  recordMembership(fungal);
  out('\n(The demo committed and pushed .blue/ in both repos, as the "Next:" lines suggest: GitHub notices go only to a repository whose default branch holds it.)\n');

  heading('4. Status in both repos');
  await blue(['status'], aperture);
  await blue(['status'], fungal);

  heading('5. The realm as a graph (Mermaid renders in GitHub Markdown) and a full check');
  await blue(['realm', 'graph', '--format', 'mermaid'], aperture);
  await blue(['realm', 'check'], realm);

  heading('Daily Development');

  heading('6. aperture writes to new S3 paths: training-metrics/experiments/* and models/*/model.pt');
  writeFileSync(join(aperture, 'models/training/metrics_exporter.py'), METRICS_EXPORTER);
  out(`\n${bold(`${here(aperture)}$ cat models/training/metrics_exporter.py`)}\n${METRICS_EXPORTER}`);
  git(aperture, 'add', 'models/training/metrics_exporter.py');
  shownGit(aperture, 'commit', '--quiet', '-m', 'Export experiment metrics');

  heading('7. blue status shows the cross-realm impact: the export drifted from what the realm published');
  await blue(['status'], aperture);
  await blueExitCode(['status', '--strict'], aperture, 1);

  heading('8. Sync: first a dry run, then publish 1.1.0 and notify the consumer on GitHub');
  await blue(['realm', 'sync', '--dry-run'], aperture);
  await blue(['realm', 'sync'], aperture);

  heading(`9. What fungal-image-analysis's team sees on GitHub`);
  showIssues(standIn);

  heading('Consumer Response');

  heading(`10. fungal's status: training-metrics/experiments/* is already granted (training-metrics/*), models/*/model.pt is not`);
  await blue(['status'], fungal);
  await blueExitCode(['status', '--strict'], fungal, 1);

  heading(`11. Update the IAM policy in ${STACK}`);
  grantModels(fungal);
  shownGit(fungal, 'diff');
  git(fungal, 'add', STACK);
  shownGit(fungal, 'commit', '--quiet', '-m', 'Grant aperture write access to models/*/model.pt');

  heading('12. Sync marks the import resolved at 1.1.0; status is current again');
  await blue(['realm', 'sync'], fungal);
  await blue(['status'], fungal);
  await blueExitCode(['status', '--strict'], fungal, 0);
  const [issue] = standIn.state.issues(FUNGAL_GITHUB);
  out(`\nOn GitHub, ${FUNGAL_GITHUB} issue #${issue.number} is ${issue.state}${issue.comments.length > 0 ? ` with ${issue.comments.length} comment(s)` : ''}.\n`);

  heading('13. The realm after the round trip: a full check and the graph');
  await blue(['realm', 'check'], realm);
  await blue(['realm', 'graph'], realm);

  heading('14. The same status as JSON, for scripts and agents');
  await blue(['status', '--json'], fungal);

  heading('Change Propagation');

  heading('15. One branch across both repos for training-metrics-v2: aperture and the domain importing from it');
  await blue(['realm', 'worktree', '--rfc', 'training-metrics-v2'], aperture);
  const slug = 'feat-training-metrics-v2';
  const trees = { aperture: join(aperture, '.worktrees', slug), fungal: join(fungal, '.worktrees', slug) };

  heading('16. Edit both worktrees, then one coordinated commit from either');
  appendFileSync(join(trees.aperture, 'models/training/metrics_exporter.py'), METRICS_V2);
  appendFileSync(join(trees.fungal, STACK), GRANT_V2);
  shownGit(trees.aperture, 'diff', '--stat');
  shownGit(trees.fungal, 'diff', '--stat');
  await blue(['realm', 'commit', '-m', 'feat: experiment metrics v2'], trees.aperture);

  heading('17. Push every branch, then open linked pull requests in merge order');
  await blue(['realm', 'push'], trees.aperture);
  await blue(['realm', 'pr'], trees.aperture);
  showPulls(standIn);

  heading('18. The realm tracks the change: commits, pull requests and merge order');
  git(realm, 'pull', '--quiet');
  out(`\n${bold(`${here(realm)}$ cat worktrees/${slug}.yaml`)}\n${readFileSync(join(realm, 'worktrees', `${slug}.yaml`), 'utf8')}`);

  heading('Done');
}

const standIn = await githubStandIn();
// Pull requests are checked against the repos' bare remotes, as GitHub checks its own branches.
standIn.addRepo({ owner: 'letemcook', name: 'aperture', remote: join(root, 'remotes', 'aperture.git') });
standIn.addRepo({ owner: 'letemcook', name: 'fungal-image-analysis', remote: join(root, 'remotes', 'fungal-image-analysis.git') });
Object.assign(env, standIn.env);

const started = Date.now();
let failed = false;
try {
  await story(standIn);
} catch (error) {
  failed = true;
  process.stderr.write(`demo: ${error instanceof DemoFailure ? error.message : (error?.stack ?? String(error))}\n`);
} finally {
  await standIn.close();
}
if (standIn.violations.length > 0) {
  failed = true;
  process.stderr.write(`demo: the GitHub stand-in answered outside GitHub's API description:\n${standIn.violations.join('\n')}\n`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (CLEANUP) {
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  out(`\n${failed ? 'Failed' : 'Finished'} in ${seconds} s; removed ${root} (BLUE_DEMO_CLEANUP=1).\n`);
} else {
  out(`\n${failed ? 'Failed' : 'Finished'} in ${seconds} s. Everything is in ${root} (realm-letemcook, aperture, fungal-image-analysis, remotes/). Remove it when finished.\n`);
}
process.exitCode = failed ? 1 : 0;
