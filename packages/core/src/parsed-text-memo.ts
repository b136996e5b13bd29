import type { FileKind } from './types.js';

/**
 * The last parsed and validated value of each file readYamlFile read, by kind and path, kept with
 * the text it came from. Invalidation: by content — a read whose text is not exactly the kept
 * text parses again and replaces the entry, so a changed file is never answered from the memo
 * (no timestamps involved). Only the kinds one command reads several times are kept (the user's
 * index, realm.yaml and a repo's `.blue/config.yaml`: membership, the realm's location, its write
 * and the local clones each read them); bounded: past MAX_ENTRIES paths it starts over. Hits are
 * deep copies: callers may change what they get.
 */
export class ParsedTextMemo {
  static readonly MAX_ENTRIES = 64;
  private entries = new Map<string, { text: string; value: unknown }>();

  constructor(private readonly kinds: ReadonlySet<FileKind>) {}

  /** The value kept for `path` when its text is `text`; undefined otherwise (or for a kind not kept). */
  get(kind: FileKind, path: string, text: string): unknown {
    const entry = this.kinds.has(kind) ? this.entries.get(`${kind}\0${path}`) : undefined;
    return entry === undefined || entry.text !== text ? undefined : structuredClone(entry.value);
  }

  set(kind: FileKind, path: string, text: string, value: unknown): void {
    if (!this.kinds.has(kind)) return;
    if (this.entries.size >= ParsedTextMemo.MAX_ENTRIES) this.entries.clear();
    this.entries.set(`${kind}\0${path}`, { text, value: structuredClone(value) });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** readYamlFile's memo (see ParsedTextMemo). */
export const parsedUserFiles = new ParsedTextMemo(new Set<FileKind>(['index', 'realm', 'config']));
