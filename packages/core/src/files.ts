import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, mkdir, open, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { BlueError, hasErrno } from './errors.js';
import type { FileKind, FileKinds } from './types.js';
import { parsedUserFiles } from './parsed-text-memo.js';
import { withSchemaLine } from './schema-line.js';
import { validateFile } from './validate.js';
import { assertWritableYaml } from './write-limits.js';
import { assertYamlSize, locate, parseYaml, stringifyYaml, updateYaml } from './yaml.js';

/** What to call a file in messages (relative to the realm or repo), when it differs from its path. */
export interface FileLabel {
  label?: string;
  /**
   * The folder the file must stay in once symlinks are resolved (the realm or repo it belongs
   * to): a file that leads outside it, e.g. a symlink committed to a realm, is PATH_INVALID.
   */
  within?: string;
}

/**
 * Writes a file atomically: a temp file in the same folder, then rename. A reader sees the old
 * content or the new one, never half of either; a failure leaves no temp file behind. With
 * `mode`, the new file has exactly those permissions (e.g. an existing private file's 0600)
 * before it takes the old one's place.
 */
export async function writeFileAtomic(path: string, content: string, options: { mode?: number } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flag: 'wx', mode: options.mode ?? 0o666 });
    if (options.mode !== undefined) await chmod(temp, options.mode);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Reads a YAML file of a known kind and validates it; errors name the file, line and field. */
export async function readYamlFile<K extends FileKind>(kind: K, path: string, options: FileLabel = {}): Promise<FileKinds[K]> {
  const label = options.label ?? path;
  if (options.within !== undefined) await assertPathWithin(options.within, path, label);
  const text = await readYamlText(path, label);
  // The user's index, realm.yaml and .blue/config.yaml are read several times by one command: parsed once per content (ParsedTextMemo).
  const known = parsedUserFiles.get(kind, path, text);
  if (known !== undefined) return known as FileKinds[K];
  const value = parseFileOfKind(kind, text, label);
  parsedUserFiles.set(kind, path, text, value);
  return value;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a YAML file, which must be UTF-8 (a UTF-8 BOM is kept for parseYaml to drop):
 * FILE_TOO_LARGE over MAX_YAML_BYTES (checked before reading), YAML_SYNTAX for UTF-16/32 or
 * bytes that are not UTF-8, NOT_A_DIRECTORY... for a folder; ENOENT as thrown by node.
 */
export async function readYamlText(path: string, label: string = path): Promise<string> {
  let bytes: Buffer;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it unread.
    const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw new BlueError('NOT_A_DIRECTORY', `${label} is a folder, expected a YAML file.`);
      if (!stat.isFile()) throw notRegular(label);
      assertYamlSize(stat.size, label);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (hasErrno(err, 'EISDIR')) throw new BlueError('NOT_A_DIRECTORY', `${label} is a folder, expected a YAML file.`);
    throw err;
  }
  return decodeYamlBytes(bytes, label);
}

/** A YAML file's bytes as text: within MAX_YAML_BYTES, UTF-8 (YAML_SYNTAX naming the line otherwise). */
export function decodeYamlBytes(bytes: Buffer, label: string): string {
  assertYamlSize(bytes.length, label);
  if (/^(\xff\xfe|\xfe\xff)/.test(bytes.subarray(0, 2).toString('latin1'))) throw notUtf8(label, 'it starts with a UTF-16 or UTF-32 byte order mark');
  try {
    return UTF8.decode(bytes);
  } catch {
    // The replacement character marks the first byte that is not UTF-8.
    const text = bytes.toString('utf8');
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw notUtf8(label, `line ${line} holds bytes that are not UTF-8 (Latin-1 or another legacy encoding?)`, line);
  }
}

/** FILE_NOT_REGULAR: a FIFO, device or socket where a file was expected. */
export function notRegular(label: string): BlueError {
  return new BlueError('FILE_NOT_REGULAR', `${label} is not a regular file (a FIFO, device or socket); Blue does not read it.`, {
    file: label,
    hint: `Replace ${label} with a regular file (\`git checkout -- ${label}\` restores a tracked one), then run the command again.`,
  });
}

function notUtf8(label: string, why: string, line?: number): BlueError {
  return new BlueError('YAML_SYNTAX', `${label}${line === undefined ? '' : `:${line}`} is not UTF-8 text: ${why}.`, {
    file: label,
    line,
    hint: `Save ${label} as UTF-8 (e.g. \`iconv -t UTF-8\`), then run the command again.`,
  });
}

