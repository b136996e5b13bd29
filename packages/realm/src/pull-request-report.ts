import { BlueError } from '@blue/core';
import { blueMarker, parseRepoSlug } from '@blue/github';
import type { BlueContext } from './context.js';

export interface PullRequestReportInput {
  /** `owner/name` of the repository the pull request is in. */
  repo: string;
  number: number;
  /** Which report this is (one comment per key): e.g. the domain a CI check gated. */
  key: string;
  /** The report, in Markdown. */
  body: string;
}

export interface PullRequestReportResult {
  status: 'created' | 'updated' | 'unchanged';
  comment: { id: number; url: string };
}

/**
 * Keeps one report comment on a pull request: created on the first run, found again by its
 * hidden marker (`blue:pr-report/<key>`) and rewritten in place when the report changed.
 */
export async function reportOnPullRequest(ctx: BlueContext, input: PullRequestReportInput): Promise<PullRequestReportResult> {
  const repo = parseRepoSlug(input.repo);
  if (repo === undefined) {
    throw new BlueError('VALUE_INVALID', `"${input.repo}" is not a GitHub repository (owner/name).`, { hint: 'Pass the repository as owner/name, as GITHUB_REPOSITORY has it.' });
  }
  const github = await ctx.github();
  const done = await github.commentOnIssue(repo, input.number, input.body, { marker: blueMarker(`pr-report/${input.key}`), update: true });
  return { status: done.created ? 'created' : done.updated ? 'updated' : 'unchanged', comment: { id: done.value.id, url: done.value.url } };
}
