import { Flags } from '@oclif/core';
import type { CreateWorktreeResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { finishWorktree, worktreeInput } from '../../worktree-outcome.js';

export default class RealmWorktree extends BaseCommand {
  static override summary = 'Start one branch across every repo a change touches.';

  static override description = `Creates, in this domain's repo and in each domain importing from it (or the --domains you name), a worktree at <repo>/.worktrees/<branch-slug>/ on a new branch from the repo's default branch, and records the set in the realm at worktrees/<branch-slug>.yaml (committed and pushed). .worktrees/ is added to each repo's .git/info/exclude.

Other domains' repos are found through your index ($BLUE_HOME/index.yaml) only. A domain you have no local clone of is its owners' part, not a failure: the tracking file records it as awaiting, with its maintainers, and they attach their repo to the same change on their machine with --join <branch> (or the same --rfc). commit, push and pr then act on the parts each machine has, and the merge-order check links them all. Running the command again keeps what exists and finishes what failed.`;

  static override examples = [
    { description: 'Start the RFC training-metrics-v2 in aperture and its consumers', command: '<%= config.bin %> <%= command.id %> --rfc training-metrics-v2' },
    { description: "Attach this repo to a change another organisation started", command: '<%= config.bin %> <%= command.id %> --join feat/training-metrics-v2' },
    { description: 'Name the branch and the domains', command: '<%= config.bin %> <%= command.id %> --rfc training-metrics-v2 --branch feat/metrics --domains aperture,fungal-image-analysis' },
  ];

  static override flags = {
    rfc: Flags.string({ description: 'The change (RFC) name; the branch defaults to feat/<rfc>.', exactlyOne: ['rfc', 'join'] }),
    join: Flags.string({ description: "Attach this domain's repo to the change on this branch, started on another machine.", exclusive: ['branch'] }),
    branch: Flags.string({ description: 'The branch to create in every repo (default feat/<rfc>).' }),
    domains: Flags.string({ description: 'Comma-separated domains (default: this domain and its importers).' }),
  };

  async run(): Promise<CreateWorktreeResult> {
    const { flags } = await this.parse(RealmWorktree);
    const { createWorktree } = await import('@blue/realm');
    const result = await createWorktree(await this.context(flags.cwd), worktreeInput(flags));
    finishWorktree(result, this.jsonEnabled());
    return result;
  }
}
