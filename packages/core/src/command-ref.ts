/**
 * Messages, hints and next steps name what to do next once, in the CLI's notation (`blue realm
 * sync --dry-run`, "pass --cwd"): that text is the one source. Each face renders it: the CLI
 * shows it as written; the MCP face turns every `blue …` command into the tool call that does the
 * same (`blue_realm_sync {"dry_run": true}`) and every bare flag into the argument's name.
 */

/** A Blue command as a message names it: the command id and its flags as tool arguments. */
export interface CommandRef {
  /** e.g. "status", "realm sync". */
  command: string;
  /** Flag values by argument name (snake_case): strings, true for a switch, false for --no-x, lists for --domains. */
  args: Record<string, string | boolean | string[]>;
}

/** Flags that take no value (their presence means true; --no-x means x: false). */
const SWITCHES = new Set(['dry-run', 'allow-dirty', 'notify', 'force', 'detect', 'exports', 'imports', 'strict', 'draft', 'link', 'detect-exports', 'watch', 'print', 'json', 'offline', 'join']);
const LISTS = new Set(['domains']);
const SHORT: Record<string, string> = { m: 'message' };
/** Positional arguments of the commands that take one, as tool argument names. */
const POSITIONALS: Record<string, string[]> = { 'realm join': ['realm_path'] };

const COMMAND = /\b(?:cd ([^\s&;]+) && )?blue (status|(?:realm|mcp) [a-z]+(?:-[a-z]+)*|trust)\b/g;

/** The tool a command maps to, by the faces' naming rule (`realm sync` -> `blue_realm_sync`). */
export function toolNameOf(command: string): string {
  return `blue_${command.replace(/[ -]/g, '_')}`;
}

/** `blue_realm_sync {"dry_run": true}`. */
export function renderToolCall(ref: CommandRef): string {
  const args = Object.entries(ref.args).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `${toolNameOf(ref.command)} {${args.join(', ')}}`;
}

/**
 * The text as the MCP face says it: each `blue …` command with a tool becomes its tool call (a
 * leading `cd DIR && ` becomes the cwd argument), each bare flag outside a command becomes the
 * quoted argument name. Commands without a tool (people only) and other programs' flags
 * (`git … --rebase`) stay as they are.
 */
export function speakMcp(text: string, hasTool: (command: string) => boolean): string {
  let out = '';
  let at = 0;
  for (const match of text.matchAll(COMMAND)) {
    const start = match.index;
    if (start < at) continue;
    const command = match[2] ?? '';
    const parsed = parseArgs(text, start + match[0].length, command);
    out += bareFlags(text.slice(at, start));
    if (hasTool(command)) {
      const args = match[1] === undefined ? parsed.args : { ...parsed.args, cwd: match[1] };
      out += renderToolCall({ command, args });
    } else {
      out += text.slice(start, parsed.end);
    }
    at = parsed.end;
  }
  return out + bareFlags(text.slice(at));
}

/** Reads the flags (and positionals) after a command, up to the first word that is neither. */
function parseArgs(text: string, from: number, command: string): { args: CommandRef['args']; end: number } {
  const args: CommandRef['args'] = {};
  const positionals = [...(POSITIONALS[command] ?? [])];
  let end = from;
  for (;;) {
    const rest = text.slice(end);
    const flag = /^ (--?)([a-z][a-z0-9-]*)(?=$|[\s,;.)`'"])/.exec(rest);
    if (flag) {
      const long = flag[1] === '--' ? (flag[2] ?? '') : (SHORT[flag[2] ?? ''] ?? flag[2] ?? '');
      end += flag[0].length;
      if (SWITCHES.has(long)) {
        args[snake(long)] = true;
        continue;
      }
      if (long.startsWith('no-') && SWITCHES.has(long.slice(3))) {
        args[snake(long.slice(3))] = false;
        continue;
      }
      const value = readValue(text, end);
      if (value === undefined) {
        args[snake(long)] = true;
        continue;
      }
      end = value.end;
      args[snake(long)] = LISTS.has(long) ? value.text.split(',').filter(Boolean) : value.text;
      continue;
    }
    if (positionals.length > 0) {
      const value = readValue(text, end);
      if (value !== undefined && !value.text.startsWith('-')) {
        args[positionals.shift() ?? ''] = value.text;
        end = value.end;
        continue;
      }
    }
    return { args, end };
  }
}

/** One argument value after a space: quoted, or up to whitespace (trailing punctuation left out). */
function readValue(text: string, from: number): { text: string; end: number } | undefined {
  const quoted = /^ (['"])(.*?)\1/.exec(text.slice(from));
  if (quoted) return { text: quoted[2] ?? '', end: from + quoted[0].length };
  const plain = /^ ([^\s`]+?)(?=[.,;)]?(?:$|[\s`]))/.exec(text.slice(from));
  if (!plain || plain[1] === '#' || plain[1]?.startsWith('--')) return undefined;
  return { text: plain[1] ?? '', end: from + plain[0].length };
}

/** A command of another program (its flags are its own): git with a subcommand, gh, package managers. */
const OTHER_PROGRAM = /(\b(?:git (?:-C \S+ )?(?:pull|push|add|commit|rebase|config|remote|fetch|merge|check-ref-format|rev-parse|update-index|worktree|diff|reset|status|init|log|checkout|switch|stash)|gh [a-z]+|pnpm|npm|npx)\b[^`;\n]*)/;

/** Bare flags in prose (`pass --cwd`, `--value, --file or --detect`) as argument names; other programs' commands untouched. */
function bareFlags(text: string): string {
  return text
    .split(OTHER_PROGRAM)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/(^|[\s(,])--(no-)?([a-z][a-z0-9-]*)\b/g, (_, before: string, no: string | undefined, name: string) => `${before}${JSON.stringify(snake(name))}${no ? ': false' : ''}`)))
    .join('');
}

function snake(flag: string): string {
  return flag.replace(/-/g, '_');
}
