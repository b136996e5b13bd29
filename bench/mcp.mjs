// `blue_status` tool calls through a warm `blue-mcp`: the built server spawned in aperture of the
// letemcook fixture with the MCP SDK's stdio client (as an agent's host runs it), warmed up,
// then each call timed from callTool() to its result.
import { letemcook } from './fixtures/letemcook.mjs';
import { startMcp } from './lib/mcp-client.mjs';
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
  let server;
  try {
    server = await startMcp(ws, scene.aperture.dir, 'aperture');
    const first = await server.callStatus();
    for (let i = 1; i < size.mcpWarmup; i++) await server.callStatus();
    const samples = [];
    for (let i = 0; i < size.mcpCalls; i++) samples.push(await server.callStatus());
    return {
      'mcp-status': {
        measured: samples,
        details: [`server spawn to connected ${fmtMs(server.connectedMs)}; first call ${fmtMs(first)}; ${size.mcpWarmup} warm-up calls discarded`],
      },
    };
  } catch (error) {
    const stderr = server?.stderr() ?? '';
    throw new Error(`${error.message}${stderr ? `\nblue-mcp stderr: ${stderr.slice(-600)}` : ''}`, { cause: error });
  } finally {
    await server?.close();
  }
}
