import type { ImportStatus } from '../types.js';

export interface GraphEdge {
  /** The providing domain (exports the contract). */
  from: string;
  /** The consuming domain (imports it). */
  to: string;
  contract: string;
  range: string;
  resolved?: string | undefined;
  status: ImportStatus;
}

export interface RealmGraph {
  realm: string;
  nodes: string[];
  edges: GraphEdge[];
}

/** The part of a graph that ordering needs: nodes, and edges from provider to consumer. */
export interface DependencyGraph {
  nodes: readonly string[];
  edges: ReadonlyArray<Pick<GraphEdge, 'from' | 'to'>>;
}

/** Every cycle of the import graph, each as the domains along it (first repeated at the end). */
export function findCycles(graph: DependencyGraph): string[][] {
  const next = new Map<string, string[]>(graph.nodes.map((n) => [n, []]));
  for (const e of graph.edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const to of [...(next.get(node) ?? [])].sort()) {
      if (state.get(to) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(to)), to];
        const id = [...cycle.slice(0, -1)].sort().join(',');
        if (!seen.has(id)) {
          seen.add(id);
          cycles.push(cycle);
        }
      } else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.nodes].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/**
 * Providers before consumers (Kahn's algorithm, ties broken by name). Returns undefined when
 * the graph has a cycle; use findCycles to name it.
 */
export function topologicalOrder(graph: DependencyGraph): string[] | undefined {
  const indegree = new Map<string, number>(graph.nodes.map((n) => [n, 0]));
  const pairs = new Set(graph.edges.map((e) => `${e.from}\u0000${e.to}`));
  const next = new Map<string, string[]>();
  for (const pair of pairs) {
    const [from, to] = pair.split('\u0000') as [string, string];
    next.set(from, [...(next.get(from) ?? []), to]);
    indegree.set(to, (indegree.get(to) ?? 0) + 1);
  }
  const ready = [...indegree].filter(([, d]) => d === 0).map(([n]) => n).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const node = ready.shift() as string;
    order.push(node);
    for (const to of next.get(node) ?? []) {
      const d = (indegree.get(to) ?? 0) - 1;
      indegree.set(to, d);
      if (d === 0) {
        ready.push(to);
        ready.sort();
      }
    }
  }
  return order.length === indegree.size ? order : undefined;
}
