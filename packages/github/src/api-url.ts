import { BlueError, redactSecrets } from '@blue/core';

/** The public GitHub REST API. */
export const PUBLIC_API_URL = 'https://api.github.com';

/** Environment variables read for the API base URL, in order. */
export const API_URL_VARIABLES = ['BLUE_GITHUB_API_URL', 'GITHUB_API_URL'] as const;

/**
 * The REST API base URL: `explicit`, else BLUE_GITHUB_API_URL, else GITHUB_API_URL, else the public
 * API. Trailing slashes are stripped; GitHub Enterprise Server bases (`https://host/api/v3`) are
 * kept as given. Throws VALUE_INVALID for anything that is not an http(s) URL.
 */
export function resolveApiUrl(env: Record<string, string | undefined>, explicit?: string): string {
  let source = 'the apiUrl option';
  let value = explicit?.trim();
  for (const name of API_URL_VARIABLES) {
    if (value) break;
    value = env[name]?.trim();
    source = name;
  }
  if (!value) return PUBLIC_API_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BlueError('VALUE_INVALID', `${source} is not a URL: "${redactSecrets(value)}"`, {
      hint: `Set ${source} to the REST API base, e.g. ${PUBLIC_API_URL} or https://github.example.com/api/v3.`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BlueError('VALUE_INVALID', `${source} must be an http(s) URL, got "${redactSecrets(value)}"`, {
      hint: `Set ${source} to the REST API base, e.g. ${PUBLIC_API_URL}.`,
    });
  }
  if (url.username || url.password) {
    throw new BlueError('VALUE_INVALID', `${source} must not carry credentials: "${redactSecrets(value)}"`, {
      hint: 'Remove user:password@ from the URL and provide the token through GH_TOKEN or `gh auth login`.',
    });
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The GitHub host an API base belongs to: api.github.com -> github.com, https://ghe.example.com/api/v3 -> ghe.example.com. */
export function apiHost(apiUrl: string): string {
  const { host } = new URL(apiUrl);
  if (host === 'api.github.com') return 'github.com';
  const tenancy = /^api\.([^.]+\.ghe\.com)$/.exec(host);
  return tenancy ? tenancy[1]! : host;
}

/** Whether `host` is a GitHub Enterprise Server host (as gh decides: not github.com, not *.ghe.com). */
export function isEnterpriseHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return name !== 'github.com' && !name.endsWith('.ghe.com') && name !== 'github.localhost';
}
