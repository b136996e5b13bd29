import { planImpliedNotices, type ImpliedNotice } from '@blue/core';
import { appendNotice, deliverToSessions, listSessions, readNotices, type Notice } from '@blue/ipc';
import type { BlueContext } from '../context.js';
import type { RealmSnapshot } from '../store/realm-files.js';

/** The notices the realm implies for `domain` (see planImpliedNotices): none when it is not a member. */
export function impliedNoticesFor(snapshot: RealmSnapshot, domain: string): ImpliedNotice[] {
  const self = snapshot.domains.find((d) => d.name === domain);
  if (self === undefined) return [];
  return planImpliedNotices({ imports: self.imports, exportsOf: (name) => snapshot.domains.find((d) => d.name === name)?.exports });
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

/**
 * For every domain with a running session on this machine: the notices the realm implies that its
 * inbox does not hold yet go into the inbox, then to its sessions as `export-changed` with the
 * notice's id, as a sync on this machine would have sent them. A notice already there (the
 * provider synced on this machine, or an earlier watcher) is neither written nor sent again.
 */
export async function deliverImpliedNotices(ctx: BlueContext, runtimeDir: string, snapshot: RealmSnapshot): Promise<ImpliedDelivery[]> {
  const sessions = await listSessions(runtimeDir);
  const result: ImpliedDelivery[] = [];
  for (const domain of [...new Set(sessions.map((s) => s.domain))].sort()) {
    const held = new Set((await readNotices(runtimeDir, domain)).map((n) => n.id));
    const fresh = impliedNoticesFor(snapshot, domain).filter((n) => !held.has(n.id));
    if (fresh.length === 0) continue;
    const own = sessions.filter((s) => s.domain === domain);
    const entry: ImpliedDelivery = { domain, notices: [], sessions: 0, delivered: 0 };
    for (const implied of fresh) {
      const notice = await appendNotice(runtimeDir, domain, implied, ctx.now());
      const { id, from, export: name, old_version, new_version, changes, breaking } = notice;
      const told = await deliverToSessions(runtimeDir, own, { type: 'export-changed', from, export: name, old_version, new_version, changes, breaking, notice_id: id });
      entry.notices.push(notice);
      entry.sessions += told.length;
      entry.delivered += told.filter((d) => d.delivered).length;
    }
    result.push(entry);
  }
  return result;
}
