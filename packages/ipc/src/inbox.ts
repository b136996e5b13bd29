import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertName, hasErrno, nameProblem, NOTICE_KINDS, noticeText, type NoticeFields, type NoticeKind } from '@blue/core';
import { report, type IpcLog } from './log.js';
import { INBOX_DIR } from './runtime-dir.js';

/**
 * A durable record of a notice for one domain, kept in `<realmDir>/inbox/<domain>.jsonl` until
 * what it concerns is settled (the import is current again, or, for the moments a watcher saw, a
 * week has passed), so that `blue status` in any terminal and every blue-mcp tool result can show
 * it. Lines written before notices had kinds are export-changed notices.
 */
export interface Notice extends NoticeFields {
  id: string;
  /** ISO 8601 */
  at: string;
  /** One line for people (noticeText), e.g. "Export 'required-s3-permissions' changed: + training-metrics/experiments/*". */
  text: string;
}

export interface NoticeInput {
  /** Default: export-changed. */
  kind?: NoticeKind;
  from: string;
  /** Absent only for join-admitted. */
  export?: string;
  old_version: string | null;
  new_version?: string;
  changes: string[];
  breaking?: boolean;
  until?: string;
  by?: string;
  /** Default: random. */
  id?: string;
  /** Default: now. */
  at?: string;
}

/**
 * The largest line `appendNotice` writes. One `write(2)` of at most this many bytes to a file
 * opened O_APPEND lands whole, never interleaved with another process's line, on local Linux and
 * macOS file systems (the runtime folder is always local: it holds sockets). 4096 is Linux's
 * PIPE_BUF, the size POSIX itself promises for pipes. Longer change lists are shortened.
 */
export const NOTICE_MAX_BYTES = 4096;

export function inboxPath(realmDir: string, domain: string): string {
  assertName('domain', domain);
  return join(realmDir, INBOX_DIR, `${domain}.jsonl`);
}

function newNoticeId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The notice for `input`, shortened (the last changes replaced by "… and N more") so its line fits
 * `NOTICE_MAX_BYTES`.
 */
export function buildNotice(input: NoticeInput, now: Date = new Date()): Notice {
  const kind = input.kind ?? 'export-changed';
  assertName('domain', input.from);
  if (input.export !== undefined || kind !== 'join-admitted') assertName('export', input.export ?? '');
  const base: Omit<Notice, 'changes' | 'text'> = {
    id: input.id ?? newNoticeId(),
    kind,
    at: input.at ?? now.toISOString(),
    from: input.from,
    ...(input.export === undefined ? {} : { export: input.export }),
    old_version: input.old_version,
    ...(input.new_version === undefined ? {} : { new_version: input.new_version }),
    breaking: input.breaking ?? false,
    ...(input.until === undefined ? {} : { until: input.until }),
    ...(input.by === undefined ? {} : { by: input.by }),
  };
  const make = (changes: string[]): Notice => {
    const fields = { ...base, changes };
    return { ...fields, text: noticeText(fields) };
  };
  let notice = make(input.changes);
  for (let keep = input.changes.length - 1; keep >= 0 && lineBytes(notice) > NOTICE_MAX_BYTES; keep--) {
    notice = make([...input.changes.slice(0, keep), `… and ${input.changes.length - keep} more`]);
  }
  if (lineBytes(notice) > NOTICE_MAX_BYTES) notice = make([`… ${input.changes.length} changes`]);
  return notice;
}

function lineBytes(notice: Notice): number {
  return Buffer.byteLength(`${JSON.stringify(notice)}\n`);
}

async function inode(path: string): Promise<{ ino: number; dev: number } | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/**
 * Appends one line with a single O_APPEND write. When `clearNotices` replaced the file between
 * our open and our write, the line may have landed in the replaced copy only, so it is written
 * again to the current file; readers drop the duplicate by id.
 */
async function appendLine(path: string, line: string): Promise<void> {
  const bytes = Buffer.from(line);
  for (let attempt = 0; attempt < 10; attempt++) {
    const handle = await open(path, 'a', 0o600);
    try {
      const { bytesWritten } = await handle.write(bytes);
      if (bytesWritten !== bytes.length) throw new Error(`Short write to ${path}: ${bytesWritten} of ${bytes.length} bytes.`);
      const written = await handle.stat();
      // Compared while the file is still open: a closed, replaced file's inode number could be
      // reused at once by the file that replaced it, hiding that this line missed it.
      const current = await inode(path);
      if (current !== undefined && current.ino === written.ino && current.dev === written.dev) return;
    } finally {
      await handle.close();
    }
  }
  throw new Error(`${path} kept being replaced while Blue appended a notice; try again.`);
}

/** Appends a notice to `domain`'s inbox and returns it. Safe from any number of processes at once. */
export async function appendNotice(realmDir: string, domain: string, input: NoticeInput, now: Date = new Date()): Promise<Notice> {
  const path = inboxPath(realmDir, domain);
  const notice = buildNotice(input, now);
  await appendLine(path, `${JSON.stringify(notice)}\n`);
  return notice;
}

