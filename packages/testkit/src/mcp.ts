import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { onTestFinished } from 'vitest';
import type { Sandbox } from './temp.js';
import { BLUE_MCP_BIN } from './workspace.js';

export interface McpSession {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  /** The server's pid (for kill tests). */
  pid: number | null;
  close(): Promise<void>;
}

/** Spawns the built `blue-mcp` over stdio and connects an SDK client; closed when the test ends. */
export async function spawnMcp(box: Sandbox, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BLUE_MCP_BIN],
    cwd: options.cwd ?? box.root,
    env: { ...box.env, ...options.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = new Client({ name: 'blue-testkit', version: '0.0.0' });
  await client.connect(transport);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await client.close();
  };
  onTestFinished(close);
  return { client, transport, stderr: () => stderr, pid: transport.pid, close };
}
