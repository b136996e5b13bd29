import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { realmGraph } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { importStatus, nextSteps, realmView } from './shapes.js';

export function registerRealmGraphTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_graph',
    {
      title: 'Realm dependency graph',
      description:
        "The realm's dependency graph (provider \u2192 consumer), merge order and cycles. Use when asked who depends on whom. Does not change anything.",
      inputSchema: { format: z.enum(['text', 'mermaid', 'dot']).optional().describe('Format of `rendered`.'), cwd: cwdField },
      outputSchema: {
        realm: z.string(),
        nodes: z.array(z.string()),
        edges: z.array(z.object({ from: z.string(), to: z.string(), contract: z.string(), range: z.string(), resolved: z.string().optional(), status: importStatus })),
        format: z.enum(['text', 'mermaid', 'dot']),
        rendered: z.string(),
        cycles: z.array(z.array(z.string())),
        merge_order: z.array(z.string()).optional(),
        view: realmView,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ format, cwd }) => realmGraph(deps.context(cwd), { format }),
  );
}
