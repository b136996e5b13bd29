// The build from before this wave's realm gate and freshness (issues "many writers at once" and
// "realm by URL"), checked out and built inside the workspace, so a benchmark can measure today's
// figure and the previous one in the same run. Built once per run (ctx.shared).
import { join } from 'node:path';
import process from 'node:process';
import { ROOT } from './paths.mjs';
import { run } from './proc.mjs';
import { gitSync } from './workspace.mjs';

/** The last commit before the realm gate (packages/realm/src/store/realm-gate.ts). */
export const PRE_GATE_REF = 'b63d231';

/** The CLI of PRE_GATE_REF as {bin, root}, or {skipped: why} in smoke mode or where the commit is not in this clone. */
export function preGateCli(ctx) {
  if (ctx.smoke) return Promise.resolve({ skipped: 'smoke mode builds no second copy' });
  return ctx.shared('pre-gate-cli', () => build(ctx.ws));
}

async function build(ws) {
  const dir = join(ws.root, 'pre-gate');
  try {
    gitSync(ws, ROOT, 'worktree', 'add', '--quiet', '--detach', dir, PRE_GATE_REF);
  } catch (error) {
    return { skipped: `${PRE_GATE_REF} is not in this clone (${error.message.split('\n')[0]})` };
  }
  ws.onCleanup(() => gitSync(ws, ROOT, 'worktree', 'remove', '--force', dir));
  const pnpm = ['--yes', 'pnpm@10.34.8'];
  await run(ws, 'npx', [...pnpm, 'install', '--frozen-lockfile', '--prefer-offline'], { cwd: dir, env: process.env, timeoutMs: 600_000 });
  await run(ws, 'npx', [...pnpm, 'run', 'build'], { cwd: dir, env: process.env, timeoutMs: 600_000 });
  return { bin: join(dir, 'apps', 'cli', 'bin', 'run.js'), root: dir };
}
