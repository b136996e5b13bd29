import { exportKind } from '../grants/binding.js';
import { coveredByGrants } from '../grants/s3-coverage.js';
import { S3_PATHS_SCHEMA } from '../detect/s3-paths.js';
import { jsonEqual } from '../diff/value-diff.js';
import { compareVersions } from '../semver.js';
import { graceDeadline } from './evaluate-import.js';
import type { ImportEntry, PublishedExport } from '../types.js';

/** A consumer of one of the provider's exports, as the realm records it. */
export interface NotifyConsumer {
  domain: string;
  entry: ImportEntry;
}

/** One GitHub issue Blue should make sure exists in a consumer's repository. */
export interface PlannedNotification {
  consumer: string;
  export: string;
  /** The version the consumer is told about (the provider's current one). */
  version: string;
  /** The version the consumer last resolved, if any. */
  from_version?: string;
  breaking: boolean;
  binding: string;
  /** Changelog lines of every version after `from_version`, newest first. */
  changes: string[];
  title: string;
  body: string;
  /** Marker key shared by every notice about this export (one open issue per export). */
  series_key: string;
  /** Marker key of this exact version (re-running never notifies twice). */
  version_key: string;
  /** Breaking, with a grace period: after this moment the consumer's import is broken. */
  grace_until?: string;
}

export interface NotifyPlanInput {
  realm: string;
  provider: string;
  /** The provider's exports as published after this sync. */
  exports: readonly PublishedExport[];
  consumers: readonly NotifyConsumer[];
  /** The realm's `governance.breaking_changes.grace_period_days`: a breaking notice names its deadline. */
  graceDays?: number | undefined;
}

/**
 * The notices a provider owes its consumers: one per import whose recorded version is not the
 * provider's current one, unless the change is not breaking and the consumer's recorded grants
 * already cover the new value (nothing to ask of them). Pure, so a sync whose notices failed simply plans them again next
 * time; GitHub markers make delivering them idempotent.
 */
export function planNotifications(input: NotifyPlanInput): PlannedNotification[] {
  const planned: PlannedNotification[] = [];
  for (const { domain, entry } of input.consumers) {
    const exp = input.exports.find((e) => e.name === entry.contract);
    if (exp === undefined || entry.resolved_version === exp.version) continue;
    const since = entry.resolved_version;
    const newer = exp.changelog.filter((c) => since === undefined ? c.version === exp.version : compareVersions(c.version, since) > 0 && compareVersions(c.version, exp.version) <= 0);
    const changes = newer.flatMap((c) => c.changes);
    const breaking = newer.some((c) => c.breaking === true) || (since !== undefined && major(since) !== major(exp.version));
    if (!breaking && alreadyGranted(exp, entry)) continue;
    const granted = grantedAdditions(exp, entry, changes);
    const series = `export-changed/${input.provider}/${exp.name}`;
    const notice: PlannedNotification = {
      consumer: domain,
      export: exp.name,
      version: exp.version,
      breaking,
      binding: entry.binding,
      changes,
      // The title asks only for what the consumer's binding does not grant yet.
      title: notificationTitle(exp, [...newer].reverse().flatMap((c) => c.changes).filter((c) => !granted.has(c)), breaking, entry.binding),
      body: '',
      series_key: series,
      version_key: `${series}@${exp.version}`,
    };
    if (since !== undefined) notice.from_version = since;
    const deadline = breaking ? graceDeadline(entry, exp, input.graceDays ?? 0) : undefined;
    if (deadline !== undefined) notice.grace_until = deadline;
    notice.body = notificationBody(input, notice, newer, granted);
    planned.push(notice);
  }
  return planned;
}

/** The consumer's recorded grants (imports.yaml `grants`) already cover the export's current value. */
function alreadyGranted(exp: PublishedExport, entry: ImportEntry): boolean {
  return exportKind(exp) === 's3-paths' && exp.bucket !== undefined && entry.grants !== undefined && coveredByGrants(exp.value, exp.bucket, entry.grants);
}

/** Added lines (`+ path (write)`) of an s3-paths export that the consumer's recorded grants already cover. */
function grantedAdditions(exp: PublishedExport, entry: ImportEntry, changes: readonly string[]): Set<string> {
  const granted = new Set<string>();
  const { bucket } = exp;
  if (exportKind(exp) !== 's3-paths' || bucket === undefined || entry.grants === undefined) return granted;
  for (const line of changes) {
    const m = /^\+ (.+) \((read|write)\)$/.exec(line);
    if (m === null || m[1] === undefined) continue;
    const value = m[2] === 'read' ? { read: [m[1]], write: [] } : { read: [], write: [m[1]] };
    if (coveredByGrants(value, bucket, entry.grants)) granted.add(line);
  }
  return granted;
}

