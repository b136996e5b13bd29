import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { coordinatedCommit } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { domainList, nextSteps, realmRef, repoOutcome, trackingRef } from './shapes.js';

export function registerRealmCommitTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    'blue_realm_commit',
    {
      title: 'Coordinated commit',
      description:
        "Commits all changes in every worktree of the unified branch checked out at cwd (one of the .worktrees/<slug> folders) that has any, with one message, and records the SHAs as one coordinated commit in the realm (linked when several repos committed). " +
        "Use when the edits across the worktrees are ready to be committed together. " +
        "Does not push (blue_realm_push does); with nothing to commit anywhere it changes nothing.",
      inputSchema: {
        message: z.string().describe('The commit message for every repo.'),
        domains: domainList,
        link: z.boolean().optional().describe('Record the commits as linked (default true).'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        branch: z.string(),
        message: z.string(),
        commits: z.array(z.object({ ...repoOutcome, sha: z.string().nullable(), files: z.array(z.string()) })),
        recorded: z.boolean(),
        linked: z.boolean(),
        tracking: trackingRef,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ message, domains, link, cwd }) => coordinatedCommit(deps.context(cwd), { message, domains, link }),
  );
}
