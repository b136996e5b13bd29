import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type ParsedNode } from 'yaml';
import { jsonEqual } from './diff/value-diff.js';
import { BlueError } from './errors.js';
import type { JsonValue } from './types.js';

/** A parsed YAML document that remembers where each node came from. */
export interface ParsedYaml {
  value: unknown;
  doc: Document.Parsed;
  lines: LineCounter;
  file: string;
}

export interface Position {
  line: number;
  column: number;
}

/** Limits that keep hostile documents (alias bombs, huge nesting, huge files) from exhausting memory. */
const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of maps and lists Blue reads; real files nest fewer than 10 levels. */
export const MAX_YAML_DEPTH = 64;
/** Largest YAML file Blue reads, in bytes (a realm's largest real file is a few KiB). */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;

/**
 * Parses YAML text. Syntax errors, duplicate keys, tab indentation, alias bombs and nesting
 * deeper than MAX_YAML_DEPTH throw YAML_SYNTAX naming `file:line:column`; text longer than
 * MAX_YAML_BYTES throws FILE_TOO_LARGE before it is parsed. A leading BOM is accepted.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  assertYamlSize(Buffer.byteLength(text, 'utf8'), file);
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const problem = doc.errors[0];
  if (problem !== undefined) {
    const pos = lines.linePos(problem.pos[0]);
    const reason = problem.message.split('\n')[0] ?? problem.message;
    // The parser recurses per level: a document nested thousands deep overflows its stack.
    if (/call stack/i.test(reason)) throw tooDeep(file, pos.line);
    throw new BlueError('YAML_SYNTAX', `${file}:${pos.line}:${pos.col}: ${reason}`, {
      file,
      line: pos.line,
      column: pos.col,
      hint: `Fix the YAML at ${file} line ${pos.line}, then run the command again.`,
    });
  }
  const deep = deepestNode(doc.contents);
  if (deep !== undefined) throw tooDeep(file, lines.linePos(deep).line);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new BlueError('YAML_SYNTAX', `${file}: ${(err as Error).message}`, {
      file,
      hint: 'Remove the excessive aliases (*ref) from the file; Blue refuses documents that expand without bound.',
    });
  }
  // Aliases can nest a document deeper than its text does.
  if (jsonDepth(value) > MAX_YAML_DEPTH) throw tooDeep(file, undefined);
  return { value, doc, lines, file };
}

/** FILE_TOO_LARGE when a YAML file of `bytes` bytes is over MAX_YAML_BYTES. */
export function assertYamlSize(bytes: number, file: string): void {
  if (bytes <= MAX_YAML_BYTES) return;
  throw new BlueError('FILE_TOO_LARGE', `${file} is ${(bytes / 1024 / 1024).toFixed(1)} MiB; Blue reads YAML files of at most ${MAX_YAML_BYTES / 1024 / 1024} MiB.`, {
    file,
    hint: `Shrink ${file} (a realm file holds names and versions, not data), then run the command again.`,
  });
}

/** How deeply maps and lists nest in `value` (a scalar is 0), counted without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const todo: Array<[unknown, number]> = [[value, 0]];
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const [node, depth] = item;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    // Stop early: an alias bomb has far more nodes than its depth warrants looking at.
    if (deepest > MAX_YAML_DEPTH) return deepest;
    for (const child of Object.values(node)) todo.push([child, depth + 1]);
  }
  return deepest;
}

/** The offset of the first node nested deeper than MAX_YAML_DEPTH, if any. */
function deepestNode(root: unknown): number | undefined {
  const todo: Array<[unknown, number]> = [[root, 0]];
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const [node, depth] = item;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth + 1 > MAX_YAML_DEPTH) return node.range?.[0] ?? 0;
    for (const child of node.items) {
      if (isMap(node)) todo.push([(child as { value?: unknown }).value, depth + 1]);
      else todo.push([child, depth + 1]);
    }
  }
  return undefined;
}

function tooDeep(file: string, line: number | undefined): BlueError {
  return new BlueError('YAML_SYNTAX', `${file}${line === undefined ? '' : `:${line}`}: maps and lists nest deeper than ${MAX_YAML_DEPTH} levels.`, {
    file,
    line,
    hint: `Flatten ${file}; Blue refuses documents nested more than ${MAX_YAML_DEPTH} levels deep.`,
  });
}

/** Where the node at `pointer` (or its nearest existing parent) starts, 1-based. */
export function locate(parsed: ParsedYaml, pointer: ReadonlyArray<string | number>): Position | undefined {
  for (let depth = pointer.length; depth >= 0; depth--) {
    const node = depth === 0 ? parsed.doc.contents : parsed.doc.getIn(pointer.slice(0, depth), true);
    const range = (node as ParsedNode | null | undefined)?.range;
    if (range) {
      const pos = parsed.lines.linePos(range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

export interface StringifyOptions {
  /** Comment lines written at the top of a new file (without the leading `# `). */
  header?: string[];
}

/** Serialises a value as a YAML document in Blue's style (2-space indent, no line folding). */
export function stringifyYaml(value: unknown, options: StringifyOptions = {}): string {
  const doc = new Document(value);
  if (options.header && options.header.length > 0) doc.commentBefore = options.header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ indent: 2, lineWidth: 0 });
}

/**
 * Rewrites `existing` YAML text so that it holds `value`, keeping the comments and the key
 * order of what was there; new keys are appended, removed keys are dropped.
 */
export function updateYaml(existing: string, value: unknown): string {
  const doc = parseDocument(existing.replace(/^\uFEFF/, ''));
  if (doc.errors.length > 0 || doc.contents === null) return stringifyYaml(value);
  doc.contents = merge(doc, doc.contents, value) as typeof doc.contents;
  const text = doc.toString({ indent: 2, lineWidth: 0 });
  // A kept style cannot hold every value (a block scalar loses a blank string): then the value
  // wins over the comments and layout.
  const back = parseDocument(text);
  const wanted = JSON.parse(JSON.stringify(value) ?? 'null') as JsonValue;
  return back.errors.length === 0 && jsonEqual(back.toJS() as JsonValue, wanted) ? text : stringifyYaml(value);
}

function merge(doc: Document, node: unknown, value: unknown): Node {
  if (isMap(node) && isPlainObject(value)) {
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key !== 'string' || !Object.hasOwn(value, key)) node.delete(pair.key);
    }
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (pair) pair.value = merge(doc, pair.value, child);
      else node.set(doc.createNode(key), doc.createNode(child));
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(value)) {
    node.items = value.map((child, i) => merge(doc, node.items[i], child));
    return node;
  }
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    node.value = value;
    return node;
  }
  return doc.createNode(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