/** Validates one inbox line: the notice, or why it is not one. */
export function parseNotice(line: string): Notice | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  return validateNotice(value);
}

/** Validates a decoded notice (an inbox line, or the `notice` of a realm-notice message). */
export function validateNotice(value: unknown): Notice | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const n = value as Record<string, unknown>;
  const kind = n.kind ?? 'export-changed';
  if (typeof kind !== 'string' || !(NOTICE_KINDS as readonly string[]).includes(kind)) return `"kind" is not one of ${NOTICE_KINDS.join(', ')}`;
  const aboutExport = kind !== 'join-admitted';
  for (const field of ['id', 'at', 'text'] as const) {
    if (typeof n[field] !== 'string') return `"${field}" is not a string`;
  }
  if (aboutExport && typeof n.new_version !== 'string') return '"new_version" is not a string';
  for (const field of aboutExport ? (['from', 'export'] as const) : (['from'] as const)) {
    if (typeof n[field] !== 'string' || nameProblem(n[field]) !== undefined) return `"${field}" is not a name`;
  }
  for (const field of ['until', 'by'] as const) {
    if (n[field] !== undefined && typeof n[field] !== 'string') return `"${field}" is not a string`;
  }
  if (n.old_version !== null && typeof n.old_version !== 'string') return '"old_version" is not a string or null';
  if (!Array.isArray(n.changes) || !n.changes.every((c) => typeof c === 'string')) return '"changes" is not a list of strings';
  if (typeof n.breaking !== 'boolean') return '"breaking" is not true or false';
  return { ...n, kind } as unknown as Notice;
}

/** Parses inbox text: valid notices in order, without duplicate ids; bad lines are reported. */
function parseInbox(text: string, path: string, log: IpcLog | undefined): Notice[] {
  const seen = new Set<string>();
  const notices: Notice[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const notice = parseNotice(line);
    if (typeof notice === 'string') {
      report(log, 'warn', 'notice-unreadable', `Skipped ${path}:${index + 1}: ${notice}.`);
      return;
    }
    if (seen.has(notice.id)) return;
    seen.add(notice.id);
    notices.push(notice);
  });
  return notices;
}

/** `domain`'s notices, oldest first; an empty list when it has none. */
export async function readNotices(realmDir: string, domain: string, options: { log?: IpcLog } = {}): Promise<Notice[]> {
  const path = inboxPath(realmDir, domain);
  const handle = await openIfExists(path);
  if (handle === undefined) return [];
  try {
    return parseInbox(await handle.readFile('utf8'), path, options.log);
  } finally {
    await handle.close();
  }
}

async function openIfExists(path: string): Promise<Awaited<ReturnType<typeof open>> | undefined> {
  try {
    return await open(path, 'r');
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

function renderLines(notices: readonly Notice[]): string {
  return notices.map((n) => `${JSON.stringify(n)}\n`).join('');
}

/**
 * Removes the notices `predicate` selects, rewriting the inbox atomically (temp file + rename),
 * and returns them. Lock-free against appenders: lines appended to the old file after it was read
 * are carried over to the new one (and `appendNotice` re-appends a line that may have missed it).
 * Two clearers at once are serialised by an inode check before the rename, so one re-reads and
 * redoes its work; the only window left is between that check and the rename (microseconds).
 */
export async function clearNotices(realmDir: string, domain: string, predicate: (notice: Notice) => boolean, options: { log?: IpcLog } = {}): Promise<Notice[]> {
  const path = inboxPath(realmDir, domain);
  for (let attempt = 0; attempt < 10; attempt++) {
    const handle = await openIfExists(path);
    if (handle === undefined) return [];
    try {
      const before = await handle.stat();
      const read = await handle.readFile();
      // An append may be half-way through its write: read only whole lines, so the rest of that
      // line (read below as the tail) is never mistaken for garbage and dropped.
      const content = read.subarray(0, read.lastIndexOf(0x0a) + 1);
      const notices = parseInbox(content.toString('utf8'), path, options.log);
      const removed = notices.filter((n) => predicate(n));
      if (removed.length === 0) return [];
      const temp = join(realmDir, INBOX_DIR, `.${domain}.jsonl.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      await writeFile(temp, renderLines(notices.filter((n) => !predicate(n))), { flag: 'wx', mode: 0o600 });
      const current = await inode(path);
      if (current === undefined || current.ino !== before.ino || current.dev !== before.dev) {
        await rm(temp, { force: true });
        continue; // another clearer replaced the file first: start again from its result
      }
      await rename(temp, path);
      // Lines appended to the old file since we read it: keep those the predicate does not select.
      const tail = Buffer.alloc(Math.max(0, (await handle.stat()).size - content.length));
      if (tail.length > 0) await handle.read(tail, 0, tail.length, content.length);
      for (const notice of parseInbox(tail.toString('utf8'), path, options.log)) {
        if (predicate(notice)) removed.push(notice);
        else await appendLine(path, `${JSON.stringify(notice)}\n`);
      }
      return removed;
    } finally {
      await handle.close();
    }
  }
  throw new Error(`${path} kept being replaced while Blue cleared notices; try again.`);
}
