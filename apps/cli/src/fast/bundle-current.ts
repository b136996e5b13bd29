import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Written by scripts/bundle-fast.mjs beside the bundle (run.js): the workspace files it was built
 * from, each with the SHA-256 of its content (`{ "files": { "<path>": "<sha256>" } }`).
 */
export const BUNDLE_INPUTS = 'inputs.json';

/**
 * Whether the fast-path bundle in `bundleDir` may run. A packed package (no `src/` beside `dist/`)
 * always may. In a checkout, a bundle built from other code than the workspace's (say, after
 * `tsc -b` alone) would run yesterday's code: then oclif runs the command instead, until
 * `pnpm build` writes the bundle again. An input no newer than the bundle is taken as is (about
 * 200 stats); a newer one must still have the content the bundle was built from, since a build
 * cache (turbo) restores outputs in any order, with fresh times.
 */
export function bundleIsCurrent(root: string, bundleDir: string): boolean {
  if (!existsSync(join(root, 'src'))) return true;
  try {
    const built = statSync(join(bundleDir, 'run.js')).mtimeMs;
    const { files } = JSON.parse(readFileSync(join(bundleDir, BUNDLE_INPUTS), 'utf8')) as { files: Record<string, string> };
    return Object.entries(files).every(([file, sha]) => {
      const path = join(bundleDir, file);
      return statSync(path).mtimeMs <= built || createHash('sha256').update(readFileSync(path)).digest('hex') === sha;
    });
  } catch {
    return false;
  }
}
