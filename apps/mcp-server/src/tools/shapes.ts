import { ERROR_CODES, NOTICE_KINDS, type ErrorCode, type JsonValue } from '@blue/core';
import { z } from 'zod';

/** Output schema pieces shared by several tools. */
export const nextSteps = z.array(z.string());
export const importStatus = z.enum(['current', 'stale', 'broken']);
/** Any JSON value (a use case's values are JSON by construction); listed as such, never as an empty schema. */
export const jsonValue = z.custom<JsonValue>(() => true);
export const valueChange = z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), value: jsonValue.optional(), from: jsonValue.optional(), to: jsonValue.optional() });
export const errorJson = z.object({ code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]), message: z.string(), hint: z.string().optional(), file: z.string().optional(), line: z.number().optional() });
export const realmRef = z.object({ name: z.string(), path: z.string() });
/** The realm, and how fresh this machine's view of it is (store/realm-freshness.ts RealmFreshness). */
export const realmView = z.object({
  name: z.string(),
  url: z.string().optional(),
  path: z.string(),
  fetched_at: z.string().optional(),
  behind: z.number(),
  ahead: z.number(),
  offline: z.boolean(),
  warning: errorJson.optional(),
});
export const notification = z.object({
  consumer: z.string(),
  export: z.string(),
  version: z.string(),
  from_version: z.string().optional(),
  breaking: z.boolean(),
  title: z.string(),
  repo: z.string().optional().describe('owner/name on GitHub'),
  status: z.enum(['created', 'updated', 'exists', 'linked', 'planned', 'skipped', 'failed']),
  issue: z.object({ number: z.number(), url: z.string() }).optional(),
  error: errorJson.optional().describe('Why it was skipped or failed; failed notices are retried by the next sync.'),
});
export const liveNotice = z.object({
  id: z.string(),
  kind: z.enum(NOTICE_KINDS),
  at: z.string(),
  from: z.string(),
  export: z.string().optional(),
  old_version: z.string().nullable(),
  new_version: z.string().optional(),
  breaking: z.boolean(),
  changes: z.array(z.string()),
  until: z.string().optional(),
  by: z.string().optional(),
  text: z.string(),
  import_status: importStatus.optional(),
});
/** A notice as a domain's inbox holds it: what every tool result's `notices` lists (NoticeLedger). */
export const sessionNotice = liveNotice.omit({ import_status: true });
export const liveResult = z.object({
  announcements: z.array(z.object({ export: z.string(), version: z.string(), inboxes: z.array(z.string()), sessions: z.number(), delivered: z.number() })),
  elsewhere: z.enum(['realm-remote', 'not-shared']).optional(),
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
  error: errorJson.optional(),
});
export const trackingRef = z.object({ file: z.string(), commit: z.string().optional(), pushed: z.boolean(), realm_push: realmPush.optional() });
/** A domain's pull request on GitHub, when it has one (realm PullOutcome, GatePullOutcome). */
export const pullRefFields = { repo: z.string().optional(), number: z.number().int().optional(), url: z.string().optional() };
/** The blue/merge-order check of one pull request (core MergeOrderVerdict). */
export const mergeCheck = z.object({ state: z.enum(['pending', 'success', 'failure']), description: z.string(), target_url: z.string().optional() });
export const domainList = z.array(z.string()).optional().describe('Only these domains.');
export const uncommittedFiles = z.array(z.object({
  path: z.string(),
  reason: z.enum(['exports-file', 'detector-input', 'binding']),
  state: z.enum(['modified', 'added', 'deleted', 'untracked']),
})).describe('Uncommitted files sync reads; it refuses them (DIRTY_WORKTREE) unless allow_dirty.');
/** How an import's binding covers the export's value: by its IAM statements (s3-paths) or textually. */
export const bindingCoverage = {
  coverage: z.enum(['policy', 'textual']).optional(),
  values: z.array(z.object({
    value: z.string(),
    access: z.enum(['read', 'write']).optional(),
    covered: z.boolean(),
    covered_by: z.string().optional(),
    statement: z.string().optional(),
    textual: z.boolean().optional(),
    reason: z.string().optional(),
  })).optional(),
  unused: z.array(z.object({ grant: z.string(), statement: z.string() })).optional(),
  notes: z.array(z.string()).optional(),
};
export const closedNotice = z.object({
  from: z.string(),
  export: z.string(),
  version: z.string(),
  status: z.enum(['closed', 'none', 'skipped', 'failed']),
  issue: z.object({ number: z.number(), url: z.string() }).optional(),
  error: errorJson.optional(),
});
