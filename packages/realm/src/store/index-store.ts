import { join } from 'node:path';
import { INDEX_FILE, readYamlFileIfExists, writeYamlFile, type IndexFile } from '@blue/core';
import type { BlueContext } from '../context.js';

function indexPath(ctx: BlueContext): string {
  return join(ctx.home, INDEX_FILE);
}

/** The user's index ($BLUE_HOME/index.yaml); empty when there is none yet. */
export async function readIndex(ctx: BlueContext): Promise<IndexFile> {
  return (await readYamlFileIfExists('index', indexPath(ctx), { label: indexPath(ctx) })) ?? { realms: [] };
}

export async function writeIndex(ctx: BlueContext, index: IndexFile): Promise<void> {
  await writeYamlFile('index', indexPath(ctx), index, {
    header: ['Blue: the realms you take part in and where their domain repos live on this machine.', 'Written by `blue realm join` and `blue realm leave`.'],
  });
}
