import { join } from 'node:path';
import { INDEX_FILE, readYamlFileIfExists, writeYamlFile, type IndexFile, type IndexFileOnDisk } from '@blue/core';
import type { BlueContext } from '../context.js';
import { withFileLock } from './locked-file.js';

function indexPath(ctx: BlueContext): string {
  return join(ctx.home, INDEX_FILE);
}

/** The user's index ($BLUE_HOME/index.yaml); empty when there is none yet. */
export async function readIndex(ctx: BlueContext): Promise<IndexFile> {
  const disk = await readYamlFileIfExists('index', indexPath(ctx), { label: indexPath(ctx) });
  // An entry naming no clone (neither field) says nothing about this machine: left out.
  return { realms: (disk?.realms ?? []).flatMap(({ local_path: localPath, path, ...realm }) => (localPath ?? path) === undefined ? [] : [{ ...realm, path: (localPath ?? path) as string }]) };
}

/** The index as written: each realm's clone as `local_path` (the RFC's name), after name and url. */
function onDisk(index: IndexFile): IndexFileOnDisk {
  return { realms: index.realms.map(({ name, path, url, domains }) => ({ name, ...(url === undefined ? {} : { url }), local_path: path, ...(domains === undefined ? {} : { domains }) })) };
}

/**
 * Changes the user's index under its lock (`index.yaml.lock` beside it): `change` gets the index
 * as it is now, read under the lock, so entries another process adds at the same moment are kept.
 */
export async function updateIndex(ctx: BlueContext, command: string, change: (index: IndexFile) => IndexFile): Promise<void> {
  const path = indexPath(ctx);
  await withFileLock(ctx, `${path}.lock`, path, command, async () => {
    await writeYamlFile('index', path, onDisk(change(await readIndex(ctx))), {
      header: ['Blue: the realms you take part in and where their domain repos live on this machine.', 'Written by `blue realm join` and `blue realm leave`.'],
    });
  });
}
