import { stat } from 'node:fs/promises';
import {
  assertName,
  assertPathWithin,
  assertRange,
  BlueError,
  domainFilePath,
  findCycles,
  newestSatisfying,
  publishedVersions,
  type CoveredValue,
  type ImportEntry,
  type ImportStatus,
  type UnusedGrant,
} from '@blue/core';
import type { BlueContext } from './context.js';
import { coverageOf, evaluateImportIn } from './evaluate.js';
import { closeResolvedNotices, type ClosedNotice } from './notify-consumers.js';
import { resolveInside } from './paths.js';
import { realmYamlFile } from './realm-writes.js';
import { clearSettledNotices } from './live/live-notices.js';
import { readMembership } from './store/membership.js';
import { publishedVersionIn, type RealmSnapshot } from './store/realm-files.js';
import { realmPushSteps, writeRealm, type PublishResult } from './store/realm-gate.js';

export interface ImportContractInput {
  contract: string;
  from: string;
  /** Semver range (default: ^ the provider's current version). */
  version?: string | undefined;
  /** Repo-relative file that uses the import. */
  binding: string;
}

export interface ImportContractResult {
  realm: { name: string; path: string };
  domain: string;
  import: ImportEntry;
  /** True when the import was new; false when an existing one was updated. */
  created: boolean;
  status: ImportStatus;
  reasons: string[];
  missing: string[];
  /** How the binding covers the value (see ImportStatusEntry). */
  coverage?: 'policy' | 'textual';
  values?: CoveredValue[];
  unused?: UnusedGrant[];
  notes?: string[];
  commit?: string;
  /** Whether the realm commit reached the realm's remote. */
  realm_push: PublishResult;
  /** The provider's notice issue closed because the import moved to a new range its binding covers. */
  closed_notices?: ClosedNotice[];
  next_steps: string[];
}

/**
 * Declares (or updates) an import of `contract` from domain `from`, in one realm commit pushed to
 * the realm's remote. Decided on the realm as read under the realm lock, so two imports at once
 * both land.
 */
export async function importContract(ctx: BlueContext, input: ImportContractInput): Promise<ImportContractResult> {
  assertName('export', input.contract);
  assertName('domain', input.from);
  const member = await readMembership(ctx);
  const bindingPath = resolveInside(member.repo, input.binding, 'binding');
  await assertPathWithin(member.repo, bindingPath, input.binding);
  if (!(await stat(bindingPath).then((s) => s.isFile(), () => false))) {
    throw new BlueError('FILE_NOT_FOUND', `The binding file ${input.binding} does not exist in ${member.repo}.`, {
      hint: 'Name the repo file that uses the imported values (e.g. cdk/training_tools_access_stack.py).',
    });
  }
  const now = ctx.now();
  const written = await writeRealm(ctx, member.realmPath, { command: `blue realm import ${input.contract} (${member.domain})` }, async (snapshot) => {
    const { range, version } = resolveRequest(snapshot, input);
    assertNoCycle(snapshot, member.domain, input.from);
    const self = snapshot.domains.find((d) => d.name === member.domain);
    const others = (self?.imports ?? []).filter((i) => !(i.contract === input.contract && i.from === input.from));
    const draft: ImportEntry = { contract: input.contract, from: input.from, version: range, binding: input.binding, status: 'current', resolved_version: version, resolved_at: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
    const evaluation = await evaluateImportIn(snapshot, draft, member.repo, now);
    const entry: ImportEntry = { ...draft, status: evaluation.status, ...(evaluation.grants === undefined ? {} : { grants: evaluation.grants }) };
    const path = domainFilePath(member.domain, 'imports.yaml');
    const before = (self?.imports ?? []).find((i) => i.contract === input.contract && i.from === input.from);
    return {
      value: { entry, evaluation, created: others.length === (self?.imports ?? []).length, movedRange: before !== undefined && before.version !== range },
      changes: [realmYamlFile('imports', path, { imports: [...others, entry] })],
      message: `${member.domain}: import ${input.contract} from ${input.from} ${range}`,
    };
  });
  const { entry, evaluation, created, movedRange } = written.value;
  await clearSettledNotices(ctx, { name: written.snapshot.realm.name, path: member.realmPath }, member.domain, { imports: [entry], complete: false, publishedOf: publishedVersionIn(written.snapshot) });
  const result: ImportContractResult = {
    realm: { name: written.snapshot.realm.name, path: member.realmPath },
    domain: member.domain,
    import: entry,
    created,
    status: evaluation.status,
    reasons: evaluation.reasons,
    missing: evaluation.missing,
    ...coverageOf(evaluation),
    realm_push: written.publish,
    next_steps: [
      ...(evaluation.missing.length > 0 ? [`Update ${input.binding} to cover: ${evaluation.missing.join(', ')}`] : []),
      ...realmPushSteps(written.publish, member.realmPath),
      'blue status',
    ],
  };
  if (written.commit !== undefined) result.commit = written.commit;
  // Moving an existing import to a new range with a binding that covers the value answers the
  // provider's (breaking-change) notice: close it, as a sync that resolves the import does.
  const self = written.snapshot.domains.find((d) => d.name === member.domain);
  if (self !== undefined && movedRange && entry.status === 'current' && evaluation.missing.length === 0 && entry.resolved_version !== undefined) {
    result.closed_notices = await closeResolvedNotices(ctx, self, [{ from: input.from, contract: input.contract, version: entry.resolved_version }]);
  }
  return result;
}

/** The range asked for (default ^ the provider's current version) and the newest published version in it. */
function resolveRequest(snapshot: RealmSnapshot, input: ImportContractInput): { range: string; version: string } {
  const provider = snapshot.domains.find((d) => d.name === input.from);
  if (provider === undefined) {
    throw new BlueError('UNKNOWN_DOMAIN', `Realm "${snapshot.realm.name}" has no domain "${input.from}".`, {
      hint: `Domains: ${snapshot.domains.map((d) => d.name).join(', ') || 'none yet'}. \`blue realm graph\` shows them all.`,
    });
  }
  const published = provider.exports.find((e) => e.name === input.contract);
  if (published === undefined) {
    throw new BlueError('UNKNOWN_CONTRACT', `Domain "${input.from}" exports no contract "${input.contract}".`, {
      hint: `It exports: ${provider.exports.map((e) => e.name).join(', ') || 'nothing yet'}.`,
    });
  }
  const range = assertRange(input.version ?? `^${published.version}`);
  const resolved = newestSatisfying(publishedVersions(published), range);
  if (resolved === undefined) {
    throw new BlueError('VERSION_INVALID', `No published version of "${input.contract}" satisfies ${range} (published: ${publishedVersions(published).join(', ')}).`, {
      hint: `Use a range that includes ${published.version}, e.g. "^${published.version}".`,
    });
  }
  return { range, version: published.version };
}

function assertNoCycle(snapshot: RealmSnapshot, consumer: string, provider: string): void {
  const edges = [...snapshot.domains.flatMap((d) => d.imports.map((i) => ({ from: i.from, to: d.name }))), { from: provider, to: consumer }];
  const cycle = findCycles({ nodes: snapshot.domains.map((d) => d.name), edges })[0];
  if (cycle !== undefined) {
    throw new BlueError('IMPORT_CYCLE', `Importing from ${provider} would make a cycle: ${cycle.join(' → ')}.`, {
      hint: 'Domains must depend on each other in one direction; move the shared contract to one of them.',
    });
  }
}
