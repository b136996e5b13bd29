import { Flags } from '@oclif/core';
import type { TrustChangeResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderTrustChange } from '../../render/trust.js';

export default class TrustAllow extends BaseCommand {
  static override summary = 'Trust the commands this repository declares (command detectors), exactly as they are now.';

  static override description = `Read the command first: \`blue status\` shows it for every untrusted export. Trust is recorded in $BLUE_HOME/trust.yaml by repository (its folder on this machine) and the sha256 of the exact argv, so any change to the command makes it untrusted again. With --sha256 (the digest \`blue status --json\` shows), only a command with that digest is trusted: refused if the file changed since you read it. People only: no MCP tool grants trust.`;

  static override examples = [
    { description: 'Trust the command of one export', command: '<%= config.bin %> <%= command.id %> --export build-info' },
    { description: 'Trust it only if it is still the command you reviewed', command: '<%= config.bin %> <%= command.id %> --export build-info --sha256 3f2a…' },
  ];

  static override flags = {
    export: Flags.string({ char: 'e', description: 'Only this export\'s command (default: every command detector of the repository).' }),
    sha256: Flags.string({ description: 'The digest you reviewed; refused when the declared command has another one.' }),
  };

  async run(): Promise<TrustChangeResult> {
    const { flags } = await this.parse(TrustAllow);
    const { allowTrust } = await import('@blue/realm');
    const result = await allowTrust(await this.context(flags.cwd), { export: flags.export, sha256: flags.sha256 });
    this.print(renderTrustChange(result, 'allow'));
    return result;
  }
}
