import { Flags } from '@oclif/core';
import type { ExportContractResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderExport } from '../../render/realm.js';

export default class RealmExport extends BaseCommand {
  static override summary = 'Declare or update an export of this domain.';

  static override description = `Writes the export to .blue/exports.yaml: a static value (--value JSON), a file detector (--file YAML/JSON, optionally --pointer: the value is read from the file again on every status) or detect rules (--detect, from s3:// literals in tracked files). The value must match the export's schema (declared, else published, else inferred for a new export). \`blue status\` then shows the change and \`blue realm sync\` publishes it.`;

  static override examples = [
    { description: 'Declare a static value', command: `<%= config.bin %> <%= command.id %> --name api-endpoints --value '{"base": "https://api.example.com"}'` },
    { description: 'Detect S3 paths from the code', command: '<%= config.bin %> <%= command.id %> --name required-s3-permissions --detect' },
    { description: 'Ask for a specific next version', command: '<%= config.bin %> <%= command.id %> --name limits --file limits.yaml --version 2.0.0' },
    { description: 'Publish part of a config file; edits to it show as drift', command: '<%= config.bin %> <%= command.id %> --name limits --file config/service.yaml --pointer /limits' },
  ];

  static override flags = {
    name: Flags.string({ char: 'n', description: 'Export name (kebab-case).', required: true }),
    version: Flags.string({ description: 'Version to publish at the next sync (must be newer than the published one).' }),
    value: Flags.string({ description: 'The value, as JSON.', exclusive: ['file', 'detect'] }),
    file: Flags.string({ description: 'A YAML or JSON file of this repo holding the value; recorded as a file detector, so the value is re-read on every status.', exclusive: ['value', 'detect'] }),
    pointer: Flags.string({ description: 'With --file: a JSON pointer to the part of the file that is the value (e.g. /limits).', dependsOn: ['file'] }),
    detect: Flags.boolean({ description: 'Detect the value from tracked files (S3 paths), or by the detect rule .blue/exports.yaml declares; a `command` rule is trusted as it is now (see `blue trust`).', exclusive: ['value', 'file'] }),
  };

  async run(): Promise<ExportContractResult> {
    const { flags } = await this.parse(RealmExport);
    const { exportContract } = await import('@blue/realm');
    const result = await exportContract(await this.context(flags.cwd), { name: flags.name, version: flags.version, value: flags.value, file: flags.file, pointer: flags.pointer, detect: flags.detect, trustCommand: flags.detect });
    this.print(renderExport(result));
    return result;
  }
}
