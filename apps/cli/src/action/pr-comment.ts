import { asBlueError } from '@blue/core';
import type { BlueContext } from '@blue/realm';
import type { ActionRun } from './action-run.js';

/**
 * One comment per domain on the pull request, found by its hidden marker and rewritten in place
 * on every run. Without a pull request or a token it is skipped with a warning, and a GitHub
 * failure is a warning too: the summary and the exit code still say everything.
 */
export async function commentOnPullRequest(run: ActionRun, ctx: BlueContext, domain: string, markdown: string): Promise<void> {
  const number = run.runner.event().pull_request?.number;
  const repo = run.runner.env.GITHUB_REPOSITORY ?? '';
  if (number === undefined || repo === '') return;
  if (run.inputs['github-token'] === '') {
    run.runner.log('No github-token input: the pull request comment is skipped (the job summary has the report).', 'warning');
    return;
  }
  const { reportOnPullRequest } = await import('@blue/realm');
  try {
    const done = await reportOnPullRequest(ctx, { repo, number, key: domain, body: markdown });
    run.runner.log(`Pull request comment ${done.status}: ${done.comment.url}`);
  } catch (err) {
    const e = asBlueError(err);
    run.runner.log(`The pull request comment could not be written (${e.code}: ${e.message}). ${e.hint ?? ''}`.trim(), 'warning');
  }
}
