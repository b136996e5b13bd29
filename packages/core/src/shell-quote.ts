/** Characters a POSIX shell never treats specially in a word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument quoted for a POSIX shell, so a hint or next step that shows a value from the realm
 * (a repo URL, a maintainer, a branch) can be pasted as it is and never runs anything: a plain word
 * as it is, anything else in single quotes (a `'` inside as `'\''`). Control characters are shown
 * as `?`: they have no business in a value a person is asked to type.
 */
export function shellQuote(arg: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  const printable = arg.replace(/[\x00-\x1f\x7f]/g, '?');
  if (SAFE_WORD.test(printable)) return printable;
  return `'${printable.replace(/'/g, `'\\''`)}'`;
}

/** A command line (argv) as a person would type it: each argument quoted by shellQuote. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
