import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BlueError, domainFilePath, REPO_CONFIG_FILE, withoutIndexDomain } from '@blue/core';
import type { BlueContext } from './context.js';
import { codeownersChange } from './realm-writes.js';
import { updateIndex } from './store/index-store.js';
import { withRepoFileLock } from './store/locked-file.js';
import { readMembership } from './store/membership.js';
import type { FileChange } from './store/realm-commit.js';
import { consumersOf } from './store/realm-files.js';
import { realmPushSteps, writeRealm, type PublishResult } from './store/realm-gate.js';

export interface LeaveRealmInput {
  /** Leave even though other domains import from this one; their imports become broken. */
  force?: boolean | undefined;
}

export interface LeaveRealmResult {
  realm: { name: string; path: string };
  domain: string;
  /** Realm files removed (one commit) and repo files removed. */
  removed: { realm: string[]; repo: string[] };
  /** Imports of other domains that now point at nothing (only with force). */
  broken_imports: Array<{ domain: string; contract: string }>;
  commit?: string;
  /** Whether the leave reached the realm's remote, so other clones see the domain gone. */
  realm_push: PublishResult;
  next_steps: string[];
}

/**
 * Removes this domain from the realm (its folder and CODEOWNERS line, one commit, pushed to the
 * realm's remote so every clone sees it gone), then the repo's .blue/config.yaml and the index entry. Refused while others import from it unless
 * forced; forcing never writes into other domains' folders: their imports evaluate as broken.
 */
export async function leaveRealm(ctx: BlueContext, input: LeaveRealmInput = {}): Promise<LeaveRealmResult> {
  const member = await readMembership(ctx);
  const command = `blue realm leave (${member.domain})`;
  const written = await writeRealm(ctx, member.realmPath, { command }, (snapshot) => {
    const consumers = consumersOf(snapshot, member.domain).filter((c) => c.domain !== member.domain);
    if (consumers.length > 0 && !input.force) {
      throw new BlueError('STILL_IMPORTED', `${consumers.map((c) => `${c.domain} imports ${c.entry.contract}`).join('; ')} from ${member.domain}.`, {
        hint: 'Ask those domains to drop the imports first, or run `blue realm leave --force` to leave anyway (their imports become broken).',
      });
    }
    const self = snapshot.domains.find((d) => d.name === member.domain);
    const files = self ? (['domain.yaml', 'exports.yaml', 'imports.yaml'] as const).filter((f) => f === 'domain.yaml' || (f === 'exports.yaml' ? self.exports.length > 0 : self.imports.length > 0)) : [];
    const changes: FileChange[] = files.map((f) => ({ path: domainFilePath(member.domain, f), content: null }));
    const remaining = snapshot.domains.filter((d) => d.name !== member.domain).map((d) => ({ name: d.name, maintainers: d.domain.maintainers }));
    changes.push(codeownersChange(snapshot, remaining));
    const message = `${member.domain}: leave realm ${snapshot.realm.name}${input.force && consumers.length > 0 ? '\n\nForced: imports of other domains are now broken.' : ''}`;
    return { value: { consumers, removed: changes.filter((c) => c.content === null).map((c) => c.path) }, changes: self ? changes : [], message };
  });
  const { consumers, removed } = written.value;
  const realm = { name: written.snapshot.realm.name, path: member.realmPath };
  await withRepoFileLock(ctx, member.repo, REPO_CONFIG_FILE, command, () => rm(join(member.repo, REPO_CONFIG_FILE), { force: true }));
  await updateIndex(ctx, command, (index) => withoutIndexDomain(index, realm, member.domain));
  const result: LeaveRealmResult = {
    realm,
    domain: member.domain,
    removed: { realm: removed, repo: [REPO_CONFIG_FILE] },
    broken_imports: consumers.map((c) => ({ domain: c.domain, contract: c.entry.contract })),
    realm_push: written.publish,
    next_steps: [
      ...realmPushSteps(written.publish, member.realmPath),
      ...consumers.map((c) => `Tell ${c.domain}: its import of ${c.entry.contract} is now broken`),
    ],
  };
  if (written.commit !== undefined) result.commit = written.commit;
  return result;
}
