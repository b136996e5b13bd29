import { Flags } from '@oclif/core';
import type { TrustChangeResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderTrustChange } from '../../render/trust.js';

export default class TrustRevoke extends BaseCommand {
  static override summary = 'Take back trust in this repository\'s commands.';

  static override description = `Removes the records of the repository around the current folder from $BLUE_HOME/trust.yaml (one export's with --export, every repository's with --all). Its command detectors are then reported \`untrusted\` and never run.`;

  static override examples = [
    { description: 'Stop running this repository\'s commands', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Forget every trusted command on this machine', command: '<%= config.bin %> <%= command.id %> --all' },
  ];

  static override flags = {
    export: Flags.string({ char: 'e', description: 'Only this export\'s command.', exclusive: ['all'] }),
    all: Flags.boolean({ description: 'Every trusted command of every repository.', exclusive: ['export'] }),
  };

  async run(): Promise<TrustChangeResult> {
    const { flags } = await this.parse(TrustRevoke);
    const { revokeTrust } = await import('@blue/realm');
    const result = await revokeTrust(await this.context(flags.cwd), { export: flags.export, all: flags.all });
    this.print(renderTrustChange(result, 'revoke'));
    return result;
  }
}
