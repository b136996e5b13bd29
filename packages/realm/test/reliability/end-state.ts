import { readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseDocument } from 'yaml';
import { git } from '@blue/testkit';
import type { DomainRealm } from './realm-fixture.js';

/** Text with what differs between two identical fixtures replaced: temp roots, ports, times, SHAs. */
function portable(fx: DomainRealm, text: string): string {
  let out = text.replaceAll(fx.root, '<root>');
  if (fx.standIn) out = out.replaceAll(fx.standIn.url, '<github>');
  return out
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, '<time>')
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, '<date>')
    .replace(/\b[0-9a-f]{40}\b/g, '<sha>')
    .replace(/\b[0-9a-f]{7}\b/g, '<short>');
}

async function refs(fx: DomainRealm, gitDir: string, pattern: string): Promise<Record<string, string[]>> {
  const names = (await git(fx.box, gitDir, ['for-each-ref', '--format=%(refname)', pattern])).split('\n').filter(Boolean);
  const out: Record<string, string[]> = {};
  for (const name of names) out[name] = (await git(fx.box, gitDir, ['log', '--format=%s', name])).split('\n');
  return out;
}

/** Every file of `ref` in `gitDir` with its (portable) content. */
async function treeAt(fx: DomainRealm, gitDir: string, ref: string): Promise<Record<string, string>> {
  const files = (await git(fx.box, gitDir, ['ls-tree', '-r', '--name-only', ref])).split('\n').filter(Boolean);
  const out: Record<string, string> = {};
  for (const f of files) out[f] = portable(fx, await git(fx.box, gitDir, ['show', `${ref}:${f}`]));
  return out;
}

/** The repo's .blue/ files with their (portable) contents; none when it has no .blue/. */
async function blueFiles(fx: DomainRealm, repo: string): Promise<Record<string, string>> {
  const names = await readdir(join(repo, '.blue')).catch(() => [] as string[]);
  const out: Record<string, string> = {};
  for (const name of names.sort()) out[name] = portable(fx, await readFile(join(repo, '.blue', name), 'utf8'));
  return out;
}

/**
 * Everything a Blue command may change, comparable between two fixtures built alike: the realm
 * clone (files at HEAD, branches with their commit subjects, uncommitted changes) and its remote,
 * each repo's remote refs, local branches, worktrees and .blue/ files, the user index, and the
 * issues and pull requests on the stand-in. A duplicate commit, branch, issue or PR shows.
 */
export async function endState(fx: DomainRealm): Promise<unknown> {
  const repos: Record<string, unknown> = {};
  for (const repo of fx.repos) {
    const worktrees = (await git(fx.box, repo.dir, ['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree ')).map((l) => portable(fx, l));
    const dirty: Record<string, string> = {};
    for (const line of worktrees) {
      const dir = line.slice('worktree '.length).replace('<root>', fx.root);
      dirty[portable(fx, dir)] = await git(fx.box, dir, ['status', '--porcelain']);
    }
    repos[repo.name] = {
      remote: await refs(fx, repo.remote, 'refs/heads'),
      branches: await refs(fx, repo.dir, 'refs/heads'),
      worktrees: dirty,
      blue: await blueFiles(fx, repo.dir),
    };
  }
  const byRepo = (a: { repo: string; number: number }, b: { repo: string; number: number }): number => a.repo.localeCompare(b.repo) || a.number - b.number;
  const github = fx.standIn
    ? {
        issues: fx.standIn.state.issues().map((i) => ({ ...i, body: portable(fx, i.body ?? ''), comments: i.comments.map((c) => portable(fx, c.body)) })).sort(byRepo),
        pulls: fx.standIn.state.pulls().map((p) => ({ ...p, headSha: '<sha>', body: portable(fx, p.body ?? ''), comments: p.comments.map((c) => portable(fx, c.body)) })).sort(byRepo),
      }
    : undefined;
  return {
    realm: {
      files: await treeAt(fx, fx.realm, 'HEAD'),
      branches: await refs(fx, fx.realm, 'refs/heads'),
      uncommitted: await git(fx.box, fx.realm, ['status', '--porcelain']),
      remote: await refs(fx, fx.realmRemote, 'refs/heads'),
      remoteFiles: await treeAt(fx, fx.realmRemote, 'main'),
    },
    repos,
    index: portable(fx, await readFile(join(fx.box.env.BLUE_HOME as string, 'index.yaml'), 'utf8')),
    github,
  };
}

async function walk(dir: string, visit: (path: string) => Promise<void>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'objects') await walk(path, visit);
    } else {
      await visit(path);
    }
  }
}

/**
 * Files a killed run must not leave behind anywhere in the fixture: atomic-write temps
 * (`.<name>.<pid>.<hex>.tmp`), git `.lock` files, Blue's private realm indexes; and every YAML
 * file must parse without error. Returns the problems found (relative paths).
 */
export async function leftovers(fx: DomainRealm): Promise<string[]> {
  const found: string[] = [];
  await walk(fx.root, async (path) => {
    const rel = relative(fx.root, path);
    const name = rel.split('/').at(-1) ?? '';
    if (name.endsWith('.tmp') || name.endsWith('.lock') || name.startsWith('blue-index-')) found.push(`stray ${rel}`);
    else if (/\.ya?ml$/.test(name) && !rel.includes('/.git/')) {
      const doc = parseDocument(await readFile(path, 'utf8'), { uniqueKeys: true });
      if (doc.errors.length > 0) found.push(`bad yaml ${rel}: ${doc.errors[0]?.message ?? ''}`);
    }
  });
  return found;
}

/**
 * Waits until no process has its working folder inside the fixture: the git processes a killed
 * `blue` had started finish on their own (as they would for a user), and only then is the
 * command run again, so the rerun meets a settled state rather than racing with orphans.
 */
export async function orphansGone(root: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy: string[] = [];
    for (const pid of await readdir('/proc').then((names) => names.filter((n) => /^\d+$/.test(n)))) {
      if (Number(pid) === process.pid) continue;
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
      if (cwd === root || cwd.startsWith(`${root}/`)) busy.push(pid);
    }
    if (busy.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes still running in ${root}: ${busy.join(', ')}`);
    await delay(25);
  }
}
