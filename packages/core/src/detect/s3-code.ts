import { type Language, type Token, lineLocator, tokenize } from './lexer.js';
import { type S3Access, accessFromFrames } from './s3-access.js';
import { normaliseS3Uri, scanS3Uris, type S3Location } from './s3-uri.js';

/** One literal found in code, with every access the code shows (empty: cannot tell). */
export interface CodeLiteral extends S3Location {
  line: number;
  access: Set<S3Access>;
}

const STATEMENT_END = new Set(['\n', ';', '}']);
const OPERAND_END = new Set([',', ')', ']', '}', ';', '\n', '=', ':']);
const URI_CHUNK = /^[^\s"'`,;()[\]\\|]*/;

/**
 * The S3 literals in the string literals of a code file. Comments are skipped, and so are
 * strings that are a statement on their own (docstrings). Access comes from the enclosing
 * calls; for a literal assigned to a name (`MASKS = "s3://…"`), from the calls that use the
 * name later in the file (until it is assigned again).
 */
export function scanCode(text: string, language: Language): CodeLiteral[] {
  const tokens = tokenize(text, language);
  const constants = stringConstants(tokens);
  const lineOf = lineLocator(text);
  const uses = new NameIndex(tokens);
  const found: CodeLiteral[] = [];
  for (const token of tokens) {
    if (token.kind !== 'string' || !token.text.includes('s3://') || isDocstring(tokens, token)) continue;
    for (const uri of scanS3Uris(token.text)) {
      // The literal itself must name a bucket: `"s3://" + bucket + …` builds URIs, names none.
      if (normaliseS3Uri(uri.raw, constants) === undefined) continue;
      const raw = uri.toEnd ? uri.raw + concatenated(tokens, token.index) : uri.raw;
      const location = normaliseS3Uri(raw, constants);
      if (location === undefined) continue;
      found.push({ ...location, line: lineOf(token.start + uri.offset), access: literalAccess(tokens, token, uses) });
    }
  }
  return found;
}

function literalAccess(tokens: readonly Token[], token: Token, uses: NameIndex): Set<S3Access> {
  const own = accessFromFrames(token.frames ?? []);
  if (own !== undefined) return new Set([own]);
  const name = assignedName(tokens, token);
  return name === undefined ? new Set() : usageAccess(tokens, uses.after(name, token.index));
}

/** Where each identifier occurs, built once per file so following names stays linear. */
class NameIndex {
  private readonly positions = new Map<string, number[]>();

  constructor(tokens: readonly Token[]) {
    for (const token of tokens) {
      if (token.kind !== 'ident') continue;
      const list = this.positions.get(token.text);
      if (list === undefined) this.positions.set(token.text, [token.index]);
      else list.push(token.index);
    }
  }

  /** Token indexes of `name` after token `from`. */
  after(name: string, from: number): number[] {
    return (this.positions.get(name) ?? []).filter((index) => index > from);
  }
}

/** Accesses of the calls that use a name (at `positions`), until it is assigned again. */
function usageAccess(tokens: readonly Token[], positions: readonly number[]): Set<S3Access> {
  const access = new Set<S3Access>();
  for (const i of positions) {
    const token = tokens[i] as Token;
    if (tokens[i + 1]?.text === '=') break;
    const used = accessFromFrames(token.frames ?? []);
    if (used !== undefined) access.add(used);
  }
  return access;
}

/** The name a string is assigned to: `NAME = "…"`, `NAME: str = "…"`, `NAME := "…"`. */
function assignedName(tokens: readonly Token[], token: Token): string | undefined {
  const frames = token.frames ?? [];
  if (frames[frames.length - 1]?.frame.open === '(') return undefined;
  let i = token.index - 1;
  const op = tokens[i];
  if (op?.text !== '=' && op?.text !== ':=') return undefined;
  let name = tokens[i - 1];
  if (tokens[i - 2]?.text === ':' && name?.kind === 'ident') {
    i -= 2;
    name = tokens[i - 1];
  }
  return name?.kind === 'ident' ? name.text : undefined;
}

/** Plain string constants of the file (`BUCKET = "cultivarium-fungal"`), the last one winning. */
function stringConstants(tokens: readonly Token[]): Map<string, string> {
  const constants = new Map<string, string>();
  for (const token of tokens) {
    if (token.kind !== 'string' || token.prefix?.includes('f') || /[{}$%]/.test(token.text)) continue;
    const name = assignedName(tokens, token);
    const after = tokens[token.index + 1];
    if (name !== undefined && (after === undefined || STATEMENT_END.has(after.text))) constants.set(name, token.text);
  }
  return constants;
}

/** A string that is a whole statement by itself: a docstring or a no-op, not data. */
function isDocstring(tokens: readonly Token[], token: Token): boolean {
  const inner = token.frames?.[token.frames.length - 1]?.frame.open;
  if (inner === '(' || inner === '[') return false;
  const before = tokens[token.index - 1];
  const after = tokens[token.index + 1];
  const startsStatement = before === undefined || before.kind === 'newline' || before.text === ';' || before.text === '{';
  const endsStatement = after === undefined || STATEMENT_END.has(after.text);
  return startsStatement && endsStatement;
}

/**
 * What `+` concatenation adds after a URI that runs to the end of its string:
 * `"s3://b/jobs/" + job_id + "/config.json"` continues with `*\/config.json`.
 */
function concatenated(tokens: readonly Token[], index: number): string {
  let out = '';
  let i = index + 1;
  while (tokens[i]?.text === '+') {
    const operand = tokens[i + 1];
    if (operand === undefined) break;
    if (operand.kind === 'string') {
      const chunk = URI_CHUNK.exec(operand.text)?.[0] ?? '';
      out += chunk;
      if (chunk.length !== operand.text.length) break;
      i += 2;
      continue;
    }
    out += '*';
    i = skipOperand(tokens, i + 1);
  }
  return out;
}

/** Index of the token after the operand starting at `i` (names, calls, indexing). */
function skipOperand(tokens: readonly Token[], i: number): number {
  let depth = 0;
  for (; i < tokens.length; i++) {
    const text = (tokens[i] as Token).text;
    if (text === '(' || text === '[' || text === '{') depth++;
    else if (depth > 0 && (text === ')' || text === ']' || text === '}')) depth--;
    else if (depth === 0 && (text === '+' || OPERAND_END.has(text))) return i;
  }
  return i;
}
