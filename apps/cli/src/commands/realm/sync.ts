import { Flags } from '@oclif/core';
import type { SyncRealmResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderSync } from '../../render/realm.js';

export default class RealmSync extends BaseCommand {
  static override summary = 'Publish this domain\'s export changes and record its imports, in one realm commit.';

  static override description = `Pulls the realm, compares each local export with its published version and publishes changes with a version bump computed from the diff (additions or a wider schema: minor; removals, changed values or a narrower schema: major; description only: patch), with a changelog entry listing the changes. Records each import's status and resolved version (the binding file must contain every imported value). Then pushes the realm commit, rebasing and retrying when other domains pushed first. Your code repo's files are never modified.`;

  static override examples = [
    { description: 'See what would be published, without writing anything', command: '<%= config.bin %> <%= command.id %> --dry-run' },
    { description: 'Publish and record', command: '<%= config.bin %> <%= command.id %>' },
  ];

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Show what would change; write, commit and push nothing.' }),
  };

  async run(): Promise<SyncRealmResult> {
    const { flags } = await this.parse(RealmSync);
    const { syncRealm } = await import('@blue/realm');
    const result = await syncRealm(await this.context(flags.cwd), { dryRun: flags['dry-run'] });
    this.print(renderSync(result));
    return result;
  }
}
