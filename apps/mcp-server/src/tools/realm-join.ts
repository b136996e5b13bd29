import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { joinRealm } from '@blue/realm';
import { runTool } from '../tool-result.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { importStatus, nextSteps, realmRef, realmPush } from './shapes.js';

export function registerRealmJoinTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'blue_realm_join',
    {
      title: 'Join a realm',
      description:
        "Joins the repo in cwd to a realm as a domain: detects its exports (s3:// paths) and imports (files holding another domain's values), commits domain.yaml/exports/imports/CODEOWNERS to the realm, writes .blue/config.yaml and the user index. Under admission \"approval\" a non-approver's join lands on a realm branch for an approver to merge. " +
        "Use when a code repo should take part in an existing realm (realm_path: the realm's URL, or the path of a clone of it). " +
        "Does not push the realm or publish exports (blue_realm_sync does); joining again changes nothing.",
      inputSchema: {
        realm_path: z.string().describe('The realm: its URL (cloned into BLUE_HOME when this machine has no clone) or the path of a clone (relative to cwd).'),
        as: z.string().optional().describe('Domain name, kebab-case (default: the repo folder name).'),
        detect_exports: z.boolean().optional().describe('Detect exports and imports from tracked files (default true).'),
        github: z.string().optional().describe('This repository on GitHub as owner/name (default: read from the origin URL).'),
        cwd: cwdField,
      },
      outputSchema: {
        status: z.enum(['joined', 'pending-approval', 'already-member']),
        realm: realmRef,
        domain: z.object({ name: z.string(), repo: z.string(), repo_url: z.string().optional(), github: z.string().optional(), maintainers: z.array(z.string()) }),
        admission: z.object({ policy: z.enum(['open', 'approval', 'invite-only']), approvers: z.array(z.string()), branch: z.string().optional(), pushed: z.boolean().optional() }),
        exports: z.array(z.object({ name: z.string(), version: z.string(), source: z.enum(['value', 'detect']), values: z.number() })),
        imports: z.array(z.object({ contract: z.string(), from: z.string(), version: z.string(), binding: z.string(), status: importStatus, missing: z.array(z.string()) })),
        files: z.object({ realm: z.array(z.string()), repo: z.array(z.string()) }),
        commit: z.string().optional(),
        realm_push: realmPush,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ realm_path, as, detect_exports, github, cwd }) => runTool(() => joinRealm(deps.context(cwd), { realmPath: realm_path, as, detectExports: detect_exports, github })),
  );
}
