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
  const unreachable = result.realm.warning === undefined ? 0 : 1;
  if (output.strict && exports_changed + imports_stale + imports_broken + unreachable > 0) {
    process.exitCode = EXIT.problems;
    const counts = [[exports_changed, 'unpublished export change(s)'], [imports_stale, 'stale import(s)'], [imports_broken, 'broken import(s)']] as const;
    const said = counts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
    if (unreachable > 0) said.push(`the realm's remote ${result.realm.url ?? ''} could not be reached (answer from the local clone)`.replace('  ', ' '));
    process.stderr.write(`blue status --strict: ${said.join(', ')}\n`);
  }
}
