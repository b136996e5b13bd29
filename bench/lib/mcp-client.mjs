// A `blue-mcp` spawned with the MCP SDK's stdio client (as an agent's host runs it), for the
// benchmarks that time tool calls through a warm server.
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { BLUE_MCP_BIN } from './paths.mjs';

/**
 * Starts the built server in `cwd` and connects; returns {callStatus(): ms, connectedMs, stderr(), close()}.
 * callStatus times one `blue_status` call from callTool() to its result and checks it answered for
 * `domain`. The server is killed by close() and by the workspace's cleanup.
 */
export async function startMcp(ws, cwd, domain) {
  // The SDK is a dependency of the workspace root (and of apps/mcp-server, packages/testkit).
  const { Client } = await import('@modelcontextprotocol/client');
  const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
  const started = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [BLUE_MCP_BIN], cwd, env: ws.env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'blue-bench', version: '0.0.0' });
  const close = async () => {
    const pid = transport.pid;
    await client.close().catch(() => undefined);
    if (pid !== null && pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  ws.onCleanup(close);
  await client.connect(transport);
  const connectedMs = performance.now() - started;
  const callStatus = async () => {
    const t = performance.now();
    const result = await client.callTool({ name: 'blue_status', arguments: {} });
    const ms = performance.now() - t;
    if (result.isError) throw new Error(`blue_status failed: ${JSON.stringify(result.content).slice(0, 300)}`);
    if (result.structuredContent?.domain !== domain) throw new Error(`blue_status answered for ${result.structuredContent?.domain}, not ${domain}`);
    return ms;
  };
  return { callStatus, connectedMs, stderr: () => stderr, close };
}
