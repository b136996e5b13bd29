import { randomUUID } from 'node:crypto';
import { nameProblem, type ExportChange } from '@blue/core';
import { validateNotice, type Notice } from './inbox.js';

/**
 * The wire protocol between Blue sessions: one JSON object per line (UTF-8, `\n`-terminated),
 * every object versioned with `v`. A request may carry an `id`; the server answers every valid
 * request on the same connection with `pong` (to `ping`) or `ack` (to anything else) carrying the
 * same `id`, and a line it cannot use with `error`. Unknown fields are ignored (forward
 * compatible); an unknown `type` or another `v` is refused.
 */
export const PROTOCOL_VERSION = 1 as const;

/** Longest line a server accepts, in bytes, by default. Longer lines are dropped unread. */
export const MAX_LINE_BYTES = 64 * 1024;

/** What a session tells others about itself (in `hello`). Mirrors the session record. */
export interface SessionInfo {
  id: string;
  domain: string;
  pid: number;
  started_at: string;
  active?: ActiveWork;
}

/** What a session is working on, when it knows. */
export interface ActiveWork {
  rfc?: string;
  branch?: string;
}

interface Envelope {
  v: typeof PROTOCOL_VERSION;
  /** Correlates a reply with its request. */
  id?: string;
}

/** A session started (announced to the realm's other sessions). */
export interface HelloMessage extends Envelope {
  type: 'hello';
  session: SessionInfo;
}

/** A session ended cleanly. */
export interface SessionEndedMessage extends Envelope {
  type: 'session-ended';
  session: { id: string; domain: string };
}

/** `blue realm sync` published a new version of an export this session watches. */
export interface ExportChangedMessage extends Envelope, ExportChange {
  type: 'export-changed';
  /** The inbox notice recording the same change, when one was written. */
  notice_id?: string;
}

/**
 * A notice of another kind than export-changed (breaking-held, grace-started, grace-ending,
 * breaking-approved, join-admitted, consumer-resolved: docs/sessions.md), as a watcher of the
 * realm remote derived it; `notice` is the inbox notice itself, id included.
 */
export interface RealmNoticeMessage extends Envelope {
  type: 'realm-notice';
  notice: Notice;
}

/** A session's domain changed an export locally (not yet synced): a heads-up to its importers. */
export interface ExportModifiedLocallyMessage extends Envelope {
  type: 'export-modified-locally';
  from: string;
  export: string;
  changes: string[];
}

export interface PingMessage extends Envelope {
  type: 'ping';
}

export interface PongMessage extends Envelope {
  type: 'pong';
}

/** The server read and accepted the request with this `id`. */
export interface AckMessage extends Envelope {
  type: 'ack';
}

/** The server dropped a line; `reason` says why. */
export interface ErrorMessage extends Envelope {
  type: 'error';
  reason: string;
}

export type IpcRequest = HelloMessage | SessionEndedMessage | ExportChangedMessage | RealmNoticeMessage | ExportModifiedLocallyMessage | PingMessage;
export type IpcReply = PongMessage | AckMessage | ErrorMessage;
export type IpcMessage = IpcRequest | IpcReply;
export type IpcMessageType = IpcMessage['type'];

/** A request without its envelope, as callers write it; `send*` adds `v` and `id`. */
export type OutgoingRequest = DistributiveOmit<IpcRequest, 'v' | 'id'> & { id?: string };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type ParseResult = { ok: true; message: IpcMessage } | { ok: false; reason: string; id?: string };

const MAX_STRING = 4096;
const MAX_CHANGES = 1000;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

type Fields = Record<string, unknown>;
type Check = (value: Fields) => string | undefined;

function str(field: string, max = MAX_STRING): Check {
  return (o) => (typeof o[field] === 'string' && o[field].length > 0 && o[field].length <= max ? undefined : `"${field}" must be a non-empty string of at most ${max} characters`);
}

function name(field: string): Check {
  return (o) => {
    if (typeof o[field] !== 'string') return `"${field}" must be a string`;
    const problem = nameProblem(o[field]);
    return problem === undefined ? undefined : `"${field}" is not a valid name: ${problem}`;
  };
}

function bool(field: string): Check {
  return (o) => (typeof o[field] === 'boolean' ? undefined : `"${field}" must be true or false`);
}

