import {
  approvalBranchPrefix,
  approve,
  assertName,
  assertVersion,
  BlueError,
  domainFilePath,
  parseFileOfKind,
  planNotifications,
  type PublishedExport,
} from '@blue/core';
import { deleteBranch, fetchBranches, fileAt, userEmail } from '@blue/git';
import type { BlueContext } from './context.js';
import { announcePublications, type LiveResult } from './live/announce-publications.js';
import { realmRuntimeDir } from './live/realm-runtime.js';
import { notifyConsumers, type NotificationResult } from './notify-consumers.js';
import { realmYamlFile, stripCredentials } from './realm-writes.js';
import { locateRealm } from './store/locate-realm.js';
import { configuredRemoteUrl } from './store/realm-location.js';
import { consumersOf } from './store/realm-files.js';
import { assertPublished, readRealm, writeRealm, type PublishResult } from './store/realm-gate.js';

export interface ApproveChangeInput {
  domain: string;
  export: string;
  /** The version awaiting approval (default: the only one pending for that export). */
  version?: string | undefined;
  /** Notify the consumers once published (default true). */
  notify?: boolean | undefined;
}

export interface ApproveChangeResult {
  realm: { name: string; path: string };
  domain: string;
  export: string;
  from_version: string;
  version: string;
  changes: string[];
  approved_by: string;
  approved_at: string;
  /** The branch the change waited on (deleted, here and on the remote). */
  branch: string;
  commit?: string;
  pushed: boolean;
  /** The realm push, attempt by attempt. */
  realm_push: PublishResult;
  notifications: NotificationResult[];
  /** Importers' inboxes and running sessions told of the publish, as `sync` tells them. */
  live: LiveResult;
  next_steps: string[];
}

/**
 * Publishes a breaking change that `sync` held back for approval (realm.yaml
 * `governance.breaking_changes.require_approval`): only a governance approver (git user.email)
 * may; the export from the change's branch goes to main with `approved_by`/`approved_at` in its
 * changelog entry, in one pushed realm commit; the branch is deleted and consumers are notified.
 * Refused with APPROVAL_OUTDATED when the export was published again since the change was held.
 */
