import ansis, { Ansis } from 'ansis';

/**
 * Colour level for a stream: none unless it is a TTY, none with NO_COLOR, forced with
 * FORCE_COLOR. (ansis alone also colours piped output when CI is set; our contract does not.)
 */
export function colourLevel(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): number {
  if (env.NO_COLOR) return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return Math.max(1, ansis.level);
  return stream.isTTY ? ansis.level : 0;
}

export interface Style {
  ok(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  code(text: string): string;
}

/** Colours for human output on one stream. */
export function styleFor(stream: { isTTY?: boolean }): Style {
  const a = new Ansis(colourLevel(stream));
  return {
    ok: (text) => a.green(text),
    warn: (text) => a.yellow(text),
    error: (text) => a.red(text),
    dim: (text) => a.dim(text),
    bold: (text) => a.bold(text),
    code: (text) => a.cyan(text),
  };
}

/** Colours for stdout, where results are rendered. */
export const style: Style = styleFor(process.stdout);

export const CHECK = '✓';

/** `✓ text` in green. */
export function okLine(text: string, indent = 0): string {
  return `${' '.repeat(indent)}${style.ok(CHECK)} ${text}`;
}

/** A titled list of commands to run next. */
export function nextSteps(steps: readonly string[]): string[] {
  return steps.length === 0 ? [] : ['', style.bold('Next:'), ...steps.map((s) => `  ${style.code(s)}`)];
}
