import { createContext, realmStatus } from '@blue/realm';
import { reportError } from '../report-error.js';
import { finishStatus } from '../status-outcome.js';
import type { FastStatusArgs } from './route.js';

/**
 * `blue status` without oclif: the build bundles this module with everything it imports into one
 * file (scripts/bundle-fast.mjs), so a start loads one file instead of ~400 modules. Output, exit
 * codes and errors are the oclif command's (shared code; a test compares both byte for byte).
 */
export async function runStatus(args: FastStatusArgs): Promise<void> {
  try {
    const result = await realmStatus(createContext({ cwd: args.cwd, env: process.env }), { offline: args.offline });
    if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    finishStatus(result, args);
  } catch (err) {
    reportError(err instanceof Error ? err : new Error(String(err)), args.json);
  }
}
