import { Flags } from '@oclif/core';
import type { RealmGraphResult } from '@blue/realm';
import { BaseCommand } from '../../base-command.js';

export default class RealmGraph extends BaseCommand {
  static override summary = 'Show the realm\'s dependency graph: domains and the imports between them.';

  static override description = `Domains are nodes; each import is an edge from provider to consumer, labelled with the contract, range and resolved version. Stale edges are orange, broken ones red and dashed. Mermaid output renders in GitHub Markdown; dot output feeds Graphviz (\`| dot -Tsvg\`).`;

  static override examples = [
    { description: 'As text', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'As a Mermaid chart for a README or PR', command: '<%= config.bin %> <%= command.id %> --format mermaid' },
    { description: 'As an SVG through Graphviz', command: '<%= config.bin %> <%= command.id %> --format dot | dot -Tsvg > realm.svg' },
  ];

  static override flags = {
    format: Flags.string({ description: 'Output format.', options: ['text', 'mermaid', 'dot'], default: 'text' }),
    offline: Flags.boolean({ description: 'Do not fetch the realm\'s remote (also BLUE_OFFLINE=1).' }),
  };

  async run(): Promise<RealmGraphResult> {
    const { flags } = await this.parse(RealmGraph);
    const { realmGraph } = await import('@blue/realm');
    const result = await realmGraph(await this.context(flags.cwd), { format: flags.format as 'text' | 'mermaid' | 'dot', offline: flags.offline });
    if (!this.jsonEnabled()) process.stdout.write(result.rendered);
    return result;
  }
}
