import { type ErrorCode, type ErrorKind, errorKind } from './error-codes.js';

export interface BlueErrorOptions {
  hint?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
  cause?: unknown;
}

/** The JSON shape of an error, as printed by `--json` and carried in MCP error text. */
export interface BlueErrorJson {
  code: ErrorCode;
  message: string;
  hint?: string;
  file?: string;
  line?: number;
}

/**
 * The one error class of Blue. Anything thrown that is not a BlueError is a bug.
 * `message` names the file, line and field; `hint` says what to type next.
 */
export class BlueError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: ErrorCode, message: string, options: BlueErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BlueError';
    this.code = code;
    this.hint = options.hint;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
  }

  get kind(): ErrorKind {
    return errorKind(this.code);
  }

  toJSON(): BlueErrorJson {
    const json: BlueErrorJson = { code: this.code, message: this.message };
    if (this.hint !== undefined) json.hint = this.hint;
    if (this.file !== undefined) json.file = this.file;
    if (this.line !== undefined) json.line = this.line;
    return json;
  }
}

export function isBlueError(value: unknown): value is BlueError {
  return value instanceof BlueError;
}

/** True when `err` is a Node system error with the given errno code (e.g. 'ENOENT'). */
export function hasErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * The error as Blue reports it: a BlueError as it is, a full disk (ENOSPC, EDQUOT) as DISK_FULL,
 * anything else as INTERNAL (a bug), keeping the original as `cause` so a face can show its stack.
 */
export function asBlueError(err: unknown): BlueError {
  if (err instanceof BlueError) return err;
  if (hasErrno(err, 'ENOSPC') || hasErrno(err, 'EDQUOT')) {
    const path = (err as { path?: unknown }).path;
    // A failed atomic write names its temp file (`.<name>.<pid>.<hex>.tmp`, removed since): say the file.
    const file = typeof path === 'string' ? path.replace(/([/\\])\.([^/\\]+)\.\d+\.[0-9a-f]+\.tmp$/, '$1$2') : undefined;
    return new BlueError('DISK_FULL', `No space left to write ${file ?? 'a file'} (${(err as { code: string }).code}).`, {
      hint: 'Free some disk space, then run the same command again: Blue writes each file whole or not at all, and the rerun completes the work.',
      cause: err,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new BlueError('INTERNAL', `Unexpected error: ${message}`, {
    hint: 'This is a bug in Blue. Please report it with the command you ran and this output.',
    cause: err,
  });
}
