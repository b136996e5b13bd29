import { BlueError, redactSecrets } from '@blue/core';

/** A repository on GitHub. */
export interface RepoRef {
  owner: string;
  name: string;
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

function valid(owner: string, name: string): boolean {
  return SEGMENT.test(owner) && SEGMENT.test(name) && name !== '.' && name !== '..';
}

/** Parses `owner/name`; undefined when it is not one. */
export function parseRepoSlug(slug: string): RepoRef | undefined {
  const m = /^([^/\s]+)\/([^/\s]+?)(?:\.git)?$/.exec(slug.trim());
  return m && valid(m[1]!, m[2]!) ? { owner: m[1]!, name: m[2]! } : undefined;
}

/**
 * Parses a git remote URL in https (`https://host/owner/name(.git)`), ssh
 * (`ssh://git@host[:port]/owner/name.git`), git:// or scp-like (`git@host:owner/name.git`) form.
 * Returns undefined for anything else (local paths, file:// URLs, deeper paths).
 */
export function parseRepoUrl(url: string): (RepoRef & { host: string }) | undefined {
  const text = url.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)([^\s]+)$/.exec(text);
  let host: string;
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(parsed.protocol)) return undefined;
    host = parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  } else if (scp && !/^[A-Za-z]$/.test(scp[1]!)) {
    host = scp[1]!;
    path = scp[2]!;
  } else {
    return undefined;
  }
  const ref = parseRepoSlug(path.replace(/^\/+/, '').replace(/\/+$/, ''));
  return ref && host ? { ...ref, host } : undefined;
}

/**
 * The GitHub repository of a realm domain: `github: owner/name` from domain.yaml, else parsed
 * from `repo_url`. Throws VALUE_INVALID naming `file` when neither gives one.
 */
export function repoFromDomain(domain: { name?: string; github?: string; repo_url?: string }, file = 'domain.yaml'): RepoRef {
  if (domain.github !== undefined) {
    const ref = parseRepoSlug(domain.github);
    if (ref) return ref;
    throw new BlueError('VALUE_INVALID', `${file}: github must be "owner/name", got "${domain.github}"`, {
      file,
      hint: 'Write the repository as owner/name, e.g. `github: acme/aperture`.',
    });
  }
  if (domain.repo_url !== undefined) {
    const ref = parseRepoUrl(domain.repo_url);
    if (ref) return { owner: ref.owner, name: ref.name };
    throw new BlueError('VALUE_INVALID', `${file}: repo_url "${redactSecrets(domain.repo_url)}" does not name a GitHub repository (owner/name)`, {
      file,
      hint: 'Add `github: owner/name` to the domain file.',
    });
  }
  throw new BlueError('VALUE_INVALID', `${file}: domain${domain.name ? ` "${domain.name}"` : ''} has neither github nor repo_url`, {
    file,
    hint: 'Add `github: owner/name` to the domain file.',
  });
}
