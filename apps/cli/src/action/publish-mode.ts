import type { SyncRealmResult } from '@blue/realm';
import { EXIT } from '../exit-codes.js';
import type { ActionRun } from './action-run.js';
import { writeReportOutputs } from './outputs.js';

/**
 * `publish`, on a push to the default branch: `blue realm sync` as the bot. The realm is pushed
 * with realm-token, consumers are notified with github-token. A consumer that could not be
 * notified fails the step (exit 5) after the publish, unless notify-failures is `warn`; the
 * next run retries it.
 */
export async function runPublishMode(run: ActionRun): Promise<number> {
  const event = run.runner.event();
  const branch = event.repository?.default_branch;
  if (event.ref !== undefined && branch !== undefined && event.ref !== `refs/heads/${branch}`) {
    run.runner.log(`publish runs on pushes to the default branch (${branch}); this is ${event.ref}: nothing published.`, 'notice');
    return EXIT.ok;
  }
  const { syncRealm } = await import('@blue/realm');
  const result = await syncRealm(await run.context(), { notify: true });
  const published = result.exports.filter((e) => e.status !== 'unchanged');
  const bump = (['major', 'minor', 'patch'] as const).find((b) => published.some((e) => e.bump === b)) ?? 'none';
  writeReportOutputs(run.runner, { bump, breaking: published.some((e) => e.breaking), consumers: [...new Set(published.flatMap((e) => e.consumers))].sort() });
  run.runner.appendSummary(renderPublish(result));
  const failed = result.notifications.filter((n) => n.status === 'failed');
  for (const n of failed) {
    run.runner.log(`${n.consumer} was not notified of ${n.export} ${n.version}: ${n.error?.code ?? 'ERROR'}: ${n.error?.message ?? ''} ${n.error?.hint ?? ''}`.trim(), run.inputs['notify-failures'] === 'warn' ? 'warning' : 'error');
  }
  return failed.length > 0 && run.inputs['notify-failures'] === 'fail' ? EXIT.external : EXIT.ok;
}

function renderPublish(result: SyncRealmResult): string {
  const lines = [`### Blue: \`${result.domain}\` synced with realm \`${result.realm.name}\``, ''];
  const published = result.exports.filter((e) => e.status !== 'unchanged');
  lines.push(...(published.length > 0 ? published.map((e) => `- Published \`${e.name}\` ${e.from_version === undefined ? '' : `${e.from_version} → `}${e.to_version ?? '?'} (${e.breaking ? 'breaking' : (e.bump ?? e.status)})${e.approval?.status === 'pending' ? ', held for an approver' : ''}`) : ['- No export change to publish.']));
  lines.push(`- Realm commit: ${result.commit === undefined ? 'none (nothing to record)' : `\`${result.commit.slice(0, 12)}\`, ${result.pushed ? 'pushed' : 'not pushed'}`}`);
  for (const n of result.notifications) lines.push(`- Notice to \`${n.consumer}\` (${n.export} ${n.version}): ${n.status}${n.issue === undefined ? '' : ` ${n.issue.url}`}${n.error === undefined ? '' : ` (${n.error.code})`}`);
  return `${lines.join('\n')}\n`;
}
