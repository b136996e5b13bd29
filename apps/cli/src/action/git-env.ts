/**
 * The environment git runs with in the Action: the bot's identity and, with a realm token, an
 * `http.<server>/.extraheader` for the realm's HTTPS remote — both as GIT_CONFIG_COUNT/KEY/VALUE
 * entries (command-line strength config), so the token is never in a URL, an argument or a
 * config file, and nothing is left behind on the runner.
 */
export interface GitEnvOptions {
  identity: { name: string; email: string };
  /** Push access to the realm's remote over HTTPS (sent as the header actions/checkout uses). */
  realmToken?: string | undefined;
  /** The GitHub web server the realm lives on (GITHUB_SERVER_URL; default https://github.com). */
  serverUrl?: string | undefined;
}

/** `AUTHORIZATION: basic …` for a token, as git sends it to GitHub; a secret to mask. */
export function authorizationHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64')}`;
}

export function actionGitEnv(env: Readonly<Record<string, string | undefined>>, options: GitEnvOptions): Record<string, string | undefined> {
  const entries: Array<[string, string]> = [
    ['user.name', options.identity.name],
    ['user.email', options.identity.email],
  ];
  if (options.realmToken) {
    const server = (options.serverUrl || 'https://github.com').replace(/\/+$/, '');
    entries.push([`http.${server}/.extraheader`, authorizationHeader(options.realmToken)]);
  }
  const out: Record<string, string | undefined> = { ...env };
  const start = Number(env.GIT_CONFIG_COUNT ?? '0') || 0;
  entries.forEach(([key, value], i) => {
    out[`GIT_CONFIG_KEY_${start + i}`] = key;
    out[`GIT_CONFIG_VALUE_${start + i}`] = value;
  });
  out.GIT_CONFIG_COUNT = String(start + entries.length);
  // Never prompt on a runner: a missing credential is an error, not a hang.
  out.GIT_TERMINAL_PROMPT = '0';
  return out;
}
