import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { createWorktree } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { domainList, nextSteps, realmRef, repoOutcome, trackingRef } from './shapes.js';

export function registerRealmWorktreeTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    'blue_realm_worktree',
    {
      title: 'Start a unified worktree',
      description:
        "Creates one branch (default feat/<rfc>) across the cwd repo's domain and every domain importing from it (or `domains`): a worktree at <repo>/.worktrees/<branch-slug>/ in each local clone registered in the user's index, tracked in the realm. Per-repo results; re-running completes a partial run. Tell the user the worktree paths (next_steps has cd lines). " +
        "Use when one change must land in several repos together. " +
        "Does not clone repos (a domain without a local clone in the index fails) and does not touch the repos' current checkouts.",
      inputSchema: { rfc: z.string().describe('The change (RFC) name.'), branch: z.string().optional().describe('Branch name (default feat/<rfc>).'), domains: domainList, cwd: cwdField },
      outputSchema: {
        realm: realmRef,
        rfc: z.string(),
        branch: z.string(),
        domain: z.string(),
        worktrees: z.array(z.object({ ...repoOutcome, created: z.boolean().optional() })),
        tracking: trackingRef,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ rfc, branch, domains, cwd }) => createWorktree(deps.context(cwd), { rfc, branch, domains }),
  );
}
