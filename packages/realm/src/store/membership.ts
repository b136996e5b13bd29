import { basename, dirname, join, resolve } from 'node:path';
import { BlueError, readYamlFileIfExists, REPO_CONFIG_FILE, withIndexDomain, type IndexFile, type RealmFile, type RepoConfigFile } from '@blue/core';
import { gitDirsAt, repoRoot } from '@blue/git';
import type { BlueContext } from '../context.js';
import { readRealmFile } from './realm-files.js';
import { locateRealmClone } from './realm-location.js';
import { readIndex, updateIndex } from './index-store.js';

/** A code repo that is a domain of a realm, as its `.blue/config.yaml` says. */
export interface Membership {
  /** The worktree the command runs in (the repo's main checkout, or one of its linked worktrees). */
  repo: string;
  /** The repo's main checkout: where Blue's `.worktrees/` live and what the index records. */
  main: string;
  config: RepoConfigFile;
  realmPath: string;
  realm: RealmFile;
  domain: string;
}

/** The repo's realm config, or undefined when the repo has joined no realm. */
export async function readRepoConfig(repo: string): Promise<RepoConfigFile | undefined> {
  return readYamlFileIfExists('config', join(repo, REPO_CONFIG_FILE), { label: REPO_CONFIG_FILE, within: repo });
}

/**
 * The membership of the repo around ctx.cwd, from any clone or worktree of it: a linked worktree
 * whose `.blue/config.yaml` is not there asks its main checkout. The realm is found by its URL
 * (locateRealmClone: index, path hint, or a clone Blue makes). NOT_A_REPO or NOT_IN_REALM with
 * how to join.
 */
export async function readMembership(ctx: BlueContext): Promise<Membership> {
  const repo = await repoRoot(ctx.cwd, ctx.git.options);
  const main = await mainCheckout(ctx, repo);
  const config = (await readRepoConfig(repo)) ?? (main === repo ? undefined : await readRepoConfig(main));
  if (config === undefined) {
    throw new BlueError('NOT_IN_REALM', `${repo} is not a domain of any realm (no ${REPO_CONFIG_FILE}).`, {
      hint: 'Join a realm from this repo: `blue realm join <realm URL or path> --as <domain>`.',
    });
  }
  const realmPath = await locateRealmClone(ctx, repo, config, main);
  let realm: RealmFile;
  try {
    realm = await readRealmFile(realmPath);
  } catch (err) {
    if (err instanceof BlueError && err.code === 'NOT_IN_REALM') {
      throw new BlueError('NOT_IN_REALM', `${REPO_CONFIG_FILE} points at ${config.realm.url ?? config.realm.path ?? '?'} (${realmPath}), which is not a realm.`, {
        hint: config.realm.url === undefined
          ? `Clone the realm "${config.realm.name}" there, or run \`blue realm join <realm URL>\` to record its URL in ${REPO_CONFIG_FILE}.`
          : `Check realm.url in ${REPO_CONFIG_FILE}; remove ${realmPath} if it is a broken clone, and run the command again.`,
      });
    }
    throw err;
  }
  if (realm.name !== config.realm.name) {
    throw new BlueError('REALM_MISMATCH', `${realmPath} holds realm "${realm.name}", but ${REPO_CONFIG_FILE} names "${config.realm.name}".`, {
      hint: `Fix ${REPO_CONFIG_FILE}, or point it at a clone of realm "${config.realm.name}".`,
    });
  }
  await registerDomainClone(ctx, { name: realm.name, path: realmPath, url: config.realm.url }, { name: config.realm.domain, path: main });
  return { repo, main, config, realmPath, realm, domain: config.realm.domain };
}

/**
 * Records this machine's clone of a domain repo in the index when it is not there yet (a
 * teammate's fresh clone, a CI checkout), so worktree commands started from another domain find
 * it. Writes only when something is missing.
 */
async function registerDomainClone(ctx: BlueContext, realm: { name: string; path: string; url: string | undefined }, domain: { name: string; path: string }): Promise<void> {
  const known = (index: IndexFile): boolean => index.realms.some((r) => resolve(ctx.home, r.path) === realm.path && (r.domains ?? []).some((d) => d.name === domain.name && resolve(ctx.home, d.path) === domain.path));
  if (known(await readIndex(ctx))) return;
  const url = realm.url;
  await updateIndex(ctx, `blue: register ${domain.name}`, (index) => (known(index) ? index : withIndexDomain(index, { name: realm.name, path: realm.path, ...(url === undefined ? {} : { url }) }, domain)));
}

/** The main checkout of the repository whose worktree is `repo` (`repo` itself unless it is a linked worktree). */
async function mainCheckout(ctx: BlueContext, repo: string): Promise<string> {
  const dirs = await gitDirsAt(repo, ctx.env);
  if (dirs !== undefined && dirs.gitDir === dirs.commonDir) return repo;
  const common = dirs?.commonDir ?? (await ctx.git.output(repo, ['rev-parse', '--path-format=absolute', '--git-common-dir']).catch(() => undefined));
  return common !== undefined && basename(common) === '.git' ? dirname(common) : repo;
}
