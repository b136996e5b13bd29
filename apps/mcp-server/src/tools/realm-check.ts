import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { checkRealm } from '@blue/realm';
import { runTool } from '../tool-result.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { nextSteps, realmRef } from './shapes.js';

export function registerRealmCheckTool(server: McpServer, deps: ToolDeps): void {
  server.registerTool(
    'blue_realm_check',
    {
      title: 'Check the realm',
      description:
        "Validates the whole realm (files against schemas, export values, imports, cycles, CODEOWNERS, who wrote each domain folder) from a realm repo or a member repo. Returns findings with severity; ok=false means problems. " +
        "Use when reviewing a realm change or before a sync, to find what is wrong and where. " +
        "Does not fix anything or write any file.",
      inputSchema: {
        exports: z.boolean().optional().describe('Only the export checks.'),
        imports: z.boolean().optional().describe('Only the import checks.'),
        strict: z.boolean().optional().describe('Count warnings (stale, drift) as problems.'),
        offline: z.boolean().optional().describe("Do not fetch the realm's remote; answer from this machine's clone."),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        domain: z.string().optional(),
        scope: z.object({ structure: z.boolean(), exports: z.boolean(), imports: z.boolean() }),
        checked: z.object({ files: z.number(), domains: z.number(), exports: z.number(), imports: z.number() }),
        findings: z.array(z.object({ rule: z.string(), severity: z.enum(['error', 'warning']), message: z.string(), domain: z.string().optional(), file: z.string().optional(), line: z.number().optional() })),
        errors: z.number(),
        warnings: z.number(),
        invalid_files: z.boolean(),
        ok: z.boolean(),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ exports, imports, strict, offline, cwd }) => runTool(() => checkRealm(deps.context(cwd), { exports, imports, strict, offline })),
  );
}
