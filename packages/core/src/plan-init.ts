import { CODEOWNERS_FILE, CONTRACTS_DIR, DOMAINS_DIR, REALM_FILE } from './layout.js';
import { assertName } from './names.js';
import type { Governance, RealmFile } from './types.js';
import { assertValidFile } from './files.js';
import { withSchemaLine } from './schema-line.js';
import { stringifyYaml } from './yaml.js';

/** A file a plan will create, relative to the realm root. */
export interface PlannedFile {
  path: string;
  content: string;
}

export interface RealmInitPlan {
  realm: RealmFile;
  files: PlannedFile[];
}

export interface RealmInitInput {
  name: string;
  now: Date;
  /** Email of the person creating the realm; becomes the first approver. */
  creator?: string | undefined;
}

export const DEFAULT_GOVERNANCE: Governance = {
  admission: 'approval',
  approvers: [],
  breaking_changes: { require_approval: true, grace_period_days: 14 },
};

/** Plans a new realm: the files to write and their content. Pure; validates the name. */
export function planRealmInit(input: RealmInitInput): RealmInitPlan {
  assertName('realm', input.name);
  const realm: RealmFile = {
    name: input.name,
    version: '1.0.0',
    created_at: input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    governance: {
      ...DEFAULT_GOVERNANCE,
      approvers: input.creator ? [input.creator] : [],
      breaking_changes: { ...DEFAULT_GOVERNANCE.breaking_changes },
    },
  };
  assertValidFile('realm', realm, REALM_FILE);
  const realmYaml = withSchemaLine('realm', stringifyYaml(realm, {
    header: [
      `Realm ${input.name}: repositories that coordinate through Blue.`,
      'governance.admission: open | approval | invite-only (who can add domains)',
      'governance.breaking_changes: what a breaking export change needs before it is published',
    ],
  }));
  return {
    realm,
    files: [
      { path: REALM_FILE, content: realmYaml },
      { path: `${DOMAINS_DIR}/.gitkeep`, content: '' },
      { path: `${CONTRACTS_DIR}/.gitkeep`, content: '' },
      { path: CODEOWNERS_FILE, content: renderCodeowners(input.name, realm.governance.approvers, []) },
    ],
  };
}

export interface CodeownersDomain {
  name: string;
  maintainers: string[];
}

/**
 * CODEOWNERS for a realm: governance files owned by the approvers, each domain folder by its
 * maintainers, so a pull request touching a domain needs that domain's review.
 */
export function renderCodeowners(realm: string, approvers: readonly string[], domains: readonly CodeownersDomain[]): string {
  const lines = [
    `# Realm ${realm}: each domain folder is owned by its maintainers.`,
    '# Written by `blue realm join` and `blue realm leave`; `blue realm check` verifies it.',
  ];
  if (approvers.length > 0) {
    lines.push(`/${REALM_FILE} ${approvers.join(' ')}`, `/.github/ ${approvers.join(' ')}`);
  }
  for (const domain of [...domains].sort((a, b) => a.name.localeCompare(b.name))) {
    if (domain.maintainers.length > 0) lines.push(`/${DOMAINS_DIR}/${domain.name}/ ${domain.maintainers.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}
