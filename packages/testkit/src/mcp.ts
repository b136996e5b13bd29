import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { onTestFinished } from 'vitest';
import type { Sandbox } from './temp.js';
import { BLUE_MCP_BIN } from './workspace.js';

/** The protocol revisions tests drive blue-mcp with: the last of the 2025 era and 2026-07-28. */
export const MCP_PROTOCOLS = ['2025-11-25', '2026-07-28'] as const;
export type McpProtocol = (typeof MCP_PROTOCOLS)[number] | '2025-06-18';

export interface McpSession {
  client: Client;
  transport: StdioClientTransport;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  /** The server's pid (for kill tests). */
  pid: number | null;
  close(): Promise<void>;
}

/**
 * Spawns the built `blue-mcp` over stdio and connects an SDK client speaking `protocol` (default
 * 2025-11-25: the initialize handshake; 2026-07-28: server/discover, pinned); closed when the test ends.
 */
export async function spawnMcp(box: Sandbox, options: { cwd?: string; env?: Record<string, string>; protocol?: McpProtocol } = {}): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BLUE_MCP_BIN],
    cwd: options.cwd ?? box.root,
    env: { ...box.env, ...options.env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const client = mcpClient(options.protocol ?? '2025-11-25');
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

/** An SDK client that speaks exactly one protocol revision. */
export function mcpClient(protocol: McpProtocol): Client {
  const info = { name: 'blue-testkit', version: '0.0.0' };
  if (protocol === '2026-07-28') return new Client(info, { versionNegotiation: { mode: { pin: protocol } } });
  return new Client(info, { supportedProtocolVersions: [protocol] });
}
