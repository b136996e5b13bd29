/**
 * IAM-style wildcard patterns: `*` matches any run of characters (`/` included, possibly empty),
 * `?` exactly one character; everything else matches itself. Containment and overlap of two
 * patterns are decided exactly on small automata: the patterns treat every character they do not
 * name alike, so an alphabet of the characters they name plus one "other" character is enough.
 * A state is the set of pattern positions reached, as the bits of a bigint.
 */

type Token = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; ch: string };

/** Search bound: far beyond what real policy patterns need (see each use for the answer past it). */
const MAX_STATES = 50_000;
/** A character neither pattern names (stands for all of them). */
const OTHER = '\u0000';

function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  for (const ch of pattern) {
    if (ch === '*') {
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
    } else if (ch === '?') out.push({ kind: 'any' });
    else out.push({ kind: 'char', ch });
  }
  return out;
}

/** A pattern's automaton: positions 0..n, bit n accepts. */
class Automaton {
  private readonly star: bigint;
  private readonly any: bigint;
  private readonly byChar = new Map<string, bigint>();
  readonly start: bigint;
  private readonly accept: bigint;

  constructor(p: readonly Token[]) {
    let star = 0n;
    let any = 0n;
    p.forEach((t, i) => {
      const bit = 1n << BigInt(i);
      if (t.kind === 'star') star |= bit;
      else if (t.kind === 'any') any |= bit;
      else this.byChar.set(t.ch, (this.byChar.get(t.ch) ?? 0n) | bit);
    });
    this.star = star;
    this.any = any;
    this.accept = 1n << BigInt(p.length);
    this.start = this.closure(1n);
  }

  /** Positions reachable without reading: a `*` may match nothing. */
  private closure(s: bigint): bigint {
    let out = s;
    for (let next = out | ((out & this.star) << 1n); next !== out; next = out | ((out & this.star) << 1n)) out = next;
    return out;
  }

  step(s: bigint, ch: string): bigint {
    const advance = (s & (this.any | (this.byChar.get(ch) ?? 0n))) << 1n;
    return this.closure((s & this.star) | advance);
  }

  accepts(s: bigint): boolean {
    return (s & this.accept) !== 0n;
  }
}

/** Whether `text` (a plain string) matches `pattern`. */
export function wildcardMatch(pattern: string, text: string): boolean {
  const a = new Automaton(tokens(pattern));
  let s = a.start;
  for (const ch of text) {
    s = a.step(s, ch);
    if (s === 0n) return false;
  }
  return a.accepts(s);
}

function alphabet(a: readonly Token[], b: readonly Token[]): string[] {
  const chars = new Set<string>([OTHER]);
  for (const t of [...a, ...b]) if (t.kind === 'char') chars.add(t.ch);
  return [...chars];
}

/**
 * Two patterns without the literal characters they share at the start and at the end: every
 * string either matches starts (ends) with them, so containment and overlap are unchanged.
 */
function trimShared(a: readonly Token[], b: readonly Token[]): { a: Token[]; b: Token[]; prefix: string; suffix: string } {
  const same = (x: Token | undefined, y: Token | undefined): boolean => x?.kind === 'char' && y?.kind === 'char' && x.ch === y.ch;
  let start = 0;
  while (start < a.length && start < b.length && same(a[start], b[start])) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && same(a[a.length - 1 - end], b[b.length - 1 - end])) end++;
  const text = (ts: readonly Token[]): string => ts.map((t) => (t.kind === 'char' ? t.ch : '')).join('');
  return { a: a.slice(start, a.length - end), b: b.slice(start, b.length - end), prefix: text(a.slice(0, start)), suffix: text(a.slice(a.length - end)) };
}

/**
 * Breadth-first over pairs of states of `x` and `y` from their starts, reading the same
 * characters: the shortest text reaching a pair where `stop` holds, `{bounded}` when the search
 * bound was reached first, `{}` when no pair qualifies. Pairs failing `keep` are not explored.
 */
