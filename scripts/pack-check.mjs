#!/usr/bin/env node
// Packs every published @blue/* package with `pnpm pack` (as a release would) and checks each
// tarball: publint (strict: warnings count), no `workspace:` range left, every bin present, with
// a node shebang, README and dist included (and the CLI's oclif manifest), no tests, sources or
// build info shipped.
// The published packages are the fixed version group of .changeset/config.json.
// Usage: node scripts/pack-check.mjs [--json]            (needs the build: pnpm build)
//        node scripts/pack-check.mjs --unpacked DIR...  (checks folders laid out like an unpacked tarball)
// Exits 0 when every package passes, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The fixed version group of .changeset/config.json: the packages we publish. */
export function publishedPackageNames() {
  return JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8')).fixed.flat();
}

/** pnpm itself: the one on PATH when run through pnpm, else the pinned one through npx. */
function pnpm(args, cwd) {
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  const [command, prefix] = onPath.status === 0 ? ['pnpm', []] : ['npx', ['--yes', 'pnpm@10.34.8']];
  return spawnSync(command, [...prefix, ...args], { cwd, encoding: 'utf8' });
}

/**
 * Packs the named workspace packages into `dest` in one pnpm run and returns the tarballs. Lifecycle
 * scripts are skipped: the build came first, and a prepack rewriting build output (the CLI's oclif
 * manifest) must not race with anything else reading it, such as tests running the CLI.
 */
export function packAll(names, dest) {
  const run = pnpm(['--config.ignore-scripts=true', '-r', ...names.flatMap((n) => ['--filter', n]), 'pack', '--pack-destination', dest], ROOT);
  if (run.status !== 0) throw new Error(`pnpm pack failed:\n${run.stdout}${run.stderr}`);
  const tarballs = readdirSync(dest).filter((f) => f.endsWith('.tgz'));
  if (tarballs.length !== names.length) throw new Error(`pnpm pack made ${tarballs.length} tarballs for ${names.length} packages:\n${run.stdout}`);
  return tarballs.map((f) => join(dest, f));
}

/** Unpacks a tarball (with the system tar) and returns the folder of its package/ root. */
function unpack(tarball, dest) {
  const run = spawnSync('tar', ['-xzf', tarball, '-C', dest], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tar -xzf ${tarball} failed: ${run.stderr}`);
  return join(dest, 'package');
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** Problems of one unpacked package (empty when it is fine to publish). */
export async function checkUnpacked(pkgDir) {
  const problems = [];
  const pkg = readJson(join(pkgDir, 'package.json'));
  if (pkg === undefined) return ['package.json is missing or not JSON'];
  const files = listFiles(pkgDir);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith('workspace:')) problems.push(`${field}.${name} is still "${range}"`);
    }
  }
  if (!Array.isArray(pkg.files)) problems.push('no "files" list (everything would be published)');
  if (pkg.exports === undefined) problems.push('no "exports"');
  if (!files.includes('README.md')) problems.push('README.md is not in the tarball');
  if (!files.some((f) => f.startsWith('dist/'))) problems.push('dist/ is not in the tarball (build first)');
  const bins = typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
  for (const [name, target] of Object.entries(bins)) {
    const file = relative('.', target);
    if (!files.includes(file)) problems.push(`bin ${name} -> ${target} is not in the tarball`);
    else if (!readFileSync(join(pkgDir, file), 'utf8').startsWith('#!/usr/bin/env node\n')) problems.push(`bin ${name} -> ${target} has no "#!/usr/bin/env node" line`);
  }
  if (pkg.oclif !== undefined) {
    const manifest = readJson(join(pkgDir, 'oclif.manifest.json'));
    if (manifest === undefined) problems.push('oclif.manifest.json is not in the tarball (the CLI would import every command to start)');
    else if (manifest.version !== pkg.version) problems.push(`oclif.manifest.json is for version ${manifest.version}, the package is ${pkg.version}`);
  }
  const stray = files.filter((f) => /(^|\/)(test|src)\//.test(f) || /\.(test|spec)\.[cm]?[jt]s$/.test(f) || f.endsWith('.tsbuildinfo'));
  if (stray.length > 0) problems.push(`ships files it should not: ${stray.slice(0, 5).join(', ')}`);
  const lint = await publint({ pkgDir, pack: false, strict: true, level: 'suggestion' });
  for (const message of lint.messages) problems.push(`publint ${message.type} ${message.code}: ${formatMessage(message, lint.pkg, { color: false })}`);
  return problems;
}

/** Packs and checks the named packages; one result per package. */
export async function checkPackages(names) {
  const work = mkdtempSync(join(tmpdir(), 'blue-pack-'));
  try {
    const results = [];
    for (const tarball of packAll(names, work)) {
      const dest = join(work, basename(tarball, '.tgz'));
      mkdirSync(dest);
      results.push(await checkDir(unpack(tarball, dest)));
    }
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function checkDir(pkgDir) {
  const pkg = readJson(join(pkgDir, 'package.json'));
  return { name: pkg?.name ?? pkgDir, version: pkg?.version, files: listFiles(pkgDir).length, problems: await checkUnpacked(pkgDir) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const unpacked = args.filter((a) => !a.startsWith('--'));
  // --unpacked DIR...: check folders laid out like an unpacked tarball, without packing.
  const results = args.includes('--unpacked') ? await Promise.all(unpacked.map(checkDir)) : await checkPackages(publishedPackageNames());
  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    for (const r of results) {
      process.stdout.write(`${r.problems.length === 0 ? '✓' : '✗'} ${r.name}@${r.version} (${r.files} files)\n`);
      for (const p of r.problems) process.stdout.write(`    ${p}\n`);
    }
  }
  process.exitCode = results.every((r) => r.problems.length === 0) ? 0 : 1;
}