function changes(o: Fields): string | undefined {
  const list = o.changes;
  if (!Array.isArray(list) || list.length > MAX_CHANGES) return `"changes" must be an array of at most ${MAX_CHANGES} strings`;
  return list.every((c) => typeof c === 'string' && c.length <= MAX_STRING) ? undefined : '"changes" must hold only strings';
}

function nullableVersion(o: Fields): string | undefined {
  return o.old_version === null ? undefined : str('old_version', 64)(o);
}

function optional(field: string, check: Check): Check {
  return (o) => (o[field] === undefined ? undefined : check(o));
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sessionInfo(o: Fields): string | undefined {
  const s = o.session;
  if (!isObject(s)) return '"session" must be an object';
  const problem = firstProblem(s, [str('id', 128), name('domain'), str('started_at', 64)]);
  if (problem !== undefined) return `session: ${problem}`;
  if (!Number.isSafeInteger(s.pid) || (s.pid as number) <= 0) return 'session: "pid" must be a positive integer';
  if (s.active !== undefined) {
    if (!isObject(s.active)) return 'session: "active" must be an object';
    const active = firstProblem(s.active, [optional('rfc', str('rfc', 256)), optional('branch', str('branch', 256))]);
    if (active !== undefined) return `session.active: ${active}`;
  }
  return undefined;
}

function sessionRef(o: Fields): string | undefined {
  const s = o.session;
  if (!isObject(s)) return '"session" must be an object';
  const problem = firstProblem(s, [str('id', 128), name('domain')]);
  return problem === undefined ? undefined : `session: ${problem}`;
}

function realmNotice(o: Fields): string | undefined {
  if (!isObject(o.notice)) return '"notice" must be an object';
  const notice = validateNotice(o.notice);
  if (typeof notice === 'string') return `notice: ${notice}`;
  return notice.kind === 'export-changed' ? 'notice: export-changed travels as its own message type' : undefined;
}

const CHECKS: Record<IpcMessageType, readonly Check[]> = {
  hello: [sessionInfo],
  'session-ended': [sessionRef],
  'export-changed': [name('from'), name('export'), nullableVersion, str('new_version', 64), changes, bool('breaking'), optional('notice_id', str('notice_id', 64))],
  'realm-notice': [realmNotice],
  'export-modified-locally': [name('from'), name('export'), changes],
  ping: [],
  pong: [],
  ack: [],
  error: [str('reason')],
};

function firstProblem(value: Fields, checks: readonly Check[]): string | undefined {
  for (const check of checks) {
    const problem = check(value);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Validates a decoded value as a message of this protocol: the typed message, or why not. */
export function validateMessage(value: unknown): ParseResult {
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  const id = typeof value.id === 'string' && ID_PATTERN.test(value.id) ? value.id : undefined;
  const refuse = (reason: string): ParseResult => (id === undefined ? { ok: false, reason } : { ok: false, reason, id });
  if (value.id !== undefined && id === undefined) return { ok: false, reason: '"id" must be 1 to 64 letters, digits, "-" or "_"' };
  if (value.v !== PROTOCOL_VERSION) return refuse(`unsupported protocol version ${JSON.stringify(value.v)} (this side speaks v${PROTOCOL_VERSION})`);
  const type = value.type;
  if (typeof type !== 'string' || !Object.hasOwn(CHECKS, type)) return refuse(`unknown message type ${JSON.stringify(type)}`);
  const problem = firstProblem(value, CHECKS[type as IpcMessageType]);
  if (problem !== undefined) return refuse(`${type}: ${problem}`);
  return { ok: true, message: value as unknown as IpcMessage };
}

/** Parses one line of the protocol (without its newline). Never throws. */
export function parseMessage(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  return validateMessage(value);
}

/** One protocol line, newline included. */
export function encodeMessage(message: IpcMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/** A fresh request id (a UUID: Node hands these out from a cache, cheaper than randomBytes). */
export function newMessageId(): string {
  return randomUUID();
}

/** Adds the envelope (`v`, and an `id` unless one is given) to a request. */
export function toRequest(request: OutgoingRequest): IpcRequest {
  return { ...request, v: PROTOCOL_VERSION, id: request.id ?? newMessageId() };
}

/** True for the types a server answers (as opposed to replies). */
export function isRequest(message: IpcMessage): message is IpcRequest {
  return message.type !== 'pong' && message.type !== 'ack' && message.type !== 'error';
}
