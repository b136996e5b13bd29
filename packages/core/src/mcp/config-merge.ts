import { BlueError } from '../errors.js';
import { jsonEqual } from '../diff/value-diff.js';
import type { JsonValue } from '../types.js';
import { mcpServersKey, type McpClient } from './clients.js';

/** The server name Blue registers under. */
export const MCP_SERVER_NAME = 'blue';

/** How a client starts blue-mcp. */
export interface McpLauncher {
  command: string;
  args: string[];
}

export type McpServerEntry = { [key: string]: JsonValue };

/** What a merge did to the file: a new file, a new entry in it, a changed entry, or nothing. */
export type McpConfigChange = 'created' | 'added' | 'updated' | 'unchanged';

export interface McpConfigPlan {
  change: McpConfigChange;
  /** The whole file after the merge (the original text when unchanged). */
  text: string;
  /** Blue's entry as it is in the file after the merge. */
  entry: McpServerEntry;
}

/** Blue's entry for a client: VS Code wants `type: "stdio"`; the others infer stdio from `command`. */
export function mcpServerEntry(client: McpClient, launcher: McpLauncher): McpServerEntry {
  const entry: McpServerEntry = client === 'vscode' ? { type: 'stdio' } : {};
  entry.command = launcher.command;
  entry.args = [...launcher.args];
  return entry;
}

/** The smallest config file that registers blue-mcp with the client. */
export function mcpConfigSnippet(client: McpClient, launcher: McpLauncher): { [key: string]: JsonValue } {
  return { [mcpServersKey(client)]: { [MCP_SERVER_NAME]: mcpServerEntry(client, launcher) } };
}

export interface McpConfigMergeInput {
  client: McpClient;
  launcher: McpLauncher;
  /** The file's current text; undefined when it does not exist. */
  existing: string | undefined;
  /** The file's name in messages. */
  label: string;
}

/**
 * Merges Blue's entry into a client config file's text (pure). Every other server and every other
 * key stays as it was, keys Blue does not set in its own entry (env, disabled...) are kept, and
 * the file's indentation is reused. Throws CONFIG_INVALID when the file is not a JSON object.
 */
export function planMcpConfig(input: McpConfigMergeInput): McpConfigPlan {
  const key = mcpServersKey(input.client);
  const wanted = mcpServerEntry(input.client, input.launcher);
  const source = input.existing?.replace(/^\uFEFF/, '');
  if (source === undefined || source.trim() === '') {
    return { change: 'created', text: render({ [key]: { [MCP_SERVER_NAME]: wanted } }, '  '), entry: wanted };
  }
  const config = parseConfig(source, input.label);
  const servers = config[key] === undefined ? {} : config[key];
  if (!isObject(servers)) {
    throw invalid(input.label, `"${key}" is ${describe(servers)}, expected an object of servers`);
  }
  const current = servers[MCP_SERVER_NAME];
  // Keep what the user added to our entry (env, disabled...), unless it was another transport.
  const keep = isObject(current) && (current.type === undefined || current.type === 'stdio');
  const entry = keep ? { ...current, ...wanted } : wanted;
  if (current !== undefined && jsonEqual(current, entry)) return { change: 'unchanged', text: input.existing ?? '', entry };
  const merged = { ...config, [key]: { ...servers, [MCP_SERVER_NAME]: entry } };
  return { change: current === undefined ? 'added' : 'updated', text: render(merged, indentOf(source)), entry };
}

function parseConfig(text: string, label: string): { [key: string]: JsonValue } {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (err) {
    const comments = /^\s*\/\/|\/\*/m.test(text) ? ' (comments are not JSON; Blue does not rewrite files with comments)' : '';
    throw invalid(label, `not valid JSON: ${(err as Error).message}${comments}`);
  }
  if (!isObject(value)) throw invalid(label, `holds ${describe(value)}, expected a JSON object`);
  return value;
}

function invalid(label: string, problem: string): BlueError {
  return new BlueError('CONFIG_INVALID', `${label}: ${problem}.`, {
    file: label,
    hint: `Fix ${label} by hand or move it away, then run the command again; add --print to see the entry to paste instead.`,
  });
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: JsonValue): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** The indentation of the first indented line (tabs or spaces); two spaces for a one-line file. */
function indentOf(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
}

function render(value: JsonValue, indent: string): string {
  return `${JSON.stringify(value, null, indent)}\n`;
}
