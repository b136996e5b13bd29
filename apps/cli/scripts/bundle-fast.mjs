// Bundles what the blue CLI starts (the fast path of `blue status`, `blue realm sync` and `blue realm
// worktree`, every oclif command, and blue-mcp) into dist/fast/bundle/: one file to load at start per
// entry, lazily loaded chunks for dynamic imports. ajv and
// re2js are bundled into files beside it (see besideRequires); @blue/core's build outputs stay
// outside: core loads them on demand from its own package folder.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { builtCommands } from '../dist/stale-manifest.js';

const outdir = new URL('../dist/fast/bundle/', import.meta.url).pathname;

// @blue/core requires ajv and re2js by name from its package folder when it first validates an
// export schema; loading ajv's ~60 modules that way took ~50 ms of a sync. Each is bundled into one
// CommonJS file beside the bundle (loaded only when core first requires it, so `status` with a warm
// validation memo never pays for it); everything else core requires still loads from core's folder.
const BESIDE = { 'ajv/dist/2020.js': 'ajv-2020.cjs', re2js: 're2js.cjs' };
const REQUIRE_FROM_CORE = 'export function requireFromCore(id) {';
const BESIDE_FOLDER = '<blue-beside-folder>/';
const PACKAGE_ROOT = /packages[\\/]core[\\/]dist[\\/]package-root\.js$/;
const besideRequires = {
  name: 'blue-beside-requires',
  setup(b) {
    b.onLoad({ filter: PACKAGE_ROOT }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(REQUIRE_FROM_CORE)) throw new Error(`bundle-fast: ${args.path} no longer defines requireFromCore as expected`);
      // Required through createRequire of this module's own URL, which esbuild leaves to run time;
      // the folder is filled in once the output holding this module is known (besideFolder, below).
      const table = `const BESIDE = ${JSON.stringify(Object.fromEntries(Object.entries(BESIDE).map(([id, file]) => [id, `${BESIDE_FOLDER}${file}`])))};\n`;
      return { contents: text.replace(REQUIRE_FROM_CORE, `${table}${REQUIRE_FROM_CORE}\n  const beside = BESIDE[id];\n  if (beside !== undefined) return createRequire(import.meta.url)(beside);`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * What starts from a bundle: the fast path (`run`), every oclif command (`commands`: oclif loads
 * them through dist/commands-index.js, see src/commands-index.ts) and the MCP server (`mcp`,
 * bin/blue-mcp.js). Each is bundled on its own, so that the fast path stays one file to load (a
 * shared build would move the code the entries share into chunks); oclif itself stays outside (it
 * reads its plugins and package.json at run time).
 */
const dist = new URL('../dist/', import.meta.url).pathname;
const commands = builtCommands(`${dist}commands`);
// The commands' entry, generated from the built command files (the ids oclif's manifest lists).
writeFileSync(
  `${dist}fast/commands-entry.js`,
  `${commands.map((c, i) => `import c${i} from '../commands/${c.file}';`).join('\n')}\nexport const COMMANDS = { ${commands.map((c, i) => `${JSON.stringify(c.id)}: c${i}`).join(', ')} };\n`,
);
writeFileSync(`${dist}fast/mcp-entry.js`, "export { main } from '@blue/mcp-server';\n");
const ENTRIES = { run: `${dist}fast/run.js`, commands: `${dist}fast/commands-entry.js`, mcp: `${dist}fast/mcp-entry.js` };

/** Points requireFromCore, in whichever output holds core's package-root.js, at the files beside the entries. */
function besideFolder(metafile, name) {
  const holders = Object.keys(metafile.outputs).filter((file) => Object.keys(metafile.outputs[file].inputs).some((input) => PACKAGE_ROOT.test(input)));
  if (holders.length !== 1) throw new Error(`bundle-fast: core's package-root.js is in ${holders.length} outputs of ${name}, not one`);
  const path = resolve(process.cwd(), holders[0]);
  const text = readFileSync(path, 'utf8');
  const folder = relative(dirname(path), outdir) || '.';
  if (text.split(BESIDE_FOLDER).length !== Object.keys(BESIDE).length + 1) throw new Error(`bundle-fast: ${holders[0]} does not name the files beside the bundle as expected`);
  writeFileSync(path, text.split(BESIDE_FOLDER).join(`./${folder === '.' ? '' : `${folder}/`}`));
}

rmSync(outdir, { recursive: true, force: true });
const inputs = new Set();
let outputs = 0;
let bytes = 0;
for (const [name, entry] of Object.entries(ENTRIES)) {
  const result = await build({
    entryPoints: { [name]: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@oclif/*'],
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
  besideFolder(result.metafile, name);
  for (const file of Object.keys(result.metafile.inputs)) inputs.add(file);
  outputs += Object.keys(result.metafile.outputs).length;
  bytes += Object.values(result.metafile.outputs).reduce((sum, out) => sum + out.bytes, 0);
}
const coreRequire = createRequire(new URL('../../../packages/core/package.json', import.meta.url));
for (const [id, file] of Object.entries(BESIDE)) {
  await build({ entryPoints: [coreRequire.resolve(id)], outfile: `${outdir}${file}`, bundle: true, format: 'cjs', platform: 'node', target: 'node20', minifyWhitespace: true, minifySyntax: true, logLevel: 'warning' });
}
// The workspace files the bundles hold (not node_modules), for bin/run.js to tell a stale bundle in a checkout.
const cwd = process.cwd();
// Each input with the hash of what was bundled (bundle-current.ts): a build cache that restores
// the outputs with fresh times does not make the bundle look stale.
const workspaceInputs = [...inputs].filter((file) => !file.includes('node_modules/')).sort();
const files = Object.fromEntries(workspaceInputs.map((file) => [relative(outdir, resolve(cwd, file)), createHash('sha256').update(readFileSync(resolve(cwd, file))).digest('hex')]));
writeFileSync(new URL('../dist/fast/bundle/inputs.json', import.meta.url), `${JSON.stringify({ files })}\n`);
process.stdout.write(`bundle-fast: ${Object.keys(ENTRIES).join(', ')} -> ${outdir} (${outputs} files, ${(bytes / 1024).toFixed(0)} KiB)\n`);
