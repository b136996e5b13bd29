#!/usr/bin/env node
// `blue status` and `blue realm sync` are what people, prompts and CI run most, and `blue realm
// worktree` is meant to cost no more than git's own loop: they start from a bundle the build
// makes and skip oclif's start-up. Every other command, any flag the fast path
// does not know, and BLUE_NO_FAST_PATH=1 go through oclif.
import { fileURLToPath } from 'node:url';
import { bundleIsCurrent } from '../dist/fast/bundle-current.js';
import { fastRoute } from '../dist/fast/route.js';

const bundle = new URL('../dist/fast/bundle/run.js', import.meta.url);
const fast = fastRoute(process.argv.slice(2), process.env);
if (fast !== undefined && bundleIsCurrent(fileURLToPath(new URL('..', import.meta.url)), fileURLToPath(new URL('.', bundle)))) {
  const { runFast } = await import(bundle.href);
  await runFast(fast);
} else {
  // In a checkout, a manifest that no longer lists the built commands is dropped (see stale-manifest.ts).
  const { dropStaleManifest } = await import('../dist/stale-manifest.js');
  dropStaleManifest(fileURLToPath(new URL('..', import.meta.url)));
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
