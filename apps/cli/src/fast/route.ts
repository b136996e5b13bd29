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

/** The flags of `blue realm worktree` the fast path understands (exactly one of `rfc` and `join`, never `join` with `branch`). */
export interface FastWorktreeArgs {
  json: boolean;
  rfc?: string;
  join?: string;
  branch?: string;
  domains?: string;
  cwd?: string;
}

/** Which fast path a command line takes, with its arguments; undefined: oclif runs it. */
export type FastRoute = { command: 'status'; args: FastStatusArgs } | { command: 'sync'; args: FastSyncArgs } | { command: 'worktree'; args: FastWorktreeArgs };

/**
 * The boolean flags and the value flags (`--X VALUE` / `--X=VALUE`; --cwd always is one) after
 * `skip` words of argv, each at most once (--X and --no-X counting as one), into their setters;
 * false for anything else (--help, an unknown or repeated flag, an empty value or one that looks
 * like a flag, an argument), which oclif then handles with its own parsing, help and errors.
 */
function parseFlags(argv: readonly string[], skip: number, flags: Record<string, () => void>, values: Record<string, (value: string) => void>): boolean {
  const seen = new Set<string>();
  for (let i = skip; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    // --X=VALUE is --X, and --no-X is X: either form counts as giving the flag.
    const [name, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const key = name.replace(/^--no-/, '--');
    if (seen.has(key)) return false;
    seen.add(key);
    const set = flags[arg];
    const setValue = values[name];
    if (set !== undefined) set();
    else if (setValue === undefined) return false;
    else {
      const value = inline ?? argv[(i += 1)];
      if (value === undefined || value === '' || value.startsWith('-')) return false;
      setValue(value);
    }
  }
  return true;
}

/**
 * `argv` as the arguments of the command named by `words`, starting from `args` and set by `flags`'
 * setters (and `values`' for value flags besides --cwd); undefined for another command, anything
 * parseFlags refuses, and when BLUE_NO_FAST_PATH is set.
 */
function commandArgs<T extends { cwd?: string }>(argv: readonly string[], env: Record<string, string | undefined>, words: readonly string[], args: T, flags: Record<string, (args: T) => void>, values: Record<string, (args: T, value: string) => void> = {}): T | undefined {
  if ((env.BLUE_NO_FAST_PATH ?? '') !== '' || words.some((word, i) => argv[i] !== word)) return undefined;
  const setters = Object.fromEntries(Object.entries(flags).map(([flag, set]) => [flag, () => set(args)]));
  const valueSetters = Object.fromEntries(Object.entries({ ...values, '--cwd': (a: T, cwd: string) => (a.cwd = cwd) }).map(([flag, set]) => [flag, (value: string) => set(args, value)]));
  return parseFlags(argv, words.length, setters, valueSetters) ? args : undefined;
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

/**
 * `blue realm worktree (--rfc R [--branch B] | --join B) [--domains D] [--json] [--cwd DIR]`, each
 * flag at most once, as the fast path's arguments; any other combination is oclif's to refuse.
 */
export function fastWorktreeArgs(argv: readonly string[], env: Record<string, string | undefined>): FastWorktreeArgs | undefined {
  const args = commandArgs<FastWorktreeArgs>(argv, env, ['realm', 'worktree'], { json: false }, { '--json': (a) => (a.json = true) }, {
    '--rfc': (a, v) => (a.rfc = v),
    '--join': (a, v) => (a.join = v),
    '--branch': (a, v) => (a.branch = v),
    '--domains': (a, v) => (a.domains = v),
  });
  if (args === undefined || (args.rfc === undefined) === (args.join === undefined) || (args.join !== undefined && args.branch !== undefined)) return undefined;
  return args;
}

/** The fast path a command line takes, if any. */
export function fastRoute(argv: readonly string[], env: Record<string, string | undefined>): FastRoute | undefined {
  const status = fastStatusArgs(argv, env);
  if (status !== undefined) return { command: 'status', args: status };
  const sync = fastSyncArgs(argv, env);
  if (sync !== undefined) return { command: 'sync', args: sync };
  const worktree = fastWorktreeArgs(argv, env);
  return worktree === undefined ? undefined : { command: 'worktree', args: worktree };
}
