import { asBlueError, compareVersions, domainFilePath, type BlueErrorJson, type PlannedNotification } from '@blue/core';
import { blueMarker, repoFromDomain, type GitHubClient, type RepoRef } from '@blue/github';
import type { BlueContext } from './context.js';
import { runLimited } from './run-limited.js';
import type { CoveringPull, CoveringPullFinder } from './worktree/covering-pulls.js';
import { repoClaims, type ClaimedRealm } from './repo-claim.js';
import type { DomainSnapshot } from './store/realm-files.js';

/**
 * What happened to one consumer notice: `created`/`updated` (an issue opened, or the open one
 * moved to the new version), `exists` (already notified of this version), `planned` (dry run),
 * `linked` (the consumer's pull request in the same coordinated change carries it: commented there),
 * `skipped` (the consumer has no GitHub repository, or the repository does not show that it belongs
 * to the consumer: REPO_NOT_CLAIMED, REPO_CLAIMED_TWICE) or `failed` (retried by the next sync).
 */
export type NotificationStatus = 'created' | 'updated' | 'exists' | 'linked' | 'planned' | 'skipped' | 'failed';

export interface NotificationResult {
  consumer: string;
  export: string;
  version: string;
  from_version?: string;
  breaking: boolean;
  title: string;
  /** owner/name of the consumer's repository on GitHub. */
  repo?: string;
  status: NotificationStatus;
  issue?: { number: number; url: string };
  /** Why it was skipped or failed, with what to do. */
  error?: BlueErrorJson;
}

const CONCURRENCY = 4;

/** Codes that skip a notice for good (until the realm or the repository changes), rather than fail it. */
const UNCLAIMED = new Set(['REPO_NOT_CLAIMED', 'REPO_CLAIMED_TWICE']);

/**
 * Makes sure each planned notice exists as a GitHub issue in the consumer's repository. Never
 * throws for one consumer's failure: each outcome is reported, and since the plan is derived
 * from the realm, the next sync plans the missing ones again.
 */
export async function notifyConsumers(
  ctx: BlueContext,
  provider: string,
  planned: readonly PlannedNotification[],
  domains: readonly DomainSnapshot[],
  options: { dryRun: boolean; realm: ClaimedRealm; covering?: CoveringPullFinder },
): Promise<NotificationResult[]> {
  let client: Promise<GitHubClient> | undefined;
  const claimed = repoClaims(options.realm, domains);
  const results: NotificationResult[] = planned.map((n) => ({
    consumer: n.consumer,
    export: n.export,
    version: n.version,
    ...(n.from_version === undefined ? {} : { from_version: n.from_version }),
    breaking: n.breaking,
    title: n.title,
    status: 'planned',
  }));
  const work = planned.map((notice, i) => async (): Promise<void> => {
    const result = results[i] as NotificationResult;
    const domain = domains.find((d) => d.name === notice.consumer);
    let repo: RepoRef;
    try {
      repo = repoFromDomain(domain?.domain ?? { name: notice.consumer }, domainFilePath(notice.consumer, 'domain.yaml'));
    } catch (err) {
      result.status = 'skipped';
      result.error = asBlueError(err).toJSON();
      return;
    }
    result.repo = `${repo.owner}/${repo.name}`;
    if (options.dryRun) return;
    ctx.progress.report({ target: notice.consumer, status: 'started', message: `notify ${result.repo}` });
    try {
      client ??= ctx.github();
      await claimed(await client, repo, notice.consumer);
      const covering = options.covering?.(notice.consumer, notice.export);
      const delivered = covering === undefined ? await deliver(await client, repo, provider, notice) : await deliverToPull(await client, repo, provider, notice, covering);
      result.status = delivered.status;
      result.issue = delivered.issue;
      ctx.checkpoint('sync:notified');
      ctx.progress.report({ target: notice.consumer, status: 'ok', message: `${delivered.status} ${delivered.issue.url}` });
    } catch (err) {
      const error = asBlueError(err);
      result.status = UNCLAIMED.has(error.code) ? 'skipped' : 'failed';
      result.error = error.toJSON();
      ctx.progress.report({ target: notice.consumer, status: result.status, message: result.error.message });
    }
  });
  await runLimited(work, CONCURRENCY);
  return results;
}

