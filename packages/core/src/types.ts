/** The files of a realm and of a code repo, as TypeScript types. Each matches a JSON Schema in `schemas/`. */

export type Admission = 'open' | 'approval' | 'invite-only';

export interface Governance {
  admission: Admission;
  approvers: string[];
  breaking_changes: { require_approval: boolean; grace_period_days: number };
  /** Identities (e.g. CI bots) that may publish for the domains they are granted (`*`: every domain). */
  bots?: GovernanceBot[];
}

/** realm.yaml `governance.bots[]`. */
export interface GovernanceBot {
  email: string;
  domains: string[];
}

/** realm.yaml */
export interface RealmFile {
  name: string;
  version: string;
  created_at: string;
  governance: Governance;
}

/** domains/<d>/domain.yaml */
export interface DomainFile {
  name: string;
  repo_url?: string;
  github?: string;
  /** Ignored by Blue: a realm file never decides which local folder Blue acts on. */
  repo_path?: string;
  maintainers: string[];
  joined_at: string;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonSchemaObject = Record<string, JsonValue>;

export interface ChangelogEntry {
  version: string;
  date: string;
  changes: string[];
  /** True when this version breaks importers of the previous one (a major bump). */
  breaking?: boolean;
  /** The governance approver who approved this breaking change (git user.email). */
  approved_by?: string;
  approved_at?: string;
}

/** What an export's value is, which decides how a binding covers it (DESIGN.md, "Bindings"). */
export type ExportKind = 's3-paths' | 'openapi' | 'env-vars' | 'generic';

export interface PublishedExport {
  name: string;
  version: string;
  description?: string;
  /** How bindings cover the value; absent in exports published before kinds (see exportKind). */
  kind?: ExportKind;
  /** For `s3-paths` values relative to one bucket: that bucket. */
  bucket?: string;
  schema: JsonSchemaObject;
  value: JsonValue;
  changelog: ChangelogEntry[];
}

/** domains/<d>/exports.yaml */
export interface RealmExportsFile {
  exports: PublishedExport[];
}

export type DetectRule =
  | { kind: 's3-paths'; bucket?: string; include?: string[]; exclude?: string[] }
  | { kind: 'command'; command: string[]; timeout_ms?: number }
  | { kind: 'file'; path: string; pointer?: string }
  | { kind: 'openapi'; path: string }
  | { kind: 'env-vars'; include?: string[]; exclude?: string[] };

export interface DeclaredExport {
  name: string;
  /** The version to publish at the next sync, when the user asked for one. */
  version?: string;
  description?: string;
  schema?: JsonSchemaObject;
  value?: JsonValue;
  detect?: DetectRule;
}

/** <repo>/.blue/exports.yaml */
export interface RepoExportsFile {
  exports: DeclaredExport[];
}

export type ImportStatus = 'current' | 'stale' | 'broken';

export interface ImportEntry {
  contract: string;
  from: string;
  version: string;
  binding: string;
  status: ImportStatus;
  resolved_version?: string;
  resolved_at?: string;
  grace_until?: string;
  /**
   * The binding's object grants in the export's bucket, per access, as the consumer's last sync
   * read them (s3-paths imports whose binding is a policy Blue reads in full). Lets the provider
   * tell, without the consumer's files, that a new value is already granted.
   */
  grants?: { read: string[]; write: string[] };
}

/** domains/<d>/imports.yaml */
export interface ImportsFile {
  imports: ImportEntry[];
}

/** <repo>/.blue/config.yaml */
export interface RepoConfigFile {
  /** `url`: the realm's remote as configured (how every machine finds it); `path`: an optional local hint, relative to the repo. */
  realm: { name: string; url?: string; path?: string; domain: string };
}

/** $BLUE_HOME/index.yaml as Blue works with it: `path` is this machine's clone of each realm. */
export interface IndexFile {
  realms: Array<{ name: string; path: string; url?: string; domains?: Array<{ name: string; path: string }> }>;
}

/** $BLUE_HOME/index.yaml as written (the RFC's fields): the clone is `local_path`; files written before 0.2 say `path`. */
export interface IndexFileOnDisk {
  realms: Array<{ name: string; local_path?: string; path?: string; url?: string; domains?: Array<{ name: string; path: string }> }>;
}

/** `awaiting`: no local clone where the change was started; its owner joins with `blue realm worktree --join`. */
export type WorktreeDomainStatus = 'active' | 'awaiting' | 'pushed' | 'merged' | 'abandoned';

/** One domain of a unified worktree (worktrees/<branch-slug>.yaml). */
export interface WorktreeDomain {
  name: string;
  status: WorktreeDomainStatus;
  commits: number;
  pr?: { number: number; url: string };
  /** Who to ask to run their part (recorded while `awaiting`). */
  maintainers?: string[];
  /** Exports this domain's branch changes, with the version published when its PR was opened (null: none yet). */
  exports_changed?: Array<{ name: string; published: string | null }>;
}

/** worktrees/<branch-slug>.yaml */
export interface WorktreeFile {
  name: string;
  created_at: string;
  source_rfc: string;
  domains: WorktreeDomain[];
  coordination: {
    commits: Array<{ message: string; linked: boolean; shas: Record<string, string | null> }>;
    merge_order?: string[];
  };
  /** Set by `blue realm done`: the change is finished; the file stays as history. */
  finished_at?: string;
}

/** One repo-declared command this user trusts: $BLUE_HOME/trust.yaml */
export interface TrustRecord {
  repo: string;
  realm?: string;
  domain?: string;
  export?: string;
  command: string[];
  sha256: string;
  trusted_at: string;
}

/** $BLUE_HOME/trust.yaml */
export interface TrustFile {
  trusted: TrustRecord[];
}

/** The schema id of each file kind, and the type it validates to. */
export interface FileKinds {
  realm: RealmFile;
  domain: DomainFile;
  'realm-exports': RealmExportsFile;
  'repo-exports': RepoExportsFile;
  imports: ImportsFile;
  config: RepoConfigFile;
  index: IndexFileOnDisk;
  worktree: WorktreeFile;
  trust: TrustFile;
}

export type FileKind = keyof FileKinds;

export const FILE_KINDS: readonly FileKind[] = [
  'realm',
  'domain',
  'realm-exports',
  'repo-exports',
  'imports',
  'config',
  'index',
  'worktree',
  'trust',
];
