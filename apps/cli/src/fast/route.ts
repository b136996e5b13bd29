// Imported by bin/run.js before anything else: no imports here, so deciding costs nothing.

/** The flags of `blue status` the fast path understands. */
export interface FastStatusArgs {
  json: boolean;
  strict: boolean;
  offline: boolean;
  cwd?: string;
}

/** The flags of `blue realm sync` the fast path understands (`notify` and `failOnNotify` as --[no-]flag; undefined: not given). */
export interface FastSyncArgs {
  json: boolean;
  dryRun: boolean;
  allowDirty: boolean;
  notify?: boolean;
  failOnNotify?: boolean;
  cwd?: string;
}

/** Which fast path a command line takes, with its arguments; undefined: oclif runs it. */
export type FastRoute = { command: 'status'; args: FastStatusArgs } | { command: 'sync'; args: FastSyncArgs };

/**
 * The boolean flags (each at most once, --X and --no-X counting as one) and --cwd DIR / --cwd=DIR after `skip` words of argv, into
 * `flags`' setters; false for anything else (--help, an unknown or repeated flag, a value that looks
 * like a flag, an argument), which oclif then handles with its own parsing, help and errors.
 */
function parseFlags(argv: readonly string[], skip: number, flags: Record<string, () => void>, setCwd: (cwd: string) => void): boolean {
  const seen = new Set<string>();
  for (let i = skip; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    // --cwd=DIR is --cwd, and --no-X is X: either form counts as giving the flag.
    const name = arg.startsWith('--cwd=') ? '--cwd' : arg.replace(/^--no-/, '--');
    if (seen.has(name)) return false;
    seen.add(name);
    const set = flags[arg];
    if (set !== undefined) set();
    else if (arg === '--cwd' && next !== undefined && next !== '' && !next.startsWith('-')) {
      setCwd(next);
      i += 1;
    } else if (arg.startsWith('--cwd=') && arg.length > '--cwd='.length) setCwd(arg.slice('--cwd='.length));
    else return false;
  }
  return true;
}

/**
 * `blue status [--json] [--strict] [--offline] [--cwd DIR|--cwd=DIR]`, each flag at most once, as the fast
 * path's arguments; undefined for anything else and when BLUE_NO_FAST_PATH is set.
 */
export function fastStatusArgs(argv: readonly string[], env: Record<string, string | undefined>): FastStatusArgs | undefined {
  if ((env.BLUE_NO_FAST_PATH ?? '') !== '' || argv[0] !== 'status') return undefined;
  const args: FastStatusArgs = { json: false, strict: false, offline: false };
  const ok = parseFlags(argv, 1, {
    '--json': () => (args.json = true),
    '--strict': () => (args.strict = true),
    '--offline': () => (args.offline = true),
  }, (cwd) => (args.cwd = cwd));
  return ok ? args : undefined;
}

/**
 * `blue realm sync [--json] [--dry-run] [--allow-dirty] [--[no-]notify] [--[no-]fail-on-notify-error]
 * [--cwd DIR|--cwd=DIR]`, each flag (either form) at most once, as the fast path's arguments;
 * undefined for anything else and when BLUE_NO_FAST_PATH is set.
 */
export function fastSyncArgs(argv: readonly string[], env: Record<string, string | undefined>): FastSyncArgs | undefined {
  if ((env.BLUE_NO_FAST_PATH ?? '') !== '' || argv[0] !== 'realm' || argv[1] !== 'sync') return undefined;
  const args: FastSyncArgs = { json: false, dryRun: false, allowDirty: false };
  const ok = parseFlags(argv, 2, {
    '--json': () => (args.json = true),
    '--dry-run': () => (args.dryRun = true),
    '--allow-dirty': () => (args.allowDirty = true),
    '--notify': () => (args.notify = true),
    '--no-notify': () => (args.notify = false),
    '--fail-on-notify-error': () => (args.failOnNotify = true),
    '--no-fail-on-notify-error': () => (args.failOnNotify = false),
  }, (cwd) => (args.cwd = cwd));
  return ok ? args : undefined;
}

/** The fast path a command line takes, if any. */
export function fastRoute(argv: readonly string[], env: Record<string, string | undefined>): FastRoute | undefined {
  const status = fastStatusArgs(argv, env);
  if (status !== undefined) return { command: 'status', args: status };
  const sync = fastSyncArgs(argv, env);
  return sync === undefined ? undefined : { command: 'sync', args: sync };
}
