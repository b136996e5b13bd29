import { BlueError } from '@blue/core';
import type { ActionMode } from './action-run.js';
import { runCheckMode } from './check-mode.js';
import { runGateMode } from './gate-mode.js';
import { runPublishMode } from './publish-mode.js';

/** The Action's modes (the `mode` input): one line each. */
export const MODES: Readonly<Record<string, ActionMode>> = {
  check: runCheckMode,
  publish: runPublishMode,
  gate: runGateMode,
};

export function modeOf(name: string): ActionMode {
  const mode = MODES[name];
  if (mode === undefined) {
    throw new BlueError('VALUE_INVALID', `The input mode is "${name}"; it must be one of ${Object.keys(MODES).join(', ')}.`, {
      hint: `Set \`mode:\` in the step's \`with:\` to one of ${Object.keys(MODES).join(', ')}.`,
    });
  }
  return mode;
}
