import { Flags } from '@oclif/core';
import type { ImportContractResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderImport } from '../../render/realm.js';

export default class RealmImport extends BaseCommand {
  static override summary = 'Import another domain\'s export into this domain.';

  static override description = `Records the import in domains/<domain>/imports.yaml (one realm commit): the contract, the providing domain, a semver range (default ^ its current version) and the binding file, the file in this repo that uses the values. The domain and contract must exist, the range must match a published version, the binding file must exist, and the import must not create a cycle.`;

  static override examples = [
    { description: 'Import aperture\'s S3 paths, bound to the IAM stack', command: '<%= config.bin %> <%= command.id %> --contract required-s3-permissions --from aperture --binding cdk/training_tools_access_stack.py' },
    { description: 'With an explicit range', command: '<%= config.bin %> <%= command.id %> --contract required-s3-permissions --from aperture --version ">=1.0.0" --binding cdk/stack.py' },
  ];

  static override flags = {
    contract: Flags.string({ description: 'The export to import.', required: true }),
    from: Flags.string({ description: 'The domain that exports it.', required: true }),
    version: Flags.string({ description: 'Semver range (default: ^ the current version).' }),
    binding: Flags.string({ description: 'The file in this repo that uses the values (relative to the repo root).', required: true }),
  };

  async run(): Promise<ImportContractResult> {
    const { flags } = await this.parse(RealmImport);
    const { importContract } = await import('@blue/realm');
    const result = await importContract(await this.context(flags.cwd), { contract: flags.contract, from: flags.from, version: flags.version, binding: flags.binding });
    this.print(renderImport(result));
    return result;
  }
}
