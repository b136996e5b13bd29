import { Flags } from '@oclif/core';
import type { CoordinatedCommitResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderCommit } from '../../render/worktree.js';

export default class RealmCommit extends BaseCommand {
  static override summary = 'Commit in every worktree of the unified branch that has changes, as one coordinated commit.';

  static override description = `Run it from any of the worktrees made by blue realm worktree (the branch checked out there names the set). Every worktree with changes gets a commit with the message (all changes, as git add -A; the repos' own commit hooks run); the realm's tracking file records the SHAs as one coordinated commit (null for a repo with nothing to commit), linked when more than one repo committed. Nothing to commit anywhere says so and changes nothing.`;

  static override examples = [
    { description: 'Commit the change in every repo', command: '<%= config.bin %> <%= command.id %> -m "Add training-metrics/experiments path"' },
    { description: 'Only some repos, not linked', command: '<%= config.bin %> <%= command.id %> -m "Fix typo" --domains aperture --no-link' },
  ];

  static override flags = {
    message: Flags.string({ char: 'm', description: 'The commit message, used in every repo.', required: true }),
    domains: Flags.string({ description: 'Comma-separated domains (default: all of the worktree).' }),
    link: Flags.boolean({ description: 'Record the commits as linked (--no-link records them unlinked).', default: true, allowNo: true }),
  };

  async run(): Promise<CoordinatedCommitResult> {
    const { flags } = await this.parse(RealmCommit);
    const { coordinatedCommit } = await import('@blue/realm');
    const result = await coordinatedCommit(await this.context(flags.cwd), { message: flags.message, domains: flags.domains?.split(',').map((d) => d.trim()).filter(Boolean), link: flags.link });
    this.print(renderCommit(result));
    this.exitForFailures(result.commits.map((c) => c.error));
    return result;
  }
}
