import { createHash } from 'node:crypto';
import { compareVersions, newestSatisfying } from '../semver.js';
import type { ImportEntry, PublishedExport } from '../types.js';
import { graceDeadline, publishedVersions } from './evaluate-import.js';

/** A published change of one export, as sync computes it and as the realm's changelog records it. */
export interface ExportChange {
  from: string;
  export: string;
  /** null when the export is new. */
  old_version: string | null;
  new_version: string;
  changes: string[];
  breaking: boolean;
}

/**
 * What a notice tells a domain (docs/sessions.md, "Notice kinds"). The first four follow from the
 * realm's state, so `blue status` on any machine shows them until they are settled; the last three
 * are moments a session's watcher saw happen in the realm's new commits.
 */
export const NOTICE_KINDS = ['export-changed', 'breaking-held', 'grace-started', 'grace-ending', 'breaking-approved', 'join-admitted', 'consumer-resolved'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export type StateNoticeKind = Extract<NoticeKind, 'export-changed' | 'breaking-held' | 'grace-started' | 'grace-ending'>;
export type MomentNoticeKind = Exclude<NoticeKind, StateNoticeKind>;

export function isStateKind(kind: NoticeKind): kind is StateNoticeKind {
  return kind === 'export-changed' || kind === 'breaking-held' || kind === 'grace-started' || kind === 'grace-ending';
}

/** A grace period "ends soon" in its last day: the watcher tells the consumer then (grace-ending). */
export const GRACE_ENDING_MS = 86_400_000;

/**
 * The fields every notice has, whatever brought it: `from` is the domain it is about (the provider
 * of the export, the consumer that resolved it for consumer-resolved, the joining domain for
 * join-admitted); `export` and `new_version` are absent only for join-admitted.
 */
export interface NoticeFields {
  kind: NoticeKind;
  from: string;
  export?: string;
  old_version: string | null;
  new_version?: string;
  changes: string[];
  breaking: boolean;
  /** grace-started, grace-ending: when the import turns broken. */
  until?: string;
  /** breaking-approved: the approver. */
  by?: string;
}

/**
 * A notice the realm's state implies for one consuming domain: a published version of an export
 * it imports newer than the version its import resolved (export-changed), a breaking change of it
 * held for an approver (breaking-held), or a breaking change outside its range whose grace period
 * runs (grace-started) or ends within a day (grace-ending). The same fields an inbox notice and a
 * live message carry, so the live paths and `blue status` speak of it alike.
 */
export interface ImpliedNotice extends ExportChange {
  kind: StateNoticeKind;
  /** Stable: the same (kind, provider, export, version) gives the same id on every machine and path. */
  id: string;
  /** When it became true (a changelog date, or the start of the grace period's last day). */
  date: string;
  until?: string;
}

/** A moment the watcher saw in the realm's new commits, for one domain (`to`). */
export interface MomentNotice {
  kind: MomentNoticeKind;
  to: string;
  id: string;
  from: string;
  export?: string;
  old_version: null;
  new_version?: string;
  changes: string[];
  breaking: boolean;
  by?: string;
  date: string;
}

/**
 * The id of a notice: one id whichever path brought it (the provider's sync over a local socket,
 * or a watcher reading the realm remote), so each inbox and each session keeps it once. An
 * export-changed notice is keyed by (provider, export, version) alone, as it always was.
 */
export function noticeId(from: string, exportName: string, version: string, kind: NoticeKind = 'export-changed'): string {
  const key = kind === 'export-changed' ? `${from}\0${exportName}\0${version}` : `${kind}\0${from}\0${exportName}\0${version}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The notice's line for people: one wording for the CLI, blue-mcp and the inbox. */
export function noticeText(n: NoticeFields): string {
  const exp = `'${n.export ?? ''}'`;
  switch (n.kind) {
    case 'export-changed': {
      const what = n.changes.length === 0 ? 'no value changes listed' : n.changes.join('; ');
      return `Export ${exp} changed${n.breaking ? ' (breaking)' : ''}: ${what}`;
    }
    case 'breaking-held':
      return `${n.from}'s breaking change to ${exp} (${n.new_version ?? '?'}) awaits an approver; your import keeps ${n.old_version ?? 'its version'} until it is approved.`;
    case 'grace-started':
      return `${n.from}'s breaking change to ${exp} (${n.new_version ?? '?'}) is outside your import's range: move to it before ${n.until ?? '?'}, then the import is broken.`;
    case 'grace-ending':
      return `Less than a day left: move your import of ${exp} to ${n.from}'s ${n.new_version ?? '?'} before ${n.until ?? '?'}, or it turns broken.`;
    case 'breaking-approved':
      return `Your breaking change to ${exp} (${n.new_version ?? '?'}) was approved${n.by === undefined ? '' : ` by ${n.by}`}: it is on the realm's main branch.`;
    case 'join-admitted':
      return `${n.from} was admitted: it is a member of the realm now.`;
    case 'consumer-resolved':
      return `${n.from} now resolves ${exp} at ${n.new_version ?? '?'}.`;
  }
}

