// Shared by the hostile-input tests: one letemcook scenario per test file, a snapshot of every
// file and git ref under it, and the assertions every refused case makes.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { git, letemcookScenario, sandboxAt, type BlueRun, type Sandbox, type Scenario } from '@blue/testkit';

export const EXIT = { input: 3, state: 4, external: 5 } as const;

export interface Shared {
  box: Sandbox;
  s: Scenario;
}

/**
 * One sandbox with the letemcook realm (aperture and fungal joined), built once for the file and
 * removed after it. Tests run one after another; each puts back what it planted.
 */
export function sharedScenario(options: { github?: boolean } = {}): () => Shared {
  let shared: Shared | undefined;
  let root: string | undefined;
  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'blue-hostile-')));
    const box = await sandboxAt(root);
    shared = { box, s: await letemcookScenario(box, options) };
  }, 60_000);
  afterAll(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true, maxRetries: 3 });
  });
  return () => {
    if (shared === undefined) throw new Error('the shared scenario was not built');
    return shared;
  };
}

/** Paths inside a git folder that git rewrites without any change of content or refs. */
const GIT_NOISE = /(^|\/)(objects|logs)(\/|$)|(^|\/)(index|FETCH_HEAD|ORIG_HEAD)$/;

/**
 * Blue's own caches, derived data any run may rewrite: export-schema answers in
 * `$BLUE_HOME/cache/`, export-detection findings in `<git dir>/blue/`.
 */
const BLUE_CACHES = /(^|\/)home\/cache(\/|$)|(^|\/)\.git\/blue(\/|$)/;

/**
 * Every file under the sandbox (realm, repos, their bare remotes, BLUE_HOME) with a hash of its
 * content, including each git folder's HEAD, refs and packed-refs, config and info/exclude, and
 * every symlink and folder: what "nothing changed" compares. Left out: the runtime folder
 * (sockets, inboxes), what git rewrites without a change (objects, logs, index) and Blue's caches.
 */
export async function snapshot(box: Sandbox): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const runtime = box.env.BLUE_RUNTIME_DIR ?? '';
  const entries = await readdir(box.root, { recursive: true, withFileTypes: true });
  await Promise.all(
    entries.map(async (e) => {
      const full = join(e.parentPath, e.name);
      const rel = relative(box.root, full);
      if (full.startsWith(runtime) || GIT_NOISE.test(rel) || BLUE_CACHES.test(rel)) return;
      if (e.isFile()) out.set(rel, createHash('sha1').update(await readFile(full)).digest('hex'));
      else if (e.isSymbolicLink()) out.set(rel, `symlink to ${await readlink(full)}`);
      else if (e.isDirectory()) out.set(`${rel}/`, 'dir');
    }),
  );
  return out;
}

/** The differences between two snapshots, as readable lines (empty when nothing changed). */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [path, hash] of after) if (before.get(path) !== hash) lines.push(`${before.has(path) ? 'changed' : 'added'} ${path}`);
  for (const path of before.keys()) if (!after.has(path)) lines.push(`removed ${path}`);
  return lines.sort();
}

/** A stack frame as Node prints it. */
export const STACK = /\n\s+at .+[(:]\d+/;

/**
 * What every refused case asserts of a `--json` run: the documented exit code, `{error}` with the
 * code on stdout, a message, and no stack trace anywhere.
 */
export function expectRefused(run: BlueRun, code: string, exit: number): { code: string; message: string; hint?: string } {
  const context = `stdout: ${run.stdout}\nstderr: ${run.stderr}`;
  expect(run.exitCode, context).toBe(exit);
  const { error } = run.json<{ error: { code: string; message: string; hint?: string } }>();
  expect(error.code, context).toBe(code);
  expect(error.message.length).toBeGreaterThan(10);
  expect(run.stdout + run.stderr).not.toMatch(STACK);
  return error;
}

/** The parts of an MCP tool result (as the SDK client returns it) a refusal is judged on. */
interface ToolResult {
  isError?: unknown;
  content?: unknown;
  structuredContent?: unknown;
}

/**
 * What every refused case asserts of an MCP tool result: isError, text `CODE: message` then
 * `Hint: …`, no structuredContent and no stack trace. Returns the text.
 */
export function expectToolRefused(answer: unknown, code: string, where = ''): string {
  const result = answer as ToolResult;
  const text = (result.content as Array<{ text?: string }> | undefined)?.[0]?.text ?? '';
  expect(result.isError, `${where}: ${text}`).toBe(true);
  expect(text, where).toMatch(new RegExp(`^${code}: .+\\nHint: `));
  expect(text).not.toMatch(STACK);
  expect(result.structuredContent).toBeUndefined();
  return text;
}

/** Runs `run` with `bytes` planted at `path`, then puts the file's original content back. */
export async function withFile<T>(path: string, bytes: Buffer | string, run: () => Promise<T>): Promise<T> {
  const original = await readFile(path);
  await writeFile(path, bytes);
  try {
    return await run();
  } finally {
    await writeFile(path, original);
  }
}

/** git identity arguments of a hostile member: not a maintainer, not an approver. */
export const MALLORY = ['-c', 'user.name=Mallory', '-c', 'user.email=mallory@evil.example'];

/**
 * Runs `run` with what `plant` wrote in the realm committed by Mallory (with `commitArgs`, e.g.
 * `--author=…`), then removes that commit: the shared realm is as it was for the next test.
 */
export async function withMalloryCommit<T>(box: Sandbox, realm: string, plant: () => Promise<void>, run: () => Promise<T>, commitArgs: readonly string[] = []): Promise<T> {
  await plant();
  await git(box, realm, ['add', '-A']);
  await git(box, realm, [...MALLORY, 'commit', '-q', '-m', 'innocent change', ...commitArgs]);
  try {
    return await run();
  } finally {
    await git(box, realm, ['reset', '-q', '--hard', 'HEAD~1']);
  }
}