function major(version: string): string {
  return version.split('.')[0] ?? version;
}

interface Vocabulary {
  /** What the consumer's binding is, e.g. "IAM policy". */
  artifact: string;
  /** One item of the export's value, e.g. "S3 path". */
  item: string;
}

function vocabularyFor(exp: PublishedExport, binding: string): Vocabulary {
  if (jsonEqual(exp.schema, S3_PATHS_SCHEMA)) return { artifact: 'IAM policy', item: 'S3 path' };
  return { artifact: binding, item: 'value' };
}

const CHANGE_LINE = /^([+-]) (.+?)(?: \([^()]*\))?$/;

/** `Update IAM policy: new S3 path training-metrics/experiments/*`, derived from the changes. */
export function notificationTitle(exp: PublishedExport, changes: readonly string[], breaking: boolean, binding = 'binding'): string {
  const { artifact, item } = vocabularyFor(exp, binding);
  const added = unique(changes.map((c) => CHANGE_LINE.exec(c)).filter((m) => m?.[1] === '+').map((m) => m?.[2] ?? ''));
  const removed = unique(changes.map((c) => CHANGE_LINE.exec(c)).filter((m) => m?.[1] === '-').map((m) => m?.[2] ?? ''));
  const prefix = breaking ? 'Breaking: ' : '';
  const plural = (n: number): string => (n === 1 ? item : `${item}s`);
  let what: string;
  if (added.length > 0 && removed.length === 0) what = added.length <= 2 ? `new ${plural(added.length)} ${added.join(', ')}` : `${added.length} new ${plural(added.length)} in ${exp.name} ${exp.version}`;
  else if (removed.length > 0 && added.length === 0) what = removed.length <= 2 ? `${plural(removed.length)} ${removed.join(', ')} removed` : `${removed.length} ${plural(removed.length)} removed from ${exp.name} ${exp.version}`;
  else if (added.length + removed.length > 0) what = `${exp.name} ${exp.version} (+${added.length} ${plural(added.length)}, -${removed.length})`;
  else what = `${exp.name} changed to ${exp.version}`;
  return `${prefix}Update ${artifact}: ${what}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function notificationBody(input: NotifyPlanInput, notice: PlannedNotification, versions: ReadonlyArray<{ version: string; date: string; changes: string[] }>, granted: ReadonlySet<string>): string {
  const lines = [
    `**${input.provider}** published \`${notice.export}\` **${notice.version}** in realm \`${input.realm}\`${notice.from_version ? ` (${notice.consumer} imports it at ${notice.from_version})` : ''}.`,
    '',
    `Your binding: \`${notice.binding}\``,
    '',
    '### Changes',
    '',
    ...versions.flatMap((v) => [`- ${v.version} (${v.date})`, ...v.changes.map((c) => `  - \`${c}\``)]),
    '',
  ];
  if (granted.size > 0) {
    lines.push('### Already granted', '', `Your binding already grants these (as your last \`blue realm sync\` read it); nothing to change for them:`, '', ...[...granted].map((c) => `- \`${c}\``), '');
  }
  if (notice.breaking) {
    const deadline = notice.grace_until === undefined ? [] : [`**Deadline: ${notice.grace_until}** (the realm's grace period). Until then your import stays usable (stale); after it, it is broken.`, ''];
    lines.push('### Breaking', '', ...deadline, `This is a breaking change: move your import's range to ${major(notice.version)}.x once your binding follows it:`, '', '```sh', `blue realm import --contract ${notice.export} --from ${input.provider} --version ^${notice.version} --binding ${notice.binding}`, '```', '', 'This issue closes by itself when your import is on the new range and `blue realm sync` finds the binding covering the new value.', '');
  }
  lines.push(
    '### To resolve',
    '',
    `1. Update \`${notice.binding}\` to cover the changes above.`,
    `2. In ${notice.consumer}, run \`blue status\` to see what the binding still lacks, then \`blue realm sync\` to record the import as current.`,
    '',
    `<!-- blue:${notice.version_key} -->`,
  );
  return lines.join('\n');
}
