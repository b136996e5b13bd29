import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { pushWorktrees } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { domainList, nextSteps, realmRef, repoOutcome, trackingRef } from './shapes.js';

export function registerRealmPushTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_push',
    {
      title: 'Push the unified branch',
      description:
        "Pushes the unified branch at cwd in every repo of its worktree; a rejected push is reported per repo. Use when the commits are done. Does not force-push.",
      inputSchema: { domains: domainList, cwd: cwdField },
      outputSchema: {
        realm: realmRef,
        branch: z.string(),
        pushes: z.array(z.object({ ...repoOutcome, head: z.string().optional(), up_to_date: z.boolean().optional() })),
        tracking: trackingRef,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ domains, cwd }) => pushWorktrees(deps.context(cwd), { domains }),
  );
}
