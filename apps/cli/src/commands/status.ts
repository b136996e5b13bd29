import { Flags } from '@oclif/core';
import type { StatusResult } from '@blue/realm';
import { BaseCommand } from '../base-command.js';
import { finishStatus } from '../status-outcome.js';

export default class Status extends BaseCommand {
  static override summary = 'Show this domain\'s realm state: export drift, import status, next steps.';

  static override description = `Compares this repo's exports (declared or detected) with what the realm published, and evaluates each import: current, stale (a newer version, or the binding file lacks values) or broken (contract gone, range unsatisfiable, binding missing). The realm's remote is fetched first when this machine last reached it more than BLUE_FETCH_TTL seconds ago (default 60); the realm is found by the URL in .blue/config.yaml (cloned into $BLUE_HOME/realms/ when this machine has no clone). With --strict, exits 1 when anything needs attention, including a realm remote that could not be reached.`;

  static override examples = [
    { description: 'Where do I stand?', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'In CI: fail when exports drifted or imports are stale', command: '<%= config.bin %> <%= command.id %> --strict' },
    { description: 'For scripts and agents', command: '<%= config.bin %> <%= command.id %> --json' },
    { description: 'On a plane: no fetch of the realm remote', command: '<%= config.bin %> <%= command.id %> --offline' },
  ];

  static override flags = {
    strict: Flags.boolean({ description: 'Exit 1 when exports changed, imports are stale or broken, or the realm\'s remote could not be reached.' }),
    offline: Flags.boolean({ description: 'Do not fetch the realm\'s remote; answer from this machine\'s clone (also BLUE_OFFLINE=1).' }),
  };

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const { realmStatus } = await import('@blue/realm');
    const result = await realmStatus(await this.context(flags.cwd), { offline: flags.offline });
    finishStatus(result, { json: this.jsonEnabled(), strict: flags.strict });
    return result;
  }
}
