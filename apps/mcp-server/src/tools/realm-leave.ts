import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { leaveRealm } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { nextSteps, realmRef, realmPush } from './shapes.js';

export function registerRealmLeaveTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_leave',
    {
      title: 'Leave the realm',
      description:
        "Removes the cwd repo's domain from its realm. Use when the user asked this repo to leave; ask first. Does not leave while others import from it, unless force (their imports break).",
      inputSchema: { force: z.boolean().optional().describe('Even if imported.'), cwd: cwdField },
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
    async ({ force, cwd }) => leaveRealm(deps.context(cwd), { force }),
  );
}
