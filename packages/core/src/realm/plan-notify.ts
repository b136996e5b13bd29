import { S3_PATHS_SCHEMA } from '../detect/s3-paths.js';
import { jsonEqual } from '../diff/value-diff.js';
import { compareVersions } from '../semver.js';
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
}

export interface NotifyPlanInput {
  realm: string;
  provider: string;
  /** The provider's exports as published after this sync. */
  exports: readonly PublishedExport[];
  consumers: readonly NotifyConsumer[];
}

/**
 * The notices a provider owes its consumers: one per import whose recorded version is not the
 * provider's current one. Pure, so a sync whose notices failed simply plans them again next
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
    const series = `export-changed/${input.provider}/${exp.name}`;
    const notice: PlannedNotification = {
      consumer: domain,
      export: exp.name,
      version: exp.version,
      breaking,
      binding: entry.binding,
      changes,
      title: notificationTitle(exp, [...newer].reverse().flatMap((c) => c.changes), breaking, entry.binding),
      body: '',
      series_key: series,
      version_key: `${series}@${exp.version}`,
    };
    if (since !== undefined) notice.from_version = since;
    notice.body = notificationBody(input, notice, newer);
    planned.push(notice);
  }
  return planned;
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

function notificationBody(input: NotifyPlanInput, notice: PlannedNotification, versions: ReadonlyArray<{ version: string; date: string; changes: string[] }>): string {
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
  if (notice.breaking) {
    lines.push('### Breaking', '', `This is a breaking change: move your import's range to ${major(notice.version)}.x once your binding follows it:`, '', '```sh', `blue realm import --contract ${notice.export} --from ${input.provider} --version ^${notice.version} --binding ${notice.binding}`, '```', '');
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
