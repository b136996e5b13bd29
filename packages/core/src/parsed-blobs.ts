import { createHash } from 'node:crypto';
import { requireFromCore } from './package-root.js';
import type { FileKind, FileKinds } from './types.js';
import { validateFile } from './validate.js';

/**
 * Parsed and validated realm files by git blob id (issue 25): a blob id names the bytes, so an
 * entry never goes stale; a CLI process loads the entries earlier runs saved (in BLUE_HOME) and
 * parses only files whose bytes it has not seen. Data only, never code. An entry is handed out only
 * when it still validates as its kind (a corrupt or hand-edited entry is dropped and parsed again),
 * and saved entries of another salt (format or Blue version) are ignored. Bounded: the entries used
 * last are kept, up to MAX_ENTRIES (or the bound it was made with). Entries are kept as JSON text, so every hit is a fresh object
 * (callers may change what they get) and what is saved is what was parsed.
 */
export class ParsedBlobCache {
  static readonly MAX_ENTRIES = 40_000;

  /** `max`: the bound (default MAX_ENTRIES); a cache of a few domains' files is kept smaller. */
  constructor(private readonly max: number = ParsedBlobCache.MAX_ENTRIES) {}
  /** JSON text by `<kind>:<blob id>`; `checked`: those validated as their kind in this process. */
  private readonly entries = new Map<string, string>();
  private readonly checked = new Set<string>();
  private added = 0;

  private saltText: string | undefined;

  /** What the parse depends on (this format, Blue's version): saved entries of another salt are ignored. */
  get salt(): string {
    this.saltText ??= `realm-blobs@1 core@${(requireFromCore('./package.json') as { version: string }).version}`;
    return this.saltText;
  }

  get size(): number {
    return this.entries.size;
  }

  get<K extends FileKind>(kind: K, oid: string): FileKinds[K] | undefined {
    const key = `${kind}:${oid}`;
    const text = this.entries.get(key);
    if (text === undefined) return undefined;
    this.entries.delete(key);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!this.checked.has(key)) {
      if (validateFile(kind, value).length > 0) return undefined;
      this.checked.add(key);
    }
    this.entries.set(key, text);
    return value as FileKinds[K];
  }

  /** Whether an entry is held for the blob (not whether it is valid: `get` says that). */
  has(kind: FileKind, oid: string): boolean {
    return this.entries.has(`${kind}:${oid}`);
  }

  set<K extends FileKind>(kind: K, oid: string, value: FileKinds[K]): void {
    const key = `${kind}:${oid}`;
    this.entries.delete(key);
    this.entries.set(key, JSON.stringify(value));
    this.checked.add(key);
    this.added += 1;
    while (this.entries.size > this.max) this.forget(this.entries.keys().next().value as string);
  }

  private forget(key: string): void {
    this.entries.delete(key);
    this.checked.delete(key);
  }

  /** Adds entries an earlier run saved (`{salt, entries}`); another salt, or anything malformed, is ignored. */
  load(saved: unknown): void {
    if (typeof saved !== 'object' || saved === null || (saved as { salt?: unknown }).salt !== this.salt) return;
    const entries = (saved as { entries?: unknown }).entries;
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return;
    const known = [...this.entries];
    this.entries.clear();
    for (const [key, text] of Object.entries(entries)) if (typeof text === 'string' && /^[a-z-]+:[0-9a-f]{40,64}$/.test(key)) this.entries.set(key, text);
    for (const [key, text] of known) {
      this.entries.delete(key);
      this.entries.set(key, text);
    }
    while (this.entries.size > this.max) this.forget(this.entries.keys().next().value as string);
  }

  /** Whether entries were added since the last `saved()`. */
  get changed(): boolean {
    return this.added > 0;
  }

  /** The entries to save (and marks them saved). */
  saved(): { salt: string; entries: Record<string, string> } {
    this.added = 0;
    return { salt: this.salt, entries: Object.fromEntries(this.entries) };
  }

  clear(): void {
    this.entries.clear();
    this.checked.clear();
    this.added = 0;
  }
}

/** git's id of a blob holding `bytes` (sha1, or sha256 for a repository of that object format: told by the id's length). */
export function gitBlobId(bytes: Uint8Array, like: string): string {
  return createHash(like.length === 64 ? 'sha256' : 'sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
