import { assertName, BlueError, domainFilePath } from '@blue/core';
import { userEmail } from '@blue/git';
import type { BlueContext } from './context.js';
import { codeownersChange, realmYamlFile } from './realm-writes.js';
import { locateRealm } from './store/locate-realm.js';
import { assertPublished, realmPushSteps, writeRealm, type PublishResult } from './store/realm-gate.js';

export interface ChangeMaintainersInput {
  action: 'add' | 'remove';
  domain: string;
  /** Emails (as git records them) or GitHub @user / @org/team handles. */
  maintainers: string[];
}

export interface ChangeMaintainersResult {
  realm: { name: string; path: string };
  domain: string;
  action: 'add' | 'remove';
  /** The domain's maintainers after the change. */
  maintainers: string[];
  /** What this call changed (already present or already absent: not listed). */
  added: string[];
  removed: string[];
  /** Who made the change (git user.email): an approver or one of the domain's maintainers. */
  changed_by: string;
  /** The realm commit (absent when nothing changed). */
  commit?: string;
  realm_push: PublishResult;
  next_steps: string[];
}

/**
 * Adds or removes maintainers of a domain: its domain.yaml `maintainers` and the CODEOWNERS line
 * Blue generates from them, in one realm commit through the realm gate, pushed. Only an approver
 * or one of the domain's current maintainers may; a domain is never left without maintainers.
 */
export async function changeMaintainers(ctx: BlueContext, input: ChangeMaintainersInput): Promise<ChangeMaintainersResult> {
  assertName('domain', input.domain);
  if (input.maintainers.length === 0) {
    throw new BlueError('VALUE_INVALID', `Name at least one maintainer to ${input.action}.`, { hint: `blue realm maintainers ${input.action} --domain ${input.domain} someone@example.com` });
  }
  const { realmPath } = await locateRealm(ctx);
  const written = await writeRealm(ctx, realmPath, { command: `blue realm maintainers ${input.action} (${input.domain})` }, async (snapshot) => {
    const domain = snapshot.domains.find((d) => d.name === input.domain);
    if (domain === undefined) {
      throw new BlueError('UNKNOWN_DOMAIN', `Realm "${snapshot.realm.name}" has no domain "${input.domain}".`, { hint: 'See the domains with `blue realm graph`.' });
    }
    const me = await userEmail(realmPath, ctx.git.options);
    if (me === undefined) throw new BlueError('GIT_IDENTITY', 'git does not know who you are (no user.email), so Blue cannot tell whether you may change maintainers.', { hint: 'git config --global user.email you@example.com' });
    const current = domain.domain.maintainers;
    if (!current.includes(me) && !snapshot.realm.governance.approvers.includes(me)) {
      throw new BlueError('MAINTAINERS_DENIED', `${me} may not change the maintainers of "${input.domain}": only its maintainers (${current.join(', ') || 'none'}) and the realm's approvers may.`, {
        hint: `Ask one of ${[...current, ...snapshot.realm.governance.approvers].join(', ') || 'the approvers in realm.yaml'} to run: blue realm maintainers ${input.action} --domain ${input.domain} ${input.maintainers.join(' ')}`,
      });
    }
    const wanted = [...new Set(input.maintainers)];
    const next = input.action === 'add' ? [...current, ...wanted.filter((m) => !current.includes(m))] : current.filter((m) => !wanted.includes(m));
    if (next.length === 0) {
      throw new BlueError('VALUE_INVALID', `Removing ${wanted.join(', ')} would leave "${input.domain}" without maintainers, so nobody would own its folder.`, { hint: `Add the new maintainer first: blue realm maintainers add --domain ${input.domain} <email>` });
    }
    const domains = snapshot.domains.map((d) => ({ name: d.name, maintainers: d.name === input.domain ? next : d.domain.maintainers }));
    const changes = [realmYamlFile('domain', domainFilePath(input.domain, 'domain.yaml'), { ...domain.domain, maintainers: next }), codeownersChange(snapshot, domains)];
    const added = next.filter((m) => !current.includes(m));
    const removed = current.filter((m) => !next.includes(m));
    const message = `${input.domain}: maintainers ${[...added.map((m) => `+${m}`), ...removed.map((m) => `-${m}`)].join(' ')} (by ${me})`;
    return { value: { next, added, removed, me }, ...(added.length + removed.length > 0 ? { changes, message } : {}) };
  });
  assertPublished(written.publish);
  const { next, added, removed, me } = written.value;
  const result: ChangeMaintainersResult = {
    realm: { name: written.snapshot.realm.name, path: realmPath },
    domain: input.domain,
    action: input.action,
    maintainers: next,
    added,
    removed,
    changed_by: me,
    realm_push: written.publish,
    next_steps: realmPushSteps(written.publish, realmPath),
  };
  if (written.commit !== undefined) result.commit = written.commit;
  return result;
}
