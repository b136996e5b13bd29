import { literalText, type ExprParser, type Expr } from './policy-expr.js';
import type { PolicyToken } from './policy-tokens.js';

/** Names assigned a value in the file (`READ_PATHS = [...]`, `const BUCKET = "..."`, HCL locals). */
export type Symbols = ReadonlyMap<string, Expr>;

const DECLARE = new Set(['const', 'let', 'var', 'export', 'readonly', 'private', 'public', 'static']);

/**
 * Every assignment `name = expr` (or `const name: T = expr`) that starts a line or follows a
 * declaration keyword; the first assignment of a name wins. Dotted names (`self.paths`) count.
 */
export function collectSymbols(tokens: readonly PolicyToken[], parser: ExprParser): Map<string, Expr> {
  const symbols = new Map<string, Expr>();
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as PolicyToken;
    if (tok.kind !== 'ident' || DECLARE.has(tok.text)) continue;
    const prev = tokens[i - 1];
    const declared = prev?.kind === 'ident' && DECLARE.has(prev.text);
    if (!tok.lineStart && !declared) continue;
    let name = tok.text;
    let j = i + 1;
    while (parser.isPunct(j, '.') && tokens[j + 1]?.kind === 'ident') {
      name += `.${(tokens[j + 1] as { text: string }).text}`;
      j += 2;
    }
    // A type annotation: `const X: string[] = ...`, `X: list[str] = ...`.
    if (parser.isPunct(j, ':')) {
      j++;
      while (j < tokens.length && !parser.isPunct(j, '=') && !(tokens[j] as PolicyToken).lineStart) j++;
    }
    if (!parser.isPunct(j, '=') || symbols.has(name)) continue;
    symbols.set(name, parser.parse(j + 1)[0]);
  }
  return symbols;
}

/** The strings an expression stands for, and what could not be resolved (described for a note). */
export interface Resolved {
  values: string[];
  unknown: string[];
}

const MAX_RESOLVE_DEPTH = 16;
const MAX_VALUES = 10_000;

/** Resolves an expression to strings, following names through `symbols`. */
export function resolveStrings(expr: Expr, symbols: Symbols, depth = 0): Resolved {
  const out: Resolved = { values: [], unknown: [] };
  if (depth > MAX_RESOLVE_DEPTH) return { values: [], unknown: ['a name defined in terms of itself'] };
  switch (expr.t) {
    case 'str': {
      const text = literalText(expr.parts);
      if (text !== undefined) return { values: [text], unknown: [] };
      let combos = [''];
      for (const part of expr.parts) {
        if ('lit' in part) combos = combos.map((c) => c + part.lit);
        else {
          const inner = lookup(part.expr, symbols, depth);
          if (inner.values.length === 0 || inner.unknown.length > 0) return { values: [], unknown: [`the interpolation \${${part.expr}}`] };
          combos = combos.flatMap((c) => inner.values.map((v) => c + v)).slice(0, MAX_VALUES);
        }
      }
      return { values: combos, unknown: [] };
    }
    case 'list':
      for (const item of expr.items) merge(out, resolveStrings(item, symbols, depth + 1));
      return out;
    case 'spread':
      return resolveStrings(expr.of, symbols, depth + 1);
    case 'ref':
      return lookup(expr.name, symbols, depth);
    case 'concat': {
      const left = resolveStrings(expr.left, symbols, depth + 1);
      const right = resolveStrings(expr.right, symbols, depth + 1);
      const listy = isListy(expr.left, symbols) || isListy(expr.right, symbols);
      if (listy) return { values: [...left.values, ...right.values], unknown: [...left.unknown, ...right.unknown] };
      if (left.unknown.length > 0 || right.unknown.length > 0) return { values: [], unknown: [...left.unknown, ...right.unknown] };
      return { values: left.values.flatMap((l) => right.values.map((r) => l + r)).slice(0, MAX_VALUES), unknown: [] };
    }
    case 'call':
      return { values: [], unknown: [`${expr.callee}(…)`] };
    default:
      return { values: [], unknown: ['an expression Blue does not evaluate'] };
  }
}

function lookup(name: string, symbols: Symbols, depth: number): Resolved {
  const bare = name.replace(/^(?:local|self|this)\./, '');
  const target = symbols.get(name) ?? symbols.get(bare);
  if (target === undefined) return { values: [], unknown: [name] };
  return resolveStrings(target, symbols, depth + 1);
}

function isListy(expr: Expr, symbols: Symbols, depth = 0): boolean {
  if (expr.t === 'list') return true;
  if (expr.t === 'ref' && depth < MAX_RESOLVE_DEPTH) {
    const target = symbols.get(expr.name);
    return target !== undefined && isListy(target, symbols, depth + 1);
  }
  if (expr.t === 'concat') return isListy(expr.left, symbols, depth + 1) || isListy(expr.right, symbols, depth + 1);
  return false;
}

function merge(into: Resolved, from: Resolved): void {
  into.values.push(...from.values);
  into.unknown.push(...from.unknown);
}

/** The object an expression stands for (following names), if it is one. */
export function resolveObject(expr: Expr | undefined, symbols: Symbols, depth = 0): Array<[string, Expr]> | undefined {
  if (expr === undefined || depth > MAX_RESOLVE_DEPTH) return undefined;
  if (expr.t === 'obj') return expr.entries;
  if (expr.t === 'ref') return resolveObject(symbols.get(expr.name), symbols, depth + 1);
  return undefined;
}

/** The items an expression stands for when it is a list (or one object standing alone). */
export function resolveItems(expr: Expr | undefined, symbols: Symbols, depth = 0): Expr[] {
  if (expr === undefined || depth > MAX_RESOLVE_DEPTH) return [];
  if (expr.t === 'list') return expr.items.flatMap((item) => (item.t === 'spread' ? resolveItems(item.of, symbols, depth + 1) : [item]));
  if (expr.t === 'ref') return resolveItems(symbols.get(expr.name), symbols, depth + 1);
  if (expr.t === 'concat') return [...resolveItems(expr.left, symbols, depth + 1), ...resolveItems(expr.right, symbols, depth + 1)];
  return [expr];
}
