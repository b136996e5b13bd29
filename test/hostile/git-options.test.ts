// Branch names and commit messages that look like git options never reach git as options: a
// branch is refused before git runs (VALUE_INVALID), a message is passed on stdin and kept verbatim.
import { access, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, runBlue, spawnMcp, verifies } from '@blue/testkit';
import { changes, EXIT, expectRefused, expectToolRefused, sharedScenario, snapshot } from './helpers.js';

const SLUG = 'feat-option-safety';

describe('git options in branch names and commit messages', () => {
  const shared = sharedScenario();
  /** A command git would run if `--upload-pack=` reached it as an option. */
  const pwned = (): string => join(shared().box.root, 'pwned');

  async function expectNotPwned(): Promise<void> {
    await expect(access(pwned())).rejects.toThrow();
  }

  const branches = (): string[] => [`--upload-pack=touch ${pwned()}`, '-x', '-D', '--exec=touch pwned', '-'];
  for (const index of [0, 1, 2, 3, 4]) {
    verifies('git-options-not-injected', `worktree --branch=<option #${index + 1}> is refused with VALUE_INVALID before git runs, nothing written`, async () => {
      const { box, s } = shared();
      const branch = branches()[index] ?? '';
      const before = await snapshot(box);
      const run = await runBlue(box, ['realm', 'worktree', '--rfc', 'option-safety', `--branch=${branch}`, '--json'], { cwd: s.aperture.dir });
      expect(expectRefused(run, 'VALUE_INVALID', EXIT.input).message).toContain(`Invalid branch name ${JSON.stringify(branch)}`);
      expect(changes(before, await snapshot(box))).toEqual([]);
      await expectNotPwned();
    });
  }

  verifies('git-options-not-injected', 'worktree --rfc=<option> is refused: the branch feat/<rfc> is checked before git runs, nothing written', async () => {
    const { box, s } = shared();
    const before = await snapshot(box);
    const run = await runBlue(box, ['realm', 'worktree', `--rfc=--upload-pack=touch ${pwned()}`, '--json'], { cwd: s.aperture.dir });
    expect(expectRefused(run, 'VALUE_INVALID', EXIT.input).message).toMatch(/^Invalid branch name "feat\/--upload-pack=touch /);
    expect(changes(before, await snapshot(box))).toEqual([]);
    await expectNotPwned();
  });

  verifies('git-options-not-injected', 'MCP: blue_realm_worktree with an option as branch is isError VALUE_INVALID, nothing written', async () => {
    const { box, s } = shared();
    const { client } = await spawnMcp(box);
    const before = await snapshot(box);
    for (const branch of [`--upload-pack=touch ${pwned()}`, '-x']) {
      const result = await client.callTool({ name: 'blue_realm_worktree', arguments: { rfc: 'option-safety', branch, cwd: s.aperture.dir } });
      expect(expectToolRefused(result, 'VALUE_INVALID', branch)).toContain('Invalid branch name');
    }
    expect(changes(before, await snapshot(box))).toEqual([]);
    await expectNotPwned();
  });

  verifies('git-options-not-injected', 'commit messages that look like options (-x, --amend, --upload-pack=…) are recorded verbatim in every repo', async () => {
    const { box, s } = shared();
    const started = await runBlue(box, ['realm', 'worktree', '--rfc', 'option-safety'], { cwd: s.aperture.dir });
    expect(started.exitCode, started.stderr).toBe(0);
    const trees = [join(s.aperture.dir, '.worktrees', SLUG), join(s.fungal.dir, '.worktrees', SLUG)];
    const heads = await Promise.all(trees.map((t) => git(box, t, ['rev-parse', 'HEAD'])));
    const messages = ['-x', '--amend', `--upload-pack=touch ${pwned()}`];
    for (const [i, message] of messages.entries()) {
      for (const tree of trees) await appendFile(join(tree, 'README.md'), `\nchange ${i}\n`);
      const run = await runBlue(box, ['realm', 'commit', `--message=${message}`, '--json'], { cwd: trees[0] });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    }
    for (const [i, tree] of trees.entries()) {
      // Three new commits (none amended), each with its message as given.
      expect(await git(box, tree, ['log', '--format=%B%x00', `${heads[i]}..HEAD`])).toBe(`${messages.toReversed().join('\n\0\n')}\n\0`);
    }
    await expectNotPwned();
  });
});
