/**
 * Tokens of the policy-bearing languages Blue reads bindings in: Python and TypeScript (CDK),
 * Terraform (HCL) and JSON. Forgiving: it never throws; an unterminated string ends the file.
 * Strings keep their interpolations as parts (`f"{BUCKET}/x"`, `` `${BUCKET}/x` ``,
 * `"${var.bucket}/x"`) so names can be resolved later.
 */

export type Dialect = 'python' | 'typescript' | 'hcl' | 'json';

/** A literal piece of a string, or an interpolated expression's source text. */
export type StringPart = { lit: string } | { expr: string };

export type PolicyToken =
  | { kind: 'ident'; text: string; start: number; lineStart: boolean }
  | { kind: 'string'; parts: StringPart[]; start: number; lineStart: boolean }
  | { kind: 'number'; text: string; start: number; lineStart: boolean }
  | { kind: 'punct'; text: string; start: number; lineStart: boolean }
  | { kind: 'heredoc'; text: string; start: number; lineStart: boolean };

const PUNCT3 = new Set(['...', '===', '!==']);
const PUNCT2 = new Set(['==', '!=', '<=', '>=', '=>', '**', '->', '::', '<<']);

export function tokenizePolicy(text: string, dialect: Dialect): PolicyToken[] {
  const out: PolicyToken[] = [];
  let i = 0;
  let lineStart = true;
  const hash = dialect === 'python' || dialect === 'hcl';
  const slashes = dialect === 'typescript' || dialect === 'hcl';
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\n') {
      lineStart = true;
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ((hash && ch === '#') || (slashes && ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (slashes && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    const start = i;
    const atLineStart = lineStart;
    lineStart = false;
    if (dialect === 'hcl' && text.startsWith('<<', i) && /^<<-?[A-Za-z_]/.test(text.slice(i, i + 4))) {
      const m = /^<<-?([A-Za-z_]\w*)[^\n]*\n/.exec(text.slice(i));
      if (m !== null) {
        const bodyStart = i + m[0].length;
        const close = new RegExp(`^[ \\t]*${m[1] ?? ''}[ \\t]*$`, 'm').exec(text.slice(bodyStart));
        const bodyEnd = close === null ? text.length : bodyStart + close.index;
        out.push({ kind: 'heredoc', text: text.slice(bodyStart, bodyEnd), start, lineStart: atLineStart });
        i = close === null ? text.length : bodyEnd + close[0].length;
        continue;
      }
    }
    const prefix = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(?="|')/.exec(text.slice(i, i + 3));
    if (dialect === 'python' && prefix !== null) {
      const read = readQuoted(text, i + prefix[0].length, { python: true, fstring: /f/i.test(prefix[0]), raw: /r/i.test(prefix[0]) });
      out.push({ kind: 'string', parts: read.parts, start, lineStart: atLineStart });
      i = read.end;
      continue;
    }
    if (ch === '"' || ch === "'" || (ch === '`' && dialect === 'typescript')) {
      const read = readQuoted(text, i, { python: false, fstring: false, raw: false, template: ch === '`', hcl: dialect === 'hcl' });
      out.push({ kind: 'string', parts: read.parts, start, lineStart: atLineStart });
      i = read.end;
      continue;
    }
    const word = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i, i + 200));
    if (word !== null) {
      // Hyphens belong to HCL identifiers only.
      const name = dialect === 'hcl' ? word[0] : word[0].replace(/-.*$/, '');
      out.push({ kind: 'ident', text: name, start, lineStart: atLineStart });
      i += name.length;
      continue;
    }
    const num = /^\d[\w.]*/.exec(text.slice(i, i + 100));
    if (num !== null) {
      out.push({ kind: 'number', text: num[0], start, lineStart: atLineStart });
      i += num[0].length;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const punct = PUNCT3.has(three) ? three : PUNCT2.has(two) ? two : ch;
    out.push({ kind: 'punct', text: punct, start, lineStart: atLineStart });
    i += punct.length;
  }
  return out;
}

interface QuoteOptions {
  python: boolean;
  fstring: boolean;
  raw: boolean;
  template?: boolean;
  hcl?: boolean;
}

function readQuoted(text: string, at: number, options: QuoteOptions): { parts: StringPart[]; end: number } {
  const q = text[at] as string;
  const triple = options.python && text.startsWith(q.repeat(3), at);
  const close = triple ? q.repeat(3) : q;
  const parts: StringPart[] = [];
  let lit = '';
  let i = at + close.length;
  const flush = (): void => {
    if (lit !== '') parts.push({ lit });
    lit = '';
  };
  while (i < text.length) {
    if (text.startsWith(close, i)) return { parts: (flush(), parts), end: i + close.length };
    const ch = text[i] as string;
    if (!triple && !options.template && ch === '\n') break;
    if (ch === '\\' && !options.raw) {
      const next = text[i + 1] ?? '';
      lit += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      i += 2;
      continue;
    }
    const interpolation = (options.fstring && ch === '{' && text[i + 1] !== '{') || ((options.template || options.hcl) && ch === '$' && text[i + 1] === '{');
    if (interpolation) {
      const open = ch === '{' ? i : i + 1;
      const end = matchingBrace(text, open);
      flush();
      parts.push({ expr: text.slice(open + 1, end).trim() });
      i = end + 1;
      continue;
    }
    if (options.fstring && (ch === '{' || ch === '}') && text[i + 1] === ch) {
      lit += ch;
      i += 2;
      continue;
    }
    lit += ch;
    i++;
  }
  flush();
  return { parts, end: i };
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length;
}
