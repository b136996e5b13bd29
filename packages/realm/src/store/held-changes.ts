import { approvalBranch, compareVersions, domainFilePath, HELD_BRANCHES, heldChangeOf, parseFileOfKind, type HeldChange } from '@blue/core';
import { fileAt, gitDirsAt, storedRefNames } from '@blue/git';
import type { BlueContext } from '../context.js';

/**
 * The breaking changes held for an approver as this realm clone knows them: its own branches
 * `blue/breaking/<domain>/<export>@<version>` and its remotes' as last fetched (the realm watcher
 * fetches them whenever the remote's set changes), from the ref files (git when they do not say); sorted, each once.
 */
export async function listHeldChanges(ctx: BlueContext, realmPath: string): Promise<HeldChange[]> {
  // Read from git's ref files when they say for certain (no git process), else asked of git.
  const dirs = await gitDirsAt(realmPath, ctx.git.options.env);
  const stored = dirs === undefined ? undefined : await storedRefNames(dirs.commonDir, [`refs/heads/${HELD_BRANCHES}`, `refs/remotes/*/${HELD_BRANCHES}`]);
  // for-each-ref's `*` is one folder, `**` any depth: a held branch is blue/breaking/<domain>/<export>@<version>.
  const refs = stored ?? (await ctx.git.output(realmPath, ['for-each-ref', '--format=%(refname)', `refs/heads/${HELD_BRANCHES}`, `refs/remotes/*/${HELD_BRANCHES}**`])).split('\n');
  return heldFromRefs(refs);
}

/** The held changes among full ref names (`refs/heads/…`, `refs/remotes/<remote>/…`), sorted, each once. */
export function heldFromRefs(refs: Iterable<string>): HeldChange[] {
  const found = new Map<string, HeldChange>();
  for (const ref of refs) {
    const held = heldChangeOf(ref.trim().replace(/^refs\/heads\//, '').replace(/^refs\/remotes\/[^/]+\//, ''));
    if (held !== undefined) found.set(`${held.domain}/${held.export}@${held.version}`, held);
  }
  return [...found.values()].sort((a, b) => a.domain.localeCompare(b.domain) || a.export.localeCompare(b.export) || compareVersions(a.version, b.version));
}

/**
 * `held` with what each version changes, read from its branch's exports.yaml (the
 * remote-tracking branch, else this clone's own). A branch that cannot be read or does not carry the
 * export keeps no changes: the notice still says the change is held.
 */
export async function withHeldChanges(ctx: BlueContext, realmPath: string, held: readonly HeldChange[]): Promise<HeldChange[]> {
  return Promise.all(
    held.map(async (h) => {
      const branch = approvalBranch(h.domain, h.export, h.version);
      const path = domainFilePath(h.domain, 'exports.yaml');
      // The remote's copy first: a consumer has only that, so one git process in the usual case.
      for (const ref of [`refs/remotes/origin/${branch}`, `refs/heads/${branch}`]) {
        const text = await fileAt(realmPath, ref, path, ctx.git.options).catch(() => undefined);
        if (text === undefined) continue;
        try {
          const entry = parseFileOfKind('realm-exports', text, `${branch}:${path}`).exports.find((e) => e.name === h.export)?.changelog.find((c) => c.version === h.version);
          return entry === undefined ? h : { ...h, changes: [...entry.changes] };
        } catch {
          return h;
        }
      }
      return h;
    }),
  );
}