function searchPairs(x: Automaton, y: Automaton, sigma: readonly string[], stop: (sx: bigint, sy: bigint) => boolean, keep: (nx: bigint, ny: bigint) => boolean): { text?: string; bounded?: true } {
  const seen = new Set<string>([`${x.start}|${y.start}`]);
  const queue = [{ sx: x.start, sy: y.start, text: '' }];
  for (let head = 0; head < queue.length; head++) {
    const { sx, sy, text } = queue[head] as (typeof queue)[number];
    if (stop(sx, sy)) return { text };
    for (const ch of sigma) {
      const [nx, ny] = [x.step(sx, ch), y.step(sy, ch)];
      const k = `${nx}|${ny}`;
      if (!keep(nx, ny) || seen.has(k)) continue;
      if (seen.size >= MAX_STATES) return { bounded: true };
      seen.add(k);
      queue.push({ sx: nx, sy: ny, text: text + ch });
    }
  }
  return {};
}

/**
 * Whether every string `inner` matches is matched by `outer` (L(inner) ⊆ L(outer)). When it is
 * not, `witness` is a shortest string `inner` matches and `outer` does not (the "other"
 * character shown as U+0000). Past the search bound the answer is "no" without a witness (a
 * value is then not called covered).
 */
export function wildcardContains(outer: string, inner: string): { contains: boolean; witness?: string } {
  const all = { o: tokens(outer), i: tokens(inner) };
  // Literal ends that disagree: the shortest string of `inner` has them, `outer` refuses it.
  if (endsDisagree(all.o, all.i)) return { contains: false, witness: shortest(all.i) };
  const { a: i, b: o, prefix, suffix } = trimShared(all.i, all.o);
  const [ai, ao] = [new Automaton(i), new Automaton(o)];
  const found = searchPairs(ai, ao, alphabet(i, o), (si, so) => ai.accepts(si) && !ao.accepts(so), (ni) => ni !== 0n);
  if (found.bounded) return { contains: false };
  return found.text === undefined ? { contains: true } : { contains: false, witness: prefix + found.text + suffix };
}

/**
 * Whether some string matches both patterns; `witness` is a shortest one. Past the search bound
 * the answer is "yes" (a Deny then still subtracts, a grant is not called unused).
 */
export function wildcardOverlap(a: string, b: string): { overlap: boolean; witness?: string } {
  const all = { a: tokens(a), b: tokens(b) };
  if (endsDisagree(all.a, all.b)) return { overlap: false };
  const { a: pa, b: pb, prefix, suffix } = trimShared(all.a, all.b);
  const [aa, ab] = [new Automaton(pa), new Automaton(pb)];
  const found = searchPairs(aa, ab, alphabet(pa, pb), (sa, sb) => aa.accepts(sa) && ab.accepts(sb), (na, nb) => na !== 0n && nb !== 0n);
  if (found.bounded) return { overlap: true };
  return found.text === undefined ? { overlap: false } : { overlap: true, witness: prefix + found.text + suffix };
}

/** The literal characters before the first wildcard. */
function literalPrefix(p: readonly Token[]): string[] {
  const out: string[] = [];
  for (const t of p) {
    if (t.kind !== 'char') break;
    out.push(t.ch);
  }
  return out;
}

/**
 * Whether the literal prefixes (or suffixes) of two patterns differ within their common length:
 * then no string matches both.
 */
function endsDisagree(a: readonly Token[], b: readonly Token[]): boolean {
  const differ = (x: string[], y: string[]): boolean => {
    for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return true;
    return false;
  };
  return differ(literalPrefix(a), literalPrefix(b)) || differ(literalPrefix([...a].reverse()), literalPrefix([...b].reverse()));
}

/** The shortest string a pattern matches (`*` empty, `?` the "other" character). */
function shortest(p: readonly Token[]): string {
  return p.map((t) => (t.kind === 'char' ? t.ch : t.kind === 'any' ? OTHER : '')).join('');
}
