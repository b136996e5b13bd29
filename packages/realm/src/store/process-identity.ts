import { readFileSync } from 'node:fs';

/** A process, told apart from a later one that reuses its pid by its start time (where the OS says). */
export interface ProcessIdentity {
  pid: number;
  /** The process's start time as the OS counts it (Linux: clock ticks since boot); absent where unknown. */
  start?: string;
}

/**
 * The start time of `pid` from /proc (Linux), or undefined where there is no /proc or no such
 * process. Field 22 of /proc/<pid>/stat, counted after the command name, which may itself hold
 * spaces and parentheses.
 */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.start;
}

/** State and start time from /proc/<pid>/stat (fields 3 and 22); undefined without /proc or process. */
function procStat(pid: number): { state: string; start: string | undefined } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', start: fields[19] };
}

/**
 * Whether the process is running: the pid exists (signal 0; EPERM means it exists under another
 * user), is not a zombie and, where both are known, started when the record says, so a reused
 * pid is not it.
 */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = procStat(identity.pid);
  // A zombie has exited: only its parent has not collected it yet.
  if (now?.state === 'Z') return false;
  return identity.start === undefined || now?.start === undefined || now.start === identity.start;
}

/** This process, as a lock or journal records its owner. */
export function currentProcess(): ProcessIdentity {
  const start = processStartTime(process.pid);
  return start === undefined ? { pid: process.pid } : { pid: process.pid, start };
}
