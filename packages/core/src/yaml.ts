import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type ParsedNode } from 'yaml';
import { BlueError } from './errors.js';

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

/** Limits that keep hostile documents (alias bombs, huge nesting) from exhausting memory. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML text. Syntax errors, duplicate keys and alias bombs throw YAML_SYNTAX naming
 * `file:line:column`. A leading BOM is accepted.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const problem = doc.errors[0];
  if (problem !== undefined) {
    const pos = lines.linePos(problem.pos[0]);
    const reason = problem.message.split('\n')[0] ?? problem.message;
    throw new BlueError('YAML_SYNTAX', `${file}:${pos.line}:${pos.col}: ${reason}`, {
      file,
      line: pos.line,
      column: pos.col,
      hint: `Fix the YAML at ${file} line ${pos.line}, then run the command again.`,
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new BlueError('YAML_SYNTAX', `${file}: ${(err as Error).message}`, {
      file,
      hint: 'Remove the excessive aliases (*ref) from the file; Blue refuses documents that expand without bound.',
    });
  }
  return { value, doc, lines, file };
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
  return doc.toString({ indent: 2, lineWidth: 0 });
}

function merge(doc: Document, node: unknown, value: unknown): Node {
  if (isMap(node) && isPlainObject(value)) {
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key !== 'string' || !(key in value)) node.delete(pair.key);
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
