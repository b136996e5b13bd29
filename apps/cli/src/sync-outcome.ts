import type { SyncRealmResult } from '@blue/realm';
import { runsOnCi } from '@blue/core';
import { EXIT } from './exit-codes.js';
import { renderSync } from './render/realm.js';

export interface SyncOutput {
  json: boolean;
  /** --[no-]fail-on-notify-error; undefined: the default (on when CI is set). */
  failOnNotify: boolean | undefined;
}

/**
 * What `blue realm sync` prints besides its --json result, and how it exits: the report for humans,
 * and exit 5 when a consumer could not be notified and failing on that is on. Shared by the oclif
 * command and the fast path.
 */
export function finishSync(result: SyncRealmResult, output: SyncOutput): void {
  if (!output.json) process.stdout.write(`${renderSync(result).join('\n')}\n`);
  const failOnNotify = output.failOnNotify ?? runsOnCi(process.env);
  const failed = result.notifications.filter((n) => n.status === 'failed');
  if (failOnNotify && failed.length > 0) {
    if (!output.json) process.stderr.write(`Published, but ${failed.length} consumer notice(s) failed (${failed.map((n) => n.consumer).join(', ')}): exit 5. Run blue realm sync again to retry them.\n`);
    process.exitCode = EXIT.external;
  }
}
