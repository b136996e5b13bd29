import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { coordinatedCommit } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { domainList, nextSteps, realmRef, repoOutcome, trackingRef } from './shapes.js';

export function registerRealmCommitTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_commit',
    {
      title: 'Coordinated commit',
      description:
        "Commits every worktree of the unified branch at cwd as one coordinated commit. Use when the edits are ready. Does not push (blue_realm_push).",
      inputSchema: {
        message: z.string().describe('Commit message for every repo.'),
        domains: domainList,
        link: z.boolean().optional().describe('Link the commits (default true).'),
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
