import type { PolicyToken, StringPart } from './policy-tokens.js';

/**
 * Expressions of the policy-bearing languages, as far as a policy needs them: strings (with
 * interpolations), lists, objects (JSON, Python dicts, JS objects, HCL objects and blocks),
 * dotted names, calls (Python keyword arguments included) and `+`. Anything else is `other`.
 */
export type Expr =
  | { t: 'str'; parts: StringPart[] }
  | { t: 'list'; items: Expr[] }
  | { t: 'spread'; of: Expr }
  | { t: 'obj'; entries: Array<[string, Expr]> }
  | { t: 'ref'; name: string }
  | { t: 'call'; callee: string; args: Expr[]; kwargs: Array<[string, Expr]> }
  | { t: 'concat'; left: Expr; right: Expr }
  | { t: 'heredoc'; text: string }
  | { t: 'other' };

const MAX_DEPTH = 64;
const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** A parser over a token list; every parse step consumes at least one token. */
export class ExprParser {
  constructor(private readonly tokens: readonly PolicyToken[]) {}

  /** The expression starting at token `at`, and the index after it. */
  parse(at: number, depth = 0): [Expr, number] {
    if (depth > MAX_DEPTH) return [{ t: 'other' }, this.skip(at)];
    let [left, i] = this.primary(at, depth);
    while (this.isPunct(i, '+')) {
      const [right, next] = this.primary(i + 1, depth + 1);
      left = { t: 'concat', left, right };
      i = next;
    }
    // TypeScript `as const`, `as string[]`.
    while (this.isIdent(i, 'as')) i = this.skipType(i + 1);
    return [left, i];
  }

  private primary(at: number, depth: number): [Expr, number] {
    const tok = this.tokens[at];
    if (tok === undefined) return [{ t: 'other' }, at + 1];
    if (tok.kind === 'string') {
      const parts = [...tok.parts];
      let i = at + 1;
      // Python's implicit concatenation: "a" "b".
      for (let next = this.tokens[i]; next?.kind === 'string'; next = this.tokens[++i]) parts.push(...next.parts);
      return [{ t: 'str', parts }, i];
    }
    if (tok.kind === 'heredoc') return [{ t: 'heredoc', text: tok.text }, at + 1];
    if (tok.kind === 'punct') {
      if (tok.text === '[') return this.list(at + 1, ']', depth);
      if (tok.text === '(') {
        const [list, end] = this.list(at + 1, ')', depth);
        return [list.t === 'list' && list.items.length === 1 && !this.hasComma(at, end) ? (list.items[0] as Expr) : list, end];
      }
      if (tok.text === '{') return this.object(at + 1, depth);
      if ((tok.text === '*' || tok.text === '...' || tok.text === '**') && depth > 0) {
        const [of, end] = this.parse(at + 1, depth + 1);
        return [{ t: 'spread', of }, end];
      }
      return [{ t: 'other' }, at + 1];
    }
    if (tok.kind === 'ident') {
      if (tok.text === 'new') return this.primary(at + 1, depth);
      let name = tok.text;
      let i = at + 1;
      while ((this.isPunct(i, '.') || this.isPunct(i, '?.')) && this.tokens[i + 1]?.kind === 'ident') {
        name += `.${(this.tokens[i + 1] as { text: string }).text}`;
        i += 2;
      }
      if (this.isPunct(i, '(')) return this.call(name, i + 1, depth);
      if (this.isPunct(i, '[')) return [{ t: 'other' }, this.skip(i)];
      return [{ t: 'ref', name }, i];
    }
    return [{ t: 'other' }, at + 1];
  }

  private list(at: number, close: string, depth: number): [Expr, number] {
    const items: Expr[] = [];
    let i = at;
    while (i < this.tokens.length && !this.isPunct(i, close)) {
      if (this.isPunct(i, ',')) {
        i++;
        continue;
      }
      const [item, next] = this.parse(i, depth + 1);
      items.push(item);
      i = this.toSeparator(next, close);
    }
    return [{ t: 'list', items }, i + 1];
  }

