import { Flags } from '@oclif/core';
import type { LeaveRealmResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderLeave } from '../../render/realm.js';

export default class RealmLeave extends BaseCommand {
  static override summary = 'Remove this repository\'s domain from its realm.';

  static override description = `Removes domains/<domain>/ and its CODEOWNERS line in one realm commit, then .blue/config.yaml and the index entry. Refused (exit 4) while another domain imports from this one, unless --force: their imports then evaluate as broken (Blue does not write into other domains' folders).`;

  static override examples = [
    { description: 'Leave the realm', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Leave even though fungal-image-analysis imports from us', command: '<%= config.bin %> <%= command.id %> --force' },
  ];

  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Leave even if other domains import from this one.' }),
  };

  async run(): Promise<LeaveRealmResult> {
    const { flags } = await this.parse(RealmLeave);
    const { leaveRealm } = await import('@blue/realm');
    const result = await leaveRealm(await this.context(flags.cwd), { force: flags.force });
    this.print(renderLeave(result));
    return result;
  }
}
