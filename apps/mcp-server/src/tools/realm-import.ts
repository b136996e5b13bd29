import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { importContract } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { bindingCoverage, closedNotice, importStatus, nextSteps, realmRef, realmPush } from './shapes.js';

const importEntry = z.object({
  contract: z.string(),
  from: z.string(),
  version: z.string(),
  binding: z.string(),
  status: importStatus,
  resolved_version: z.string().optional(),
  resolved_at: z.string().optional(),
  grace_until: z.string().optional(),
  grants: z.object({ read: z.array(z.string()), write: z.array(z.string()) }).optional(),
});

export function registerRealmImportTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_import',
    {
      title: 'Import a contract',
      description:
        "Records that the cwd repo's domain imports another domain's export. Use when this repo starts depending on another domain's value. Does not edit the binding.",
      inputSchema: {
        contract: z.string().describe('The export to import.'),
        from: z.string().describe('The domain that exports it.'),
        version: z.string().optional().describe('Semver range (default: ^current).'),
        binding: z.string().describe('Repo file using the values.'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        domain: z.string(),
        import: importEntry,
        created: z.boolean(),
        status: importStatus,
        reasons: z.array(z.string()),
        missing: z.array(z.string()),
        ...bindingCoverage,
        commit: z.string().optional(),
        realm_push: realmPush,
        closed_notices: z.array(closedNotice).optional(),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ contract, from, version, binding, cwd }) => importContract(deps.context(cwd), { contract, from, version, binding }),
  );
}
