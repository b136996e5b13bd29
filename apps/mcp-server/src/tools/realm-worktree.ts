import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { createWorktree } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { domainList, nextSteps, realmRef, repoOutcome, trackingRef } from './shapes.js';

export function registerRealmWorktreeTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_worktree',
    {
      title: 'Start a unified worktree',
      description:
        "Creates one branch as worktrees in the cwd repo's domain and its importers, tracked in the realm. Use when one change must land in several repos. Does not clone repos.",
      inputSchema: { rfc: z.string().optional().describe('The change (RFC) name.'), branch: z.string().optional().describe('Default feat/<rfc>.'), join: z.string().optional().describe("Join the change on this branch."), domains: domainList, cwd: cwdField },
      outputSchema: {
        realm: realmRef,
        rfc: z.string(),
        branch: z.string(),
        domain: z.string(),
        worktrees: z.array(z.object({ ...repoOutcome, created: z.boolean().optional() })),
        tracking: trackingRef.extend({ created: z.boolean() }),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ rfc, branch, join, domains, cwd }) => createWorktree(deps.context(cwd), { rfc, branch, join, domains }),
  );
}
