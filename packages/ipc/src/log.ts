/**
 * What @blue/ipc reports instead of printing: a dropped message, a pruned session, a failed
 * handler. Packages never print; the caller decides whether and where to show these.
 */
export interface IpcLogEntry {
  level: 'debug' | 'warn';
  /** A short, stable tag, e.g. `message-dropped`, `session-pruned`, `handler-failed`. */
  event: string;
  message: string;
}

export type IpcLog = (entry: IpcLogEntry) => void;

/** Calls `log` when given; a throwing log callback never breaks the caller. */
export function report(log: IpcLog | undefined, level: IpcLogEntry['level'], event: string, message: string): void {
  if (log === undefined) return;
  try {
    log({ level, event, message });
  } catch {
    // A broken log sink must not take the server down with it.
  }
}

/** The message of an unknown thrown value, for logs and delivery results. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