  private object(at: number, depth: number): [Expr, number] {
    const entries: Array<[string, Expr]> = [];
    let i = at;
    while (i < this.tokens.length && !this.isPunct(i, '}')) {
      const tok = this.tokens[i] as PolicyToken;
      if (tok.kind === 'punct' && (tok.text === ',' || tok.text === ';')) {
        i++;
        continue;
      }
      const key = tok.kind === 'ident' ? tok.text : tok.kind === 'string' ? literalText(tok.parts) : undefined;
      if (key !== undefined && (this.isPunct(i + 1, ':') || this.isPunct(i + 1, '='))) {
        const [value, next] = this.parse(i + 2, depth + 1);
        entries.push([key, value]);
        // HCL separates entries by newlines: what follows a value is the next key, not junk.
        i = next;
      } else if (key !== undefined && this.isPunct(i + 1, '{')) {
        // An HCL block: `condition { ... }`.
        const [value, next] = this.object(i + 2, depth + 1);
        entries.push([key, value]);
        i = next;
      } else {
        const [, next] = this.parse(i, depth + 1);
        i = this.toSeparator(next, '}');
      }
    }
    return [{ t: 'obj', entries }, i + 1];
  }

  private call(callee: string, at: number, depth: number): [Expr, number] {
    const args: Expr[] = [];
    const kwargs: Array<[string, Expr]> = [];
    let i = at;
    while (i < this.tokens.length && !this.isPunct(i, ')')) {
      if (this.isPunct(i, ',')) {
        i++;
        continue;
      }
      const tok = this.tokens[i] as PolicyToken;
      if (tok.kind === 'ident' && this.isPunct(i + 1, '=')) {
        const [value, next] = this.parse(i + 2, depth + 1);
        kwargs.push([tok.text, value]);
        i = this.toSeparator(next, ')');
        continue;
      }
      const [value, next] = this.parse(i, depth + 1);
      args.push(value);
      i = this.toSeparator(next, ')');
    }
    return [{ t: 'call', callee, args, kwargs }, i + 1];
  }

  /** Skips what the parser did not understand up to the next `,` or the closing bracket. */
  private toSeparator(at: number, close: string): number {
    let i = at;
    while (i < this.tokens.length && !this.isPunct(i, ',') && !this.isPunct(i, close)) {
      if (this.isCloser(i)) return i;
      i = this.skip(i);
    }
    return i;
  }

  /** The index after the token at `at`, or after its balanced group when it opens one. */
  skip(at: number): number {
    const tok = this.tokens[at];
    const close = tok?.kind === 'punct' ? CLOSE[tok.text] : undefined;
    if (close === undefined) return at + 1;
    let depth = 0;
    for (let i = at; i < this.tokens.length; i++) {
      const t = this.tokens[i] as PolicyToken;
      if (t.kind !== 'punct') continue;
      if (CLOSE[t.text] !== undefined) depth++;
      else if (/^[)\]}]$/.test(t.text) && --depth === 0) return i + 1;
    }
    return this.tokens.length;
  }

  private skipType(at: number): number {
    let i = at;
    while (this.tokens[i]?.kind === 'ident' || this.isPunct(i, '.') || this.isPunct(i, '[') || this.isPunct(i, ']')) i++;
    return i;
  }

  private hasComma(open: number, end: number): boolean {
    let depth = 0;
    for (let i = open + 1; i < end - 1; i++) {
      const t = this.tokens[i];
      if (t?.kind !== 'punct') continue;
      if (CLOSE[t.text] !== undefined) depth++;
      else if (/^[)\]}]$/.test(t.text)) depth--;
      else if (t.text === ',' && depth === 0) return true;
    }
    return false;
  }

  private isCloser(i: number): boolean {
    const t = this.tokens[i];
    return t?.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}');
  }

  isPunct(i: number, text: string): boolean {
    const t = this.tokens[i];
    return t?.kind === 'punct' && t.text === text;
  }

  isIdent(i: number, text: string): boolean {
    const t = this.tokens[i];
    return t?.kind === 'ident' && t.text === text;
  }
}

/** The text of a string without interpolations; undefined when it has some. */
export function literalText(parts: readonly StringPart[]): string | undefined {
  let text = '';
  for (const part of parts) {
    if ('expr' in part) return undefined;
    text += part.lit;
  }
  return text;
}
