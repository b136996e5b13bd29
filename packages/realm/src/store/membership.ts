import { join, resolve } from 'node:path';
import { BlueError, readYamlFileIfExists, REPO_CONFIG_FILE, type RealmFile, type RepoConfigFile } from '@blue/core';
import { repoRoot } from '@blue/git';
import type { BlueContext } from '../context.js';
import { readRealmFile } from './realm-files.js';

/** A code repo that is a domain of a realm, as its `.blue/config.yaml` says. */
export interface Membership {
  repo: string;
  config: RepoConfigFile;
  realmPath: string;
  realm: RealmFile;
  domain: string;
}

/** The repo's realm config, or undefined when the repo has joined no realm. */
export async function readRepoConfig(repo: string): Promise<RepoConfigFile | undefined> {
  return readYamlFileIfExists('config', join(repo, REPO_CONFIG_FILE), { label: REPO_CONFIG_FILE, within: repo });
}

/** The membership of the repo around ctx.cwd; NOT_A_REPO or NOT_IN_REALM with how to join. */
export async function readMembership(ctx: BlueContext): Promise<Membership> {
  const repo = await repoRoot(ctx.cwd, { env: ctx.env });
  const config = await readRepoConfig(repo);
  if (config === undefined) {
    throw new BlueError('NOT_IN_REALM', `${repo} is not a domain of any realm (no ${REPO_CONFIG_FILE}).`, {
      hint: 'Join a realm from this repo: `blue realm join <path-to-realm> --as <domain>`.',
    });
  }
  const realmPath = resolve(repo, config.realm.path);
  let realm: RealmFile;
  try {
    realm = await readRealmFile(realmPath);
  } catch (err) {
    if (err instanceof BlueError && err.code === 'NOT_IN_REALM') {
      throw new BlueError('NOT_IN_REALM', `${REPO_CONFIG_FILE} points at ${config.realm.path} (${realmPath}), which is not a realm.`, {
        hint: `Clone the realm "${config.realm.name}" there, or fix realm.path in ${REPO_CONFIG_FILE}.`,
      });
    }
    throw err;
  }
  return { repo, config, realmPath, realm, domain: config.realm.domain };
}
