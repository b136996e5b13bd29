import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { syncRealm } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { bindingCoverage, closedNotice, importStatus, liveResult, nextSteps, notification, realmRef, uncommittedFiles, realmPush } from './shapes.js';

export function registerRealmSyncTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_sync',
    {
      title: 'Sync with the realm',
      description:
        "Publishes the cwd repo's committed export changes, records imports, pushes the realm, notifies consumers. Use when blue_status shows changes; dry_run first. Does not publish uncommitted inputs (unless allow_dirty) or unapproved breaking changes.",
      inputSchema: {
        dry_run: z.boolean().optional().describe('Report only; change nothing.'),
        notify: z.boolean().optional().describe('Open GitHub issues.'),
        allow_dirty: z.boolean().optional().describe('Publish uncommitted inputs too.'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        domain: z.string(),
        dry_run: z.boolean(),
        realm_behind: z.number(),
        exports: z.array(z.object({
          name: z.string(),
          status: z.enum(['new', 'updated', 'unchanged']),
          from_version: z.string().optional(),
          to_version: z.string().optional(),
          bump: z.enum(['major', 'minor', 'patch']).optional(),
          breaking: z.boolean(),
          changes: z.array(z.string()),
          consumers: z.array(z.string()),
          approval: z.object({
            status: z.enum(['pending', 'approved']),
            approvers: z.array(z.string()),
            branch: z.string().optional(),
            branch_pushed: z.boolean().optional(),
            approved_by: z.string().optional(),
          }).optional().describe('Breaking change governance: pending ones wait for blue_realm_approve.'),
        })),
        imports: z.array(z.object({
          contract: z.string(),
          from: z.string(),
          binding: z.string(),
          status: importStatus,
          previous_status: importStatus,
          resolved_version: z.string().optional(),
          previous_version: z.string().optional(),
          missing: z.array(z.string()),
          reasons: z.array(z.string()),
          ...bindingCoverage,
          changed: z.boolean(),
        })),
        commit: z.string().optional(),
        pushed: z.boolean(),
        realm_push: realmPush.optional(),
        push_attempts: z.number(),
        notify: z.boolean(),
        notifications: z.array(notification),
        closed_notices: z.array(closedNotice),
        uncommitted: uncommittedFiles,
        live: liveResult,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ dry_run, notify, allow_dirty, cwd }) => syncRealm(deps.context(cwd), { dryRun: dry_run, notify, allowDirty: allow_dirty }),
  );
}
