// Bundles the fast path of `blue status` (dist/fast/status.js and everything it imports) into
// dist/fast/bundle/: one file to load at start, lazily loaded chunks for dynamic imports. ajv and
// @blue/core's build outputs stay outside: core loads them on demand from its own package folder.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/fast/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { status: new URL('../dist/fast/status.js', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies inside an ES module bundle still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __blueCreateRequire } from 'node:module'; const require = __blueCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  // Less to parse at every start; names are kept, so stack traces of bugs stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, out) => sum + out.bytes, 0);
process.stdout.write(`bundle-fast: status -> ${outdir} (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)\n`);
