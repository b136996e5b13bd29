import { z } from 'zod';

/** Output schema pieces shared by several tools. */
export const realmRef = z.object({ name: z.string(), path: z.string() });
export const nextSteps = z.array(z.string()).describe('Commands or actions to take next.');
export const importStatus = z.enum(['current', 'stale', 'broken']);
export const valueChange = z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), value: z.unknown().optional(), from: z.unknown().optional(), to: z.unknown().optional() });
export const errorJson = z.object({ code: z.string(), message: z.string(), hint: z.string().optional(), file: z.string().optional(), line: z.number().optional() });
export const notification = z.object({
  consumer: z.string(),
  export: z.string(),
  version: z.string(),
  from_version: z.string().optional(),
  breaking: z.boolean(),
  title: z.string(),
  repo: z.string().optional().describe('owner/name on GitHub'),
  status: z.enum(['created', 'updated', 'exists', 'planned', 'skipped', 'failed']),
  issue: z.object({ number: z.number(), url: z.string() }).optional(),
  error: errorJson.optional().describe('Why it was skipped or failed; failed notices are retried by the next sync.'),
});
