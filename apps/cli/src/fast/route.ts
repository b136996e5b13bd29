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
 * `argv` as the arguments of the command named by `words`, starting from `args` and set by `flags`'
 * setters; undefined for another command, anything parseFlags refuses, and when BLUE_NO_FAST_PATH is set.
 */
function commandArgs<T extends { cwd?: string }>(argv: readonly string[], env: Record<string, string | undefined>, words: readonly string[], args: T, flags: Record<string, (args: T) => void>): T | undefined {
  if ((env.BLUE_NO_FAST_PATH ?? '') !== '' || words.some((word, i) => argv[i] !== word)) return undefined;
  const setters = Object.fromEntries(Object.entries(flags).map(([flag, set]) => [flag, () => set(args)]));
  return parseFlags(argv, words.length, setters, (cwd) => (args.cwd = cwd)) ? args : undefined;
}

/** `blue status [--json] [--strict] [--offline] [--cwd DIR|--cwd=DIR]`, each flag at most once, as the fast path's arguments. */
export function fastStatusArgs(argv: readonly string[], env: Record<string, string | undefined>): FastStatusArgs | undefined {
  return commandArgs<FastStatusArgs>(argv, env, ['status'], { json: false, strict: false, offline: false }, {
    '--json': (a) => (a.json = true),
    '--strict': (a) => (a.strict = true),
    '--offline': (a) => (a.offline = true),
  });
}

/**
 * `blue realm sync [--json] [--dry-run] [--allow-dirty] [--[no-]notify] [--[no-]fail-on-notify-error]
 * [--cwd DIR|--cwd=DIR]`, each flag (either form) at most once, as the fast path's arguments.
 */
export function fastSyncArgs(argv: readonly string[], env: Record<string, string | undefined>): FastSyncArgs | undefined {
  return commandArgs<FastSyncArgs>(argv, env, ['realm', 'sync'], { json: false, dryRun: false, allowDirty: false }, {
    '--json': (a) => (a.json = true),
    '--dry-run': (a) => (a.dryRun = true),
    '--allow-dirty': (a) => (a.allowDirty = true),
    '--notify': (a) => (a.notify = true),
    '--no-notify': (a) => (a.notify = false),
    '--fail-on-notify-error': (a) => (a.failOnNotify = true),
    '--no-fail-on-notify-error': (a) => (a.failOnNotify = false),
  });
}

/** The fast path a command line takes, if any. */
export function fastRoute(argv: readonly string[], env: Record<string, string | undefined>): FastRoute | undefined {
  const status = fastStatusArgs(argv, env);
  if (status !== undefined) return { command: 'status', args: status };
  const sync = fastSyncArgs(argv, env);
  return sync === undefined ? undefined : { command: 'sync', args: sync };
}
