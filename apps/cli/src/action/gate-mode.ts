import { asBlueError } from '@blue/core';
import type { GateChangeResult } from '@blue/realm';
import { EXIT } from '../exit-codes.js';
import type { ActionRun } from './action-run.js';

/**
 * `gate`, on `pull_request` and on pushes to the default branch: `blue realm gate`. On a pull
 * request, the change its head branch belongs to; on the default branch, every open change of
 * this domain (after a merge or a publish, downstream pull requests may move on). A pull request
 * that is not part of a coordinated change has nothing to gate. A GitHub failure on this
 * repository's own pull request fails the step (exit 5); on another organisation's repository
 * (which this workflow's token usually may not write) it is a warning: that repository's own
 * gate sets its status.
 */
export async function runGateMode(run: ActionRun): Promise<number> {
  const event = run.runner.event();
  const branch = event.pull_request?.head?.ref ?? (event.pull_request === undefined ? undefined : run.runner.env.GITHUB_HEAD_REF);
  const { gateChange } = await import('@blue/realm');
  let result: GateChangeResult;
  try {
    result = await gateChange(await run.context(), branch === undefined ? { all: true } : { branch });
  } catch (err) {
    const error = asBlueError(err);
    if (branch !== undefined && error.code === 'VALUE_INVALID') {
      run.runner.log(`${branch} is not part of a coordinated change: nothing to gate.`, 'notice');
      return EXIT.ok;
    }
    throw err;
  }
  const own = (run.runner.env.GITHUB_REPOSITORY ?? event.repository?.full_name ?? '').toLowerCase();
  let failedHere = false;
  for (const change of result.changes) {
    for (const pull of change.pulls.filter((p) => p.status === 'failed')) {
      const here = pull.repo !== undefined && pull.repo.toLowerCase() === own;
      failedHere ||= here;
      run.runner.log(`${change.branch}: ${pull.domain}${pull.number === undefined ? '' : ` #${pull.number}`}: ${pull.error?.code ?? 'ERROR'}: ${pull.error?.message ?? pull.message}${here ? '' : ' (another repository: its own gate sets its status)'}`, here ? 'error' : 'warning');
    }
  }
  run.runner.appendSummary(renderGate(result));
  return failedHere ? EXIT.external : EXIT.ok;
}

function renderGate(result: GateChangeResult): string {
  const lines = [`### Blue: merge order for \`${result.domain}\``, ''];
  if (result.changes.length === 0) lines.push('- No open coordinated change.');
  for (const change of result.changes) {
    lines.push(`- \`${change.branch}\` (${change.merge_order_line})`);
    for (const pull of change.pulls) {
      const what = pull.check === undefined ? (pull.pull_state ?? pull.status) : `${pull.check.state}: ${pull.check.description}`;
      lines.push(`  - ${pull.domain}${pull.url === undefined ? '' : ` ${pull.url}`}: ${what}${pull.status === 'failed' ? ` (failed: ${pull.error?.code ?? pull.message})` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
