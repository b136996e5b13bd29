import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertBranchName, BlueError, redactSecrets } from '@blue/core';
import { branchTipFromFiles, gitDirsAt, lstatIfExists } from './paths.js';
import { remoteUrl } from './repo.js';
import { runGit, type GitOptions } from './run.js';
import { gitLines, resolveCommit, unreachable } from './sync-steps.js';

export interface PushBranchOptions extends GitOptions {
  /** Remote name (or URL) to push to. Default `origin`. */
  remote?: string;
  /** Make `<remote>/<branch>` the branch's upstream (`--set-upstream`). Default true. */
  setUpstream?: boolean;
  /** Retries after a transient failure (connection dropped, a ref locked by a concurrent push). Default 2. */
  retries?: number;
  /** Backoff base in ms (default 200), doubled per retry, capped at 2 s. */
  backoffMs?: number;
  /** Called before each retry with its attempt number (2, 3, ...) and what went wrong. */
  beforeRetry?: (attempt: number, reason: string) => Promise<void> | void;
}

export interface PushBranchResult {
  /** True when the remote's branch moved (or was created). */
  pushed: boolean;
  /** True when the remote already had the branch at this commit. */
  upToDate: boolean;
  remote: string;
  branch: string;
  /** Full SHA of the pushed commit. */
  head: string;
  /** Pushes tried (1 unless a transient failure was retried). */
  attempts: number;
}

/** A push that failed in a way worth trying again, and what to throw if it keeps failing. */
interface Transient {
  reason: string;
  error: BlueError;
}

/** A connection that broke off, in git's stderr (exit 128, no ref status). */
const BROKEN_CONNECTION = /connection reset|early eof|remote end hung up unexpectedly|rpc failed|timed out|temporarily unavailable/i;
/** A remote that refused the ref because a concurrent push held its lock. */
const REF_LOCKED = /^(failed to update ref|failed to lock|cannot lock ref)/;

/**
 * Pushes local `branch` to the same name on `remote`, never forced. Up to date: `pushed: false,
 * upToDate: true`. Rejections throw PUSH_REJECTED with git's reason (redacted): a non-fast-forward
 * (the remote branch has commits this one lacks) says how to rebase; a hook or protection rule
 * quotes the remote. An unreachable remote or a missing branch is GIT_FAILED. Transient failures
 * are tried again with backoff, `retries` times.
 */
export async function pushBranchTo(dir: string, branch: string, options: PushBranchOptions = {}): Promise<PushBranchResult> {
  const gitOptions: GitOptions = options.env === undefined ? {} : { env: options.env };
  const remote = options.remote ?? 'origin';
  assertBranchName(branch);
  // The branch's tip from the ref files, else from git, which also tells a missing branch.
  const dirs = await gitDirsAt(dir, gitOptions.env);
  const head = (dirs === undefined ? undefined : await branchTipFromFiles(dirs.commonDir, branch)) ?? (await resolveCommit(dir, `refs/heads/${branch}`, gitOptions));
  if (head === undefined) {
    throw new BlueError('GIT_FAILED', `${dir} has no branch ${branch} to push.`, { hint: `Create it first (\`git -C ${dir} branch --list\` shows the branches there).` });
  }
  // A remote name git does not know would be taken for a path: only when something is at that
  // path must that be ruled out before pushing; otherwise git's failure is diagnosed after.
  const named = !/[/:]/.test(remote);
  if (named && (await lstatIfExists(resolve(dir, remote))) !== undefined) await assertRemote(dir, remote, branch, gitOptions);
  const retries = Math.max(0, Math.floor(options.retries ?? 2));
  for (let attempt = 1; ; attempt++) {
    let outcome: boolean | Transient;
    try {
      outcome = await pushOnce(dir, remote, branch, options.setUpstream !== false, gitOptions);
    } catch (err) {
      if (named) await assertRemote(dir, remote, branch, gitOptions);
      throw err;
    }
    if (typeof outcome === 'boolean') return { pushed: outcome, upToDate: !outcome, remote, branch, head, attempts: attempt };
    if (attempt > retries) throw outcome.error;
    await sleep(Math.min(2000, (options.backoffMs ?? 200) * 2 ** (attempt - 1)));
    await options.beforeRetry?.(attempt + 1, outcome.reason);
  }
}

/** GIT_FAILED naming the fix when `remote` is not a remote of the repository at `dir`. */
async function assertRemote(dir: string, remote: string, branch: string, options: GitOptions): Promise<void> {
  if ((await remoteUrl(dir, remote, options)) !== undefined) return;
  throw new BlueError('GIT_FAILED', `${dir} has no remote named "${remote}" to push ${branch} to.`, {
    hint: `Add it with \`git -C ${dir} remote add ${remote} <url>\`, then run the command again.`,
  });
}

/** One push: true when it moved the remote branch, false when up to date, else a transient failure. */
async function pushOnce(dir: string, remote: string, branch: string, setUpstream: boolean, options: GitOptions): Promise<boolean | Transient> {
  const refspec = `refs/heads/${branch}:refs/heads/${branch}`;
  const args = ['push', '--porcelain', ...(setUpstream ? ['--set-upstream'] : []), '--', remote, refspec];
  const { stdout, stderr, exitCode } = await runGit(dir, args, { ...options, okExitCodes: [1, 128] });
  // --porcelain prints one "<flag>\t<from>:<to>\t<summary>" line per ref: '=' up to date, '!' rejected.
  const [flag, , summary = ''] = stdout.split('\n').map((l) => l.split('\t')).find((fields) => fields[1] === refspec) ?? [];
  if (flag === '=') return false;
  if (flag !== undefined && flag !== '!') return true;
  if (flag === undefined && exitCode === 0) return true;
  if (flag === undefined && exitCode === 128) {
    const error = unreachable(dir, { remote, branch, tracking: undefined }, stderr);
    if (BROKEN_CONNECTION.test(stderr)) return { reason: redactSecrets(gitLines(stderr).slice(-1).join('')), error };
    throw error;
  }
  // Rejected by the remote, or (no ref line) stopped before it was reached, e.g. by a pre-push hook.
  const reason = summary === '' ? 'the push was stopped before it reached the remote' : summary.replace(/^\[(remote )?rejected\] \((.*)\)$/, '$2');
  const error = rejection(dir, remote, branch, reason, stderr);
  if (summary.startsWith('[remote rejected]') && REF_LOCKED.test(reason)) return { reason, error };
  throw error;
}

function rejection(dir: string, remote: string, branch: string, reason: string, stderr: string): BlueError {
  const said = gitLines(stderr).filter((l) => !/^(To |error: failed to push some refs|Done$)/.test(l));
  const detail = said.length > 0 ? `: ${said.slice(-10).join(' | ')}` : '';
  const behind = /non-fast-forward|fetch first/.test(reason);
  const what = behind ? `non-fast-forward: ${remote}'s ${branch} has commits that ${dir} lacks` : reason;
  return new BlueError('PUSH_REJECTED', redactSecrets(`${remote} rejected the push of ${branch} from ${dir} (${what})${detail}`), {
    hint: behind
      ? `Nothing was pushed or forced. Run \`git -C ${dir} pull --rebase ${remote} ${branch}\`, then push again.`
      : 'Nothing was pushed and your commits are kept. Fix what the remote said (a hook, a protected branch, your access), then push again.',
  });
}
