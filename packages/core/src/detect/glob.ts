/**
 * A tiny glob matcher for include/exclude rules over repo-relative, `/`-separated paths
 * (Node 20's `path.matchesGlob` is experimental and warns). Rules:
 * - `*` matches any characters but `/`; `?` one character but `/`; `**` any number of whole
 *   folders (`a/**\/b` matches `a/b` and `a/x/y/b`; a trailing `/**` everything below).
 * - A pattern without `/` (other than a trailing one) matches at any depth, like .gitignore:
 *   `*.py` matches `models/training/runs.py`.
 * - A pattern also matches everything inside a folder it matches: `tests` or `tests/` matches
 *   `tests/test_storage.py`.
 * - A leading `/` or `./` anchors to the repo root and is otherwise ignored.
 */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const regexps = patterns.map(globRegExp);
  return (path) => regexps.some((re) => re.test(path));
}

function globRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/^\.\//, '');
  const anchored = p.startsWith('/') || p.replace(/\/+$/, '').includes('/');
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  let body = '';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] as string;
    if (ch === '*' && p[i + 1] === '*') {
      const slashAfter = p[i + 2] === '/';
      body += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (ch === '*') body += '[^/]*';
    else if (ch === '?') body += '[^/]';
    else body += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}(?:/.*)?$`);
}
