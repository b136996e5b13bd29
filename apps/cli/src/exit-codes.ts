import type { ErrorKind } from '@blue/core';

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
