import { createRequire } from 'node:module';
import { dirname } from 'node:path';

let root: string | undefined;

/**
 * The folder of the @blue/core package (its package.json, `schemas/`, `dist/`), found the way
 * Node resolves the package: from core's own modules (self-reference) and equally from a bundle
 * that inlined them (the CLI's fast path), whose own URL says nothing about where core is.
 */
export function corePackageRoot(): string {
  root ??= dirname(createRequire(import.meta.url).resolve('@blue/core/package.json'));
  return root;
}

let coreRequire: NodeJS.Require | undefined;

/** `require` as from core's package folder: its CommonJS dependencies and build outputs, loaded on demand. */
export function requireFromCore(id: string): unknown {
  coreRequire ??= createRequire(`${corePackageRoot()}/package.json`);
  return coreRequire(id);
}
