import { Args, Flags } from '@oclif/core';
import type { JoinRealmResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderJoin } from '../../render/realm.js';

export default class RealmJoin extends BaseCommand {
  static override summary = 'Join this repository to a realm as a domain.';

  static override description = `Writes domains/<domain>/domain.yaml (repo URL from origin, you as maintainer), detected exports (published at 1.0.0) and imports, and the CODEOWNERS line, in one realm commit; then .blue/config.yaml in this repo and the repo's folder in your index ($BLUE_HOME/index.yaml).

Detection reads tracked files only: s3://bucket/key literals become the export required-s3-permissions; a file containing all values of another domain's export becomes an import with that file as its binding.

The realm is named by its URL or by the path of a clone of it. By URL, Blue uses this machine's clone of it (from your index) or clones it into $BLUE_HOME/realms/<name>/. .blue/config.yaml records the realm's URL as you configured it (never a path of this machine, never credentials), so every clone of this repo, on any machine, finds the realm by it.

Admission: with governance.admission "open" you join directly; with "approval" you join directly if you are an approver, otherwise the join is committed on branch blue/join/<domain> of the realm for an approver to merge; "invite-only" admits approvers only. Joining again (from this clone or another one) only registers this clone in your index.`;

  static override examples = [
    { description: 'Join the realm next to this repo as "aperture"', command: '<%= config.bin %> <%= command.id %> ../realm-letemcook --as aperture' },
    { description: 'Join by URL (Blue clones the realm into $BLUE_HOME/realms/)', command: '<%= config.bin %> <%= command.id %> git@github.com:letemcook/realm.git --as aperture' },
    { description: 'Join without detecting exports and imports', command: '<%= config.bin %> <%= command.id %> ../realm-letemcook --no-detect-exports' },
    { description: 'Join a repo whose origin is not on GitHub, naming its GitHub repository', command: '<%= config.bin %> <%= command.id %> ../realm-letemcook --github letemcook/aperture' },
  ];

  static override args = {
    realm_path: Args.string({ description: 'The realm: its URL, or the path of a clone of it.', required: true }),
  };

  static override flags = {
    as: Flags.string({ description: 'Domain name (default: this repo folder name, kebab-cased).' }),
    'detect-exports': Flags.boolean({ description: 'Detect exports and imports from tracked files.', default: true, allowNo: true }),
    github: Flags.string({ description: 'This repository on GitHub as owner/name, where providers open issues for you (default: read from the origin URL).' }),
  };

  async run(): Promise<JoinRealmResult> {
    const { args, flags } = await this.parse(RealmJoin);
    const { joinRealm } = await import('@blue/realm');
    const result = await joinRealm(await this.context(flags.cwd), { realmPath: args.realm_path, as: flags.as, detectExports: flags['detect-exports'], github: flags.github });
    this.print(renderJoin(result));
    return result;
  }
}
