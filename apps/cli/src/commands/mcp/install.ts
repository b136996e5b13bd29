import { Flags } from '@oclif/core';
import { MCP_CLIENTS, MCP_SCOPES, type McpClient, type McpScope } from '@blue/core';
import type { InstallMcpResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { nextSteps, okLine, style } from '../../render/style.js';

export default class McpInstall extends BaseCommand {
  static override summary = 'Register blue-mcp with an MCP client: Claude Code, Claude Desktop, Cursor or VS Code.';

  static override description = `Merges a "blue" server into the client's config file, keeping every other server and key: Claude Code .mcp.json (user scope: ~/.claude.json), Claude Desktop claude_desktop_config.json (user scope only), Cursor .cursor/mcp.json (user scope: ~/.cursor/mcp.json), VS Code .vscode/mcp.json (user scope: the default profile's User/mcp.json). Project files go in the repository root. Running it again changes nothing.

The server is started as the blue-mcp beside this blue (its absolute path, or the bare name "blue-mcp" in a project file when that folder is on PATH), else as the absolute path of node with @blue/mcp-server's script. --print shows the snippet and writes nothing.`;

  static override examples = [
    { description: 'Claude Code, for everyone working in this repo (.mcp.json)', command: '<%= config.bin %> <%= command.id %> --client claude-code' },
    { description: 'Claude Desktop (absolute command path)', command: '<%= config.bin %> <%= command.id %> --client claude-desktop' },
    { description: 'Cursor, for all your projects', command: '<%= config.bin %> <%= command.id %> --client cursor --scope user' },
    { description: 'Show the VS Code snippet without writing it', command: '<%= config.bin %> <%= command.id %> --client vscode --print' },
  ];

  static override flags = {
    client: Flags.string({ char: 'c', description: 'The MCP client to register blue-mcp with.', options: [...MCP_CLIENTS], required: true }),
    scope: Flags.string({ char: 's', description: 'project: a file in this repo; user: your own config for every project (default: user for claude-desktop, project otherwise).', options: [...MCP_SCOPES] }),
    print: Flags.boolean({ description: 'Print the config snippet; read and write nothing.' }),
  };

  async run(): Promise<InstallMcpResult> {
    const { flags } = await this.parse(McpInstall);
    const { installMcp } = await import('@blue/realm');
    const result = await installMcp(await this.context(flags.cwd), {
      client: flags.client as McpClient,
      scope: flags.scope as McpScope | undefined,
      print: flags.print,
      installation: { invokedAs: process.argv[1] ?? '', cliRoot: this.config.root, execPath: process.execPath },
    });
    if (flags.print && !this.jsonEnabled()) {
      // The snippet alone on stdout, so it can be piped into a file; where it goes on stderr.
      process.stdout.write(`${JSON.stringify(result.snippet, null, 2)}\n`);
      process.stderr.write(`# ${result.client} (${result.scope} scope) reads ${result.file}\n`);
      return result;
    }
    this.print(renderInstall(result));
    return result;
  }
}

const VERB = { created: 'Created', added: 'Added blue to', updated: 'Updated blue in', unchanged: 'Already registered in', printed: 'Would write' } as const;

function renderInstall(r: InstallMcpResult): string[] {
  const command = [r.launcher.command, ...r.launcher.args].join(' ');
  return [okLine(`${VERB[r.status]} ${r.file} ${style.dim(`(${r.client}, ${r.scope} scope)`)}`), `  Starts: ${command}`, ...nextSteps(r.next_steps)];
}
