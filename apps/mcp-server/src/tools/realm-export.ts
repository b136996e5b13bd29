import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { exportContract } from '@blue/realm';
import { registerBlueTool } from '../tool-def.js';
import { cwdField, type ToolDeps } from '../tool-deps.js';
import { jsonValue, nextSteps, realmRef } from './shapes.js';

export function registerRealmExportTool(server: McpServer, deps: ToolDeps): void {
  registerBlueTool(
    server,
    deps,
    'blue_realm_export',
    {
      title: 'Declare an export',
      description:
        "Declares or updates an export in .blue/exports.yaml: a value, a value file, or detect. Use when this repo provides a value others import, or it changed. Does not publish: commit, then blue_realm_sync.",
      inputSchema: {
        name: z.string().describe('Export name, kebab-case.'),
        version: z.string().optional().describe('Version for the next sync.'),
        value: z.unknown().optional().describe('One of value, file, detect.'),
        file: z.string().optional().describe('YAML/JSON file with the value.'),
        pointer: z.string().optional().describe('JSON pointer into file.'),
        detect: z.boolean().optional().describe('Detect from tracked files.'),
        cwd: cwdField,
      },
      outputSchema: {
        realm: realmRef,
        domain: z.string(),
        export: z.object({ name: z.string(), source: z.enum(['value', 'detect']), value: jsonValue, requested_version: z.string().optional() }),
        created: z.boolean(),
        published_version: z.string().optional(),
        file: z.string(),
        next_steps: nextSteps,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ name, version, value, file, pointer, detect, cwd }) =>
      exportContract(deps.context(cwd), { name, version, value: value === undefined ? undefined : JSON.stringify(value), file, pointer, detect }),
  );
}
