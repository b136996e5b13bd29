import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildOpenApiSubset, publishedDescriptionInfo, readOpenApiSubset, readPublishedDescription, renderOpenApiSubset, STAND_IN_OPERATIONS, SUBSET_FILE } from '@blue/testkit';

interface PackageJson {
  version: string;
  octokit?: { 'openapi-version'?: string };
}

/** package.json of dependency `name` of the package in `from`, found as Node would (pnpm: real paths). */
function packageJsonFrom(from: string, name: string): { dir: string; json: PackageJson } {
  for (let dir = realpathSync(from); ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return { dir: dirname(realpathSync(file)), json: JSON.parse(readFileSync(file, 'utf8')) as PackageJson };
    if (dirname(dir) === dir) throw new Error(`${name} is not installed for ${from}`);
  }
}

describe('the committed OpenAPI subset', () => {
  it('is pinned to the @octokit/openapi version that the openapi-types behind Octokit\'s REST methods were generated from', () => {
    // @octokit/rest -> plugin-rest-endpoint-methods (octokit.rest.*) -> @octokit/types -> @octokit/openapi-types
    const rest = packageJsonFrom(fileURLToPath(new URL('..', import.meta.url)), '@octokit/rest');
    const methods = packageJsonFrom(rest.dir, '@octokit/plugin-rest-endpoint-methods');
    const types = packageJsonFrom(methods.dir, '@octokit/types');
    const openapiTypes = packageJsonFrom(types.dir, '@octokit/openapi-types');
    expect(openapiTypes.json.octokit?.['openapi-version']).toBe(publishedDescriptionInfo().version);
    expect(readOpenApiSubset().info).toMatchObject({ version: publishedDescriptionInfo().version });
  });

  it('matches a fresh extraction from the published description (BLUE_UPDATE_OPENAPI_SUBSET=1 rewrites it)', () => {
    const fresh = renderOpenApiSubset(buildOpenApiSubset(readPublishedDescription(), STAND_IN_OPERATIONS, publishedDescriptionInfo().version));
    if (process.env.BLUE_UPDATE_OPENAPI_SUBSET === '1') writeFileSync(SUBSET_FILE, fresh);
    expect(readFileSync(SUBSET_FILE, 'utf8') === fresh, `${SUBSET_FILE} is out of date: run BLUE_UPDATE_OPENAPI_SUBSET=1 npx vitest run packages/testkit/test/github-openapi-subset.test.ts`).toBe(true);
  });

  it('holds every operation the stand-in serves, and only those', () => {
    const subset = readOpenApiSubset() as { paths: Record<string, Record<string, { operationId?: string }>> };
    const ids = Object.values(subset.paths).flatMap((item) => Object.values(item).map((op) => op.operationId).filter(Boolean));
    expect(ids.sort()).toEqual([...STAND_IN_OPERATIONS].sort());
  });

  it('fails loudly when an operation is missing from the description', () => {
    expect(() => buildOpenApiSubset({ paths: {} }, ['issues/create'])).toThrow('Operations missing from the description: issues/create');
  });
});
