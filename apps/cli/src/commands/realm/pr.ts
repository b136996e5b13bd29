import { Flags } from '@oclif/core';
import type { OpenPullRequestsResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';
import { renderPulls } from '../../render/worktree.js';

export default class RealmPr extends BaseCommand {
  static override summary = 'Open linked pull requests for the unified branch, in merge order.';

  static override description = `Run it from any of the worktrees, after blue realm push. Every repo with commits on the branch gets one pull request on GitHub (into its default branch). The merge order comes from the realm's imports: providers merge before the domains that import from them; a cycle is refused before anything is opened. Each body links the other pull requests and says which must merge first; the numbers, URLs and merge order are recorded in the realm's tracking file.

Running it again updates the open pull requests (title, body, draft state) instead of opening new ones, so after a failure fix the cause and run it again. Blue writes the whole body: put your own text in with --body.

GitHub: the repository comes from domain.yaml (github: owner/name, else repo_url); the token from GH_TOKEN, GITHUB_TOKEN (GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN for GHES) or gh auth token; the API from BLUE_GITHUB_API_URL or GITHUB_API_URL.`;

  static override examples = [
    { description: 'Open the linked pull requests', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'As drafts, with a shared title and text', command: '<%= config.bin %> <%= command.id %> --draft --title "Experiment metrics" --body "Adds the experiments path end to end."' },
    { description: 'Mark them ready for review later', command: '<%= config.bin %> <%= command.id %> --no-draft' },
  ];

  static override flags = {
    title: Flags.string({ description: "Title of every pull request (default: each repo's last coordinated commit message)." }),
    body: Flags.string({ description: "Your text, above Blue's links (default: a sentence naming the change)." }),
    draft: Flags.boolean({ description: 'Open as drafts (--no-draft marks existing ones ready for review).', allowNo: true }),
  };

  async run(): Promise<OpenPullRequestsResult> {
    const { flags } = await this.parse(RealmPr);
    const { openPullRequests } = await import('@blue/realm');
    const result = await openPullRequests(await this.context(flags.cwd), { title: flags.title, body: flags.body, draft: flags.draft });
    this.print(renderPulls(result));
    this.exitForFailures(result.pulls.map((p) => p.error));
    return result;
  }
}
