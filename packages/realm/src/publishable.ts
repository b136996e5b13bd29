import { posix } from 'node:path';
import { BlueError, globMatcher, REPO_EXPORTS_FILE, type DeclaredExport, type ImportEntry, type PublishedExport } from '@blue/core';
import { runGit, statusEntries, type StatusEntry } from '@blue/git';
import type { Env } from './context.js';

/** Why an uncommitted file matters to a sync: it is what would be published, or what a binding check reads. */
export type UncommittedReason = 'exports-file' | 'detector-input' | 'binding';

/** A file with uncommitted changes that a sync would read (status lists them as "uncommitted"). */
export interface UncommittedFile {
  /** Repo-relative, `/`-separated. */
  path: string;
  reason: UncommittedReason;
  /** How git sees it. */
  state: 'modified' | 'added' | 'deleted' | 'untracked';
}

export interface PublishInputs {
  /** The repo's .blue/exports.yaml declarations. */
  declared: readonly DeclaredExport[];
  /** The domain's imports (their binding files). */
  imports: readonly ImportEntry[];
}

/**
 * The uncommitted files among what a sync reads from the code repo: .blue/exports.yaml, the
 * tracked files whose uncommitted changes add or remove an s3:// literal within an `s3-paths`
 * rule's include/exclude (the detector reads tracked files only), every uncommitted file when a
 * `command` rule exists (Blue cannot know what a command reads), and the binding files.
 */
export async function findUncommittedInputs(repo: string, inputs: PublishInputs, env: Env, status?: Promise<StatusEntry[]>): Promise<UncommittedFile[]> {
  const entries = await (status ?? codeRepoStatus(repo, env));
  if (entries.length === 0) return [];
  const state = new Map(entries.map((e) => [e.path, stateOf(e.code)]));
  const found = new Map<string, UncommittedFile>();
  const add = (path: string, reason: UncommittedReason): void => {
    const s = state.get(path);
    if (s !== undefined && !found.has(path)) found.set(path, { path, reason, state: s });
  };
  if (inputs.declared.length > 0 || state.has(REPO_EXPORTS_FILE)) add(REPO_EXPORTS_FILE, 'exports-file');
  const rules = inputs.declared.flatMap((d) => (d.detect ? [d.detect] : []));
  if (rules.some((rule) => rule.kind === 'command')) for (const path of state.keys()) add(path, 'detector-input');
  const s3Rules = rules.filter((rule) => rule.kind === 's3-paths');
  if (s3Rules.length > 0) {
    const touched = await filesChangingS3Literals(repo, env);
    for (const rule of s3Rules) {
      const include = rule.include && rule.include.length > 0 ? globMatcher(rule.include) : undefined;
      const exclude = rule.exclude && rule.exclude.length > 0 ? globMatcher(rule.exclude) : undefined;
      for (const path of touched) if ((include?.(path) ?? true) && !(exclude?.(path) ?? false)) add(path, 'detector-input');
    }
  }
  for (const entry of inputs.imports) add(posix.normalize(entry.binding.replace(/\\/g, '/')).replace(/^\.\//, ''), 'binding');
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The code repo's `git status` that findUncommittedInputs reads, started on its own: a sync asks it
 * beside the realm's pull and checks it where it did before (a failure is thrown there, not here).
 */
export function codeRepoStatus(repo: string, env: Env): Promise<StatusEntry[]> {
  const status = statusEntries(repo, { env });
  status.catch(() => undefined);
  return status;
}

/**
 * Refuses a sync that would publish from uncommitted files (DIRTY_WORKTREE naming them), unless
 * `allowDirty`; then the files are returned so the publish can record them.
 */
export async function assertPublishable(repo: string, inputs: PublishInputs, options: { env: Env; allowDirty?: boolean | undefined; status?: Promise<StatusEntry[]> | undefined }): Promise<UncommittedFile[]> {
  const files = await findUncommittedInputs(repo, inputs, options.env, options.status);
  if (files.length === 0 || options.allowDirty) return files;
  const shown = files.slice(0, 8).map((f) => `${f.path} (${describeReason(f.reason)}, ${f.state})`).join(', ');
  const more = files.length > 8 ? ` and ${files.length - 8} more` : '';
  throw new BlueError('DIRTY_WORKTREE', `Sync would publish uncommitted work: ${shown}${more}.`, {
    file: files[0]?.path,
    hint: 'Commit these files (other domains must be able to see what was published), then run `blue realm sync` again; or publish them as they are with `blue realm sync --allow-dirty`, which notes it in the changelog.',
  });
}

/** The changelog note of a publish made from uncommitted files (--allow-dirty). */
export function dirtyPublishNote(files: readonly UncommittedFile[]): string {
  return `Published from uncommitted files (--allow-dirty): ${files.map((f) => f.path).join(', ')}.`;
}

/** The exports with the note added to the newest changelog entry of each one published now. */
export function notePublishedFromDirty(exports: readonly PublishedExport[], published: readonly string[], files: readonly UncommittedFile[]): PublishedExport[] {
  if (files.length === 0) return [...exports];
  const note = dirtyPublishNote(files);
  return exports.map((e) => {
    const [latest, ...older] = e.changelog;
    if (!published.includes(e.name) || latest === undefined || latest.version !== e.version) return e;
    return { ...e, changelog: [{ ...latest, changes: [...latest.changes, note] }, ...older] };
  });
}

function describeReason(reason: UncommittedReason): string {
  return reason === 'exports-file' ? 'the export declarations' : reason === 'binding' ? 'a binding file' : 'read by a detector';
}

function stateOf(code: string): UncommittedFile['state'] {
  if (code === '??') return 'untracked';
  if (code.includes('D')) return 'deleted';
  if (code.includes('A')) return 'added';
  return 'modified';
}

/** Tracked files whose changes since HEAD (staged or not) add or remove a line holding s3://. */
async function filesChangingS3Literals(repo: string, env: Env): Promise<string[]> {
  const head = await runGit(repo, ['rev-parse', '--verify', '--quiet', 'HEAD'], { env, okExitCodes: [1] });
  const base = head.exitCode === 0 ? 'HEAD' : '4b825dc642cb6eb9a060e54bf8d69288fbee4904'; // the empty tree, before the first commit
  const { stdout } = await runGit(repo, ['diff', base, '--name-only', '-z', '--no-renames', '-G', 's3://', '--'], { env });
  return stdout.split('\0').filter((path) => path !== '');
}
