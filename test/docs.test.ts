import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect } from 'vitest';
import { verifies, WORKSPACE_ROOT } from '@blue/testkit';

/**
 * Keeps the user documentation honest where that is cheap: every `blue …` command line names a
 * real command with real flags (read from the built command classes, so a stale oclif manifest
 * cannot hide or invent one), every relative link resolves, and every error code of @blue/core is
 * documented in docs/troubleshooting.md with its exit code.
 */

interface FlagInfo {
  allowNo: boolean;
  options: readonly string[] | undefined;
}

interface CommandInfo {
  flags: Map<string, FlagInfo>;
  chars: Set<string>;
  hasArgs: boolean;
}

/** Flags oclif gives every command and the root. */
const OCLIF_FLAGS = ['help', 'version'];

interface CommandClass {
  flags?: Record<string, { char?: string; allowNo?: boolean; options?: readonly string[] }>;
  baseFlags?: Record<string, { char?: string; allowNo?: boolean; options?: readonly string[] }>;
  args?: Record<string, unknown>;
  enableJsonFlag?: boolean;
}

/** Every command of the built CLI, by id ("realm sync"), from its class in apps/cli/dist/commands. */
async function cliCommands(): Promise<Map<string, CommandInfo>> {
  const root = join(WORKSPACE_ROOT, 'apps/cli/dist/commands');
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.js'));
  const commands = new Map<string, CommandInfo>();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(root, file)).href)) as { default: CommandClass };
    const cls = module.default;
    const all = { ...cls.baseFlags, ...cls.flags };
    const flags = new Map<string, FlagInfo>(Object.entries(all).map(([name, f]) => [name, { allowNo: f.allowNo === true, options: f.options }]));
    if (cls.enableJsonFlag) flags.set('json', { allowNo: false, options: undefined });
    for (const name of OCLIF_FLAGS) flags.set(name, { allowNo: false, options: undefined });
    const chars = new Set(Object.values(all).flatMap((f) => (f.char === undefined ? [] : [f.char])));
    commands.set(file.replace(/\.js$/, '').split(sep).join(' '), { flags, chars, hasArgs: Object.keys(cls.args ?? {}).length > 0 });
  }
  for (const [id, info] of await pluginCommands()) commands.set(id, info);
  return commands;
}

interface PluginManifest {
  commands: Record<string, { flags: Record<string, { char?: string; allowNo?: boolean; options?: readonly string[] }>; args?: Record<string, unknown> }>;
}

/** The commands the CLI's oclif plugins add (`blue help`, `blue autocomplete`), from the manifests they ship. */
async function pluginCommands(): Promise<Map<string, CommandInfo>> {
  const cli = join(WORKSPACE_ROOT, 'apps/cli');
  const { oclif } = JSON.parse(await readFile(join(cli, 'package.json'), 'utf8')) as { oclif: { plugins: string[] } };
  const commands = new Map<string, CommandInfo>();
  for (const plugin of oclif.plugins) {
    const manifest = JSON.parse(await readFile(join(cli, 'node_modules', plugin, 'oclif.manifest.json'), 'utf8')) as PluginManifest;
    for (const [id, command] of Object.entries(manifest.commands)) {
      const flags = new Map<string, FlagInfo>(Object.entries(command.flags).map(([name, f]) => [name, { allowNo: f.allowNo === true, options: f.options }]));
      for (const name of OCLIF_FLAGS) flags.set(name, { allowNo: false, options: undefined });
      const chars = new Set(Object.values(command.flags).flatMap((f) => (f.char === undefined ? [] : [f.char])));
      commands.set(id.split(':').join(' '), { flags, chars, hasArgs: Object.keys(command.args ?? {}).length > 0 });
    }
  }
  return commands;
}

