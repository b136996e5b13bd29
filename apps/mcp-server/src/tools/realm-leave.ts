import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { leaveRealm } from '@blue/realm';
import { runTool } from '../tool-result.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { nextSteps, realmRef, realmPush } from './shapes.js';

export function registerRealmLeaveTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'blue_realm_leave',
    {
      title: 'Leave the realm',
      description:
        "Removes the cwd repo's domain from its realm (domain folder + CODEOWNERS line in one realm commit; .blue/config.yaml and the index entry). " +
        "Use when the user asked for this repo to leave its realm. Destructive: ask the user first. " +
        "Does not leave while other domains import from it, unless force is true, which leaves their imports broken.",
      inputSchema: { force: z.boolean().optional().describe('Leave even if other domains import from this one.'), cwd: cwdField },
      outputSchema: {
        realm: realmRef,
        domain: z.string(),
        removed: z.object({ realm: z.array(z.string()), repo: z.array(z.string()) }),
        broken_imports: z.array(z.object({ domain: z.string(), contract: z.string() })),
        commit: z.string().optional(),
        realm_push: realmPush,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    async ({ force, cwd }) => runTool(() => leaveRealm(deps.context(cwd), { force })),
  );
}
