import ansis from 'ansis';

/**
 * Colours for human output. ansis turns colour off when the stream is not a TTY and when
 * NO_COLOR is set, so piped output stays plain.
 */
export const style = {
  ok: (text: string) => ansis.green(text),
  warn: (text: string) => ansis.yellow(text),
  error: (text: string) => ansis.red(text),
  dim: (text: string) => ansis.dim(text),
  bold: (text: string) => ansis.bold(text),
  code: (text: string) => ansis.cyan(text),
};

export const CHECK = '✓';

/** `✓ text` in green. */
export function okLine(text: string, indent = 0): string {
  return `${' '.repeat(indent)}${style.ok(CHECK)} ${text}`;
}

/** A titled list of commands to run next. */
export function nextSteps(steps: readonly string[]): string[] {
  return steps.length === 0 ? [] : ['', style.bold('Next:'), ...steps.map((s) => `  ${style.code(s)}`)];
}
