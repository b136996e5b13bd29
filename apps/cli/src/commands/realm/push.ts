import { Flags } from '@oclif/core';
import type { PushWorktreesResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderPush } from '../../render/worktree.js';

export default class RealmPush extends BaseCommand {
  static override summary = 'Push the unified branch of every repo to its remote.';

  static override description = `Run it from any of the worktrees. Each repo's branch goes to its origin, never forced; dropped connections and ref-lock races are retried. A push the remote rejects is reported for that repo with git's reason, and the other repos are still pushed; run it again once fixed. The realm's tracking file marks the pushed repos.`;

  static override examples = [
    { description: 'Push every repo of the worktree', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Push one repo', command: '<%= config.bin %> <%= command.id %> --domains fungal-image-analysis' },
  ];

  static override flags = {
    domains: Flags.string({ description: 'Comma-separated domains (default: all of the worktree).' }),
  };

  async run(): Promise<PushWorktreesResult> {
    const { flags } = await this.parse(RealmPush);
    const { pushWorktrees } = await import('@blue/realm');
    const result = await pushWorktrees(await this.context(flags.cwd), { domains: flags.domains?.split(',').map((d) => d.trim()).filter(Boolean) });
    this.print(renderPush(result));
    this.exitForFailures(result.pushes.map((p) => p.error));
    return result;
  }
}
