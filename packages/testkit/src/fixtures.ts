import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bareRemote, git } from './git.js';
import type { Sandbox } from './temp.js';

/** The repo's fixtures/ folder. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

export interface FixtureRepo {
  /** The working clone. */
  dir: string;
  /** Its origin: a local bare repository with main pushed. */
  remote: string;
}

/**
 * Copies fixtures/<name> into a new git repo under the sandbox (folder `as`, default the fixture
 * name), commits it on main and pushes it to a fresh bare remote set as origin.
 */
export async function fixtureRepo(box: Sandbox, name: string, options: { as?: string } = {}): Promise<FixtureRepo> {
  const dir = join(box.root, options.as ?? name);
  await cp(join(FIXTURES_DIR, name), dir, { recursive: true });
  const remote = await bareRemote(box, `${options.as ?? name}.git`);
  await git(box, dir, ['init', '--quiet', '--initial-branch=main']);
  await git(box, dir, ['add', '--all']);
  await git(box, dir, ['commit', '--quiet', '-m', `${name}: initial import`]);
  await git(box, dir, ['remote', 'add', 'origin', remote]);
  await git(box, dir, ['push', '--quiet', '-u', 'origin', 'main']);
  return { dir, remote };
}

/**
 * Grants `key` of the cultivarium-fungal bucket in the fixture IAM stack of a
 * fungal-image-analysis clone: one more ARN in its READ_PATHS or WRITE_PATHS (not committed).
 */
export async function grantInFixtureStack(fungalDir: string, list: 'READ_PATHS' | 'WRITE_PATHS', key: string): Promise<void> {
  const file = join(fungalDir, 'cdk/training_tools_access_stack.py');
  const text = await readFile(file, 'utf8');
  if (!text.includes(`${list} = [\n`)) throw new Error(`${list} not found in ${file}`);
  await writeFile(file, text.replace(`${list} = [\n`, `${list} = [\n    "arn:aws:s3:::cultivarium-fungal/${key}",\n`));
}
