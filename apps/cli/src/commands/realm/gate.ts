import { Flags } from '@oclif/core';
import type { GateChangeResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderGate } from '../../render/worktree.js';

export default class RealmGate extends BaseCommand {
  static override summary = 'Enforce the merge order of coordinated changes with the blue/merge-order check.';

  static override description = `Reads every pull request of the change on GitHub and the realm's exports, then sets the commit status blue/merge-order on the head of each open pull request: pending while an upstream pull request is not merged, or is merged but an export it changes is not yet published in a version this domain's import accepts; failure when an upstream pull request was closed without merging; success once its turn has come. Make blue/merge-order a required check in branch protection and GitHub enforces the order.

It also brings Blue's part of each body (links, merge order, what is missing) up to date in place, and records merged and closed pull requests in the realm's tracking file. A status or body is written only when it differs, so running it again changes nothing; a pull request whose head moved gets the status on its new head. A GitHub failure is reported for that pull request; run it again.

Without --branch: the change of the branch at cwd when it is a unified worktree, else every unfinished change this domain is part of (as CI runs it on pushes to the default branch).`;

  static override examples = [
    { description: 'Gate the change of the worktree you are in', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Gate one change from anywhere in the domain repo', command: '<%= config.bin %> <%= command.id %> --branch feat/payments-v2' },
    { description: 'Gate every unfinished change of this domain', command: '<%= config.bin %> <%= command.id %> --all' },
  ];

  static override flags = {
    branch: Flags.string({ description: "The change's branch (default: the branch at cwd)." }),
    all: Flags.boolean({ description: 'Every unfinished change this domain is part of.', exclusive: ['branch'] }),
  };

  async run(): Promise<GateChangeResult> {
    const { flags } = await this.parse(RealmGate);
    const { gateChange } = await import('@blue/realm');
    const result = await gateChange(await this.context(flags.cwd), { branch: flags.branch, all: flags.all });
    this.print(renderGate(result));
    this.exitForFailures(result.changes.flatMap((c) => c.pulls.map((p) => p.error)));
    return result;
  }
}
