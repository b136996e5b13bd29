import type { ProgressReporter } from '@blue/realm';

/** Per-repo progress lines on stderr, only on a terminal and never with --json; for oclif's commands and the fast path alike. */
export function terminalProgress(json: boolean): ProgressReporter {
  const tty = process.stderr.isTTY && !json;
  return {
    report: (e) => {
      if (tty && e.status !== 'started') process.stderr.write(`  ${e.status === 'ok' ? '✓' : e.status === 'failed' ? '✗' : '–'} ${e.target}${e.message ? `: ${e.message}` : ''}\n`);
    },
  };
}
