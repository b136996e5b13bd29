/**
 * One remote as its configurations spell it: `https://github.com/acme/realm.git`,
 * `https://token@github.com/acme/realm/`, `ssh://git@github.com/acme/realm` and
 * `git@github.com:acme/realm.git` are the same repository; a local path is itself. The key drops the
 * scheme, the user and credentials, a trailing slash and `.git`, and lower-cases the host.
 */
export function remoteUrlKey(url: string): string {
  const text = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/@\s]*@)?([^/]*)(.*)$/i.exec(text);
  const scp = scheme === null ? /^(?:[^/@\s:]+@)?([^/:\s]+):(?!\/\/)(.+)$/.exec(text) : null;
  let key: string;
  if (scheme !== null && scheme[1]?.toLowerCase() === 'file') key = `${scheme[2] ?? ''}${scheme[3] ?? ''}`;
  else if (scheme !== null) key = `${(scheme[2] ?? '').toLowerCase()}/${(scheme[3] ?? '').replace(/^\/+/, '')}`;
  else if (scp !== null && !/^[a-z]$/i.test(scp[1] ?? '')) key = `${(scp[1] ?? '').toLowerCase()}/${(scp[2] ?? '').replace(/^\/+/, '')}`;
  else key = text;
  return key.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
}

/** Whether two configured URLs name the same remote (remoteUrlKey); false when either is missing. */
export function sameRemoteUrl(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && remoteUrlKey(a) === remoteUrlKey(b);
}
