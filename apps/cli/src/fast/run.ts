import { createContext, createWorktree, realmStatus, syncRealm } from '@blue/realm';
import { terminalProgress } from '../progress.js';
import { reportError } from '../report-error.js';
import { finishStatus } from '../status-outcome.js';
import { finishSync } from '../sync-outcome.js';
import { finishWorktree, worktreeInput } from '../worktree-outcome.js';
import type { FastRoute } from './route.js';

/**
 * `blue status`, `blue realm sync` and `blue realm worktree` without oclif: the build bundles this module with everything
 * it imports into one file (scripts/bundle-fast.mjs), so a start loads one file instead of ~400
 * modules. Output, exit codes and errors are the oclif commands' (shared code; a test compares
 * both byte for byte).
 */
export async function runFast(route: FastRoute): Promise<void> {
  const json = route.args.json;
  try {
    const ctx = createContext({ cwd: route.args.cwd, env: process.env, progress: terminalProgress(json) });
    if (route.command === 'status') {
      const result = await realmStatus(ctx, { offline: route.args.offline });
      if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      finishStatus(result, route.args);
    } else if (route.command === 'worktree') {
      const result = await createWorktree(ctx, worktreeInput(route.args));
      if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      finishWorktree(result, json);
    } else {
      const { args } = route;
      const result = await syncRealm(ctx, { dryRun: args.dryRun, notify: args.notify ?? true, allowDirty: args.allowDirty });
      if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      finishSync(result, { json, failOnNotify: args.failOnNotify });
    }
  } catch (err) {
    reportError(err instanceof Error ? err : new Error(String(err)), json);
  }
}
