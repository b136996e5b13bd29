import type { StatusResult } from '@blue/realm';
import { EXIT } from './exit-codes.js';
import { renderStatus } from './render/realm.js';

export interface StatusOutput {
  json: boolean;
  strict: boolean;
}

/**
 * What `blue status` prints besides its --json result, and how it exits: the report for humans,
 * and with --strict exit 1 and the reason on stderr (so CI logs say it even with --json or piped
 * output). Shared by the oclif command and the fast path.
 */
export function finishStatus(result: StatusResult, output: StatusOutput): void {
  if (!output.json) process.stdout.write(`${renderStatus(result).join('\n')}\n`);
  const { exports_changed, imports_stale, imports_broken } = result.summary;
  if (output.strict && exports_changed + imports_stale + imports_broken > 0) {
    process.exitCode = EXIT.problems;
    const counts = [[exports_changed, 'unpublished export change(s)'], [imports_stale, 'stale import(s)'], [imports_broken, 'broken import(s)']] as const;
    process.stderr.write(`blue status --strict: ${counts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(', ')}\n`);
  }
}
