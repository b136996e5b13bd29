import type { ApproveChangeResult } from '@blue/realm';
import { liveLines, notificationLine } from './notifications.js';
import { realmPushNote } from './realm-push.js';
import { nextSteps, okLine, style } from './style.js';

export function renderApprove(r: ApproveChangeResult): string[] {
  const lines = [
    okLine(`Approved ${style.bold(`${r.domain}/${r.export}`)} ${r.from_version} → ${r.version} ${style.warn('(breaking)')} as ${r.approved_by}`),
    ...r.changes.map((c) => `  ${c}`),
    '',
    okLine(`Published to realm '${r.realm.name}'${r.commit ? ` (commit ${r.commit.slice(0, 7)}${realmPushNote(r.realm_push)})` : ''}; branch ${r.branch} deleted`),
  ];
  if (r.notifications.length > 0) lines.push('', 'Consumers notified:', ...r.notifications.map((n) => `  ${notificationLine(n)}`));
  return [...lines, ...liveLines(r.live), ...nextSteps(r.next_steps)];
}
