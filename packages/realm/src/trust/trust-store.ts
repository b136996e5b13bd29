import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { findTrust, readYamlFileIfExists, TRUST_FILE, writeYamlFile, type TrustFile } from '@blue/core';

/** The user's trust records ($BLUE_HOME/trust.yaml); empty when the file is missing. */
export async function readTrustFile(home: string): Promise<TrustFile> {
  return (await readYamlFileIfExists('trust', join(home, TRUST_FILE), { label: `$BLUE_HOME/${TRUST_FILE}` })) ?? { trusted: [] };
}

/** Writes the trust records atomically, readable by this user only. */
export async function writeTrustFile(home: string, file: TrustFile): Promise<void> {
  await writeYamlFile('trust', join(home, TRUST_FILE), file, { label: `$BLUE_HOME/${TRUST_FILE}`, header: ['Blue: commands declared by repositories that you trust on this machine (`blue trust list`).'], mode: 0o600 });
}

/** The identity of a repository for trust: its root folder's real path on this machine. */
export async function trustRepoKey(repo: string): Promise<string> {
  return realpath(repo);
}

/** Whether this user trusts exactly `argv` in `repo`. */
export async function isCommandTrusted(home: string, repo: string, argv: readonly string[]): Promise<boolean> {
  return findTrust(await readTrustFile(home), await trustRepoKey(repo), argv) !== undefined;
}
