import type { GraphEdge, RealmGraph } from './graph.js';

export type GraphFormat = 'text' | 'mermaid' | 'dot';

function label(edge: GraphEdge): string {
  return `${edge.contract} ${edge.range}${edge.resolved ? ` @${edge.resolved}` : ''}${edge.status === 'current' ? '' : ` (${edge.status})`}`;
}

/** Mermaid node ids must be simple; domain names are kebab-case, so map '-' to '_'. */
function mermaidId(name: string): string {
  return name.replace(/-/g, '_');
}

function renderText(graph: RealmGraph): string {
  const lines = [`realm ${graph.realm}: ${graph.nodes.length} domain(s), ${graph.edges.length} import(s)`];
  for (const node of graph.nodes) {
    const out = graph.edges.filter((e) => e.from === node);
    lines.push(`${node}`);
    for (const e of out) lines.push(`  └─▶ ${e.to}: ${label(e)}`);
    if (out.length === 0 && !graph.edges.some((e) => e.to === node)) lines.push('  (no imports either way)');
  }
  return `${lines.join('\n')}\n`;
}

function renderMermaid(graph: RealmGraph): string {
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) lines.push(`  ${mermaidId(node)}["${node}"]`);
  graph.edges.forEach((e) => {
    const arrow = e.status === 'broken' ? '-.->' : '-->';
    lines.push(`  ${mermaidId(e.from)} ${arrow}|"${label(e).replace(/"/g, "'")}"| ${mermaidId(e.to)}`);
  });
  graph.edges.forEach((e, i) => {
    if (e.status === 'stale') lines.push(`  linkStyle ${i} stroke:#d29922,stroke-width:2px`);
    if (e.status === 'broken') lines.push(`  linkStyle ${i} stroke:#cf222e,stroke-width:2px`);
  });
  return `${lines.join('\n')}\n`;
}

function renderDot(graph: RealmGraph): string {
  const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [`digraph ${q(graph.realm)} {`, '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  for (const node of graph.nodes) lines.push(`  ${q(node)};`);
  for (const e of graph.edges) {
    const style = e.status === 'broken' ? ', color=red, style=dashed' : e.status === 'stale' ? ', color=orange' : '';
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(label(e))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The graph as text, a Mermaid flowchart (renders in GitHub Markdown) or Graphviz dot. */
export function renderGraph(graph: RealmGraph, format: GraphFormat): string {
  if (format === 'mermaid') return renderMermaid(graph);
  if (format === 'dot') return renderDot(graph);
  return renderText(graph);
}
