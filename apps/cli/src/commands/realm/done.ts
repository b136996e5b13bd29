import { Flags } from '@oclif/core';
import type { FinishChangeResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderDone } from '../../render/worktree.js';

export default class RealmDone extends BaseCommand {
  static override summary = 'Finish a coordinated change once its pull requests are merged or closed.';

  static override description = `Removes this machine's worktrees of the change, deletes each local branch whose pull request was merged at exactly that commit (a branch with commits the merge lacks is kept), and marks the realm's tracking file finished; the file stays as history.

While pull requests of the change are still open it refuses and names them (CHANGE_STILL_OPEN); --force finishes anyway and leaves them open on GitHub. Owners of the other parts run it on their own machines for their worktrees.`;

  static override examples = [
    { description: 'Finish the change of the worktree you are in', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Finish a change from the main checkout', command: '<%= config.bin %> <%= command.id %> --branch feat/payments-v2' },
  ];

  static override flags = {
    branch: Flags.string({ description: "The change's branch (default: the branch at cwd)." }),
    force: Flags.boolean({ description: 'Finish although pull requests are open; remove worktrees with uncommitted changes.' }),
  };

  async run(): Promise<FinishChangeResult> {
    const { flags } = await this.parse(RealmDone);
    const { finishChange } = await import('@blue/realm');
    const result = await finishChange(await this.context(flags.cwd), { branch: flags.branch, force: flags.force });
    this.print(renderDone(result));
    this.exitForFailures(result.repos.map((r) => r.error));
    return result;
  }
}
