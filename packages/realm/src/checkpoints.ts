import { BlueError } from '@blue/core';

/**
 * The named steps at which a use case calls `ctx.checkpoint(step)`: the points where a process
 * killed half-way must leave a state the same command, run again, completes. This list is the
 * one place they are named; the reliability tests kill `blue` at each of them.
 */
export const CHECKPOINTS = {
  'join:realm-committed': 'join: the domain is committed in the realm; .blue/config.yaml and the user index are not written yet',
  'realm:files-written': 'any realm commit: the files are written in the realm clone, not committed yet',
  'realm:committed': 'any realm commit: committed, not pushed yet (in sync: between the realm commit and its push)',
  'realm:pushed': 'any realm push (sync, tracking files): the commit is on the remote, the rest of the command is not done',
  'worktree:repo-added': 'worktree: one more repo has its worktree (#k: after k repos); the tracking file is not saved yet',
  'commit:repo-committed': 'commit: one more repo has committed (#k: after k repos); the tracking file is not saved yet',
  'push:repo-pushed': 'push: one more repo has pushed its branch (#k: after k repos)',
  'pr:opened': 'pr: one more pull request is opened or found (#k: after k); links and the tracking file are not updated yet',
  'sync:notified': 'sync: one more consumer notice issue is opened or updated (#k: after k)',
} as const;

export type Checkpoint = keyof typeof CHECKPOINTS;

/** The test-only variable naming the step (and optionally its nth arrival, `step#n`) at which Blue kills itself. */
export const KILL_AT_ENV = 'BLUE_TEST_KILL_AT';

/** What to do at a checkpoint: nothing, unless `BLUE_TEST_KILL_AT` names it. */
export type CheckpointHook = (step: Checkpoint) => void;

const NOTHING: CheckpointHook = () => undefined;

/**
 * The checkpoint hook for an environment. Without BLUE_TEST_KILL_AT it does nothing. With
 * `BLUE_TEST_KILL_AT=<step>[#n]` the process SIGKILLs itself the nth time (default the first)
 * it reaches `step`: no cleanup, no exit handlers, as when the machine or a user kills it.
 * An unknown step or a bad count is refused with VALUE_INVALID, so a typo cannot make a test
 * pass without killing anything.
 */
export function checkpointHook(env: Record<string, string | undefined>): CheckpointHook {
  const spec = env[KILL_AT_ENV];
  if (spec === undefined || spec === '') return NOTHING;
  const match = /^([a-z-]+:[a-z-]+)(?:#([1-9]\d{0,5}))?$/.exec(spec);
  const step = match?.[1];
  if (match === null || step === undefined || !(step in CHECKPOINTS)) {
    throw new BlueError('VALUE_INVALID', `${KILL_AT_ENV}=${spec} names no checkpoint.`, {
      hint: `It is a test-only setting: <step>[#n] with step one of ${Object.keys(CHECKPOINTS).join(', ')}. Unset it to run normally.`,
    });
  }
  const target = Number(match[2] ?? '1');
  let reached = 0;
  return (at) => {
    if (at === step && ++reached === target) process.kill(process.pid, 'SIGKILL');
  };
}