/** A breaking change held on a realm branch `blue/breaking/<domain>/<export>@<version>`. */
export interface HeldChange {
  domain: string;
  export: string;
  version: string;
  /** What the held version changes, when its branch was read (heldChangesWithChanges). */
  changes?: string[];
}

export interface NoticePlanInput {
  /** The consuming domain's imports, as the realm records them. */
  imports: readonly ImportEntry[];
  /** Published exports per providing domain. */
  exportsOf(domain: string): readonly PublishedExport[] | undefined;
  /** Breaking changes held for an approver, as far as this machine knows (none: none told). */
  held?: readonly HeldChange[];
  /** The realm's `grace_period_days` (0 or absent: no grace notices unless an import records its deadline). */
  graceDays?: number;
  /** Absent: no grace notices (they depend on the time). */
  now?: Date;
}

/**
 * The notices the realm implies for one consumer: for each import with a resolved version, every
 * changelog entry of the export newer than it (oldest first), with its changes and whether it
 * breaks; each held breaking change newer than it; and, while a breaking change outside the
 * import's range is in its grace period, grace-started (and grace-ending in its last day). Pure:
 * the same realm state and time always give the same notices, so recomputing them after a
 * rewritten history or by a second watcher adds nothing twice.
 */
export function planImpliedNotices(input: NoticePlanInput): ImpliedNotice[] {
  const notices: ImpliedNotice[] = [];
  for (const entry of input.imports) {
    if (entry.resolved_version === undefined) continue;
    const resolved = entry.resolved_version;
    const published = input.exportsOf(entry.from)?.find((e) => e.name === entry.contract);
    if (published === undefined) continue;
    const versions = [...published.changelog].sort((a, b) => compareVersions(a.version, b.version));
    versions.forEach((log, index) => {
      if (compareVersions(log.version, resolved) <= 0) return;
      const previous = versions[index - 1]?.version ?? null;
      notices.push({ kind: 'export-changed', id: noticeId(entry.from, entry.contract, log.version), from: entry.from, export: entry.contract, old_version: previous, new_version: log.version, changes: [...log.changes], breaking: log.breaking === true, date: log.date });
    });
    const held = (input.held ?? []).filter((h) => h.domain === entry.from && h.export === entry.contract && compareVersions(h.version, published.version) > 0 && compareVersions(h.version, resolved) > 0);
    for (const h of held.sort((a, b) => compareVersions(a.version, b.version))) {
      notices.push({ kind: 'breaking-held', id: noticeId(h.domain, h.export, h.version, 'breaking-held'), from: h.domain, export: h.export, old_version: published.version, new_version: h.version, changes: [...(h.changes ?? [])], breaking: true, date: versions.at(-1)?.date ?? '' });
    }
    if (input.now !== undefined) notices.push(...graceNotices(entry, published, input.graceDays ?? 0, input.now));
  }
  return notices;
}

/** grace-started and grace-ending for one import, while its grace period runs. */
function graceNotices(entry: ImportEntry, published: PublishedExport, graceDays: number, now: Date): ImpliedNotice[] {
  if (newestSatisfying(publishedVersions(published), entry.version) === published.version) return [];
  const until = graceDeadline(entry, published, graceDays);
  if (until === undefined || Date.parse(until) <= now.getTime()) return [];
  const breaking = published.changelog.find((c) => c.version === published.version);
  const base = { from: entry.from, export: entry.contract, old_version: entry.resolved_version ?? null, new_version: published.version, changes: [...(breaking?.changes ?? [])], breaking: true, until };
  const notices: ImpliedNotice[] = [{ ...base, kind: 'grace-started', id: noticeId(entry.from, entry.contract, published.version, 'grace-started'), date: breaking?.approved_at ?? breaking?.date ?? until }];
  const ending = Date.parse(until) - GRACE_ENDING_MS;
  if (ending <= now.getTime()) notices.push({ ...base, kind: 'grace-ending', id: noticeId(entry.from, entry.contract, published.version, 'grace-ending'), date: new Date(ending).toISOString() });
  return notices;
}