/** The Markdown files users read: the root README, docs/, and each package's README. */
async function docFiles(): Promise<string[]> {
  const docs = (await readdir(join(WORKSPACE_ROOT, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  const packages: string[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of await readdir(join(WORKSPACE_ROOT, group))) {
      if (existsSync(join(WORKSPACE_ROOT, group, name, 'README.md'))) packages.push(`${group}/${name}/README.md`);
    }
  }
  return ['README.md', ...docs, ...packages];
}

const FENCE = /^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm;

/** Command lines starting with `blue `: in code blocks (after a prompt, or as output) and in inline code. */
function blueCommandLines(markdown: string): string[] {
  const found: string[] = [];
  // Shell operators end a command; `<placeholders>` and Markdown tables' escaped `\|` do not.
  const segments = (line: string): string[] => line.replace(/<[^<>]*>/g, 'PLACEHOLDER').replace(/\\\|/g, '¦').split(/&&|\|\||;|\||>/).map((s) => s.trim().replace(/¦/g, '|'));
  for (const block of markdown.match(FENCE) ?? []) {
    for (const raw of block.split('\n').slice(1, -1)) {
      const line = raw.replace(/^\S*\$ /, '').replace(/\s+#.*$/, '').trim();
      for (const segment of segments(line)) if (/^blue(\s|$)/.test(segment)) found.push(segment);
    }
  }
  const prose = markdown.replace(FENCE, '');
  for (const match of prose.matchAll(/`(blue(?:\s[^`]*)?)`/g)) {
    for (const segment of segments((match[1] ?? '').replace(/\s+#.*$/, ''))) if (/^blue(\s|$)/.test(segment)) found.push(segment);
  }
  return found;
}

/** What is wrong with one `blue …` line, if anything. */
function commandProblem(line: string, commands: ReadonlyMap<string, CommandInfo>): string | undefined {
  const tokens = line.replace(/'[^']*'|"[^"]*"/g, 'QUOTED').split(/\s+/).slice(1);
  const words: string[] = [];
  while (words.length < tokens.length && /^[a-z][a-z0-9-]*$/.test(tokens[words.length] ?? '')) words.push(tokens[words.length] ?? '');
  let id = '';
  for (let n = words.length; n > 0; n--) {
    const candidate = words.slice(0, n).join(' ');
    if (commands.has(candidate)) {
      id = candidate;
      break;
    }
  }
  const command = id === '' ? undefined : commands.get(id);
  const extraWords = words.length - (id === '' ? 0 : id.split(' ').length);
  if (command === undefined && words.length > 0) {
    const topic = [...commands.keys()].some((k) => k.startsWith(`${words.join(' ')} `));
    if (!topic) return `names no command: blue ${words.join(' ')}`;
  }
  if (command !== undefined && extraWords > 0 && !command.hasArgs) return `"blue ${id}" takes no argument, got "${words.slice(-extraWords).join(' ')}"`;
  const allowed = command?.flags ?? new Map(OCLIF_FLAGS.map((f) => [f, { allowNo: false, options: undefined }]));
  for (const [i, token] of tokens.entries()) {
    const long = /^[[(]*--(\[no-\])?([a-z][a-z0-9-]*)(?:=(\S+))?/.exec(token);
    if (long !== null) {
      const name = long[2] ?? '';
      const negated = long[1] !== undefined || (!allowed.has(name) && name.startsWith('no-'));
      const flag = allowed.get(negated && !allowed.has(name) ? name.slice(3) : name);
      if (flag === undefined) return `"blue ${id}" has no flag --${name}`;
      if (negated && !flag.allowNo && !allowed.has(name)) return `"blue ${id}" has no flag --no-${name.replace(/^no-/, '')}`;
      const value = long[3] ?? tokens[i + 1];
      if (flag.options !== undefined && value !== undefined) {
        for (const option of value.replace(/[[\]()]/g, '').split('|')) {
          if (/^[a-z][a-z0-9-]*$/.test(option) && !flag.options.includes(option)) return `"blue ${id} --${name}" does not accept "${option}" (only ${flag.options.join(', ')})`;
        }
      }
      continue;
    }
    const short = /^[[(]*-([a-zA-Z])$/.exec(token);
    if (short !== null && !(command?.chars.has(short[1] ?? '') ?? false)) return `"blue ${id}" has no flag -${short[1]}`;
  }
  return undefined;
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const prose = markdown.replace(FENCE, '');
  return new Set([...prose.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] ?? '')));
}

/** Relative links of a Markdown file that do not resolve (file, or heading anchor in a .md file). */
async function brokenLinks(file: string, markdown: string): Promise<string[]> {
  const prose = markdown.replace(FENCE, '').replace(/`[^`\n]*`/g, '');
  const broken: string[] = [];
  for (const match of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1] ?? '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [path = '', anchor] = target.split('#');
    const full = path === '' ? join(WORKSPACE_ROOT, file) : join(WORKSPACE_ROOT, dirname(file), path);
    if (relative(WORKSPACE_ROOT, full).startsWith('..')) {
      broken.push(`${file}: ${target} leaves the repository`);
    } else if (!existsSync(full)) {
      broken.push(`${file}: ${target} does not exist`);
    } else if (anchor !== undefined && full.endsWith('.md') && !anchors(await readFile(full, 'utf8')).has(anchor)) {
      broken.push(`${file}: ${target} names no heading of ${relative(WORKSPACE_ROOT, full)}`);
    }
  }
  return broken;
}

describe('docs', () => {
  verifies('docs-honest', 'every blue command line in the docs names a real command and real flags', async () => {
    const commands = await cliCommands();
    expect(commands.has('realm sync')).toBe(true);
    const problems: string[] = [];
    let checked = 0;
    for (const file of await docFiles()) {
      for (const line of blueCommandLines(await readFile(join(WORKSPACE_ROOT, file), 'utf8'))) {
        checked += 1;
        const problem = commandProblem(line, commands);
        if (problem !== undefined) problems.push(`${file}: ${line}\n    ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  verifies('docs-honest', 'the command check catches unknown commands, flags and values', async () => {
    const commands = await cliCommands();
    const check = (line: string): string | undefined => commandProblem(line, commands);
    expect(check('blue realm sync --dry-run --no-notify --json')).toBeUndefined();
    expect(check('blue realm pr [--title T] [--body B] [--[no-]draft]')).toBeUndefined();
    expect(check('blue realm graph [--format text|mermaid|dot]')).toBeUndefined();
    expect(check('blue realm graph [--format text|svg]')).toMatch(/does not accept "svg"/);
    expect(check('blue realm commit -m "feat: x" --no-link')).toBeUndefined();
    expect(check('blue realm join ../realm-letemcook --as aperture')).toBeUndefined();
    expect(check('blue --version')).toBeUndefined();
    expect(check('blue autocomplete bash')).toBeUndefined();
    expect(check('blue autocomplete --refresh-cache')).toBeUndefined();
    expect(check('blue autocomplete --shell')).toMatch(/no flag --shell/);
    expect(check('blue realm synk')).toMatch(/names no command/);
    expect(check('blue realm sync --dryrun')).toMatch(/no flag --dryrun/);
    expect(check('blue realm sync --no-dry-run')).toMatch(/no flag --no-dry-run/);
    expect(check('blue realm graph --format svg')).toMatch(/does not accept "svg"/);
    expect(check('blue realm sync -m x')).toMatch(/no flag -m/);
    expect(check('blue status now')).toMatch(/takes no argument/);
    expect(check('blue mcp install --client vscode --scope user --print')).toBeUndefined();
    expect(check('blue mcp install --client emacs')).toMatch(/does not accept "emacs"/);
    expect(blueCommandLines('```console\n~/a$ blue status && blue realm sync  # go\n  blue realm pr > out\n```\nThen `blue realm check --strict`, `blue realm join <realm path> --as x`, `blue realm graph [--format text\\|dot]`.')).toEqual([
      'blue status', 'blue realm sync', 'blue realm pr', 'blue realm check --strict', 'blue realm join PLACEHOLDER --as x', 'blue realm graph [--format text|dot]',
    ]);
  });

  verifies('docs-honest', 'every relative link in the docs resolves', async () => {
    const problems: string[] = [];
    for (const file of await docFiles()) problems.push(...(await brokenLinks(file, await readFile(join(WORKSPACE_ROOT, file), 'utf8'))));
    expect(problems).toEqual([]);
    expect(await brokenLinks('docs/x.md', '[a](missing.md) [b](realm.md#no-such-heading) [c](realm.md#create-one) [d](../../x.md)')).toEqual([
      'docs/x.md: missing.md does not exist',
      'docs/x.md: realm.md#no-such-heading names no heading of docs/realm.md',
      'docs/x.md: ../../x.md leaves the repository',
    ]);
  });

  verifies('docs-honest', 'every error code is in docs/troubleshooting.md with its exit code', async () => {
    const core = (await import(pathToFileURL(join(WORKSPACE_ROOT, 'packages/core/dist/index.js')).href)) as { ERROR_CODES: Record<string, { kind: string }> };
    const cli = (await import(pathToFileURL(join(WORKSPACE_ROOT, 'apps/cli/dist/exit-codes.js')).href)) as { EXIT: Record<string, number> };
    const text = await readFile(join(WORKSPACE_ROOT, 'docs/troubleshooting.md'), 'utf8');
    const sections = new Map([...text.matchAll(/^### `([A-Z_]+)`\n([\s\S]*?)(?=^#{1,3} |(?![\s\S]))/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const problems: string[] = [];
    for (const [code, { kind }] of Object.entries(core.ERROR_CODES)) {
      const section = sections.get(code);
      const exit = cli.EXIT[kind];
      if (section === undefined) problems.push(`${code}: no "### \`${code}\`" section`);
      else if (!section.includes(`**Exit ${exit}.**`)) problems.push(`${code}: the section does not say **Exit ${exit}.** (kind ${kind})`);
    }
    for (const code of sections.keys()) if (!(code in core.ERROR_CODES)) problems.push(`${code}: documented but not an error code of @blue/core`);
    for (const exit of Object.values(cli.EXIT)) if (!text.includes(`\n| ${exit} |`)) problems.push(`exit ${exit}: missing from the exit code table`);
    expect(problems).toEqual([]);
  });
});
