import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { initRealm } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';

export const realmInitInput = {
  name: z.string().describe('Realm name, kebab-case.'),
  path: z.string().optional().describe('New or empty folder (default: cwd).'),
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
    deps,
    'blue_realm_init',
    {
      title: 'Create a realm',
      description:
        "Creates a realm git repo that code repos join. Use when starting a federation of repos, once. Does not join this repo or push.",
      inputSchema: realmInitInput,
      outputSchema: realmInitOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ name, path, cwd }) => initRealm(deps.context(cwd), { name, path }),
  );
}
