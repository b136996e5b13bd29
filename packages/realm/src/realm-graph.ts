import { findCycles, renderGraph, topologicalOrder, type GraphFormat, type RealmGraph } from '@blue/core';
import type { BlueContext } from './context.js';
import { evaluateImportIn } from './evaluate.js';
import { locateRealm } from './store/locate-realm.js';
import { readRealm } from './store/realm-gate.js';
import { freshenRealm, freshnessSteps, type RealmFreshness } from './store/realm-freshness.js';
import { readRealmFile } from './store/realm-files.js';

export interface RealmGraphInput {
  format?: GraphFormat | undefined;
  /** Never fetch the realm's remote (also BLUE_OFFLINE=1). */
  offline?: boolean | undefined;
}

export interface RealmGraphResult extends RealmGraph {
  format: GraphFormat;
  /** The graph in the requested format (text, Mermaid or Graphviz dot). */
  rendered: string;
  cycles: string[][];
  /** Providers before consumers; absent when there is a cycle. */
  merge_order?: string[];
  /** How fresh this machine's view of the realm is (`realm` is its name). */
  view: RealmFreshness;
  /** What to look at: the consumers of stale or broken edges, the cycle. */
  next_steps: string[];
}

/** The realm's domains as nodes and imports as edges (provider → consumer), with live status. */
export async function realmGraph(ctx: BlueContext, input: RealmGraphInput = {}): Promise<RealmGraphResult> {
  const { realmPath, member } = await locateRealm(ctx);
  const name = member?.realm.name ?? (await readRealmFile(realmPath)).name;
  const view = await freshenRealm(ctx, { name, path: realmPath }, input);
  const snapshot = await readRealm(ctx, realmPath);
  const now = ctx.now();
  const edges = [];
  for (const d of snapshot.domains) {
    for (const entry of d.imports) {
      const evaluation = await evaluateImportIn(snapshot, entry, member?.domain === d.name ? member.repo : undefined, now);
      edges.push({ from: entry.from, to: d.name, contract: entry.contract, range: entry.version, resolved: evaluation.resolved_version, status: evaluation.status });
    }
  }
  const graph: RealmGraph = { realm: snapshot.realm.name, nodes: snapshot.domains.map((d) => d.name), edges };
  const format = input.format ?? 'text';
  const order = topologicalOrder(graph);
  const cycles = findCycles(graph);
  const result: RealmGraphResult = { ...graph, format, rendered: renderGraph(graph, format), cycles, view, next_steps: [...freshnessSteps(view), ...graphNextSteps(graph, cycles)] };
  if (order !== undefined) result.merge_order = order;
  return result;
}

function graphNextSteps(graph: RealmGraph, cycles: readonly string[][]): string[] {
  const steps = cycles.length > 0 ? ['blue realm check --imports  # names the imports that form the cycle'] : [];
  for (const e of graph.edges.filter((edge) => edge.status !== 'current')) steps.push(`blue status  # in ${e.to}'s repo: its import of ${e.contract} from ${e.from} is ${e.status}`);
  return steps;
}
