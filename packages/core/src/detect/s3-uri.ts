import { skipBraces } from './lexer.js';

/** One `s3://` URI as written in a file, before normalisation. */
export interface RawS3Uri {
  /** The text from `s3://` up to its end, placeholders still in place. */
  raw: string;
  /** Offset of `s3://` in the scanned text. */
  offset: number;
  /** True when the URI runs to the end of the scanned text (so `+ more` may continue it). */
  toEnd: boolean;
}

const SCHEME = 's3://';
/** Characters that end a URI: whitespace, quotes, separators and brackets of the host code. */
const TERMINATORS = new Set([' ', '\t', '\n', '\r', '"', "'", '`', ',', ';', '(', ')', '[', ']', '\\', '|']);

/**
 * Every `s3://…` URI in `text`. A URI ends at whitespace, a quote, `,;()[]|` or a backslash;
 * placeholder groups (`{…}`, `${…}`, `#{…}`, `%(name)s`) are kept whole even when they hold
 * such characters. Trailing sentence punctuation (`.`, `:`) is dropped.
 */
export function scanS3Uris(text: string): RawS3Uri[] {
  const found: RawS3Uri[] = [];
  let from = 0;
  for (;;) {
    const offset = text.indexOf(SCHEME, from);
    if (offset === -1) return found;
    let i = offset + SCHEME.length;
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '{') i = skipBraces(text, i);
      else if (ch === '%' && text[i + 1] === '(') i = closeParen(text, i + 2);
      else if (TERMINATORS.has(ch)) break;
      else i++;
    }
    const toEnd = i >= text.length;
    const raw = text.slice(offset, i).replace(/[.:]+$/, '');
    found.push({ raw, offset, toEnd: toEnd && raw.length === i - offset });
    from = Math.max(i, offset + SCHEME.length);
  }
}

function closeParen(text: string, at: number): number {
  const end = text.indexOf(')', at);
  return end === -1 ? text.length : end + 1;
}

/** A placeholder in a URI: `${x}`, `#{x}`, `{x}`, `%(x)s`, `%s`/`%05d`/`%v`, `<x>`, `$X`. */
const PLACEHOLDER = /\$\{[^}]*\}|#\{[^}]*\}|\{[^}]*\}|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcouv]|<[A-Za-z_][\w.-]*>|\$[A-Za-z_]\w*/g;
/** A placeholder that is just a name (`{BUCKET}`, `${config.bucket}`), for constant lookup. */
const NAMED_PLACEHOLDER = /^(?:\$|#)?\{\s*(?:[A-Za-z_$][\w$]*\.)*([A-Za-z_$][\w$]*)\s*\}$|^\$([A-Za-z_]\w*)$/;
const BUCKET_CHARS = /^[A-Za-z0-9.*_-]+$/;

/** A normalised S3 location. */
export interface S3Location {
  bucket: string;
  key: string;
}

/**
 * Turns a raw URI into a bucket and a key pattern, or undefined when it names no bucket.
 * The rules, in order:
 * 1. Placeholders become `*`: f-string/str.format `{x}` and `{}`, template `${x}`, Ruby `#{x}`,
 *    printf `%s`, `%d`, `%05d`, `%(name)s`, Go `%v`, doc-style `<job_id>`, shell `$NAME`.
 *    A bucket that is one named placeholder is looked up in `constants` (string constants
 *    assigned in the same file, e.g. `BUCKET = "cultivarium-fungal"`).
 * 2. A query string or fragment (`?versionId=…`, `#…`) is dropped.
 * 3. Runs of `/` collapse to one; a leading `/` is dropped.
 * 4. Runs of `*` collapse to one: `*` matches any characters including `/` (as in IAM), so `**`
 *    says nothing more.
 * 5. A key that is empty or ends with `/` is a prefix and gets a trailing `*`
 *    (`training-runs/` → `training-runs/*`, `s3://bucket` → `*`).
 * A bucket that is empty or holds characters no bucket name can hold gives undefined, and so
 * does a URI made only of placeholders (`s3://{bucket}/{key}`): that is a URI builder, not a path.
 */
export function normaliseS3Uri(raw: string, constants: ReadonlyMap<string, string> = new Map()): S3Location | undefined {
  const rest = raw.startsWith(SCHEME) ? raw.slice(SCHEME.length) : raw;
  const slash = rest.indexOf('/');
  const rawBucket = slash === -1 ? rest : rest.slice(0, slash);
  const bucket = normaliseBucket(rawBucket, constants);
  if (bucket === undefined) return undefined;
  let key = slash === -1 ? '' : rest.slice(slash + 1);
  key = key.replace(PLACEHOLDER, '*');
  key = key.replace(/[?#].*$/, '');
  key = key.replace(/\/{2,}/g, '/').replace(/^\//, '');
  key = key.replace(/\*{2,}/g, '*');
  if (key === '' || key.endsWith('/')) key += '*';
  if (bucket === '*' && key === '*') return undefined;
  return { bucket, key };
}

function normaliseBucket(raw: string, constants: ReadonlyMap<string, string>): string | undefined {
  const named = NAMED_PLACEHOLDER.exec(raw);
  const name = named?.[1] ?? named?.[2];
  const constant = name === undefined ? undefined : constants.get(name);
  if (constant !== undefined && BUCKET_CHARS.test(constant)) return constant;
  const bucket = raw.replace(PLACEHOLDER, '*').replace(/\*{2,}/g, '*');
  return bucket !== '' && BUCKET_CHARS.test(bucket) ? bucket : undefined;
}
