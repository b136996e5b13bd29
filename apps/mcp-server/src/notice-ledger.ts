import type { InboxNotice as Notice } from '@blue/realm';

/**
 * What this server's live session has told its client: the notices returned in tool results
 * (each once) and the live messages already announced (a notice reached by the local socket and
 * by the realm watcher is announced once). Kept for the life of the server process: notice ids
 * are stable per (provider, export, version), so an id seen once never needs telling again.
 */
export class NoticeLedger {
  private readonly returned = new Set<string>();
  private readonly heard = new Set<string>();
  private source: (() => Promise<Notice[]>) | undefined;

  /** Where this session's notices are read (its domain's inbox), once the live session runs. */
  attach(source: () => Promise<Notice[]>): void {
    this.source = source;
  }

  /** The notices not yet returned by this session, now marked returned. Never throws. */
  async take(): Promise<Notice[]> {
    if (this.source === undefined) return [];
    const notices = await this.source().catch(() => []);
    const fresh = notices.filter((n) => !this.returned.has(n.id));
    for (const n of fresh) this.returned.add(n.id);
    return fresh;
  }

  /** Marks notices a result already carries (blue_status lists them itself). */
  markReturned(ids: readonly string[]): void {
    for (const id of ids) this.returned.add(id);
  }

  /** True the first time a live message about notice `id` arrives. */
  firstHeard(id: string): boolean {
    if (this.heard.has(id)) return false;
    this.heard.add(id);
    return true;
  }
}
