import type { IndexFile } from '../types.js';

/** The index with `domain` of `realm` recorded at `domainPath` (replacing an older record). */
export function withIndexDomain(index: IndexFile, realm: { name: string; path: string; url?: string }, domain: { name: string; path: string }): IndexFile {
  // A realm is one entry per clone (name + path): two clones of one realm, or two realms that
  // happen to share a name, never overwrite each other's domains.
  const same = (r: { name: string; path: string }): boolean => r.name === realm.name && r.path === realm.path;
  const realms = index.realms.filter((r) => !same(r));
  const existing = index.realms.find(same);
  const domains = (existing?.domains ?? []).filter((d) => d.name !== domain.name);
  domains.push({ name: domain.name, path: domain.path });
  domains.sort((a, b) => a.name.localeCompare(b.name));
  realms.push({ ...existing, name: realm.name, path: realm.path, ...(realm.url === undefined ? {} : { url: realm.url }), domains });
  realms.sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
  return { realms };
}

/** The index without `domain` of the realm clone at `realm.path`. */
export function withoutIndexDomain(index: IndexFile, realm: { name: string; path: string }, domain: string): IndexFile {
  return {
    realms: index.realms.map((r) => (r.name === realm.name && r.path === realm.path ? { ...r, domains: (r.domains ?? []).filter((d) => d.name !== domain) } : r)),
  };
}

/** The local folder of a domain's repo on this machine, from the user's index only. */
export function indexDomainPath(index: IndexFile, realm: string, domain: string): string | undefined {
  return index.realms.find((r) => r.name === realm)?.domains?.find((d) => d.name === domain)?.path;
}
