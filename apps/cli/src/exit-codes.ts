import { ERROR_CODES, errorKind, type BlueErrorJson, type ErrorKind } from '@blue/core';

/** The CLI's exit codes, per DESIGN.md. The one place error kinds become exit codes. */
export const EXIT = {
  ok: 0,
  problems: 1,
  usage: 2,
  input: 3,
  state: 4,
  external: 5,
  internal: 70,
} as const satisfies Record<ErrorKind | 'ok' | 'problems', number>;

export function exitCodeFor(kind: ErrorKind): number {
  return EXIT[kind];
}

/** Per-repo work that failed somewhere exits like the first failure would have: its exit code, or undefined when nothing failed. */
export function exitCodeForFailures(errors: ReadonlyArray<BlueErrorJson | undefined>): number | undefined {
  const first = errors.find((e) => e !== undefined);
  if (first === undefined) return undefined;
  return exitCodeFor(errorKind(first.code in ERROR_CODES ? first.code : 'INTERNAL'));
}
