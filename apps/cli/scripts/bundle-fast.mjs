// Bundles the fast path of `blue status`, `blue realm sync` and `blue realm worktree` (dist/fast/run.js and everything it imports) into
// dist/fast/bundle/: one file to load at start, lazily loaded chunks for dynamic imports. ajv and
// re2js are bundled into files beside it (see besideRequires); @blue/core's build outputs stay
// outside: core loads them on demand from its own package folder.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const outdir = new URL('../dist/fast/bundle/', import.meta.url).pathname;

// @blue/core requires ajv and re2js by name from its package folder when it first validates an
// export schema; loading ajv's ~60 modules that way took ~50 ms of a sync. Each is bundled into one
// CommonJS file beside the bundle (loaded only when core first requires it, so `status` with a warm
// validation memo never pays for it); everything else core requires still loads from core's folder.
const BESIDE = { 'ajv/dist/2020.js': 'ajv-2020.cjs', re2js: 're2js.cjs' };
const REQUIRE_FROM_CORE = 'export function requireFromCore(id) {';
const PACKAGE_ROOT = /packages[\\/]core[\\/]dist[\\/]package-root\.js$/;
const besideRequires = {
  name: 'blue-beside-requires',
  setup(b) {
    b.onLoad({ filter: PACKAGE_ROOT }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(REQUIRE_FROM_CORE)) throw new Error(`bundle-fast: ${args.path} no longer defines requireFromCore as expected`);
      // Required through createRequire of this module's own URL (run.js, checked below), which esbuild leaves to run time.
      const table = `const BESIDE = ${JSON.stringify(Object.fromEntries(Object.entries(BESIDE).map(([id, file]) => [id, `./${file}`])))};\n`;
      return { contents: text.replace(REQUIRE_FROM_CORE, `${table}${REQUIRE_FROM_CORE}\n  const beside = BESIDE[id];\n  if (beside !== undefined) return createRequire(import.meta.url)(beside);`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

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
  plugins: [besideRequires],
});
// requireFromCore must be in run.js itself: the files beside it are required relative to its URL.
const main = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('/run.js'))?.[1];
if (main === undefined || !Object.keys(main.inputs).some((file) => PACKAGE_ROOT.test(file))) throw new Error('bundle-fast: core\'s package-root.js is not in run.js');
const coreRequire = createRequire(new URL('../../../packages/core/package.json', import.meta.url));
for (const [id, file] of Object.entries(BESIDE)) {
  await build({ entryPoints: [coreRequire.resolve(id)], outfile: `${outdir}${file}`, bundle: true, format: 'cjs', platform: 'node', target: 'node20', minifyWhitespace: true, minifySyntax: true, logLevel: 'warning' });
}
// The workspace files the bundle holds (not node_modules), for bin/run.js to tell a stale bundle in a checkout.
const cwd = process.cwd();
// Each input with the hash of what was bundled (bundle-current.ts): a build cache that restores
// the outputs with fresh times does not make the bundle look stale.
const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/'));
const files = Object.fromEntries(inputs.map((file) => [relative(outdir, resolve(cwd, file)), createHash('sha256').update(readFileSync(resolve(cwd, file))).digest('hex')]));
writeFileSync(new URL('../dist/fast/bundle/inputs.json', import.meta.url), `${JSON.stringify({ files })}\n`);
const bytes = Object.values(result.metafile.outputs).reduce((sum, out) => sum + out.bytes, 0);
process.stdout.write(`bundle-fast: run -> ${outdir} (${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB)\n`);
