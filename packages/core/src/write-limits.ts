import { BlueError } from './errors.js';
import { MAX_YAML_BYTES } from './yaml.js';

/** Longest commit message Blue writes (the worktree tracking file records each one, and git log reads them back). */
export const MAX_COMMIT_MESSAGE_BYTES = 1024 * 1024;

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * VALUE_TOO_LARGE when `content`, about to be written to `file`, is larger than Blue's readers
 * accept (MAX_YAML_BYTES: the limit readYamlText enforces), so Blue never writes a file it would
 * then refuse to read. For an exports file the message names the largest export in `value`.
 */
export function assertWritableYaml(file: string, content: string, value?: unknown): void {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes <= MAX_YAML_BYTES) return;
  const culprit = largestExport(value);
  const what = culprit === undefined ? 'This change' : `Export "${culprit}"`;
  throw new BlueError('VALUE_TOO_LARGE', `${what} would make ${file} ${mib(bytes)}; Blue reads files of at most ${mib(MAX_YAML_BYTES)}, so nothing was written.`, {
    file,
    hint: culprit === undefined
      ? `Make the change smaller (a realm file holds names, versions and short values, not data).`
      : `Publish a short value instead of the data (a URL, a path, a version), or a file-backed export that holds only what consumers need: blue realm export --name ${culprit} --file <file>.`,
  });
}

/** VALUE_TOO_LARGE when a commit message is over MAX_COMMIT_MESSAGE_BYTES, before anything is written or committed. */
export function assertCommitMessageSize(message: string): void {
  const bytes = Buffer.byteLength(message, 'utf8');
  if (bytes <= MAX_COMMIT_MESSAGE_BYTES) return;
  throw new BlueError('VALUE_TOO_LARGE', `The commit message is ${mib(bytes)}; Blue writes commit messages of at most ${mib(MAX_COMMIT_MESSAGE_BYTES)} (they are recorded in the realm), so nothing was committed.`, {
    hint: 'Shorten the message: a summary line and a few paragraphs; put long text in a file of the change.',
  });
}

/** The name of the export with the largest JSON form in an exports file's value (`{exports: [...]}`). */
function largestExport(value: unknown): string | undefined {
  const list = (value as { exports?: unknown } | undefined)?.exports;
  if (!Array.isArray(list)) return undefined;
  let best: { name: string; size: number } | undefined;
  for (const item of list as Array<{ name?: unknown }>) {
    const size = JSON.stringify(item)?.length ?? 0;
    if (typeof item.name === 'string' && (best === undefined || size > best.size)) best = { name: item.name, size };
  }
  return best?.name;
}
