import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { CHECK_RULES, checkRealm } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { nextSteps, realmView } from './shapes.js';

export function registerRealmCheckTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_check',
    {
      title: 'Check the realm',
      description:
        "Validates the whole realm (schemas, values, imports, cycles, owners); ok=false on problems. Use when reviewing a realm change. Does not fix or write anything.",
      inputSchema: {
        exports: z.boolean().optional().describe('Only the export checks.'),
        imports: z.boolean().optional().describe('Only the import checks.'),
        strict: z.boolean().optional().describe('Warnings count as problems.'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmView,
        domain: z.string().optional(),
        scope: z.object({ structure: z.boolean(), exports: z.boolean(), imports: z.boolean() }),
        checked: z.object({ files: z.number(), domains: z.number(), exports: z.number(), imports: z.number() }),
        findings: z.array(z.object({ rule: z.enum(CHECK_RULES), severity: z.enum(['error', 'warning']), message: z.string(), domain: z.string().optional(), file: z.string().optional(), line: z.number().optional(), other_domain: z.boolean().optional() })),
        errors: z.number(),
        warnings: z.number(),
        invalid_files: z.boolean(),
        ok: z.boolean(),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ exports, imports, strict, cwd }) => checkRealm(deps.context(cwd), { exports, imports, strict }),
  );
}
