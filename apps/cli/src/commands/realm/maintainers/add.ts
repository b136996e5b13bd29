import { MaintainersCommand } from '../../../maintainers-command.js';

export default class RealmMaintainersAdd extends MaintainersCommand {
  static override summary = "Add maintainers to a domain: its domain.yaml and CODEOWNERS, in one realm commit.";

  static override description = `Only the domain's maintainers and the realm's approvers (by git user.email) may. The change is one realm commit, pushed, holding domain.yaml's maintainers and the CODEOWNERS line Blue generates from them, so \`blue realm check\` stays clean (editing one by hand gives a codeowners finding). New maintainers' commits in the domain's folder are no longer foreign writes.

Run it in the realm repo or in any repo that joined it.`;

  static override examples = [
    { description: 'A teammate joins the aperture team', command: '<%= config.bin %> <%= command.id %> --domain aperture bob@aperture.example' },
    { description: 'Two at once, one a GitHub team', command: '<%= config.bin %> <%= command.id %> --domain aperture carol@aperture.example @letemcook/aperture-devs' },
  ];

  protected readonly action = 'add';
}
