import { Flags } from '@oclif/core';
import type { SyncRealmResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { finishSync } from '../../sync-outcome.js';

export default class RealmSync extends BaseCommand {
  static override summary = 'Publish this domain\'s export changes and record its imports, in one realm commit.';

  static override description = `Pulls the realm, compares each local export with its published version and publishes changes with a version bump computed from the diff (additions or a wider schema: minor; removals, changed values or a narrower schema: major; description only: patch), with a changelog entry listing the changes. Records each import's status and resolved version (the binding file must contain every imported value). Then pushes the realm commit, rebasing and retrying when other domains pushed first, and opens (or moves to the new version) one GitHub issue in each consumer's repository whose import lags an export of yours. A notice that fails is reported and retried by the next sync; it never undoes the publish. Your code repo's files are never modified, and only committed work is published: when .blue/exports.yaml, a file a detector reads or a binding file has uncommitted changes, sync refuses (DIRTY_WORKTREE) unless --allow-dirty.

GitHub: the consumer's repository comes from \`github: owner/name\` in its domain.yaml (else its repo_url); the API from BLUE_GITHUB_API_URL or GITHUB_API_URL; the token from GH_TOKEN, GITHUB_TOKEN (GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN for enterprise hosts) or \`gh auth token\`.`;

  static override examples = [
    { description: 'See what would be published, without writing anything', command: '<%= config.bin %> <%= command.id %> --dry-run' },
    { description: 'Publish and record', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Publish without opening GitHub issues for consumers', command: '<%= config.bin %> <%= command.id %> --no-notify' },
    { description: 'In CI: fail the step when a consumer could not be notified (the default when CI=true)', command: '<%= config.bin %> <%= command.id %> --fail-on-notify-error' },
    { description: 'Publish although .blue/exports.yaml, a detector input or a binding file is uncommitted (noted in the changelog)', command: '<%= config.bin %> <%= command.id %> --allow-dirty' },
  ];

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Show what would change (versions, diff, consumers, notices); write, commit, push and notify nothing.' }),
    notify: Flags.boolean({ description: 'Open or update a GitHub issue for each consumer whose import lags (--no-notify skips it).', default: true, allowNo: true }),
    'fail-on-notify-error': Flags.boolean({
      description: 'Exit 5 (after publishing) when a consumer could not be notified, so CI shows it; the next sync retries the notice. On by default when CI=true (--no-fail-on-notify-error turns it off).',
      allowNo: true,
    }),
    'allow-dirty': Flags.boolean({ description: 'Publish even when what sync reads (.blue/exports.yaml, files a detector reads, binding files) has uncommitted changes; the changelog notes it. Without it sync refuses (DIRTY_WORKTREE).' }),
  };

  async run(): Promise<SyncRealmResult> {
    const { flags } = await this.parse(RealmSync);
    const { syncRealm } = await import('@blue/realm');
    const result = await syncRealm(await this.context(flags.cwd), { dryRun: flags['dry-run'], notify: flags.notify, allowDirty: flags['allow-dirty'] });
    finishSync(result, { json: this.jsonEnabled(), failOnNotify: flags['fail-on-notify-error'] });
    return result;
  }
}
