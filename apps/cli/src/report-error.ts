import { BlueError, asBlueError } from '@blue/core';
import { exitCodeFor } from './exit-codes.js';
import { renderError } from './render/error.js';

/**
 * The one place an error becomes output and an exit code, for oclif's commands and the fast
 * path alike: `{"error": …}` on stdout with --json, else the message and hint on stderr.
 */
export function reportError(err: Error & { oclif?: { exit?: number } }, json: boolean): void {
  const blue = toBlueError(err);
  process.exitCode = exitCodeFor(blue.kind);
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: blue.toJSON() }, null, 2)}\n`);
    return;
  }
  process.stderr.write(`${renderError(blue)}\n`);
}

/** oclif's own parse errors are usage errors (exit 2); everything else goes through asBlueError. */
function toBlueError(err: Error & { oclif?: { exit?: number } }): BlueError {
  if (!(err instanceof BlueError) && err.oclif?.exit === 2) {
    return new BlueError('USAGE', usageMessage(err.message), {
      hint: 'Run the command with --help to see its flags and examples.',
    });
  }
  return asBlueError(err);
}

/** oclif's parse messages, made one line: no "following error occurred" header, flags with dashes. */
function usageMessage(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^The following errors? occurred:$/.test(line) && !/^See more help with --help$/.test(line))
    .map((line) => line.replace(/^Missing required flag (\w[\w-]*)$/, 'Missing required flag --$1'))
    .join('; ');
}
