// `blue_status` tool calls through a warm `blue-mcp`: the built server spawned in aperture of the
// letemcook fixture with the MCP SDK's stdio client (as an agent's host runs it), warmed up,
// then each call timed from callTool() to its result.
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { letemcook } from './fixtures/letemcook.mjs';
import { BLUE_MCP_BIN } from './lib/paths.mjs';
import { fmtMs } from './lib/stats.mjs';

export const figures = [
  {
    id: 'mcp-status',
    figure: () => '`blue_status` tool call through a warm `blue-mcp` (SDK client), p50 / p99',
    baseline: '—',
    budget: { kind: 'latency', p50: 15, p99: 60 },
  },
];

export async function measure(ctx) {
  const { ws, size } = ctx;
  const scene = await ctx.shared('letemcook', () => letemcook(ws, 'letemcook'));
  // The SDK is a dependency of the workspace root (and of apps/mcp-server, packages/testkit).
  const { Client } = await import('@modelcontextprotocol/client');
  const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');

  const started = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [BLUE_MCP_BIN], cwd: scene.aperture.dir, env: ws.env, stderr: 'pipe' });
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
  try {
    await client.connect(transport);
    const connected = performance.now() - started;
    const call = async () => {
      const t = performance.now();
      const result = await client.callTool({ name: 'blue_status', arguments: {} });
      const ms = performance.now() - t;
      if (result.isError) throw new Error(`blue_status failed: ${JSON.stringify(result.content).slice(0, 300)}`);
      if (result.structuredContent?.domain !== 'aperture') throw new Error(`blue_status answered for ${result.structuredContent?.domain}`);
      return ms;
    };
    const first = await call();
    for (let i = 1; i < size.mcpWarmup; i++) await call();
    const samples = [];
    for (let i = 0; i < size.mcpCalls; i++) samples.push(await call());
    return {
      'mcp-status': {
        measured: samples,
        details: [`server spawn to connected ${fmtMs(connected)}; first call ${fmtMs(first)}; ${size.mcpWarmup} warm-up calls discarded`],
      },
    };
  } catch (error) {
    throw new Error(`${error.message}${stderr ? `\nblue-mcp stderr: ${stderr.slice(-600)}` : ''}`, { cause: error });
  } finally {
    await close();
  }
}
