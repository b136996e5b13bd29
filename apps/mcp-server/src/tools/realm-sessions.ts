import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { listRealmSessions } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { errorJson, nextSteps, realmRef } from './shapes.js';

export function registerRealmSessionsTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_sessions',
    {
      title: 'List live sessions',
      description:
        "Lists the realm's running Blue sessions: domain, pid, work, watched imports. Use when deciding whom to coordinate with. Does not follow changes: subscribe to blue://realm/sessions.",
      inputSchema: { cwd: cwdField },
      outputSchema: {
        realm: realmRef,
        runtime_dir: z.string(),
        sessions: z.array(z.object({
          id: z.string(),
          domain: z.string(),
          pid: z.number(),
          started_at: z.string(),
          socket: z.string(),
          active: z.object({ rfc: z.string().optional(), branch: z.string().optional() }).optional(),
          exports_modified: z.array(z.string()),
          imports_watching: z.array(z.object({ from: z.string(), contract: z.string() })),
        })),
        watch: z.object({
          leader_pid: z.number(),
          interval_s: z.number(),
          checked_at: z.string(),
          reached_at: z.string().optional(),
          tip: z.string().optional(),
          error: errorJson.optional(),
          rewritten_at: z.string().optional(),
        }).optional(),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ cwd }) => listRealmSessions(deps.context(cwd)),
  );
}
