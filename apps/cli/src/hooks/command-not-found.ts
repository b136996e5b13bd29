import { toConfiguredId, type Hook } from '@oclif/core';
import notFound from '@oclif/plugin-not-found';
import { EXIT } from '../exit-codes.js';

/**
 * Unknown commands go to @oclif/plugin-not-found, which asks "Did you mean …?" on a terminal. It
 * asks nothing when stdin is not a TTY (scripts, agents, CI), and then says no suggestion at all;
 * so there the suggestion is printed here, after its "is not a blue command". An unknown command
 * is a usage error: exit 2, as DESIGN.md's table says (the plugin's own convention is 127).
 */
export const commandNotFound: Hook.CommandNotFound = async function (opts) {
  try {
    return await notFound.call(this, opts);
  } catch (err) {
    if (!process.stdin.isTTY) {
      const suggestion = closestCommand(opts.id, visibleCommandIds(opts.config));
      if (suggestion !== undefined) process.stderr.write(`Did you mean ${opts.config.bin} ${toConfiguredId(suggestion, opts.config)}?\n`);
    }
    const exit = (err as { oclif?: { exit?: number } }).oclif;
    if (exit !== undefined) exit.exit = EXIT.usage;
    throw err;
  }
};

function visibleCommandIds(config: Parameters<Hook.CommandNotFound>[0]['config']): string[] {
  const hidden = new Set(config.commands.filter((c) => c.hidden).map((c) => c.id));
  return [...config.commandIDs, ...config.commands.flatMap((c) => c.aliases)].filter((id) => !hidden.has(id));
}

/** The id nearest to `id` by edit distance, when it is near enough to be a typo (at most half its length). */
export function closestCommand(id: string, ids: readonly string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const candidate of ids) {
    const distance = editDistance(id, candidate);
    if (best === undefined || distance < best.distance) best = { id: candidate, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(id.length / 2)) ? best.id : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
