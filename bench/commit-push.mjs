// `blue realm commit` + `blue realm push` across the N repos of a unified worktree (one changed
// file in each; pushed to the local bare remotes), against a sequential `git add -A && git commit
// && git push` loop over N worktrees of the same repos. Each round makes fresh worktrees for
// both sides first (not timed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interleaved, wall } from './lib/measure.mjs';
import { blueJson, git } from './lib/proc.mjs';
import { fmtMs, summarize } from './lib/stats.mjs';
import { blueWorktree, gitWorktreeLoop, sharedDomains } from './worktree.mjs';

export const figures = [
  {
    id: 'commit-push',
    figure: (size) => `\`blue realm commit\` + \`blue realm push\` across ${size.domains} domains (local bare remotes)`,
    baseline: 'sequential `git add/commit/push` loop',
    budget: { kind: 'ratio', max: 0.55 },
  },
];

function editAll(trees, round) {
  for (const tree of trees) writeFileSync(join(tree, `change-${round}.txt`), `round ${round}\n`);
}

export async function measure(ctx) {
  const { ws, size } = ctx;
  const realm = await sharedDomains(ctx);
  const split = { commit: [], push: [] };
  const samples = await interleaved(
    { rounds: size.unifiedRounds, warmup: size.warmup },
    async (i) => {
      const made = await blueWorktree(ws, realm, `cp-${i}`);
      const trees = made.json.worktrees.map((w) => w.path);
      editAll(trees, i);
      const providerTree = made.json.worktrees.find((w) => w.domain === realm.provider.name).path;
      const commit = await blueJson(ws, ['realm', 'commit', '-m', `bench round ${i}`], { cwd: providerTree });
      const committed = commit.json.commits.filter((c) => c.status === 'ok').length;
      if (committed !== realm.repos.length) throw new Error(`blue realm commit committed in ${committed} of ${realm.repos.length} repos: ${commit.stdout.slice(0, 600)}`);
      const push = await blueJson(ws, ['realm', 'push'], { cwd: providerTree });
      const pushed = push.json.pushes.filter((p) => p.status === 'ok' && !p.up_to_date).length;
      if (pushed !== realm.repos.length) throw new Error(`blue realm push pushed ${pushed} of ${realm.repos.length} repos: ${push.stdout.slice(0, 600)}`);
      if (i >= size.warmup) {
        split.commit.push(commit.ms);
        split.push.push(push.ms);
      }
      return commit.ms + push.ms;
    },
    async (i) => {
      const branch = `base/cp-${i}`;
      await gitWorktreeLoop(ws, realm.repos, branch);
      const trees = realm.repos.map((r) => join(r.dir, '.worktrees', branch.replaceAll('/', '-')));
      editAll(trees, i);
      return wall(async () => {
        for (const tree of trees) {
          await git(ws, tree, ['add', '-A']);
          await git(ws, tree, ['commit', '--quiet', '-m', `bench round ${i}`]);
          await git(ws, tree, ['push', '--quiet', 'origin', branch]);
        }
      });
    },
  );
  return {
    'commit-push': {
      measured: samples.blue,
      baseline: samples.baseline,
      details: [`median of commit ${fmtMs(summarize(split.commit).median)}, of push ${fmtMs(summarize(split.push).median)}`],
    },
  };
}
