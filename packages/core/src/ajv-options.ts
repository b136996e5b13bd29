/**
 * How Blue's own file schemas are compiled: the same options at build time (standalone
 * validators, see scripts/build-validators.mjs) and at run time (the fallback when they are
 * missing, e.g. when tests run from source).
 */
export const FILE_SCHEMA_OPTIONS = { allErrors: true, strict: true, verbose: true, allowUnionTypes: true } as const;

/** Export schemas are written by domains, not by us: not strict (unknown keywords are tolerated). */
export const EXPORT_SCHEMA_OPTIONS = { allErrors: true, strict: false, verbose: true, allowUnionTypes: true } as const;

/**
 * The `date-time` format (RFC 3339). Self-contained on purpose: the build serializes it with
 * `String(isDateTime)` into the standalone validators.
 */
export const isDateTime = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));

/** File name (in dist/) of the standalone validators written by the build, one export per file kind. */
export const STANDALONE_VALIDATORS = 'file-validators.cjs';
/** File name (in dist/) of the formats the standalone validators require. */
export const STANDALONE_FORMATS = 'file-formats.cjs';

/** File name (in dist/) of the standalone validator of JSON Schema 2020-12 itself (the meta-schema), compiled with EXPORT_SCHEMA_OPTIONS. */
export const STANDALONE_META = 'schema-meta-validator.cjs';
/** The meta-schema an export schema without `$schema` is checked against (ajv 2020's default). */
export const META_SCHEMA_2020 = 'https://json-schema.org/draft/2020-12/schema';
