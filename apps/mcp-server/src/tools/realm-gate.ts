import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { gateChange } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { mergeCheck, nextSteps, pullRefFields, realmRef, repoOutcome, trackingRef } from './shapes.js';

export function registerRealmGateTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_gate',
    {
      title: 'Merge-order check',
      description:
        'Sets the blue/merge-order status and linked body of each open PR of a coordinated change. Use when PRs merged or exports published. Does not merge or comment.',
      inputSchema: {
        branch: z.string().optional(),
        all: z.boolean().optional(),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        domain: z.string(),
        changes: z.array(
          z.object({
            branch: z.string(),
            rfc: z.string(),
            merge_order: z.array(z.string()),
            merge_order_line: z.string(),
            pulls: z.array(
              z.object({
                ...repoOutcome,
                ...pullRefFields,
                pull_state: z.enum(['open', 'merged', 'closed']).optional(),
                head: z.string().optional(),
                check: mergeCheck.optional(),
                waits_for: z.array(z.string()),
                status_set: z.boolean(),
                body_updated: z.boolean(),
              }),
            ),
            tracking: trackingRef,
          }),
        ),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ branch, all, cwd }) => gateChange(deps.context(cwd), { branch, all }),
  );
}
