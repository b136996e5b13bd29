import { Flags } from '@oclif/core';
import type { StatusResult } from '@blue/realm';
import { BaseCommand } from '../base-command.js';
import { finishStatus } from '../status-outcome.js';

export default class Status extends BaseCommand {
  static override summary = 'Show this domain\'s realm state: export drift, import status, next steps.';

  static override description = `Compares this repo's exports (declared or detected) with what the realm published, and evaluates each import: current, stale (a newer version, or the binding file lacks values) or broken (contract gone, range unsatisfiable, binding missing). With --strict, exits 1 when anything needs attention.`;

  static override examples = [
    { description: 'Where do I stand?', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'In CI: fail when exports drifted or imports are stale', command: '<%= config.bin %> <%= command.id %> --strict' },
    { description: 'For scripts and agents', command: '<%= config.bin %> <%= command.id %> --json' },
  ];

  static override flags = {
    strict: Flags.boolean({ description: 'Exit 1 when exports changed or imports are stale or broken.' }),
  };

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const { realmStatus } = await import('@blue/realm');
    const result = await realmStatus(await this.context(flags.cwd));
    finishStatus(result, { json: this.jsonEnabled(), strict: flags.strict });
    return result;
  }
}
