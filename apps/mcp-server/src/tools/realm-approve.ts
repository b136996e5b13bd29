import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { approveChange } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { liveResult, nextSteps, notification, realmRef, realmPush } from './shapes.js';

export function registerRealmApproveTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_approve',
    {
      title: 'Approve a held breaking change',
      description:
        "Publishes a breaking export change held for approval, notifies consumers. Use when an approver asks. Does not approve for non-approvers.",
      inputSchema: {
        domain: z.string().describe('Publishing domain.'),
        export: z.string().describe('The export that changed.'),
        version: z.string().optional().describe('Held version.'),
        notify: z.boolean().optional().describe('Open GitHub issues.'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        domain: z.string(),
        export: z.string(),
        from_version: z.string(),
        version: z.string(),
        changes: z.array(z.string()),
        approved_by: z.string(),
        approved_at: z.string(),
        branch: z.string(),
        commit: z.string().optional(),
        pushed: z.boolean(),
        realm_push: realmPush,
        notifications: z.array(notification),
        live: liveResult,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ domain, export: exportName, version, notify, cwd }) => approveChange(deps.context(cwd), { domain, export: exportName, version, notify }),
  );
}
