import type { LiveResult, NotificationResult } from '@blue/realm';
import { style } from './style.js';

/** `fungal-image-analysis (letemcook/fungal-image-analysis) required-s3-permissions@1.4.0: issue opened #12 <url>` */
export function notificationLine(n: NotificationResult): string {
  const where = n.repo ?? '(no GitHub repository)';
  const issue = n.issue ? ` #${n.issue.number} ${n.issue.url}` : '';
  const what: Record<NotificationResult['status'], string> = {
    created: style.ok('issue opened'),
    updated: style.ok('open issue moved to this version'),
    exists: 'already notified',
    linked: style.ok('linked in its pull request of the same change'),
    planned: `would open "${n.title}"`,
    skipped: style.warn('skipped'),
    failed: style.error(`failed: ${n.error?.code ?? ''} ${n.error?.message ?? ''}`.trim()),
  };
  return `${n.consumer} (${where}) ${n.export}@${n.version}: ${what[n.status]}${issue}`;
}

/** What a publish told importers live: sessions reached and inboxes written, or why it could not. */
export function liveLines(live: LiveResult): string[] {
  const lines = live.announcements
    .filter((a) => a.inboxes.length > 0 || a.sessions > 0)
    .map((a) => `📡 ${a.export}@${a.version}: ${sessionsTold(a)}; notice left for ${a.inboxes.join(', ')}. ${ELSEWHERE[live.elsewhere ?? 'realm-remote']}`);
  if (live.error) lines.push(style.warn(`Live notices failed (the publish stands): ${live.error.message}`));
  return lines;
}

const ELSEWHERE: Record<NonNullable<LiveResult['elsewhere']>, string> = {
  'realm-remote': 'Sessions on other machines learn of it from the realm remote.',
  'not-shared': 'Sessions on other machines hear nothing until the realm is pushed to its remote.',
};

function sessionsTold(a: { sessions: number; delivered: number }): string {
  if (a.sessions === 0) return 'no importer session runs here';
  return `${a.delivered} of ${a.sessions} session(s) here told`;
}
