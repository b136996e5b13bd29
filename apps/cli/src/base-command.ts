import { Command, Flags, type Interfaces } from '@oclif/core';
import { BlueError, asBlueError } from '@blue/core';
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

  /** The context every use case runs with: this process's environment, cwd from --cwd. */
  protected async context(cwd: string | undefined): Promise<BlueContext> {
    const { createContext } = await import('@blue/realm');
    return createContext({ cwd, env: process.env });
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
