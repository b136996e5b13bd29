import { MaintainersCommand } from '../../../maintainers-command.js';

export default class RealmMaintainersRemove extends MaintainersCommand {
  static override summary = "Remove maintainers from a domain: its domain.yaml and CODEOWNERS, in one realm commit.";

  static override description = `Only the domain's maintainers and the realm's approvers (by git user.email) may; a domain is never left without maintainers (add the new one first). The change is one realm commit, pushed, holding domain.yaml's maintainers and the CODEOWNERS line Blue generates from them.

Run it in the realm repo or in any repo that joined it.`;

  static override examples = [
    { description: 'Someone left the aperture team', command: '<%= config.bin %> <%= command.id %> --domain aperture bob@aperture.example' },
  ];

  protected readonly action = 'remove';
}
