import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { BlueError } from '@blue/core';
import type { SyncRealmResult } from '@blue/realm';
import { EXIT } from '../exit-codes.js';
import { renderSarif } from '../render/check-formats.js';
import type { ActionRun } from './action-run.js';
import { planReport, renderReport, type FailOn } from './report.js';
import { codeRepoLocator } from './sarif-locations.js';
import { writeReportOutputs } from './outputs.js';
import { commentOnPullRequest } from './pr-comment.js';

/**
 * `check`, for pull requests: what merging this does to the realm, for this domain. Its own
 * problems fail the step (per `fail-on`); other domains' are warnings. Writes the job summary,
 * the SARIF file and one pull request comment, kept current in place.
 */
export async function runCheckMode(run: ActionRun): Promise<number> {
  const { checkRealm, realmGraph, syncRealm } = await import('@blue/realm');
  const ctx = await run.context();
  const preview = await syncRealm(ctx, { dryRun: true, notify: false }).catch((err: unknown) => {
    // A realm repository (no member config) has nothing to publish: the domain input names what to gate.
    if (err instanceof BlueError && err.code === 'NOT_IN_REALM' && run.inputs.domain !== '') return undefined;
    throw err;
  });
  const domain = run.inputs.domain || (preview as SyncRealmResult).domain;
  // History rules judge what this pull request adds to the realm: in a code repository, nothing
  // (the realm's past is the realm's own gate), in the realm repository, commits after the base.
  const since = preview === undefined ? run.runner.event().pull_request?.base?.sha : 'HEAD';
  const check = await checkRealm(ctx, { domain, since });
  const graph = await realmGraph(ctx, { offline: true });
  const report = planReport({ domain, check, preview, graph, failOn: run.inputs['fail-on'] as FailOn });
  const markdown = renderReport(report, check.realm.name);
  run.runner.appendSummary(markdown);
  for (const f of report.others) run.runner.log(`${f.domain ?? 'realm'}: ${f.message}`, 'warning');
  for (const f of report.own) run.runner.log(`${f.rule}: ${f.message}`, f.severity === 'error' ? 'error' : 'warning');

  const sarifFile = isAbsolute(run.inputs['sarif-file']) ? run.inputs['sarif-file'] : join(run.workspace, run.inputs['sarif-file']);
  const locate = preview === undefined ? undefined : await codeRepoLocator(run.workspace, check.realm.path, domain);
  await writeFile(sarifFile, renderSarif(check, run.version, locate));
  writeReportOutputs(run.runner, report, run.inputs['sarif-file']);
  if (run.inputs.comment === 'true') await commentOnPullRequest(run, ctx, domain, markdown);
  return report.failed ? EXIT.problems : EXIT.ok;
}
