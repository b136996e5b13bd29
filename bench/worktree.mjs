// `blue realm worktree --rfc R` in the provider of a realm of N domains (every other domain
// imports from it, so all N repos get the branch), against a sequential `git worktree add -b`
// loop over the same N repos (another branch each round, so both start from the same state).
import { join } from 'node:path';
import { domainRealm } from './fixtures/domains.mjs';
import { interleaved, wall } from './lib/measure.mjs';
import { blueJson, git } from './lib/proc.mjs';

export const figures = [
  {
    id: 'worktree',
    figure: (size) => `\`blue realm worktree\` across ${size.domains} domains`,
    baseline: `sequential \`git worktree add -b\` loop over the same repos`,
    budget: { kind: 'ratio', max: 0.8 },
  },
];

/** The realm of N domains, shared with commit-push. */
export function sharedDomains(ctx) {
  return ctx.shared('domains', () => domainRealm(ctx.ws, 'domains', ctx.size.domains));
}

/** Sequential `git worktree add -b <branch> .worktrees/<slug> main` in every repo. */
export async function gitWorktreeLoop(ws, repos, branch) {
  const slug = branch.replaceAll('/', '-');
  for (const repo of repos) await git(ws, repo.dir, ['worktree', 'add', '--quiet', '-b', branch, join('.worktrees', slug), 'main']);
}

/** `blue realm worktree --rfc <rfc>` in the provider; checks every repo got its worktree. */
export async function blueWorktree(ws, realm, rfc) {
  const result = await blueJson(ws, ['realm', 'worktree', '--rfc', rfc], { cwd: realm.provider.dir });
  const ok = result.json.worktrees.filter((w) => w.status === 'ok' && w.created).length;
  if (ok !== realm.repos.length) throw new Error(`blue realm worktree made ${ok} of ${realm.repos.length} worktrees: ${result.stdout.slice(0, 600)}`);
  return result;
}

export async function measure(ctx) {
  const { ws, size } = ctx;
  const realm = await sharedDomains(ctx);
  const samples = await interleaved(
    { rounds: size.unifiedRounds, warmup: size.warmup },
    async (i) => (await blueWorktree(ws, realm, `wt-${i}`)).ms,
    (i) => wall(() => gitWorktreeLoop(ws, realm.repos, `base/wt-${i}`)),
  );
  return { worktree: { measured: samples.blue, baseline: samples.baseline } };
}
