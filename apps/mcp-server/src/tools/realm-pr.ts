import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { openPullRequests } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { nextSteps, realmRef, repoOutcome, trackingRef } from './shapes.js';

export function registerRealmPrTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    'blue_realm_pr',
    {
      title: 'Linked pull requests',
      description:
        "Opens one GitHub pull request per repo of the unified branch checked out at cwd, in merge order: providers before the domains importing from them. Each body links the others and names the ones to merge first; numbers and URLs are recorded in the realm. " +
        "Use when the branches are pushed (blue_realm_push) and ready for review. " +
        "Does not merge anything or open duplicates: calling it again updates the open pull requests.",
      inputSchema: {
        title: z.string().optional().describe("Title of every pull request (default: each repo's last coordinated commit message)."),
        body: z.string().optional().describe("Text above Blue's links in every body."),
        draft: z.boolean().optional().describe('true: open as drafts; false: mark ready for review; absent: new ones ready, existing ones unchanged.'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        branch: z.string(),
        rfc: z.string(),
        pulls: z.array(
          z.object({
            ...repoOutcome,
            repo: z.string().optional(),
            number: z.number().int().optional(),
            url: z.string().optional(),
            title: z.string().optional(),
            base: z.string().optional(),
            draft: z.boolean().optional(),
            created: z.boolean().optional(),
            links_to: z.array(z.string()),
            blocked_by: z.array(z.string()),
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
