import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { syncRealm } from '@blue/realm';
import { runTool } from '../tool-result.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { errorJson, importStatus, liveResult, nextSteps, notification, realmRef, realmPush } from './shapes.js';

export function registerRealmSyncTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'blue_realm_sync',
    {
      title: 'Sync with the realm',
      description:
        "Publishes the cwd repo's export changes (version bumped from the diff, changelog) and records its imports' resolution in one realm commit, then pushes it (rebasing on other domains' pushes). Then opens (or moves to the new version) one GitHub issue in each consumer's repository whose import lags; failed notices are reported and retried next sync. " +
        "Use when blue_status shows unpublished export changes or imports to resolve; call with dry_run=true first to show the user what would be published. " +
        "Does not edit the code repo, and does not publish a breaking change that governance holds for approval (blue_realm_approve).",
      inputSchema: {
        dry_run: z.boolean().optional().describe('Only report what would change (versions, diff, consumers, notices).'),
        notify: z.boolean().optional().describe('Open GitHub issues for lagging consumers (default true).'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        domain: z.string(),
        dry_run: z.boolean(),
        realm_behind: z.number().describe('Dry run: commits on the realm remote not yet pulled (not included in the plan).'),
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
          changed: z.boolean(),
        })),
        commit: z.string().optional(),
        pushed: z.boolean(),
        realm_push: realmPush.optional(),
        push_attempts: z.number(),
        notify: z.boolean(),
        notifications: z.array(notification),
        closed_notices: z.array(z.object({
          from: z.string(),
          export: z.string(),
          version: z.string(),
          status: z.enum(['closed', 'none', 'skipped', 'failed']),
          issue: z.object({ number: z.number(), url: z.string() }).optional(),
          error: errorJson.optional(),
        })).describe("Providers' notice issues in this repo closed because the import caught up."),
        live: liveResult.describe('Importers\' inboxes and running sessions told of each publish.'),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ dry_run, notify, cwd }) => runTool(() => syncRealm(deps.context(cwd), { dryRun: dry_run, notify })),
  );
}
