import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { BlueError } from './errors.js';
import { decodeYamlBytes, notRegular, parseFileOfKind } from './files.js';
import type { FileKind, FileKinds } from './types.js';
import { assertYamlSize } from './yaml.js';

/**
 * Parsed and validated files, by what git's index would call them unchanged: path, device,
 * inode, size, and modification and change times in nanoseconds. Invalidation: any write to a
 * file changes its change time (Blue's writes and git's checkouts also give it a new inode), so a
 * changed file misses; a file changed less than RACY_MS ago is not remembered, as git treats such
 * "racily clean" entries, because the clock's granularity could hide a second write. Bounded:
 * past MAX_ENTRIES the memo starts over. Hits are deep copies: callers may change what they get.
 */
/** A file changed less than this long ago is not remembered (its timestamps could hide a second write). */
export const RACY_MS = 2_000;

export class ParsedFileMemo {
  static readonly MAX_ENTRIES = 100_000;
  private entries = new Map<string, unknown>();

  /** `racyMs`: how recently changed a file may be and still be remembered (default RACY_MS). */
  constructor(private readonly racyMs: number = RACY_MS) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): unknown {
    const value = this.entries.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  set(key: string, value: unknown, changedNs: bigint): void {
    if (BigInt(Date.now()) * 1_000_000n - changedNs < BigInt(this.racyMs) * 1_000_000n) return;
    if (this.entries.size >= ParsedFileMemo.MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, structuredClone(value));
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * readYamlFile for a file whose folders the caller knows are real folders inside the root (not
 * symlinks): the file is opened without following a symlink, so no realpath is needed to keep
 * reads inside the root, and an unchanged file is parsed once per memo. A symlink fails with
 * ELOOP: the caller then reads it the checked way (readYamlFile with `within`). Errors are
 * readYamlFile's (ENOENT as thrown by node). `onBytes` sees the file's bytes, on a memo hit too (read, not parsed).
 */
export async function readYamlFileNoFollow<K extends FileKind>(kind: K, path: string, label: string, memo: ParsedFileMemo, onBytes?: (bytes: Buffer) => void): Promise<FileKinds[K]> {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it unread.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | constants.O_NOFOLLOW);
  try {
    const stat = await handle.stat({ bigint: true });
    if (stat.isDirectory()) throw new BlueError('NOT_A_DIRECTORY', `${label} is a folder, expected a YAML file.`);
    if (!stat.isFile()) throw notRegular(label);
    assertYamlSize(Number(stat.size), label);
    const key = `${kind}\0${path}\0${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    const known = memo.get(key);
    if (known !== undefined) {
      // A caller remembering files by their bytes (a blob-id cache) still sees them: read, not parsed.
      if (onBytes !== undefined) onBytes(await handle.readFile());
      return known as FileKinds[K];
    }
    const bytes = await handle.readFile();
    onBytes?.(bytes);
    const value = parseFileOfKind(kind, decodeYamlBytes(bytes, label), label);
    memo.set(key, value, stat.ctimeNs > stat.mtimeNs ? stat.ctimeNs : stat.mtimeNs);
    return value;
  } finally {
    await handle.close();
  }
}
