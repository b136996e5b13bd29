import type { CreateWorktreeInput, CreateWorktreeResult } from '@blue/realm';
import { exitCodeForFailures } from './exit-codes.js';
import { renderWorktree } from './render/worktree.js';

/** The flags of `blue realm worktree`, as oclif and the fast path both read them. */
export interface WorktreeFlags {
  rfc?: string | undefined;
  branch?: string | undefined;
  join?: string | undefined;
  /** Comma-separated. */
  domains?: string | undefined;
}

/** The use case's input from the command's flags. */
export function worktreeInput(flags: WorktreeFlags): CreateWorktreeInput {
  return { rfc: flags.rfc, branch: flags.branch, join: flags.join, domains: flags.domains?.split(',').map((d) => d.trim()).filter(Boolean) };
}

/**
 * What `blue realm worktree` prints besides its --json result, and how it exits: the report for
 * humans, and a failed repo's exit code. Shared by the oclif command and the fast path.
 */
export function finishWorktree(result: CreateWorktreeResult, json: boolean): void {
  if (!json) process.stdout.write(`${renderWorktree(result).join('\n')}\n`);
  const code = exitCodeForFailures(result.worktrees.map((w) => w.error));
  if (code !== undefined) process.exitCode = code;
}
