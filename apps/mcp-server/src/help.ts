import { isAbsolute, resolve } from 'node:path';
import { mcpConfigSnippet, type McpLauncher } from '@blue/core';

/** How a client would start this very blue-mcp: a bin link as is, a .js script through this node. */
export function selfLauncher(script: string, execPath: string): McpLauncher {
  const path = isAbsolute(script) ? script : resolve(script);
  return /\.[cm]?js$/.test(path) ? { command: execPath, args: [path] } : { command: path, args: [] };
}

/** `blue-mcp --help`: what it is, and how to register it with each client. */
export function helpText(launcher: McpLauncher): string {
  const command = [launcher.command, ...launcher.args].map((part) => (/[\s"'$]/.test(part) ? JSON.stringify(part) : part)).join(' ');
  const snippet = JSON.stringify(mcpConfigSnippet('claude-desktop', launcher), null, 2);
  return `blue-mcp: the Blue realms MCP server (stdio) for coding agents.

Usage: blue-mcp [--help] [--version]

Your agent starts it; it speaks the Model Context Protocol on stdin/stdout and acts on the repo in
its working folder (each tool also takes a "cwd"). Register it with the blue CLI, which merges a
"blue" server into the client's config, keeps every other server, and changes nothing when run
again (add --print to see the snippet without writing it):

  blue mcp install --client claude-code     # .mcp.json in this repo (--scope user: ~/.claude.json)
  blue mcp install --client claude-desktop  # claude_desktop_config.json, absolute command path
  blue mcp install --client cursor          # .cursor/mcp.json (--scope user: ~/.cursor/mcp.json)
  blue mcp install --client vscode          # .vscode/mcp.json (--scope user: your profile's mcp.json)

With Claude Code's own CLI:
  claude mcp add blue -- ${command}

Or by hand, in the client's config (VS Code: top-level "servers", and "type": "stdio"):
${snippet}

Environment: BLUE_HOME, BLUE_RUNTIME_DIR, BLUE_GITHUB_API_URL, GH_TOKEN / GITHUB_TOKEN.
It exits when stdin closes or on SIGTERM / SIGINT.
`;
}
