import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Written by scripts/bundle-fast.mjs beside the bundle (run.js): the workspace files it was built from. */
export const BUNDLE_INPUTS = 'inputs.json';

/**
 * Whether the fast-path bundle in `bundleDir` may run. A packed package (no `src/` beside `dist/`)
 * always may. In a checkout, a bundle older than any workspace file it was built from (say,
 * after `tsc -b` alone) would run yesterday's code: then oclif runs the command instead, until
 * `pnpm build` writes the bundle again. About 60 stats, only in a checkout.
 */
export function bundleIsCurrent(root: string, bundleDir: string): boolean {
  if (!existsSync(join(root, 'src'))) return true;
  try {
    const built = statSync(join(bundleDir, 'run.js')).mtimeMs;
    const inputs = JSON.parse(readFileSync(join(bundleDir, BUNDLE_INPUTS), 'utf8')) as string[];
    return inputs.every((file) => statSync(join(bundleDir, file)).mtimeMs <= built);
  } catch {
    return false;
  }
}
