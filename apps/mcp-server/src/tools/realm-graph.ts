import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { realmGraph } from '@blue/realm';
import { runTool } from '../tool-result.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { importStatus, nextSteps, realmRef } from './shapes.js';

export function registerRealmGraphTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'blue_realm_graph',
    {
      title: 'Realm dependency graph',
      description:
        "The realm's domains and imports as a graph (edges provider → consumer with contract, range, resolved version and status), plus the merge order (providers first) and any cycles; `rendered` holds it as text, Mermaid or Graphviz dot. " +
        "Use when the user asks who depends on whom, or in which order changes must merge. " +
        "Does not change anything.",
      inputSchema: { format: z.enum(['text', 'mermaid', 'dot']).optional().describe('Format of `rendered` (default text).'), offline: z.boolean().optional().describe("Do not fetch the realm's remote."), cwd: cwdField },
      outputSchema: {
        realm: z.string(),
        nodes: z.array(z.string()),
        edges: z.array(z.object({ from: z.string(), to: z.string(), contract: z.string(), range: z.string(), resolved: z.string().optional(), status: importStatus })),
        format: z.enum(['text', 'mermaid', 'dot']),
        rendered: z.string(),
        cycles: z.array(z.array(z.string())),
        merge_order: z.array(z.string()).optional(),
        view: realmRef,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ format, offline, cwd }) => runTool(() => realmGraph(deps.context(cwd), { format, offline })),
  );
}
