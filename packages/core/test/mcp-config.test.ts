import { describe, expect, it } from 'vitest';
import { mcpConfigPath, mcpConfigSnippet, planMcpConfig, type McpClient, type McpLauncher } from '@blue/core';
import { verifies } from '@blue/testkit';

const launcher: McpLauncher = { command: '/opt/node/bin/node', args: ['/opt/blue/mcp-server/bin/blue-mcp.js'] };
const stdio = { command: launcher.command, args: launcher.args };

function merge(client: McpClient, existing: string | undefined) {
  return planMcpConfig({ client, launcher, existing, label: 'cfg.json' });
}

describe('MCP client config merge', () => {
  verifies('mcp-install-clients', 'each client gets its own shape: mcpServers, or servers with type stdio for VS Code', () => {
    expect(mcpConfigSnippet('claude-code', launcher)).toEqual({ mcpServers: { blue: stdio } });
    expect(mcpConfigSnippet('claude-desktop', launcher)).toEqual({ mcpServers: { blue: stdio } });
    expect(mcpConfigSnippet('cursor', launcher)).toEqual({ mcpServers: { blue: stdio } });
    expect(mcpConfigSnippet('vscode', launcher)).toEqual({ servers: { blue: { type: 'stdio', ...stdio } } });
    const created = merge('vscode', undefined);
    expect(created.change).toBe('created');
    expect(JSON.parse(created.text)).toEqual({ servers: { blue: { type: 'stdio', ...stdio } } });
    expect(created.text.endsWith('}\n')).toBe(true);
  });

  verifies('mcp-install-merge', 'keeps other servers, other keys and their order, and the file indentation', () => {
    const existing = `{\n\t"numStartups": 3,\n\t"mcpServers": {\n\t\t"github": { "command": "gh-mcp", "env": { "X": "1" } }\n\t},\n\t"projects": {}\n}\n`;
    const plan = merge('claude-code', existing);
    expect(plan.change).toBe('added');
    const parsed = JSON.parse(plan.text) as Record<string, unknown>;
    expect(parsed).toEqual({ numStartups: 3, mcpServers: { github: { command: 'gh-mcp', env: { X: '1' } }, blue: stdio }, projects: {} });
    expect(Object.keys(parsed)).toEqual(['numStartups', 'mcpServers', 'projects']);
    expect(plan.text).toContain('\n\t"mcpServers": {\n\t\t"github"');
  });

  verifies('mcp-install-merge', 'a second merge is unchanged and returns the text as it was; an old entry is updated keeping env', () => {
    const first = merge('cursor', '{}');
    expect(first.change).toBe('added');
    const second = merge('cursor', first.text);
    expect(second).toMatchObject({ change: 'unchanged', text: first.text });
    const old = JSON.stringify({ mcpServers: { blue: { command: 'blue-mcp', args: ['--old'], env: { BLUE_HOME: '/x' } } } });
    const updated = merge('cursor', old);
    expect(updated.change).toBe('updated');
    expect(JSON.parse(updated.text)).toEqual({ mcpServers: { blue: { ...stdio, env: { BLUE_HOME: '/x' } } } });
    // An entry of another transport is replaced, not mixed with ours.
    const http = merge('vscode', JSON.stringify({ servers: { blue: { type: 'http', url: 'https://x' } }, inputs: [] }));
    expect(JSON.parse(http.text)).toEqual({ servers: { blue: { type: 'stdio', ...stdio } }, inputs: [] });
  });

  verifies('mcp-install-merge', 'an empty file is created anew; malformed files are CONFIG_INVALID naming the file', () => {
    expect(merge('claude-code', ' \n').change).toBe('created');
    expect(merge('claude-code', '\uFEFF{}').change).toBe('added');
    const cases: Array<[string, RegExp]> = [
      ['{ "mcpServers": ', /^cfg\.json: not valid JSON/],
      ['// mine\n{ "servers": {} }', /comments are not JSON/],
      ['[1, 2]', /^cfg\.json: holds an array, expected a JSON object/],
      ['{ "mcpServers": [] }', /"mcpServers" is an array, expected an object of servers/],
      ['{ "mcpServers": null }', /"mcpServers" is null/],
    ];
    for (const [text, message] of cases) {
      expect(() => merge('claude-code', text), text).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', file: 'cfg.json', message: expect.stringMatching(message) }));
    }
  });
});

describe('MCP client config paths', () => {
  const base = { projectRoot: '/src/app', home: '/home/ann', platform: 'linux' as const };

  verifies('mcp-install-clients', 'project files sit in the repository root', () => {
    expect(mcpConfigPath({ ...base, client: 'claude-code', scope: 'project' })).toBe('/src/app/.mcp.json');
    expect(mcpConfigPath({ ...base, client: 'cursor', scope: 'project' })).toBe('/src/app/.cursor/mcp.json');
    expect(mcpConfigPath({ ...base, client: 'vscode', scope: 'project' })).toBe('/src/app/.vscode/mcp.json');
    expect(() => mcpConfigPath({ ...base, client: 'claude-desktop', scope: 'project' })).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }));
  });

  it('user files follow each client and platform', () => {
    expect(mcpConfigPath({ ...base, client: 'claude-code', scope: 'user' })).toBe('/home/ann/.claude.json');
    expect(mcpConfigPath({ ...base, client: 'cursor', scope: 'user' })).toBe('/home/ann/.cursor/mcp.json');
    expect(mcpConfigPath({ ...base, client: 'claude-desktop', scope: 'user' })).toBe('/home/ann/.config/Claude/claude_desktop_config.json');
    expect(mcpConfigPath({ ...base, client: 'claude-desktop', scope: 'user', xdgConfigHome: '/cfg' })).toBe('/cfg/Claude/claude_desktop_config.json');
    expect(mcpConfigPath({ ...base, client: 'vscode', scope: 'user' })).toBe('/home/ann/.config/Code/User/mcp.json');
    const mac = { ...base, home: '/Users/ann', platform: 'darwin' as const };
    expect(mcpConfigPath({ ...mac, client: 'claude-desktop', scope: 'user' })).toBe('/Users/ann/Library/Application Support/Claude/claude_desktop_config.json');
    expect(mcpConfigPath({ ...mac, client: 'vscode', scope: 'user' })).toBe('/Users/ann/Library/Application Support/Code/User/mcp.json');
    const win = { projectRoot: 'C:\\src\\app', home: 'C:\\Users\\ann', platform: 'win32' as const };
    expect(mcpConfigPath({ ...win, client: 'claude-desktop', scope: 'user', appData: 'D:\\Roaming' })).toBe('D:\\Roaming\\Claude\\claude_desktop_config.json');
    expect(mcpConfigPath({ ...win, client: 'claude-desktop', scope: 'user' })).toBe('C:\\Users\\ann\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
    expect(mcpConfigPath({ ...win, client: 'claude-code', scope: 'user' })).toBe('C:\\Users\\ann\\.claude.json');
    expect(mcpConfigPath({ ...win, client: 'cursor', scope: 'project' })).toBe('C:\\src\\app\\.cursor\\mcp.json');
  });
});
