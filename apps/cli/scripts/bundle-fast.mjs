// Bundles the fast path of `blue status` and `blue realm sync` (dist/fast/run.js and everything it imports) into
// dist/fast/bundle/: one file to load at start, lazily loaded chunks for dynamic imports. ajv and
// @blue/core's build outputs stay outside: core loads them on demand from its own package folder.
import { rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { build } from 'esbuild';

const outdir = new URL('../dist/fast/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { run: new URL('../dist/fast/run.js', import.meta.url).pathname },
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
// The workspace files the bundle holds (not node_modules), for bin/run.js to tell a stale bundle in a checkout.
const cwd = process.cwd();
const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/')).map((file) => relative(outdir, resolve(cwd, file)));
writeFileSync(new URL('../dist/fast/bundle/inputs.json', import.meta.url), `${JSON.stringify(inputs)}\n`);
const bytes = Object.values(result.metafile.outputs).reduce((sum, out) => sum + out.bytes, 0);
process.stdout.write(`bundle-fast: run -> ${outdir} (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)\n`);
