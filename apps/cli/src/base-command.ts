import { Command, Flags, type Interfaces } from '@oclif/core';
import { BlueError, ERROR_CODES, asBlueError, errorKind, type BlueErrorJson } from '@blue/core';
import type { BlueContext } from '@blue/realm';
import { exitCodeFor } from './exit-codes.js';
import { renderError } from './render/error.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;

/**
 * Every blue command: `--json` prints exactly the use case's result object, `--cwd` picks the
 * folder to act from, and `catch` is the one place errors become output and exit codes.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    cwd: Flags.directory({
      description: 'Act as if blue was started in this folder.',
      helpGroup: 'GLOBAL',
      exists: false,
    }),
  };

  /** The context every use case runs with: this process's environment, cwd from --cwd; progress lines on a TTY. */
  protected async context(cwd: string | undefined): Promise<BlueContext> {
    const { createContext } = await import('@blue/realm');
    const tty = process.stderr.isTTY && !this.jsonEnabled();
    const progress = {
      report: (e: { target: string; status: string; message?: string }) => {
        if (tty && e.status !== 'started') process.stderr.write(`  ${e.status === 'ok' ? '✓' : e.status === 'failed' ? '✗' : '–'} ${e.target}${e.message ? `: ${e.message}` : ''}\n`);
      },
    };
    return createContext({ cwd, env: process.env, progress });
  }

  /** Per-repo work that failed somewhere exits like the first failure would have. */
  protected exitForFailures(errors: ReadonlyArray<BlueErrorJson | undefined>): void {
    const first = errors.find((e) => e !== undefined);
    if (first === undefined) return;
    const code = first.code in ERROR_CODES ? first.code : 'INTERNAL';
    process.exitCode = exitCodeFor(errorKind(code));
  }

  /** Prints human output (never with --json). */
  protected print(lines: readonly string[]): void {
    if (!this.jsonEnabled()) this.log(lines.join('\n'));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- oclif's catch is async by signature
  protected override async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    const blue = toBlueError(err);
    process.exitCode = exitCodeFor(blue.kind);
    if (this.jsonEnabled()) {
      process.stdout.write(`${JSON.stringify({ error: blue.toJSON() }, null, 2)}\n`);
      return;
    }
    process.stderr.write(`${renderError(blue)}\n`);
  }
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
