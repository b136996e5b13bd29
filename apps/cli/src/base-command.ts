import { Command, Flags, type Interfaces } from '@oclif/core';
import type { BlueErrorJson } from '@blue/core';
import type { BlueContext } from '@blue/realm';
import { exitCodeForFailures } from './exit-codes.js';
import { terminalProgress } from './progress.js';
import { reportError } from './report-error.js';

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
    return createContext({ cwd, env: process.env, progress: terminalProgress(this.jsonEnabled()) });
  }

  /** Per-repo work that failed somewhere exits like the first failure would have. */
  protected exitForFailures(errors: ReadonlyArray<BlueErrorJson | undefined>): void {
    const code = exitCodeForFailures(errors);
    if (code !== undefined) process.exitCode = code;
  }

  /** Prints human output (never with --json). */
  protected print(lines: readonly string[]): void {
    if (!this.jsonEnabled()) this.log(lines.join('\n'));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- oclif's catch is async by signature
  protected override async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    reportError(err, this.jsonEnabled());
  }
}
