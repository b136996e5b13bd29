import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { realmStatus } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { bindingCoverage, importStatus, nextSteps, valueChange, liveNotice, uncommittedFiles, realmView } from './shapes.js';

export function registerStatusTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_status',
    {
      title: 'Realm status of this repo',
      description:
        "Shows the cwd repo's realm state: export drift, imports (stale, broken, values missing from bindings), uncommitted inputs, notices. Use when starting work and after each change. Does not change anything.",
      inputSchema: { cwd: cwdField },
      outputSchema: {
        realm: realmView,
        domain: z.string(),
        repo: z.string(),
        admitted: z.boolean(),
        exports: z.array(z.object({
          name: z.string(),
          state: z.enum(['in-sync', 'changed', 'unpublished', 'not-declared', 'untrusted']),
          published_version: z.string().optional(),
          changes: z.array(valueChange),
          lines: z.array(z.string()),
          schema_changed: z.boolean(),
          consumers: z.array(z.object({ domain: z.string(), version: z.string(), status: importStatus })),
          awaiting_approval: z.object({ version: z.string(), branch: z.string() }).optional(),
          untrusted: z.object({ command: z.array(z.string()), sha256: z.string(), allow: z.string() }).optional()
            .describe('The repo declares this command detector and the user has not trusted it: nothing ran. Only the user can allow it, in a terminal (no tool grants trust).'),
        })),
        imports: z.array(z.object({
          contract: z.string(),
          from: z.string(),
          version: z.string(),
          binding: z.string(),
          status: importStatus,
          recorded_status: importStatus,
          resolved_version: z.string().optional(),
          available: z.string().optional(),
          grace_until: z.string().optional().describe('A breaking change left the range: broken after this moment.'),
          reasons: z.array(z.string()),
          missing: z.array(z.string()),
          ...bindingCoverage,
        })),
        summary: z.object({ exports_changed: z.number(), imports_stale: z.number(), imports_broken: z.number() }),
        notices: z.array(liveNotice).describe('Live notices from providers, kept until the import is current.'),
        uncommitted: uncommittedFiles,
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ cwd }) => realmStatus(deps.context(cwd)),
  );
}