/**
 * The next moment the notices `input` implies change by themselves (a grace period entering its
 * last day), after `now`; undefined when none will. The watcher plans again then, even when the
 * realm did not move.
 */
export function nextNoticeDue(input: NoticePlanInput & { now: Date }): Date | undefined {
  let due: number | undefined;
  for (const entry of input.imports) {
    const published = input.exportsOf(entry.from)?.find((e) => e.name === entry.contract);
    if (published === undefined || newestSatisfying(publishedVersions(published), entry.version) === published.version) continue;
    const until = graceDeadline(entry, published, input.graceDays ?? 0);
    if (until === undefined) continue;
    for (const moment of [Date.parse(until) - GRACE_ENDING_MS, Date.parse(until)]) {
      if (moment > input.now.getTime() && (due === undefined || moment < due)) due = moment;
    }
  }
  return due === undefined ? undefined : new Date(due);
}

/** The facts of a realm that moment notices are the changes of (kept by each machine's watcher). */
export interface RealmFacts {
  /** Member domains (on the realm's main branch). */
  members: string[];
  /** Approved breaking changes: `<domain>\0<export>\0<version>\0<approver>`. */
  approved: string[];
  /** Resolved imports: `<consumer>\0<provider>\0<export>\0<version>`. */
  resolved: string[];
}

export interface FactsDomain {
  name: string;
  imports: readonly ImportEntry[];
  exports: readonly PublishedExport[];
}

/** The facts of the realm whose domains are `domains`. */
export function realmFacts(domains: readonly FactsDomain[]): RealmFacts {
  const approved: string[] = [];
  const resolved: string[] = [];
  for (const d of domains) {
    for (const e of d.exports) for (const c of e.changelog) if (c.approved_by !== undefined) approved.push([d.name, e.name, c.version, c.approved_by].join('\0'));
    for (const i of d.imports) if (i.resolved_version !== undefined) resolved.push([d.name, i.from, i.contract, i.resolved_version].join('\0'));
  }
  return { members: domains.map((d) => d.name).sort(), approved: approved.sort(), resolved: resolved.sort() };
}

/**
 * The moments between two states of the realm, as notices for the domains they concern: a domain
 * that became a member (join-admitted, to itself), a breaking change newly approved
 * (breaking-approved, to its provider), an import newly resolved at a version (consumer-resolved,
 * to the provider). `at` dates them.
 */
export function planMomentNotices(before: RealmFacts, after: RealmFacts, at: Date): MomentNotice[] {
  const date = at.toISOString();
  const added = (was: readonly string[], now: readonly string[]): string[] => {
    const old = new Set(was);
    return now.filter((f) => !old.has(f));
  };
  const notices: MomentNotice[] = [];
  const quiet = { old_version: null, changes: [] as string[], breaking: false, date };
  for (const domain of added(before.members, after.members)) {
    notices.push({ ...quiet, kind: 'join-admitted', to: domain, id: noticeId(domain, '', '', 'join-admitted'), from: domain });
  }
  for (const fact of added(before.approved, after.approved)) {
    const [domain = '', exp = '', version = '', by = ''] = fact.split('\0');
    notices.push({ ...quiet, kind: 'breaking-approved', to: domain, id: noticeId(domain, exp, version, 'breaking-approved'), from: domain, export: exp, new_version: version, breaking: true, by });
  }
  for (const fact of added(before.resolved, after.resolved)) {
    const [consumer = '', provider = '', exp = '', version = ''] = fact.split('\0');
    if (consumer === provider) continue;
    notices.push({ ...quiet, kind: 'consumer-resolved', to: provider, id: noticeId(consumer, exp, version, 'consumer-resolved'), from: consumer, export: exp, new_version: version });
  }
  return notices;
}
