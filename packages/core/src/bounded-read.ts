import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { BlueError } from './errors.js';
import { notRegular } from './files.js';

/**
 * The bytes of a regular file of at most `maxBytes`: opened without blocking (a FIFO never
 * waits for a writer), checked with fstat before a byte is read. FILE_NOT_REGULAR for a FIFO,
 * device or socket, NOT_A_DIRECTORY for a folder, FILE_TOO_LARGE over the limit; ENOENT as node
 * throws it.
 */
export async function readRegularFile(path: string, options: { label?: string; maxBytes: number }): Promise<Buffer> {
  const label = options.label ?? path;
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new BlueError('NOT_A_DIRECTORY', `${label} is a folder, expected a file.`, { file: label });
    if (!stat.isFile()) throw notRegular(label);
    if (stat.size > options.maxBytes) throw tooLarge(label, stat.size, options.maxBytes);
    const bytes = await handle.readFile();
    // It grew between fstat and the read.
    if (bytes.length > options.maxBytes) throw tooLarge(label, bytes.length, options.maxBytes);
    return bytes;
  } finally {
    await handle.close();
  }
}

function tooLarge(label: string, bytes: number, max: number): BlueError {
  return new BlueError('FILE_TOO_LARGE', `${label} is ${(bytes / 1024 / 1024).toFixed(1)} MiB; Blue reads such files up to ${(max / 1024 / 1024).toFixed(1)} MiB.`, {
    file: label,
    hint: `Shrink ${label} (or replace it with the file it should be), then run the command again.`,
  });
}
