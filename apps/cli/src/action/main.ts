import { asBlueError } from '@blue/core';
import type { BlueContext } from '@blue/realm';
import { exitCodeFor } from '../exit-codes.js';
import type { ActionRun } from './action-run.js';
import { actionGitEnv, authorizationHeader } from './git-env.js';
import { readInputs } from './inputs.js';
import { modeOf } from './modes.js';
import { actionsRunner, type Runner } from './runner.js';

/**
 * The Action: reads its inputs, masks its secrets, runs the mode, and turns an error into an
 * annotation (code, message, hint) and the CLI's exit code. Returns the exit code.
 */
export async function runAction(env: Readonly<Record<string, string | undefined>>, version: string, runner: Runner = actionsRunner(env)): Promise<number> {
  try {
    const inputs = readInputs(runner);
    for (const secret of [inputs['github-token'], inputs['realm-token']]) runner.mask(secret);
    if (inputs['realm-token'] !== '') runner.mask(authorizationHeader(inputs['realm-token']).split(' ').pop() ?? '');
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const run: ActionRun = { runner, inputs, workspace, version, context: () => actionContext(runner, inputs, workspace) };
    return await modeOf(inputs.mode)(run);
  } catch (err) {
    const e = asBlueError(err);
    runner.log(`${e.code}: ${e.message}${e.hint === undefined ? '' : ` Hint: ${e.hint}`}`, 'error');
    return exitCodeFor(e.kind);
  }
}

async function actionContext(runner: Runner, inputs: ActionRun['inputs'], workspace: string): Promise<BlueContext> {
  const { createContext } = await import('@blue/realm');
  const base: Record<string, string | undefined> = { ...runner.env };
  // The github-token input goes with the workflow's own GitHub (GITHUB_API_URL's host, GHES too).
  if (inputs['github-token'] !== '') base.GITHUB_TOKEN = inputs['github-token'];
  const env = actionGitEnv(base, { identity: { name: inputs['git-user-name'], email: inputs['git-user-email'] }, realmToken: inputs['realm-token'], serverUrl: runner.env.GITHUB_SERVER_URL });
  const progress = { report: (e: { target: string; status: string; message?: string }) => { if (e.status !== 'started') runner.log(`${e.status === 'failed' ? '✗' : '✓'} ${e.target}${e.message ? `: ${e.message}` : ''}`); } };
  return createContext({ cwd: workspace, env, progress });
}
