import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WORKTREES_DIR, type WorktreeFile } from '@blue/core';
import { readTracking } from './unified.js';

/** A consumer's pull request in the same coordinated change as the provider's export change. */
export interface CoveringPull {
  number: number;
  url: string;
  /** The change's branch. */
  branch: string;
}

/** Finds, for a consumer and an export, the consumer's pull request that covers the change. */
export type CoveringPullFinder = (consumer: string, exportName: string) => CoveringPull | undefined;

/**
 * The realm knows a change covers an import: in an unfinished coordinated change whose provider
 * branch changes `exportName`, the consumer's pull request (when it has one) already carries the
 * consumer's side, so a notice links it instead of opening a new issue.
 */
export async function coveringPulls(realmPath: string, provider: string): Promise<CoveringPullFinder> {
  const names = await readdir(join(realmPath, WORKTREES_DIR)).catch(() => [] as string[]);
  const files: WorktreeFile[] = [];
  for (const name of names.filter((n) => n.endsWith('.yaml'))) {
    const file = await readTracking(realmPath, name.slice(0, -'.yaml'.length)).catch(() => undefined);
    if (file !== undefined && file.finished_at === undefined) files.push(file);
  }
  return (consumer, exportName) => {
    for (const file of files) {
      const changes = file.domains.find((d) => d.name === provider)?.exports_changed?.some((e) => e.name === exportName) === true;
      const pr = file.domains.find((d) => d.name === consumer && d.status !== 'abandoned')?.pr;
      if (changes && pr !== undefined) return { number: pr.number, url: pr.url, branch: file.name };
    }
    return undefined;
  };
}
