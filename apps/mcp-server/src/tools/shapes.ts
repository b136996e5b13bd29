import { z } from 'zod';

/** Output schema pieces shared by several tools. */
export const errorJson = z.object({ code: z.string(), message: z.string(), hint: z.string().optional(), file: z.string().optional(), line: z.number().optional() });
/** The realm, and (readers) how fresh this machine's view of it is. */
export const realmRef = z.object({
  name: z.string(),
  path: z.string().describe("This machine's clone of the realm."),
  url: z.string().optional().describe("The realm's remote, as configured."),
  fetched_at: z.string().optional().describe('When this machine last reached the remote.'),
  behind: z.number().optional().describe('Remote commits this clone lacks.'),
  ahead: z.number().optional().describe('Realm commits of this clone not on the remote yet.'),
  offline: z.boolean().optional(),
  warning: errorJson.optional().describe('The remote could not be reached: the answer is from the local clone.'),
});
export const nextSteps = z.array(z.string()).describe('Commands or actions to take next.');
export const importStatus = z.enum(['current', 'stale', 'broken']);
export const valueChange = z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), value: z.unknown().optional(), from: z.unknown().optional(), to: z.unknown().optional() });
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
export const liveNotice = z.object({
  id: z.string(),
  at: z.string(),
  from: z.string(),
  export: z.string(),
  old_version: z.string().nullable(),
  new_version: z.string(),
  breaking: z.boolean(),
  changes: z.array(z.string()),
  text: z.string(),
  import_status: importStatus,
});
export const liveResult = z.object({
  announcements: z.array(z.object({ export: z.string(), version: z.string(), inboxes: z.array(z.string()), sessions: z.number(), delivered: z.number() })),
  error: errorJson.optional(),
});
export const repoOutcome = {
  domain: z.string(),
  status: z.enum(['ok', 'skipped', 'failed']),
  path: z.string().optional(),
  message: z.string(),
  error: errorJson.optional(),
};
/** Whether a realm write reached the realm's remote (store/realm-gate.ts PublishResult). */
export const realmPush = z.object({
  status: z.enum(['pushed', 'up-to-date', 'no-remote', 'not-attempted', 'failed']),
  attempts: z.array(z.object({ attempt: z.number(), outcome: z.enum(['pushed', 'up-to-date', 'behind', 'failed']) })),
  head: z.string().optional(),
  error: errorJson.optional().describe('Why the push failed: the commit stays in the realm clone and the next realm write pushes it.'),
}).describe("Whether the realm commit reached the realm's remote, attempt by attempt.");
export const trackingRef = z.object({ file: z.string(), created: z.boolean().optional(), commit: z.string().optional(), pushed: z.boolean(), realm_push: realmPush.optional() });
export const domainList = z.array(z.string()).optional().describe('Only these domains (default: see the tool description).');
