import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { openPullRequests } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { mergeCheck, nextSteps, pullRefFields, realmRef, repoOutcome, trackingRef } from './shapes.js';

export function registerRealmPrTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_pr',
    {
      title: 'Linked pull requests',
      description:
        "Opens one GitHub PR per repo of the unified branch at cwd, linked, in merge order, with the merge-order check. Use when the branches are pushed. Does not merge or duplicate PRs.",
      inputSchema: {
        title: z.string().optional().describe("PR title (default: last commit message)."),
        body: z.string().optional().describe("Text above Blue's links."),
        draft: z.boolean().optional().describe('false: mark ready.'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        branch: z.string(),
        rfc: z.string(),
        pulls: z.array(
          z.object({
            ...repoOutcome,
            ...pullRefFields,
            title: z.string().optional(),
            base: z.string().optional(),
            draft: z.boolean().optional(),
            created: z.boolean().optional(),
            links_to: z.array(z.string()),
            blocked_by: z.array(z.string()),
            check: mergeCheck.optional(),
          }),
        ),
        merge_order: z.array(z.string()),
        merge_order_line: z.string(),
        tracking: trackingRef,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ title, body, draft, cwd }) => openPullRequests(deps.context(cwd), { title, body, draft }),
  );
}
