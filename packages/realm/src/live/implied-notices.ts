import { planImpliedNotices, type HeldChange, type ImpliedNotice, type MomentNotice } from '@blue/core';
import { appendNotice, deliverToSessions, listSessions, readNotices, type Notice, type OutgoingRequest } from '@blue/ipc';
import type { BlueContext } from '../context.js';
import { domainIn, type RealmSnapshot } from '../store/realm-files.js';

export interface ImpliedInput {
  /** Breaking changes held for an approver (none: no breaking-held notices). */
  held?: readonly HeldChange[];
  /** Absent: no grace notices. */
  now?: Date;
}

/** The notices the realm implies for `domain` (see planImpliedNotices): none when it is not a member. */
export function impliedNoticesFor(snapshot: RealmSnapshot, domain: string, input: ImpliedInput = {}): ImpliedNotice[] {
  const self = domainIn(snapshot, domain);
  if (self === undefined) return [];
  return planImpliedNotices({
    imports: self.imports,
    exportsOf: (name) => domainIn(snapshot, name)?.exports,
    held: input.held ?? [],
    graceDays: snapshot.realm.governance.breaking_changes.grace_period_days,
    ...(input.now === undefined ? {} : { now: input.now }),
  });
}

/** A notice as a domain's inbox holds it (and as blue-mcp returns it in tool results). */
export type InboxNotice = Notice;

/** `domain`'s inbox, oldest first (empty when it has none). */
export function readInboxNotices(runtimeDir: string, domain: string): Promise<InboxNotice[]> {
  return readNotices(runtimeDir, domain);
}

/** What a watcher delivered for one domain: the notices new to its inbox, and the sessions told. */
export interface ImpliedDelivery {
  domain: string;
  notices: Notice[];
  sessions: number;
  delivered: number;
}

/** The inbox notice a live message carries (export-changed with a notice id, realm-notice), by id: one per notice whichever path brought it. */
export function liveNoticeId(message: { type: string; notice_id?: string; notice?: { id: string } }): string | undefined {
  return message.type === 'realm-notice' ? message.notice?.id : message.type === 'export-changed' ? message.notice_id : undefined;
}

/** The live message for a notice: export-changed as it always travelled, any other kind as a realm-notice. */
export function noticeMessage(notice: Notice): OutgoingRequest {
  if (notice.kind !== 'export-changed') return { type: 'realm-notice', notice };
  const { id, from, old_version, new_version = '', changes, breaking } = notice;
  return { type: 'export-changed', from, export: notice.export ?? '', old_version, new_version, changes, breaking, notice_id: id };
}

export interface DeliverInput extends ImpliedInput {
  /** Moments the watcher saw in the realm's new commits (delivered to the domains they are for). */
  moments?: readonly MomentNotice[];
}

/**
 * For every domain with a running session on this machine: the notices the realm implies, and
 * the moments meant for it, that its inbox does not hold yet go into the inbox, then to its
 * sessions (export-changed, or realm-notice for the other kinds) with the notice's id, as a sync
 * on this machine would have sent them. A notice already there (the provider synced on this
 * machine, or an earlier watcher) is neither written nor sent again.
 */
export async function deliverImpliedNotices(ctx: BlueContext, runtimeDir: string, snapshot: RealmSnapshot, input: DeliverInput = {}): Promise<ImpliedDelivery[]> {
  const sessions = await listSessions(runtimeDir);
  const result: ImpliedDelivery[] = [];
  for (const domain of [...new Set(sessions.map((s) => s.domain))].sort()) {
    const held = new Set((await readNotices(runtimeDir, domain)).map((n) => n.id));
    const due = [...impliedNoticesFor(snapshot, domain, input), ...(input.moments ?? []).filter((m) => m.to === domain)];
    const fresh = due.filter((n) => !held.has(n.id));
    if (fresh.length === 0) continue;
    const own = sessions.filter((s) => s.domain === domain);
    const entry: ImpliedDelivery = { domain, notices: [], sessions: 0, delivered: 0 };
    for (const planned of fresh) {
      held.add(planned.id);
      const notice = await appendNotice(runtimeDir, domain, { ...planned, at: ctx.now().toISOString() }, ctx.now());
      const told = await deliverToSessions(runtimeDir, own, noticeMessage(notice));
      entry.notices.push(notice);
      entry.sessions += told.length;
      entry.delivered += told.filter((d) => d.delivered).length;
    }
    result.push(entry);
  }
  return result;
}
