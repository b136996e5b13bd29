import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { importContract } from '@blue/realm';
import { runTool } from '../tool-result.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { importStatus, nextSteps, realmRef, realmPush } from './shapes.js';

const importEntry = z.object({
  contract: z.string(),
  from: z.string(),
  version: z.string(),
  binding: z.string(),
  status: importStatus,
  resolved_version: z.string().optional(),
  resolved_at: z.string().optional(),
  grace_until: z.string().optional(),
});

export function registerRealmImportTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'blue_realm_import',
    {
      title: 'Import a contract',
      description:
        "Records that the cwd repo's domain imports another domain's export (contract, from, semver range, binding file that uses the values), in one realm commit. Fails with UNKNOWN_DOMAIN / UNKNOWN_CONTRACT / VERSION_INVALID / FILE_NOT_FOUND / IMPORT_CYCLE. " +
        "Use when this repo starts depending on a value another domain exports. " +
        "Does not edit the binding file.",
      inputSchema: {
        contract: z.string().describe('The export to import.'),
        from: z.string().describe('The domain that exports it.'),
        version: z.string().optional().describe('Semver range (default: ^ its current version).'),
        binding: z.string().describe('Repo-relative file that uses the imported values.'),
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
        commit: z.string().optional(),
        realm_push: realmPush,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ contract, from, version, binding, cwd }) => runTool(() => importContract(deps.context(cwd), { contract, from, version, binding })),
  );
}
