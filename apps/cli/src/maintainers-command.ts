import { Args, Flags } from '@oclif/core';
import type { ChangeMaintainersResult } from '@blue/realm';
import { BaseCommand } from './base-command.js';
import { realmPushNote } from './render/realm-push.js';
import { nextSteps, okLine, style } from './render/style.js';

/**
 * `blue realm maintainers add|remove --domain D EMAIL…`: one command class, two verbs. A people
 * act (who owns a domain's folder), so there is no MCP tool for it.
 */
export abstract class MaintainersCommand extends BaseCommand {
  static override strict = false;

  static override args = {
    maintainers: Args.string({ description: 'Emails as git records them, or GitHub @user / @org/team handles (one or more).', required: true }),
  };

  static override flags = {
    domain: Flags.string({ description: 'The domain whose maintainers change.', required: true }),
  };

  protected abstract readonly action: 'add' | 'remove';

  async run(): Promise<ChangeMaintainersResult> {
    // Spelled out: oclif spreads the class's own statics, and these are inherited by add and remove.
    const { flags, argv } = await this.parse({ flags: MaintainersCommand.flags, baseFlags: MaintainersCommand.baseFlags, args: MaintainersCommand.args, strict: false, enableJsonFlag: true });
    const { changeMaintainers } = await import('@blue/realm');
    const result = await changeMaintainers(await this.context(flags.cwd), { action: this.action, domain: flags.domain, maintainers: argv.map(String) });
    const changed = [...result.added.map((m) => `+${m}`), ...result.removed.map((m) => `-${m}`)];
    this.print([
      changed.length === 0
        ? okLine(`Nothing to change: ${style.bold(result.domain)}'s maintainers are ${result.maintainers.join(', ')}`)
        : okLine(`${style.bold(result.domain)} maintainers ${changed.join(' ')}: now ${result.maintainers.join(', ')} (domain.yaml and CODEOWNERS${result.commit ? `, commit ${result.commit.slice(0, 7)}${realmPushNote(result.realm_push)}` : ''})`),
      ...nextSteps(result.next_steps),
    ]);
    return result;
  }
}
