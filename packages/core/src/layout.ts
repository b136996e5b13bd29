/** Where things live in a realm repo and in a code repo, as relative paths. */
export const REALM_FILE = 'realm.yaml';
export const DOMAINS_DIR = 'domains';
export const CONTRACTS_DIR = 'contracts';
export const WORKTREES_DIR = 'worktrees';
export const CODEOWNERS_FILE = '.github/CODEOWNERS';

export const REPO_CONFIG_FILE = '.blue/config.yaml';
export const REPO_EXPORTS_FILE = '.blue/exports.yaml';
export const INDEX_FILE = 'index.yaml';

export type DomainFileName = 'domain.yaml' | 'exports.yaml' | 'imports.yaml';

export function domainDir(domain: string): string {
  return `${DOMAINS_DIR}/${domain}`;
}

export function domainFilePath(domain: string, file: DomainFileName): string {
  return `${domainDir(domain)}/${file}`;
}
