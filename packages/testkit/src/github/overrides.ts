import type { Json, JsonObject } from './subset.js';

/**
 * Every place where the stand-in knowingly departs from GitHub's published REST description (or
 * from GitHub's behaviour), in one list. Each entry names what differs and why. The validator and
 * the handlers refer to these ids, so a grep for an id finds the code that applies it.
 */
export interface StandInOverride {
  id: string;
  what: string;
  why: string;
  /** For a correction of the description itself: the JSON pointer of a schema and what to merge into it. */
  patch?: { pointer: string; merge: JsonObject };
}

export const STAND_IN_OVERRIDES: readonly StandInOverride[] = [
  {
    id: 'search-item-body-nullable',
    what: 'In search results, an issue\'s `body` may be null (the description says string).',
    why: 'GitHub sends null for an issue without a body, in search results as everywhere else (`issue.body` is nullable in the description).',
    patch: { pointer: '/components/schemas/issue-search-result-item/properties/body', merge: { nullable: true } },
  },
  {
    id: 'undeclared-error-status',
    what: 'Error responses whose status the operation does not declare (401 on most operations, 404 on pulls/create) are validated against components/schemas/basic-error.',
    why: 'GitHub sends them with that shape, but the description lists only some statuses per operation.',
  },
  {
    id: 'not-implemented-501',
    what: 'Routes, search qualifiers and GraphQL queries the stand-in does not serve answer 501 with a basic-error body.',
    why: 'A test that strays outside what we model should fail loudly instead of getting a plausible answer.',
  },
  {
    id: 'strict-unknown-fields',
    what: 'In strict mode (the default) unknown top-level body fields and unknown query parameters answer 422.',
    why: 'GitHub ignores many of them; rejecting them makes a misspelled field fail the test.',
  },
  {
    id: 'injected-faults',
    what: 'Responses injected with failNext() (rate limits, 5xx, optionally after a delay that outlasts the client\'s timeout) are sent as given and not validated; the request is not acted on.',
    why: 'They exist to exercise retry and timeout paths, and most operations do not declare 429 or 502.',
  },
  {
    id: 'graphql-draft',
    what: 'POST /graphql (and /api/graphql) implements only the markPullRequestReadyForReview and convertPullRequestToDraft mutations, unvalidated.',
    why: 'GitHub offers no REST route to change a pull request\'s draft state; the REST description does not cover GraphQL.',
  },
  {
    id: 'pulls-head-format',
    what: 'pulls/list requires `head` as `owner:branch` and answers 422 otherwise.',
    why: 'GitHub silently ignores a bare branch name there, which would make "find the PR for this branch" match every PR.',
  },
  {
    id: 'search-exact',
    what: 'Search matches free text as a case-insensitive substring and indexes immediately unless searchIndexing is "manual".',
    why: 'GitHub tokenises text and indexes with a delay; callers must confirm markers in the returned body either way.',
  },
  {
    id: 'examples-stripped',
    what: 'The committed subset drops media-type `examples` from the published description.',
    why: 'They are documentation only and are most of its size.',
  },
];

/** A copy of `subset` with the schema corrections of `overrides` applied. */
export function applySchemaPatches(subset: JsonObject, overrides: readonly StandInOverride[] = STAND_IN_OVERRIDES): JsonObject {
  const copy = structuredClone(subset);
  for (const { id, patch } of overrides) {
    if (!patch) continue;
    let node: Json | undefined = copy;
    for (const key of patch.pointer.slice(1).split('/')) {
      node = typeof node === 'object' && node !== null && !Array.isArray(node) ? node[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new Error(`Override ${id}: ${patch.pointer} is not a schema in the subset`);
    Object.assign(node, patch.merge);
  }
  return copy;
}
