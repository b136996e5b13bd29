import { Flags } from '@oclif/core';
import type { ApproveChangeResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderApprove } from '../../render/approve.js';

export default class RealmApprove extends BaseCommand {
  static override summary = 'Approve a breaking change that sync held back, publishing it to the realm.';

  static override description = `With governance.breaking_changes.require_approval in realm.yaml, a breaking change (a removed value, a changed type, a narrower schema) synced by someone who is not a governance approver is held on the realm branch blue/breaking/<domain>/<export>@<version> instead of reaching main.

An approver (your git user.email must be in governance.approvers) runs this to publish it: the export goes to main with approved_by and approved_at in its changelog entry, in one pushed realm commit; the branch is deleted and the consumers get a GitHub issue. Importers of the old major then see their import stale until grace_period_days after the approval, and broken after that.

Run it in the realm repo or in any repo that joined it.`;

  static override examples = [
    { description: "Approve aperture's pending breaking change of required-s3-permissions", command: '<%= config.bin %> <%= command.id %> --domain aperture --export required-s3-permissions' },
    { description: 'Approve one version when several are pending', command: '<%= config.bin %> <%= command.id %> --domain aperture --export required-s3-permissions --version 2.0.0' },
  ];

  static override flags = {
    domain: Flags.string({ description: 'The domain that published the change.', required: true }),
    export: Flags.string({ description: 'The export that changed.', required: true }),
    version: Flags.string({ description: 'The version awaiting approval (default: the only pending one).' }),
    notify: Flags.boolean({ description: 'Open or update a GitHub issue for each consumer (--no-notify skips it).', default: true, allowNo: true }),
  };

  async run(): Promise<ApproveChangeResult> {
    const { flags } = await this.parse(RealmApprove);
    const { approveChange } = await import('@blue/realm');
    const result = await approveChange(await this.context(flags.cwd), { domain: flags.domain, export: flags.export, version: flags.version, notify: flags.notify });
    this.print(renderApprove(result));
    return result;
  }
}
