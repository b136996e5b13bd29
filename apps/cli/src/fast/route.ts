// Imported by bin/run.js before anything else: no imports here, so deciding costs nothing.

/** The flags of `blue status` the fast path understands. */
export interface FastStatusArgs {
  json: boolean;
  strict: boolean;
  offline: boolean;
  cwd?: string;
}

/**
 * `blue status [--json] [--strict] [--offline] [--cwd DIR|--cwd=DIR]`, each flag at most once, as the fast
 * path's arguments; undefined for anything else (another command, --help, an unknown or repeated
 * flag, a value that looks like a flag) and when BLUE_NO_FAST_PATH is set: oclif handles those,
 * with its own parsing, help and errors.
 */
export function fastStatusArgs(argv: readonly string[], env: Record<string, string | undefined>): FastStatusArgs | undefined {
  if ((env.BLUE_NO_FAST_PATH ?? '') !== '' || argv[0] !== 'status') return undefined;
  const args: FastStatusArgs = { json: false, strict: false, offline: false };
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (arg === '--json' && !args.json) args.json = true;
    else if (arg === '--strict' && !args.strict) args.strict = true;
    else if (arg === '--offline' && !args.offline) args.offline = true;
    else if (arg === '--cwd' && args.cwd === undefined && next !== undefined && next !== '' && !next.startsWith('-')) {
      args.cwd = next;
      i += 1;
    } else if (arg.startsWith('--cwd=') && arg.length > '--cwd='.length && args.cwd === undefined) args.cwd = arg.slice('--cwd='.length);
    else return undefined;
  }
  return args;
}