async function deliver(client: GitHubClient, repo: RepoRef, provider: string, notice: PlannedNotification): Promise<{ status: NotificationStatus; issue: { number: number; url: string } }> {
  const versionMarker = blueMarker(notice.version_key);
  const exact = await client.findIssue(repo, versionMarker);
  if (exact !== undefined) return { status: 'exists', issue: { number: exact.number, url: exact.url } };
  const ensured = await client.ensureIssue(repo, { marker: blueMarker(notice.series_key), title: notice.title, body: notice.body, state: 'open', updateExisting: true });
  const issue = { number: ensured.value.number, url: ensured.value.url };
  if (ensured.created) return { status: 'created', issue };
  const summary = [`${provider} published \`${notice.export}\` ${notice.version}${notice.breaking ? ' (breaking)' : ''}:`, '', ...notice.changes.map((c) => `- \`${c}\``)].join('\n');
  await client.commentOnIssue(repo, issue.number, summary, { marker: versionMarker });
  return { status: 'updated', issue };
}

/**
 * A notice whose consumer already has a pull request in the same coordinated change: the open
 * notice issue, if any, gets a comment linking that pull request; else the pull request itself
 * gets one comment (found again by its marker, never repeated). No new issue.
 */
async function deliverToPull(client: GitHubClient, repo: RepoRef, provider: string, notice: PlannedNotification, pull: CoveringPull): Promise<{ status: NotificationStatus; issue: { number: number; url: string } }> {
  const versionMarker = blueMarker(notice.version_key);
  const text = `${provider} published \`${notice.export}\` ${notice.version}${notice.breaking ? ' (breaking)' : ''}, changed in the coordinated change \`${pull.branch}\`: ${pull.url} carries this repository's side.`;
  const open = await client.findIssue(repo, blueMarker(notice.series_key), { state: 'open' });
  if (open !== undefined) {
    await client.commentOnIssue(repo, open.number, text, { marker: versionMarker });
    return { status: 'updated', issue: { number: open.number, url: open.url } };
  }
  await client.commentOnIssue(repo, pull.number, text, { marker: versionMarker });
  return { status: 'linked', issue: { number: pull.number, url: pull.url } };
}

/** A provider's notice issue in this domain's repository, closed once the import caught up. */
export interface ClosedNotice {
  from: string;
  export: string;
  /** The version the import now resolves to. */
  version: string;
  status: 'closed' | 'none' | 'skipped' | 'failed';
  issue?: { number: number; url: string };
  error?: BlueErrorJson;
}

const NOTICE_VERSION = /<!-- blue:export-changed\/[^/]+\/[^@\s]+@(\S+) -->/;

/**
 * For each import this sync recorded as current, closes the open notice issue its provider
 * opened in this domain's repository (when the issue is about that version or an older one),
 * with a comment saying so. Failures are reported, never thrown.
 */
export async function closeResolvedNotices(
  ctx: BlueContext,
  consumer: DomainSnapshot,
  resolved: ReadonlyArray<{ from: string; contract: string; version: string }>,
): Promise<ClosedNotice[]> {
  if (resolved.length === 0) return [];
  let repo: RepoRef;
  try {
    repo = repoFromDomain(consumer.domain, domainFilePath(consumer.name, 'domain.yaml'));
  } catch (err) {
    const error = asBlueError(err).toJSON();
    return resolved.map((r) => ({ from: r.from, export: r.contract, version: r.version, status: 'skipped', error }));
  }
  let client: Promise<GitHubClient> | undefined;
  const results: ClosedNotice[] = [];
  for (const r of resolved) {
    const result: ClosedNotice = { from: r.from, export: r.contract, version: r.version, status: 'none' };
    results.push(result);
    try {
      client ??= ctx.github();
      const github = await client;
      const issue = await github.findIssue(repo, blueMarker(`export-changed/${r.from}/${r.contract}`), { state: 'open' });
      const about = issue === undefined ? undefined : NOTICE_VERSION.exec(issue.body)?.[1];
      if (issue === undefined || about === undefined || compareVersions(about, r.version) > 0) continue;
      const comment = `${consumer.name} now imports \`${r.contract}\` from ${r.from} at ${r.version}: its binding covers the change. Closed by \`blue realm sync\`.`;
      await github.closeIssue(repo, issue.number, { reason: 'completed', comment, commentMarker: blueMarker(`resolved/${consumer.name}/${r.contract}@${r.version}`) });
      result.status = 'closed';
      result.issue = { number: issue.number, url: issue.url };
    } catch (err) {
      result.status = 'failed';
      result.error = asBlueError(err).toJSON();
    }
  }
  return results;
}
