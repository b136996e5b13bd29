import type { Frame, FramePosition } from './lexer.js';

export type S3Access = 'read' | 'write';

/** Verbs (words of a called name) that read. */
const READ_VERBS = new Set(['get', 'download', 'read', 'load', 'list', 'ls', 'head', 'fetch', 'exists', 'exist', 'stat', 'glob', 'walk', 'scan', 'iter', 'select']);
/** Verbs that write (deleting needs write permission too). */
const WRITE_VERBS = new Set(['put', 'upload', 'write', 'save', 'store', 'delete', 'remove', 'rm', 'dump', 'append', 'touch', 'makedirs', 'mkdir']);
/** Verbs that read their first argument and write the others. */
const COPY_VERBS = new Set(['copy', 'cp', 'mv', 'move', 'rename', 'transfer', 'sync']);
const WRITE_MODE = /^[rwabxt+]{1,3}$/;

/** The words of a called name: `list_objects_v2` → list, objects, v2; `getObject` → get, object. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_$]+/)
    .filter((w) => w !== '');
}

/**
 * What a call does with the literal passed as argument `arg`, from its name: the first word of
 * the name that is a known verb decides (`download_file` reads, `put_object` writes,
 * `to_parquet` writes, `copy(src, dst)` reads argument 0 and writes the others, `open(uri, "w")`
 * writes when a mode string with w/a/x/+ is given). Undefined when the name says nothing.
 */
export function callAccess(frame: Frame, arg: number): S3Access | undefined {
  if (frame.callee === undefined) return undefined;
  const words = nameWords(frame.callee);
  if (words[0] === 'to' && words.length > 1) return 'write';
  for (const word of words) {
    if (word === 'open') return frame.stringArgs.some((s) => WRITE_MODE.test(s) && /[wax+]/.test(s)) ? 'write' : 'read';
    if (READ_VERBS.has(word)) return 'read';
    if (WRITE_VERBS.has(word)) return 'write';
    if (COPY_VERBS.has(word)) return arg === 0 ? 'read' : 'write';
  }
  return undefined;
}

/**
 * The access of a literal from the calls around it: the innermost enclosing call whose name
 * tells (then the calls chained on its result, `S3Path(uri).write_text(…)`), going outwards.
 */
export function accessFromFrames(frames: readonly FramePosition[]): S3Access | undefined {
  for (let i = frames.length - 1; i >= 0; i--) {
    const position = frames[i] as FramePosition;
    const own = callAccess(position.frame, position.arg);
    if (own !== undefined) return own;
    for (let next = position.frame.next; next !== undefined; next = next.next) {
      const chained = callAccess(next, -1);
      if (chained !== undefined) return chained;
    }
  }
  return undefined;
}

/** Access of an AWS CLI line: `aws s3 cp SRC DST` reads SRC and writes DST; `rm` writes. */
export function shellAccess(line: string, uri: string): S3Access | undefined {
  const match = /\bs3\s+(cp|mv|sync|rm|ls)\s+(.*)$/.exec(line);
  if (match === null) return undefined;
  const [, verb, rest = ''] = match;
  if (verb === 'rm') return 'write';
  if (verb === 'ls') return 'read';
  const args = rest.split(/\s+/).filter((a) => a !== '' && !a.startsWith('-'));
  const index = args.findIndex((a) => a.replace(/^["']|["']$/g, '').startsWith(uri));
  return index <= 0 ? 'read' : 'write';
}
