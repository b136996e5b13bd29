import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { joinRealm } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { importStatus, nextSteps, realmRef, realmPush } from './shapes.js';

export function registerRealmJoinTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_join',
    {
      title: 'Join a realm',
      description:
        "Joins the cwd repo to a realm as a domain: detects exports and imports, writes .blue/ (commit it). Use when a repo should take part in a realm. Does not publish (blue_realm_sync).",
      inputSchema: {
        realm_path: z.string().describe('Realm URL, or a local clone\'s path.'),
        as: z.string().optional().describe('Domain name (default: folder name).'),
        detect_exports: z.boolean().optional().describe('Detect (default true).'),
        github: z.string().optional().describe('owner/name on GitHub.'),
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
    async ({ realm_path, as, detect_exports, github, cwd }) => joinRealm(deps.context(cwd), { realmPath: realm_path, as, detectExports: detect_exports, github }),
  );
}