export async function approveChange(ctx: BlueContext, input: ApproveChangeInput): Promise<ApproveChangeResult> {
  const env = ctx.git.options;
  assertName('domain', input.domain);
  assertName('export', input.export);
  const { realmPath } = await locateRealm(ctx);
  const written = await writeRealm(ctx, realmPath, { command: `blue realm approve ${input.domain} ${input.export}` }, async (snapshot) => {
    const { approvers } = snapshot.realm.governance;
    const approver = await userEmail(realmPath, env);
    if (approver === undefined || !approvers.includes(approver)) {
      throw new BlueError('BREAKING_NEEDS_APPROVAL', `${approver ?? 'You (no git user.email)'} cannot approve breaking changes in realm "${snapshot.realm.name}": only its governance approvers can.`, {
        hint: `Ask one of ${approvers.join(', ') || '(none listed: add approvers to realm.yaml governance.approvers)'} to run: blue realm approve --domain ${input.domain} --export ${input.export}`,
      });
    }
    const domain = snapshot.domains.find((d) => d.name === input.domain);
    if (domain === undefined) throw new BlueError('UNKNOWN_DOMAIN', `Realm "${snapshot.realm.name}" has no domain "${input.domain}".`, { hint: 'See the domains with `blue realm graph`.' });
    const branch = await pendingBranch(ctx, realmPath, input, domain.exports.some((e) => e.name === input.export));
    const path = domainFilePath(input.domain, 'exports.yaml');
    const text = await fileAt(realmPath, branch.ref, path, env);
    const held = text === undefined ? undefined : parseFileOfKind('realm-exports', text, `${branch.name}:${path}`).exports.find((e) => e.name === input.export);
    if (held === undefined) throw new BlueError('UNKNOWN_CONTRACT', `Branch ${branch.name} does not carry export "${input.export}".`, { hint: 'The branch was changed by hand; ask the provider to run `blue realm sync` again.' });
    const current = domain.exports.find((e) => e.name === input.export);
    const from = held.changelog[1]?.version;
    if (current?.version !== from) {
      throw new BlueError('APPROVAL_OUTDATED', `${input.domain} published "${input.export}" ${current?.version ?? '(removed)'} after ${held.version} was held for approval (it was based on ${from ?? 'nothing'}).`, {
        hint: `Ask ${input.domain} to run \`blue realm sync\` again: it holds the change anew, based on the current version.`,
      });
    }
    const approved = approve(held, approver, ctx.now());
    const exports: PublishedExport[] = domain.exports.map((e) => (e.name === input.export ? approved : e));
    const message = `${input.domain}: export ${input.export}@${held.version} (breaking, approved by ${approver})\n\n${(held.changelog[0]?.changes ?? []).join('\n')}\n`;
    return { value: { branch, held, approved, approver, from, exports }, changes: [realmYamlFile('realm-exports', path, { exports })], message };
  });
  assertPublished(written.publish);
  const { branch, held, approved, approver, from, exports } = written.value;
  const snapshot = written.snapshot;
  const pushed = written.publish.status === 'pushed';
  const commit = written.commit;
  await deleteBranch(realmPath, branch.name, env);

  const after = await readRealm(ctx, realmPath);
  const planned = input.notify === false ? [] : planNotifications({ realm: after.realm.name, provider: input.domain, exports, consumers: consumersOf(after, input.domain, [input.export]), graceDays: after.realm.governance.breaking_changes.grace_period_days });
  const notifications = await notifyConsumers(ctx, input.domain, planned, after.domains, { dryRun: false, realm: { name: after.realm.name, url: stripCredentials(await configuredRemoteUrl(ctx, realmPath)) } });
  const consumers = consumersOf(after, input.domain, [input.export]).map((c) => c.domain);
  const publication = { name: input.export, status: 'updated' as const, ...(from === undefined ? {} : { from_version: from }), to_version: held.version, breaking: true, changes: held.changelog[0]?.changes ?? [], consumers };
  const live = input.notify === false ? { announcements: [] } : await announcePublications(ctx, () => realmRuntimeDir(ctx, { name: after.realm.name, path: realmPath }, true), input.domain, [publication], written.publish);
  const result: ApproveChangeResult = {
    realm: { name: snapshot.realm.name, path: realmPath },
    domain: input.domain,
    export: input.export,
    from_version: from ?? '(new)',
    version: held.version,
    changes: held.changelog[0]?.changes ?? [],
    approved_by: approver,
    approved_at: approved.changelog[0]?.approved_at ?? '',
    branch: branch.name,
    pushed,
    realm_push: written.publish,
    notifications,
    live,
    next_steps: consumersOf(after, input.domain, [input.export]).map((c) => `${c.domain} imports ${input.export} ${c.entry.version}: it is stale until it moves to ^${held.version} (then broken after the grace period).`),
  };
  if (commit !== undefined) result.commit = commit;
  return result;
}

/** The approval branch of the change to approve; `exported`: whether the domain publishes that export at all. */
async function pendingBranch(ctx: BlueContext, realmPath: string, input: ApproveChangeInput, exported: boolean): Promise<{ name: string; ref: string }> {
  const prefix = approvalBranchPrefix(input.domain, input.export);
  const branches = await fetchBranches(realmPath, prefix, ctx.git.options);
  const wanted = input.version === undefined ? branches : branches.filter((b) => b.name === `${prefix}${assertVersion(input.version ?? '')}`);
  const versions = branches.map((b) => b.name.slice(prefix.length));
  if (wanted.length === 1 && wanted[0] !== undefined) return wanted[0];
  if (wanted.length === 0) {
    // The export exists and nothing of it is held: say that, not that the export is unknown.
    throw new BlueError(exported ? 'NOTHING_TO_APPROVE' : 'UNKNOWN_CONTRACT', `No breaking change of ${input.domain}'s "${input.export}"${input.version ? ` ${input.version}` : ''} awaits approval${exported ? '' : `: ${input.domain} exports no "${input.export}"`}.`, {
      hint: versions.length > 0 ? `Pending versions: ${versions.join(', ')}.` : `${input.domain} holds one by running \`blue realm sync\` with a breaking change.`,
    });
  }
  throw new BlueError('VALUE_INVALID', `Several versions of ${input.domain}'s "${input.export}" await approval: ${versions.join(', ')}.`, { hint: `Name one with --version, e.g. --version ${versions.at(-1) ?? ''}.` });
}
