import { Flags } from '@oclif/core';
import type { TrustListResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderTrustList } from '../../render/trust.js';

export default class TrustList extends BaseCommand {
  static override summary = 'List the repo-declared commands you trust on this machine.';

  static override description = `A repository can declare a \`command\` detector in .blue/exports.yaml: a program Blue runs to compute an export's value. Blue runs it only where you trusted that exact command (kept in $BLUE_HOME/trust.yaml by repository and sha256 of the argv). This lists those records; --here only the ones of the repository around the current folder. No MCP tool lists, grants or revokes trust.`;

  static override examples = [
    { description: 'Every command you trust', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Only this repository\'s', command: '<%= config.bin %> <%= command.id %> --here' },
  ];

  static override flags = {
    here: Flags.boolean({ description: 'Only the commands of the repository around the current folder.' }),
  };

  async run(): Promise<TrustListResult> {
    const { flags } = await this.parse(TrustList);
    const { listTrust } = await import('@blue/realm');
    const result = await listTrust(await this.context(flags.cwd), { repoOnly: flags.here });
    this.print(renderTrustList(result));
    return result;
  }
}
