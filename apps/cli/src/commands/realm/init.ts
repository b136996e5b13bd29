import { Flags } from '@oclif/core';
import type { InitRealmResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { nextSteps, okLine, style } from '../../render/style.js';

export default class RealmInit extends BaseCommand {
  static override summary = 'Create a new realm: a git repository that federates code repos as domains.';

  static override description = `Creates realm.yaml with default governance (admission: approval; breaking changes need approval, 14-day grace period), domains/, contracts/ and .github/CODEOWNERS, then initialises git on branch main with a first commit.

The realm is created in --path (default: the current folder), which must be new or empty. Nothing is written if any step fails.`;

  static override examples = [
    { description: 'Create the letemcook realm in the current (empty) folder', command: '<%= config.bin %> <%= command.id %> --name letemcook' },
    { description: 'Create it in a new folder beside your code repos', command: '<%= config.bin %> <%= command.id %> --name letemcook --path ../realm-letemcook' },
    { description: 'Machine-readable result', command: '<%= config.bin %> <%= command.id %> --name letemcook --json' },
  ];

  static override flags = {
    name: Flags.string({ char: 'n', description: 'Realm name (kebab-case, at most 64 characters).', required: true }),
    path: Flags.string({ char: 'p', description: 'Folder to create the realm in (default: the current folder).' }),
  };

  async run(): Promise<InitRealmResult> {
    const { flags } = await this.parse(RealmInit);
    const { initRealm } = await import('@blue/realm');
    const result = await initRealm(await this.context(flags.cwd), { name: flags.name, path: flags.path });
    this.print(renderInit(result));
    return result;
  }
}

function renderInit(result: InitRealmResult): string[] {
  const { breaking_changes: breaking, admission } = result.governance;
  return [
    okLine(`Created realm ${style.bold(result.realm.name)} at ${result.realm.path}`),
    okLine(`Created realm.yaml ${style.dim(`(admission: ${admission}; breaking changes ${breaking.require_approval ? 'need approval' : 'publish directly'}, ${breaking.grace_period_days}-day grace)`)}`),
    okLine(`Created ${result.files.filter((f) => f !== 'realm.yaml').join(', ')}`),
    okLine(`Initialized git repository ${style.dim(`(main, ${result.commit.slice(0, 7)})`)}`),
    ...nextSteps(result.next_steps),
  ];
}
