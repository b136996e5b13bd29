import type { JsonSchemaObject } from '../types.js';
import { deepFreeze } from '../deep-freeze.js';
import { lineLocator, type Language } from './lexer.js';
import { type S3Access, shellAccess } from './s3-access.js';
import { scanCode } from './s3-code.js';
import { normaliseS3Uri, scanS3Uris } from './s3-uri.js';

export type { S3Access } from './s3-access.js';

/** A tracked file's path (relative to the repo, `/`-separated) and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** One S3 location a file uses: bucket, normalised key pattern, and how it is used. */
export interface S3Finding {
  bucket: string;
  key: string;
  access: S3Access;
  /** SourceFile.path of the file it was found in. */
  file: string;
  /** 1-based line of the `s3://`. */
  line: number;
}

export interface S3PathsValue {
  read: string[];
  write: string[];
}

/** The default export name for detected S3 paths. */
export const S3_EXPORT_NAME = 'required-s3-permissions';

const STRING_LIST = (description: string): JsonSchemaObject => ({ type: 'array', description, items: { type: 'string' } });

/** JSON Schema (draft 2020-12 compatible) of an s3-paths export value. Frozen; no shared sub-objects. */
export const S3_PATHS_SCHEMA: JsonSchemaObject = deepFreeze({
  type: 'object',
  description: 'S3 key patterns (`*` matches any characters, `/` included) this domain reads and writes.',
  additionalProperties: false,
  required: ['read', 'write'],
  properties: {
    read: STRING_LIST('Key patterns that are read (get, download, list, head).'),
    write: STRING_LIST('Key patterns that are written (put, upload, delete).'),
  },
});

type FileMode = { kind: 'code'; language: Language } | { kind: 'text'; comments: boolean; shell: boolean } | { kind: 'skip' };

const PYTHON = new Set(['py', 'pyi', 'pyx']);
const HASH_CODE = new Set(['rb', 'pl', 'pm', 'r']);
const C_LIKE = new Set(['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'go', 'java', 'kt', 'kts', 'scala', 'groovy', 'rs', 'cs', 'swift', 'c', 'h', 'cc', 'cpp', 'hpp', 'php', 'dart']);
const SHELL = new Set(['sh', 'bash', 'zsh', 'ksh', 'mk']);
const SHELL_NAMES = new Set(['dockerfile', 'makefile', 'containerfile', 'justfile']);
const DOCS = new Set(['md', 'markdown', 'mdx', 'rst', 'txt', 'adoc', 'asciidoc', 'html', 'htm', 'org', 'tex']);
const NO_COMMENTS = new Set(['json', 'ipynb', 'csv', 'tsv']);

/**
 * How a file is read, from its name: code files are tokenized (comments and docstrings skipped,
 * access from the calling code); shell scripts, Dockerfiles and Makefiles line by line (`#`
 * comments skipped, `aws s3 cp|mv|sync|rm` tell writes); documentation (Markdown, reST, text,
 * HTML) is skipped, since it describes paths rather than using them; every other file (YAML,
 * TOML, JSON, .env, ...) is configuration read line by line, its URIs counted as reads.
 */
function fileMode(path: string): FileMode {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  const ext = dot <= 0 ? '' : base.slice(dot + 1);
  if (PYTHON.has(ext)) return { kind: 'code', language: 'python' };
  if (HASH_CODE.has(ext)) return { kind: 'code', language: 'hash' };
  if (C_LIKE.has(ext)) return { kind: 'code', language: 'c-like' };
  if (DOCS.has(ext)) return { kind: 'skip' };
  if (SHELL.has(ext) || SHELL_NAMES.has(base) || base.startsWith('dockerfile.')) return { kind: 'text', comments: true, shell: true };
  return { kind: 'text', comments: !NO_COMMENTS.has(ext), shell: false };
}

/**
 * Finds the `s3://bucket/key` literals of a file. Keys are normalised (placeholders → `*`,
 * prefixes → `prefix*`; see normaliseS3Uri) and each literal is classified as read or write from
 * the call it is passed to (`get_object`, `download_file`, `list_objects_v2`, `head_object`,
 * `read_*` read; `put_object`, `upload_file`, `upload_fileobj`, `write_*`, `to_*`, `delete_*`
 * write), or, for a literal assigned to a name, from the calls that use the name later in the
 * same file. A literal used both ways gives two findings; one whose access cannot be told is a
 * read. Comments, docstrings and documentation files are skipped (see fileMode).
 */
export function findS3Paths(file: SourceFile): S3Finding[] {
  if (!file.text.includes('s3://')) return [];
  const mode = fileMode(file.path);
  if (mode.kind === 'skip') return [];
  if (mode.kind === 'text') return scanText(file, mode);
  const findings: S3Finding[] = [];
  for (const literal of scanCode(file.text, mode.language)) {
    const accesses: S3Access[] = literal.access.size === 0 ? ['read'] : (['read', 'write'] as const).filter((a) => literal.access.has(a));
    for (const access of accesses) findings.push({ bucket: literal.bucket, key: literal.key, access, file: file.path, line: literal.line });
  }
  return findings;
}

function scanText(file: SourceFile, mode: { comments: boolean; shell: boolean }): S3Finding[] {
  const findings: S3Finding[] = [];
  const lineOf = lineLocator(file.text);
  let start = 0;
  for (const fullLine of file.text.split('\n')) {
    const line = mode.comments ? fullLine.replace(/(^|\s)#.*$/, '') : fullLine;
    for (const uri of scanS3Uris(line)) {
      const location = normaliseS3Uri(uri.raw);
      if (location === undefined) continue;
      const access = (mode.shell ? shellAccess(line, uri.raw) : undefined) ?? 'read';
      findings.push({ ...location, access, file: file.path, line: lineOf(start + uri.offset) });
    }
    start += fullLine.length + 1;
  }
  return findings;
}

/**
 * The export value of some findings: sorted (by UTF-16 code units), de-duplicated key patterns
 * per access. With `bucket`, only that bucket's findings count and keys are relative to it
 * (`jobs/*\/masks/*`); without it, every key is prefixed with its bucket
 * (`cultivarium-fungal/jobs/*\/masks/*`, the resource part of an IAM ARN), so paths of different
 * buckets never mix. Keys are kept as found: a pattern covered by another is not removed.
 */
export function s3PathsValue(findings: readonly S3Finding[], options: { bucket?: string | undefined } = {}): S3PathsValue {
  const read = new Set<string>();
  const write = new Set<string>();
  for (const f of findings) {
    if (options.bucket !== undefined && f.bucket !== options.bucket) continue;
    const key = options.bucket === undefined ? `${f.bucket}/${f.key}` : f.key;
    (f.access === 'write' ? write : read).add(key);
  }
  return { read: [...read].sort(compareCodeUnits), write: [...write].sort(compareCodeUnits) };
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
