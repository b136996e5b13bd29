import { execFile } from 'node:child_process';
import { BlueError } from '@blue/core';
import { apiHost, isEnterpriseHost } from './api-url.js';

/** Where a token came from. Never the token itself. */
export type TokenSource = 'GH_TOKEN' | 'GITHUB_TOKEN' | 'GH_ENTERPRISE_TOKEN' | 'GITHUB_ENTERPRISE_TOKEN' | 'gh' | 'option';

export interface DiscoveredToken {
  token: string;
  source: TokenSource;
}

export interface TokenDiscoveryOptions {
  env: Record<string, string | undefined>;
  /** The GitHub host (github.com, or an Enterprise Server host). */
  host: string;
  /** The gh executable (default `gh`, found on env.PATH); false skips gh. */
  ghCommand?: string | false;
  /** How long `gh auth token` may take (default 3000 ms). */
  ghTimeoutMs?: number;
}

/**
 * The variables read for `host`, in order, as gh reads them; inside GitHub Actions
 * (`GITHUB_ACTIONS=true`), GITHUB_TOKEN also goes with the host GITHUB_API_URL names (the
 * workflow's own server, e.g. GitHub Enterprise Server), after the enterprise variables.
 */
export function tokenVariables(host: string, env: Record<string, string | undefined> = {}): Array<Exclude<TokenSource, 'gh' | 'option'>> {
  if (!isEnterpriseHost(host)) return ['GH_TOKEN', 'GITHUB_TOKEN'];
  return actionsHost(env) === host ? ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'GITHUB_TOKEN'] : ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'];
}

/** The host of the workflow's own GitHub under Actions (from GITHUB_API_URL), else undefined. */
function actionsHost(env: Record<string, string | undefined>): string | undefined {
  const url = env.GITHUB_API_URL?.trim();
  if (env.GITHUB_ACTIONS !== 'true' || !url) return undefined;
  try {
    return apiHost(url);
  } catch {
    return undefined;
  }
}

function ghToken(options: TokenDiscoveryOptions): Promise<string | undefined> {
  const command = options.ghCommand ?? 'gh';
  if (command === false) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile(
      command,
      ['auth', 'token', '--hostname', options.host],
      { env: options.env, timeout: options.ghTimeoutMs ?? 3000, windowsHide: true },
      // Any failure (gh missing, not logged in, timed out) means "no token from gh".
      (err, stdout) => resolve(err ? undefined : String(stdout).trim() || undefined),
    );
  });
}

/**
 * Finds a GitHub token the way gh does: GH_TOKEN then GITHUB_TOKEN for github.com (and
 * *.ghe.com), GH_ENTERPRISE_TOKEN then GITHUB_ENTERPRISE_TOKEN for an Enterprise Server host
 * (then GITHUB_TOKEN when it is the host of GITHUB_API_URL inside GitHub Actions), then
 * `gh auth token --hostname <host>` (short timeout, failure ignored). Throws GITHUB_AUTH naming
 * every option when none gives a token.
 */
export async function discoverToken(options: TokenDiscoveryOptions): Promise<DiscoveredToken> {
  for (const name of tokenVariables(options.host, options.env)) {
    const value = options.env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  const fromGh = await ghToken(options);
  if (fromGh) return { token: fromGh, source: 'gh' };
  const enterprise = isEnterpriseHost(options.host);
  const vars = tokenVariables(options.host, options.env);
  throw new BlueError('GITHUB_AUTH', `No GitHub token found for ${options.host}: ${vars.join(' and ')} are unset and \`gh auth token --hostname ${options.host}\` gave none.`, {
    hint: enterprise
      ? `Set GH_ENTERPRISE_TOKEN (or GITHUB_ENTERPRISE_TOKEN) for this GitHub Enterprise host, or run \`gh auth login --hostname ${options.host}\`. (GH_TOKEN is only used for github.com; GITHUB_TOKEN too, except inside GitHub Actions on this host.)`
      : 'Set GH_TOKEN (or GITHUB_TOKEN), or run `gh auth login`. (GH_ENTERPRISE_TOKEN and GITHUB_ENTERPRISE_TOKEN are only used for GitHub Enterprise Server hosts.)',
  });
}
