import { assertName, BlueError, commandDigest, TRUST_FILE, withoutTrust, withTrust, type TrustRecord } from '@blue/core';
import { repoRoot } from '@blue/git';
import type { BlueContext } from '../context.js';
import { readDeclaredExports } from '../local-exports.js';
import { readRepoConfig } from '../store/membership.js';
import { readTrustFile, trustRepoKey, writeTrustFile } from './trust-store.js';

// The `blue trust` commands. People only: no MCP tool calls these (DESIGN.md, "Trust").

export interface TrustListResult {
  file: string;
  /** Every record, or only this repo's when run with `repo`. */
  trusted: TrustRecord[];
  next_steps: string[];
}

export interface TrustAllowInput {
  /** Only this export's command (default: every command detector the repo declares). */
  export?: string | undefined;
  /** The sha256 the person reviewed (from `blue status`): refused when the command is another one now. */
  sha256?: string | undefined;
}

export interface TrustChangeResult {
  file: string;
  repo: string;
  /** Records added (allow) or removed (revoke). */
  changed: TrustRecord[];
  next_steps: string[];
}

export interface TrustRevokeInput {
  export?: string | undefined;
  /** Every record of every repo. */
  all?: boolean | undefined;
}

const shownFile = `$BLUE_HOME/${TRUST_FILE}`;

/** The commands this user trusts; with `repoOnly`, those of the repo around ctx.cwd. */
export async function listTrust(ctx: BlueContext, input: { repoOnly?: boolean } = {}): Promise<TrustListResult> {
  const file = await readTrustFile(ctx.home);
  const repo = input.repoOnly ? await trustRepoKey(await repoRoot(ctx.cwd, ctx.git.options)) : undefined;
  const trusted = file.trusted.filter((r) => repo === undefined || r.repo === repo);
  return { file: shownFile, trusted, next_steps: trusted.length > 0 ? ['blue trust revoke --export <name>  # in the repo, to take trust back'] : [] };
}

/**
 * Trusts the `command` detectors the repo around ctx.cwd declares now (one export's with
 * `export`), by the sha256 of each exact argv: the next `blue status` runs them; any change to a
 * command makes it untrusted again.
 */
export async function allowTrust(ctx: BlueContext, input: TrustAllowInput = {}): Promise<TrustChangeResult> {
  if (input.export !== undefined) assertName('export', input.export);
  const repo = await trustRepoKey(await repoRoot(ctx.cwd, ctx.git.options));
  const commands = (await readDeclaredExports(repo)).flatMap((d) => (d.detect?.kind === 'command' && (input.export === undefined || d.name === input.export) ? [{ name: d.name, command: d.detect.command }] : []));
  if (commands.length === 0) {
    throw new BlueError('UNKNOWN_CONTRACT', input.export === undefined ? `${repo} declares no \`command\` detector in .blue/exports.yaml: nothing to trust.` : `${repo} declares no \`command\` detector for export "${input.export}".`, {
      hint: 'blue trust list  # what you trust already',
    });
  }
  if (input.sha256 !== undefined && !commands.some((c) => commandDigest(c.command) === input.sha256)) {
    throw new BlueError('VALUE_INVALID', `The command declared now does not have the sha256 ${input.sha256} you reviewed: it changed since. Nothing was trusted.`, {
      hint: 'Run `blue status` again, read the command it shows, then allow that one.',
    });
  }
  const chosen = input.sha256 === undefined ? commands : commands.filter((c) => commandDigest(c.command) === input.sha256);
  let file = await readTrustFile(ctx.home);
  const changed: TrustRecord[] = [];
  for (const c of chosen) {
    const record = await trustRecord(ctx, repo, c.name, c.command);
    file = withTrust(file, record);
    changed.push(record);
  }
  await writeTrustFile(ctx.home, file);
  return { file: shownFile, repo, changed, next_steps: ['blue status  # now runs the trusted command(s)'] };
}

/** Takes trust back: the repo's records (one export's with `export`), or every record with `all`. */
export async function revokeTrust(ctx: BlueContext, input: TrustRevokeInput = {}): Promise<TrustChangeResult> {
  if (input.export !== undefined) assertName('export', input.export);
  const repo = input.all ? undefined : await trustRepoKey(await repoRoot(ctx.cwd, ctx.git.options));
  const { file, removed } = withoutTrust(await readTrustFile(ctx.home), repo, (r) => input.export === undefined || r.export === input.export);
  if (removed.length > 0) await writeTrustFile(ctx.home, file);
  return { file: shownFile, repo: repo ?? '*', changed: removed, next_steps: [] };
}

/** Records trust in exactly `argv` for `exportName` in `repo`: the CLI's `blue realm export --detect`, where a person declared it. */
export async function recordDeclaredTrust(ctx: BlueContext, repo: string, exportName: string, argv: readonly string[]): Promise<void> {
  const record = await trustRecord(ctx, await trustRepoKey(repo), exportName, argv);
  await writeTrustFile(ctx.home, withTrust(await readTrustFile(ctx.home), record));
}

/** The record trusting `argv` in `repo` (a real path) now, with the realm and domain the repo names, for display. */
async function trustRecord(ctx: BlueContext, repo: string, exportName: string, argv: readonly string[]): Promise<TrustRecord> {
  const record: TrustRecord = { repo, command: [...argv], sha256: commandDigest(argv), trusted_at: ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z'), export: exportName };
  const config = await readRepoConfig(repo).catch(() => undefined);
  if (config !== undefined) Object.assign(record, { realm: config.realm.name, domain: config.realm.domain });
  return record;
}
