import { Flags } from '@oclif/core';
import type { CheckRealmResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { EXIT } from '../../exit-codes.js';
import { reportError } from '../../report-error.js';
import { renderJunit, renderSarif } from '../../render/check-formats.js';
import { renderCheck } from '../../render/realm.js';

export default class RealmCheck extends BaseCommand {
  static override summary = 'Validate the whole realm and report drift and stale or broken imports.';

  static override description = `Checks every realm file against its schema, every export value against its schema, every import (provider, contract, range; the binding too when run from the importing repo), import cycles, CODEOWNERS against the domains, and that each domain folder was only changed by its maintainers. Run from a member repo it also reports that repo's unpublished export changes.

Exit 0 when nothing is broken (with --strict: nothing stale either), 1 when problems were found, 3 when a realm file is malformed.`;

  static override examples = [
    { description: 'Check everything', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Only imports, failing on stale ones too', command: '<%= config.bin %> <%= command.id %> --imports --strict' },
    { description: 'A pull request gate for one domain: only its problems fail, history since the realm\'s main', command: '<%= config.bin %> <%= command.id %> --domain aperture --since origin/main --format sarif > blue.sarif' },
    { description: 'For code scanning', command: '<%= config.bin %> <%= command.id %> --format sarif > blue.sarif' },
  ];

  static override flags = {
    exports: Flags.boolean({ description: 'Only the export checks.' }),
    imports: Flags.boolean({ description: 'Only the import checks.' }),
    strict: Flags.boolean({ description: 'Count warnings (stale imports, drift) as problems.' }),
    format: Flags.string({ description: 'Output format.', options: ['text', 'json', 'junit', 'sarif'], default: 'text' }),
    domain: Flags.string({ description: 'Scope to this domain, as a pull request gate: other domains\' problems are reported as warnings and never fail the check.' }),
    since: Flags.string({ description: 'History rules (governance changes, foreign writes) read only realm commits after this revision (SHA, branch, origin/main).' }),
    offline: Flags.boolean({ description: 'Do not fetch the realm\'s remote; check this machine\'s clone as it is (also BLUE_OFFLINE=1).' }),
  };

  /** `--format json` prints errors as JSON on stdout too, like --json (a CI step parses stdout either way). */
  private formatJson = false;

  async run(): Promise<CheckRealmResult> {
    const { flags } = await this.parse(RealmCheck);
    this.formatJson = flags.format === 'json';
    const { checkRealm } = await import('@blue/realm');
    const result = await checkRealm(await this.context(flags.cwd), { exports: flags.exports, imports: flags.imports, strict: flags.strict, offline: flags.offline, domain: flags.domain, since: flags.since });
    if (!this.jsonEnabled()) {
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (flags.format === 'junit') process.stdout.write(renderJunit(result));
      else if (flags.format === 'sarif') process.stdout.write(renderSarif(result, this.config.version));
      else this.print(renderCheck(result));
    }
    process.exitCode = result.invalid_files ? EXIT.input : result.ok && !(flags.strict && result.realm.warning !== undefined) ? EXIT.ok : EXIT.problems;
    return result;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- oclif's catch is async by signature
  protected override async catch(err: Error & { oclif?: { exit?: number } }): Promise<void> {
    reportError(err, this.jsonEnabled() || this.formatJson);
  }
}
