import { gitDirsAt, headFromFiles, type GitOptions } from '@blue/git';

/** The commit a clone's HEAD names, read from git's files (no git process); undefined when they do not say. */
export async function cloneHead(clonePath: string, git: GitOptions): Promise<string | undefined> {
  const dirs = await gitDirsAt(clonePath, git.env);
  return dirs === undefined ? undefined : headFromFiles(dirs).catch(() => undefined);
}
