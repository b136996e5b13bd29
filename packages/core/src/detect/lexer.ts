/**
 * A small, forgiving tokenizer for the languages S3 literals are found in. It knows just enough
 * to tell code from comments and strings, and to say which call (and which argument of it) each
 * string literal sits in. It never fails: unterminated strings end at the end of their line.
 */

export type Language = 'python' | 'hash' | 'c-like';

export type TokenKind = 'ident' | 'string' | 'punct' | 'newline' | 'other';

export interface Token {
  kind: TokenKind;
  /** Identifier or punctuation text; for strings, the content between the quotes. */
  text: string;
  /** Offset of the first character of `text` in the file (for strings: after the quote). */
  start: number;
  /** Index of this token in the token list. */
  index: number;
  /** String prefix (`f`, `rb`, ...) for Python strings. */
  prefix?: string;
  /** The bracket frames open at this token, innermost last, with the argument index in each. */
  frames?: FramePosition[];
}

/** An open bracket: a call when `callee` is set. */
export interface Frame {
  open: '(' | '[' | '{';
  /** The called name for `name(`, `obj.name(`; undefined for definitions and plain brackets. */
  callee?: string;
  /** A call made on this call's result: `S3Path("s3://…").write_text(…)`. */
  next?: Frame;
  /** String literals given directly as arguments (e.g. the mode of `open(uri, "w")`). */
  stringArgs: string[];
}

export interface FramePosition {
  frame: Frame;
  /** Zero-based index of the argument (comma count) in the frame at this point. */
  arg: number;
}

/** Comment and string syntax: `#` or `//` line comments, block comments, Python triple quotes. */
const SPECS: Record<Language, { hash: boolean; slashes: boolean; triple: boolean }> = {
  python: { hash: true, slashes: false, triple: true },
  hash: { hash: true, slashes: false, triple: false },
  'c-like': { hash: false, slashes: true, triple: false },
};

/** Shared by every token outside brackets; never mutated. */
const NO_FRAMES: FramePosition[] = [];
const DEFINITION_KEYWORDS = new Set(['def', 'function', 'func', 'fn', 'class', 'fun']);
const PY_STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;
const TWO_CHAR_OPS = new Set(['==', '!=', '<=', '>=', '=>', ':=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '//', '->']);
const CLOSERS: Record<string, '(' | '[' | '{'> = { ')': '(', ']': '[', '}': '{' };

/** Splits `text` into tokens, dropping comments and whitespace (newlines are kept). */
export function tokenize(text: string, language: Language): Token[] {
  const spec = SPECS[language];
  const tokens: Token[] = [];
  const stack: Array<{ frame: Frame; arg: number }> = [];
  const closedAt = new Map<number, Frame>();
  const push = (token: Omit<Token, 'index'>): Token => {
    const full: Token = { kind: token.kind, text: token.text, start: token.start, index: tokens.length, frames: token.frames };
    tokens.push(full);
    return full;
  };
  const snapshot = (): FramePosition[] => (stack.length === 0 ? NO_FRAMES : stack.map((s) => ({ frame: s.frame, arg: s.arg })));
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\n') {
      push({ kind: 'newline', text: '\n', start: i });
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      i++;
      continue;
    }
    if ((spec.hash && ch === '#') || (spec.slashes && ch === '/' && text[i + 1] === '/')) {
      i = lineEnd(text, i);
      continue;
    }
    if (spec.slashes && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      i = readString(text, i, '', { language, push, stack });
      continue;
    }
    if (isIdentStart(text.charCodeAt(i))) {
      let end = i + 1;
      while (end < text.length && isIdentPart(text.charCodeAt(end))) end++;
      const word = text.slice(i, end);
      const quote = text[end];
      if (language === 'python' && (quote === '"' || quote === "'") && PY_STRING_PREFIX.test(word)) {
        i = readString(text, end, word.toLowerCase(), { language, push, stack });
        continue;
      }
      push({ kind: 'ident', text: word, start: i, frames: snapshot() });
      i = end;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      let end = i + 1;
      while (end < text.length && /[0-9A-Za-z_.]/.test(text[end] as string)) end++;
      push({ kind: 'other', text: text.slice(i, end), start: i });
      i = end;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      push({ kind: 'punct', text: two, start: i });
      i += 2;
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') {
      const frame: Frame = { open: ch, stringArgs: [] };
      if (ch === '(') linkCall(frame, tokens, closedAt);
      push({ kind: 'punct', text: ch, start: i });
      stack.push({ frame, arg: 0 });
      i++;
      continue;
    }
    const opener = CLOSERS[ch];
    if (opener !== undefined) {
      const top = stack[stack.length - 1];
      if (top !== undefined && top.frame.open === opener) {
        stack.pop();
        closedAt.set(tokens.length, top.frame);
      }
      push({ kind: 'punct', text: ch, start: i });
      i++;
      continue;
    }
    if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top !== undefined) top.arg++;
    }
    push({ kind: 'punct', text: ch, start: i });
    i++;
  }
  return tokens;
}

/** Names the call an opening parenthesis starts, and links `call(…).method(` chains. */
function linkCall(frame: Frame, tokens: readonly Token[], closedAt: ReadonlyMap<number, Frame>): void {
  const name = tokens[tokens.length - 1];
  if (name?.kind !== 'ident') return;
  const before = tokens[tokens.length - 2];
  if (before?.kind === 'ident' && DEFINITION_KEYWORDS.has(before.text)) return;
  frame.callee = name.text;
  if (before?.text === '.') {
    const receiver = closedAt.get(tokens.length - 3);
    if (receiver !== undefined) receiver.next = frame;
  }
}

interface StringContext {
  language: Language;
  push: (token: Omit<Token, 'index'>) => Token;
  stack: Array<{ frame: Frame; arg: number }>;
}

/** Reads the string literal starting at the quote at `at`; returns the offset after it. */
function readString(text: string, at: number, prefix: string, ctx: StringContext): number {
  const quote = text[at] as string;
  const triple = SPECS[ctx.language].triple && text.startsWith(quote.repeat(3), at);
  const open = triple ? 3 : 1;
  const start = at + open;
  const template = quote === '`';
  let i = start;
  let end = -1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (template && ch === '$' && text[i + 1] === '{') {
      i = skipBraces(text, i + 1);
      continue;
    }
    if (triple ? text.startsWith(quote.repeat(3), i) : ch === quote) {
      end = i;
      break;
    }
    if (ch === '\n' && !triple && !template) break;
    i++;
  }
  const close = end === -1 ? i : end;
  const frames = ctx.stack.length === 0 ? NO_FRAMES : ctx.stack.map((s) => ({ frame: s.frame, arg: s.arg }));
  const token = ctx.push({ kind: 'string', text: text.slice(start, close), start, frames });
  if (prefix !== '') token.prefix = prefix;
  const top = ctx.stack[ctx.stack.length - 1];
  if (top !== undefined) top.frame.stringArgs.push(token.text);
  return end === -1 ? close : end + open;
}

/** Offset after the `}` matching the `{` at `at` (or the end of the text). */
export function skipBraces(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end;
}

/** 1-based line of each offset, by binary search over line starts. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
