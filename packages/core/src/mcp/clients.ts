import { posix, win32 } from 'node:path';
import { BlueError } from '../errors.js';

/** The MCP clients `blue mcp install` knows how to register blue-mcp with. */
export const MCP_CLIENTS = ['claude-code', 'claude-desktop', 'cursor', 'vscode'] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];

/** project: a file in the repo, shared through git; user: a file in the user's home, for every project. */
export const MCP_SCOPES = ['project', 'user'] as const;
export type McpScope = (typeof MCP_SCOPES)[number];

/** The top-level key holding the servers: VS Code uses `servers`, the others `mcpServers`. */
export type McpServersKey = 'mcpServers' | 'servers';

export function mcpServersKey(client: McpClient): McpServersKey {
  return client === 'vscode' ? 'servers' : 'mcpServers';
}

/** Claude Desktop has only a per-user file; every other client defaults to the project's. */
export function defaultMcpScope(client: McpClient): McpScope {
  return client === 'claude-desktop' ? 'user' : 'project';
}

export interface McpConfigLocationInput {
  client: McpClient;
  scope: McpScope;
  /** The repository root (or folder) a project-scope file goes in. */
  projectRoot: string;
  /** The user's home folder. */
  home: string;
  platform: NodeJS.Platform;
  /** %APPDATA% on Windows (default: <home>\AppData\Roaming). */
  appData?: string | undefined;
  /** $XDG_CONFIG_HOME on Linux (default: <home>/.config). */
  xdgConfigHome?: string | undefined;
}

/**
 * The config file a client reads for the scope (pure: paths only). Claude Code's user scope is the
 * top-level `mcpServers` of ~/.claude.json; VS Code's is the default profile's `User/mcp.json`.
 * Throws VALUE_INVALID for Claude Desktop's project scope, which does not exist.
 */
export function mcpConfigPath(input: McpConfigLocationInput): string {
  const path = input.platform === 'win32' ? win32 : posix;
  const { client, scope, projectRoot, home } = input;
  if (scope === 'project') {
    switch (client) {
      case 'claude-code':
        return path.join(projectRoot, '.mcp.json');
      case 'cursor':
        return path.join(projectRoot, '.cursor', 'mcp.json');
      case 'vscode':
        return path.join(projectRoot, '.vscode', 'mcp.json');
      case 'claude-desktop':
        throw new BlueError('VALUE_INVALID', 'Claude Desktop has no project scope: it reads one claude_desktop_config.json per user.', {
          hint: 'Run `blue mcp install --client claude-desktop` (scope user), or pick --client claude-code, cursor or vscode for a project file.',
        });
    }
  }
  switch (client) {
    case 'claude-code':
      return path.join(home, '.claude.json');
    case 'cursor':
      return path.join(home, '.cursor', 'mcp.json');
    case 'claude-desktop':
      return path.join(appConfigDir(input, path), 'Claude', 'claude_desktop_config.json');
    case 'vscode':
      return path.join(appConfigDir(input, path), 'Code', 'User', 'mcp.json');
  }
}

/** Where Electron apps keep per-user config: Application Support, %APPDATA% or ~/.config. */
function appConfigDir(input: McpConfigLocationInput, path: typeof posix): string {
  if (input.platform === 'darwin') return path.join(input.home, 'Library', 'Application Support');
  if (input.platform === 'win32') return input.appData || path.join(input.home, 'AppData', 'Roaming');
  return input.xdgConfigHome || path.join(input.home, '.config');
}