/**
 * PATH_INVALID when `path`, symlinks resolved (as far as it exists), is not inside `root`
 * (symlinks resolved too): a symlink in a realm or repo that leads outside it.
 */
export async function assertPathWithin(root: string, path: string, label: string): Promise<void> {
  const real = await realpathOfExisting(path);
  const rel = relative(await realpath(root), real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new BlueError('PATH_INVALID', `${label} leads outside ${root} (through a symlink, to ${real}); Blue reads only files inside it.`, {
      file: label,
      hint: `Replace the symlink on the way to ${label} with the real file or folder (\`git rm\` it and commit the real one), then run the command again.`,
    });
  }
}

/** The real path of `path`'s deepest part that exists (a missing file's folder may be a symlink). */
async function realpathOfExisting(path: string): Promise<string> {
  for (let at = path; ; at = dirname(at)) {
    try {
      return join(await realpath(at), relative(at, path));
    } catch (err) {
      if (!hasErrno(err, 'ENOENT') && !hasErrno(err, 'ENOTDIR')) throw err;
      if (dirname(at) === at) return path;
    }
  }
}

/** Like readYamlFile, but returns undefined when the file does not exist. */
export async function readYamlFileIfExists<K extends FileKind>(kind: K, path: string, options: FileLabel = {}): Promise<FileKinds[K] | undefined> {
  try {
    return await readYamlFile(kind, path, options);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
}

/** Parses and validates YAML text of a known kind. Throws YAML_SYNTAX or SCHEMA_INVALID. */
export function parseFileOfKind<K extends FileKind>(kind: K, text: string, label: string): FileKinds[K] {
  const parsed = parseYaml(text, label);
  const issues = validateFile(kind, parsed.value);
  const first = issues[0];
  if (first === undefined) return parsed.value as FileKinds[K];
  const pos = locate(parsed, first.pointer);
  const where = pos ? `${label}:${pos.line}` : label;
  const field = first.path === '' ? 'the document' : first.path;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new BlueError('SCHEMA_INVALID', `${where}: ${field} ${first.message}${more}`, {
    file: label,
    line: pos?.line,
    column: pos?.column,
    hint: `Fix ${field} in ${label}, then run \`blue realm check\` to validate the realm.`,
  });
}

export interface WriteYamlOptions {
  /** Comment lines for a new file. */
  header?: string[];
  label?: string;
  /** Permissions of the written file (e.g. 0o600 for a private file). */
  mode?: number;
}

/**
 * Validates `value` as a file of `kind` and writes it atomically. An existing file keeps its
 * comments and key order. Invalid values are refused (SCHEMA_INVALID) before anything is written.
 * The file starts with the `# yaml-language-server: $schema=…` line of its kind.
 */
export async function writeYamlFile<K extends FileKind>(kind: K, path: string, value: FileKinds[K], options: WriteYamlOptions = {}): Promise<void> {
  const text = await renderYamlFile(kind, path, value, options);
  await writeFileAtomic(path, text, options.mode === undefined ? {} : { mode: options.mode });
}

/** The text writeYamlFile would write, without writing it. */
export async function renderYamlFile<K extends FileKind>(kind: K, path: string, value: FileKinds[K], options: WriteYamlOptions = {}): Promise<string> {
  assertValidFile(kind, value, options.label ?? path);
  let existing: string | undefined;
  try {
    existing = await readFile(path, 'utf8');
  } catch (err) {
    if (!hasErrno(err, 'ENOENT')) throw err;
  }
  const text = withSchemaLine(kind, existing === undefined ? stringifyYaml(value, { header: options.header ?? [] }) : updateYaml(existing, value));
  // Never write what readYamlText would refuse to read back.
  assertWritableYaml(options.label ?? path, text, value);
  return text;
}

/** Throws SCHEMA_INVALID when `value` is not a valid file of `kind`. */
export function assertValidFile<K extends FileKind>(kind: K, value: unknown, label: string): asserts value is FileKinds[K] {
  const first = validateFile(kind, value)[0];
  if (first === undefined) return;
  throw new BlueError('SCHEMA_INVALID', `${label}: ${first.path === '' ? 'the document' : first.path} ${first.message}`, {
    file: label,
    hint: 'This is the value Blue was about to write; check the flags or tool arguments you gave.',
  });
}
