import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { approveChange } from '@blue/realm';
import { runTool } from '../tool-result.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { liveResult, nextSteps, notification, realmRef, realmPush } from './shapes.js';

export function registerRealmApproveTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'blue_realm_approve',
    {
      title: 'Approve a held breaking change',
      description:
        "Publishes a breaking export change that blue_realm_sync held on realm branch blue/breaking/<domain>/<export>@<version> because realm.yaml requires approval: records approved_by in the changelog, pushes, deletes the branch and notifies consumers (GitHub issues, their inboxes, their running sessions). " +
        "Use when the user, as a governance approver (git user.email in governance.approvers), asked to approve. " +
        "Does not approve on anyone else's behalf: refused for non-approvers and when nothing awaits approval.",
      inputSchema: {
        domain: z.string().describe('The domain that published the change.'),
        export: z.string().describe('The export that changed.'),
        version: z.string().optional().describe('The version awaiting approval (default: the only pending one).'),
        notify: z.boolean().optional().describe('Open GitHub issues for consumers (default true).'),
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
        live: liveResult.describe('Importers\' inboxes and running sessions told of the publish.'),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async ({ domain, export: exportName, version, notify, cwd }) => runTool(() => approveChange(deps.context(cwd), { domain, export: exportName, version, notify })),
  );
}
