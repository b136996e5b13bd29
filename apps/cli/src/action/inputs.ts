import { BlueError } from '@blue/core';
import type { Runner } from './runner.js';

/**
 * The Action's inputs with their defaults: one table, which action.yml must declare the same
 * (a test compares them). The runner applies action.yml's defaults; these apply when the entry
 * runs outside a runner.
 */
export const ACTION_INPUTS = {
  // Checked against the modes table (modes.ts), so a new mode is one line there.
  mode: { default: 'check' },
  domain: { default: '' },
  'github-token': { default: '' },
  'realm-token': { default: '' },
  'fail-on': { default: 'broken', options: ['broken', 'stale', 'never'] },
  'sarif-file': { default: 'blue.sarif' },
  'notify-failures': { default: 'fail', options: ['fail', 'warn'] },
  'git-user-name': { default: 'github-actions[bot]' },
  'git-user-email': { default: '41898282+github-actions[bot]@users.noreply.github.com' },
  comment: { default: 'true', options: ['true', 'false'] },
} as const satisfies Record<string, { default: string; options?: readonly string[] }>;

export type InputName = keyof typeof ACTION_INPUTS;
export type ActionInputs = Record<InputName, string>;

/** The outputs action.yml declares. */
export const ACTION_OUTPUTS = ['bump', 'breaking', 'consumers', 'sarif-file'] as const;

/** Every input, defaulted and checked against its options (VALUE_INVALID naming the input). */
export function readInputs(runner: Runner): ActionInputs {
  const inputs = {} as ActionInputs;
  for (const [name, spec] of Object.entries(ACTION_INPUTS) as Array<[InputName, { default: string; options?: readonly string[] }]>) {
    const value = runner.input(name) || spec.default;
    if (spec.options !== undefined && !spec.options.includes(value)) {
      throw new BlueError('VALUE_INVALID', `The input ${name} is "${value}"; it must be one of ${spec.options.join(', ')}.`, {
        hint: `Set \`${name}:\` in the step's \`with:\` to one of ${spec.options.join(', ')}.`,
      });
    }
    inputs[name] = value;
  }
  return inputs;
}
