import { readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import {
  BlueError,
  defaultMcpScope,
  hasErrno,
  MCP_SERVER_NAME,
  mcpConfigPath,
  mcpConfigSnippet,
  mcpServerEntry,
  planMcpConfig,
  writeFileAtomic,
  type JsonValue,
  type McpClient,
  type McpConfigChange,
  type McpLauncher,
  type McpScope,
  type McpServerEntry,
} from '@blue/core';
import { findRepoRoot } from '@blue/git';
import type { BlueContext } from '../context.js';
import { locateBlueMcp, type BlueInstallation } from './locate-blue-mcp.js';

export interface InstallMcpInput {
  client: McpClient;
  /** Default: user for claude-desktop, project for the others. */
  scope?: McpScope | undefined;
  /** Compute the entry and where it goes, read and write nothing. */
  print?: boolean | undefined;
  /** Where the running blue is, to find its blue-mcp. */
  installation: BlueInstallation;
  /** Default: this process's platform (decides user-scope paths). */
  platform?: NodeJS.Platform | undefined;
}

export interface InstallMcpResult {
  client: McpClient;
  scope: McpScope;
  /** The config file (absolute). */
  file: string;
  /** The server name in the file. */
  server: string;
  /** created / added / updated / unchanged; `printed` with --print (nothing read or written). */
  status: McpConfigChange | 'printed';
  written: boolean;
  /** How the client will start blue-mcp. */
  launcher: McpLauncher;
  /** Blue's entry as it is (or would be) in the file. */
  entry: McpServerEntry;
  /** The smallest config that registers blue-mcp with this client. */
  snippet: { [key: string]: JsonValue };
  next_steps: string[];
}

/**
 * Registers blue-mcp with an MCP client: merges Blue's entry into the client's config file for the
 * scope without touching other servers or keys, atomically; a second run writes nothing.
 */
export async function installMcp(ctx: BlueContext, input: InstallMcpInput): Promise<InstallMcpResult> {
  const platform = input.platform ?? process.platform;
  const scope = input.scope ?? defaultMcpScope(input.client);
  const home = ctx.env.HOME || ctx.env.USERPROFILE || homedir();
  const projectRoot = scope === 'project' ? ((await findRepoRoot(ctx.cwd, ctx.git.options)) ?? ctx.cwd) : ctx.cwd;
  const file = mcpConfigPath({ client: input.client, scope, projectRoot, home, platform, appData: ctx.env.APPDATA, xdgConfigHome: ctx.env.XDG_CONFIG_HOME });
  const located = await locateBlueMcp(input.installation, ctx.env, platform);
  // A project file is shared through git: the bare name works for everyone who installed blue.
  // User files and Claude Desktop (started without the shell's PATH) get the absolute path.
  const launcher = scope === 'project' && located.onPath ? { command: 'blue-mcp', args: [] } : located.launcher;
  const snippet = mcpConfigSnippet(input.client, launcher);
  const base = { client: input.client, scope, file, server: MCP_SERVER_NAME, launcher, snippet };
  if (input.print) {
    return { ...base, status: 'printed', written: false, entry: mcpServerEntry(input.client, launcher), next_steps: [`blue mcp install --client ${input.client} --scope ${scope}  # write it to ${file}`] };
  }
  const existing = await readIfExists(file);
  const plan = planMcpConfig({ client: input.client, launcher, existing: existing?.text, label: file });
  // Through a symlink (dotfiles) to the file it points at; an existing file keeps its mode (~/.claude.json is private).
  if (plan.change !== 'unchanged') await writeFileAtomic(existing?.realPath ?? file, plan.text, { mode: existing?.mode });
  return { ...base, status: plan.change, written: plan.change !== 'unchanged', entry: plan.entry, next_steps: nextSteps(input.client) };
}

async function readIfExists(file: string): Promise<{ text: string; realPath: string; mode: number } | undefined> {
  try {
    const realPath = await realpath(file);
    const [text, info] = await Promise.all([readFile(realPath, 'utf8'), stat(realPath)]);
    return { text, realPath, mode: info.mode & 0o7777 };
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    if (hasErrno(err, 'EISDIR')) throw new BlueError('NOT_A_DIRECTORY', `${file} is a folder, expected a JSON config file.`, { hint: `Move ${file} away, then run the command again.` });
    throw err;
  }
}

function nextSteps(client: McpClient): string[] {
  const reload = {
    'claude-code': 'Restart Claude Code in this folder, then check with `claude mcp list` (or /mcp); approve the project server when asked.',
    'claude-desktop': 'Quit and reopen Claude Desktop to load the server.',
    cursor: 'Reload Cursor; enable "blue" under Settings > MCP.',
    vscode: 'In VS Code run "MCP: List Servers" and start "blue".',
  } satisfies Record<McpClient, string>;
  return [reload[client], 'Ask the agent to call blue_status in a realm domain repo.'];
}
