import type { BlueContext } from '@blue/realm';
import type { ActionInputs } from './inputs.js';
import type { Runner } from './runner.js';

/** What every mode gets: the runner, the inputs, and a context for the use cases. */
export interface ActionRun {
  runner: Runner;
  inputs: ActionInputs;
  /** The workspace: the checked-out repository (GITHUB_WORKSPACE). */
  workspace: string;
  context(): Promise<BlueContext>;
  /** The Action's version, for the SARIF tool. */
  version: string;
}

/** A mode of the Action: runs, writes its outputs, and returns the step's exit code. */
export type ActionMode = (run: ActionRun) => Promise<number>;
