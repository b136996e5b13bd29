import { asBlueError, BlueError, domainFilePath, parseFileOfKind, REPO_CONFIG_FILE, sameRemoteUrl, type BlueErrorJson, type RepoConfigFile } from '@blue/core';
import { repoFromDomain, type GitHubClient, type RepoRef } from '@blue/github';
import type { DomainSnapshot } from './store/realm-files.js';

/**
 * Whether a GitHub repository belongs to a domain. Anyone who can write a domain's `domain.yaml`
 * can name any repository there; what only the repository's owners can write is its default
 * branch. So Blue acts on a repository (opens issues, comments) only when that branch's
 * `.blue/config.yaml` names this realm (by URL) and this domain, and no other domain of the realm
 * claims the same repository.
 */

/** The realm a claim must name: its name, and its remote URL when it has one. */
export interface ClaimedRealm {
  name: string;
  url: string | undefined;
}

/** What is wrong with a repository's claim to be `domain` of `realm`, or undefined when it holds. */
export function claimProblem(configText: string | undefined, realm: ClaimedRealm, domain: string, slug: string): string | undefined {
  if (configText === undefined) return `${slug} has no ${REPO_CONFIG_FILE} on its default branch`;
  let config: RepoConfigFile;
  try {
    config = parseFileOfKind('config', configText, `${slug}: ${REPO_CONFIG_FILE}`);
  } catch (err) {
    return `${slug}'s ${REPO_CONFIG_FILE} on its default branch is not valid (${err instanceof Error ? err.message : String(err)})`;
  }
  if (config.realm.domain !== domain) return `${slug}'s ${REPO_CONFIG_FILE} names domain ${config.realm.domain}, not ${domain}`;
  if (config.realm.name !== realm.name) return `${slug}'s ${REPO_CONFIG_FILE} names realm ${config.realm.name}, not ${realm.name}`;
  if (realm.url !== undefined && !sameRemoteUrl(config.realm.url, realm.url)) {
    return `${slug}'s ${REPO_CONFIG_FILE} names the realm at ${config.realm.url ?? '(no url)'}, not ${realm.url}`;
  }
  return undefined;
}

/** owner/name, case-insensitive as GitHub treats it. */
function repoKey(repo: RepoRef): string {
  return `${repo.owner}/${repo.name}`.toLowerCase();
}

/** The repositories that more than one domain names (lower-case owner/name → the domains). */
export function sharedRepos(domains: readonly DomainSnapshot[]): Map<string, string[]> {
  const claims = new Map<string, string[]>();
  for (const d of domains) {
    let repo: RepoRef;
    try {
      repo = repoFromDomain(d.domain, domainFilePath(d.name, 'domain.yaml'));
    } catch {
      continue;
    }
    claims.set(repoKey(repo), [...(claims.get(repoKey(repo)) ?? []), d.name]);
  }
  return new Map([...claims].filter(([, names]) => names.length > 1));
}

/** Throws REPO_CLAIMED_TWICE or REPO_NOT_CLAIMED unless `repo` belongs to `domain` (see repoClaims). */
export type RepoClaimCheck = (client: GitHubClient, repo: RepoRef, domain: string) => Promise<void>;

/**
 * The outcome of a repository Blue must not act on (its claim does not hold), or undefined when
 * it may: other failures are thrown as they are.
 */
export async function unclaimedOutcome(check: RepoClaimCheck, client: GitHubClient, repo: RepoRef, domain: string): Promise<{ domain: string; status: 'skipped'; message: string; error: BlueErrorJson } | undefined> {
  try {
    await check(client, repo, domain);
    return undefined;
  } catch (err) {
    const error = asBlueError(err);
    if (error.code !== 'REPO_NOT_CLAIMED' && error.code !== 'REPO_CLAIMED_TWICE') throw err;
    return { domain, status: 'skipped', message: error.message, error: error.toJSON() };
  }
}

/**
 * Checks claims against GitHub, each repository once per run: throws REPO_CLAIMED_TWICE or
 * REPO_NOT_CLAIMED (with what the repository's owners must do) instead of acting on a repository
 * that does not belong to the domain.
 */
export function repoClaims(realm: ClaimedRealm, domains: readonly DomainSnapshot[], doing = 'notifying'): RepoClaimCheck {
  const shared = sharedRepos(domains);
  const verdicts = new Map<string, Promise<string | undefined>>();
  return async (client, repo, domain) => {
    const slug = `${repo.owner}/${repo.name}`;
    const others = shared.get(repoKey(repo));
    if (others !== undefined) {
      const who = others.length === 2 ? `${others.join(' and ')} both` : `${others.join(', ')} all`;
      throw new BlueError('REPO_CLAIMED_TWICE', `Domains ${who} name the repository ${slug}; Blue acts for none of them there until the wrong domain.yaml is corrected.`, {
        hint: `An approver fixes \`github\`/\`repo_url\` in the wrong domains/<name>/domain.yaml of the realm (blue realm check lists it as [repo-claimed-twice]).`,
      });
    }
    const key = `${repoKey(repo)}\0${domain}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = client.readFile(repo, REPO_CONFIG_FILE).then((text) => claimProblem(text, realm, domain, slug));
      verdicts.set(key, verdict);
    }
    const problem = await verdict;
    if (problem !== undefined) {
      throw new BlueError('REPO_NOT_CLAIMED', `Not ${doing} ${domain} in ${slug}: ${problem}, so nothing shows that the repository belongs to domain ${domain} of realm ${realm.name}.`, {
        hint: `The owners of ${slug} run \`blue realm join\` there and merge its ${REPO_CONFIG_FILE} into the default branch; or an approver corrects \`github\` in domains/${domain}/domain.yaml.`,
      });
    }
  };
}
