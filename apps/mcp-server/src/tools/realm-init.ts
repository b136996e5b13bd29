import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { initRealm } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';

export const realmInitInput = {
  name: z.string().describe('Realm name: kebab-case, at most 64 characters (e.g. "letemcook").'),
  path: z.string().optional().describe('Folder to create the realm in, new or empty (default: cwd). Relative to cwd.'),
  cwd: cwdField,
};

export const realmInitOutput = {
  realm: z.object({ name: z.string(), path: z.string(), version: z.string(), created_at: z.string() }),
  governance: z.object({
    admission: z.enum(['open', 'approval', 'invite-only']),
    approvers: z.array(z.string()),
    breaking_changes: z.object({ require_approval: z.boolean(), grace_period_days: z.number() }),
  }),
  files: z.array(z.string()),
  commit: z.string(),
  next_steps: z.array(z.string()),
};

export function registerRealmInitTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    'blue_realm_init',
    {
      title: 'Create a realm',
      description:
        "Creates a new realm: a git repository (realm.yaml, domains/, contracts/, CODEOWNERS, first commit) that code repos join as domains. " +
        "Use when the user wants to start a federation of repos: once, in a new or empty folder. " +
        "Does not join the current repo to the realm (use blue_realm_join) and does not push anywhere; writes nothing if the folder is not empty or already a realm.",
      inputSchema: realmInitInput,
      outputSchema: realmInitOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ name, path, cwd }) => initRealm(deps.context(cwd), { name, path }),
  );
}
