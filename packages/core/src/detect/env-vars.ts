import type { JsonSchemaObject } from '../types.js';
import type { SourceFile } from './s3-paths.js';

const NAME = '([A-Za-z_][A-Za-z0-9_]*)';
const QUOTED = `["'\`]${NAME}["'\`]`;

/**
 * How code reads an environment variable: `process.env.X`, `process.env["X"]`,
 * `import.meta.env.X`, `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")`, `ENV["X"]`,
 * `ENV.fetch("X")`, `os.Getenv("X")`, `System.getenv("X")`, `std::env::var("X")`.
 */
const READS: readonly RegExp[] = [
  new RegExp(`\\bprocess\\.env\\.${NAME}`, 'g'),
  new RegExp(`\\bprocess\\.env\\[\\s*${QUOTED}\\s*\\]`, 'g'),
  new RegExp(`\\bimport\\.meta\\.env\\.${NAME}`, 'g'),
  new RegExp(`\\bos\\.environ\\[\\s*${QUOTED}\\s*\\]`, 'g'),
  new RegExp(`\\bos\\.environ\\.get\\(\\s*${QUOTED}`, 'g'),
  new RegExp(`\\bos\\.getenv\\(\\s*${QUOTED}`, 'g'),
  new RegExp(`(?<![\\w.])ENV\\[\\s*${QUOTED}\\s*\\]`, 'g'),
  new RegExp(`(?<![\\w.])ENV\\.fetch\\(\\s*${QUOTED}`, 'g'),
  new RegExp(`\\bos\\.Getenv\\(\\s*${QUOTED}`, 'g'),
  new RegExp(`\\bSystem\\.getenv\\(\\s*${QUOTED}`, 'g'),
  new RegExp(`\\benv::var\\(\\s*${QUOTED}`, 'g'),
];

const CODE = /\.(?:[cm]?[jt]sx?|py|pyi|rb|go|java|kt|kts|scala|rs|php|cs|swift)$/i;
/** Whole-line comments of the languages above: `#`, `//`, `*` (inside a block comment). */
const COMMENT_LINE = /^\s*(?:#|\/\/|\*|\/\*)/;

/** JSON Schema of an env-vars export value. */
export const ENV_VARS_SCHEMA: JsonSchemaObject = {
  type: 'object',
  description: 'Environment variables the code reads.',
  additionalProperties: false,
  required: ['variables'],
  properties: { variables: { type: 'array', description: 'Variable names, sorted.', items: { type: 'string' } } },
};

/** The environment variable names a code file reads (sorted, once each); other files give none. */
export function findEnvVars(file: SourceFile): string[] {
  if (!CODE.test(file.path)) return [];
  const names = new Set<string>();
  for (const line of file.text.split('\n')) {
    if (COMMENT_LINE.test(line)) continue;
    for (const re of READS) for (const m of line.matchAll(re)) if (m[1] !== undefined) names.add(m[1]);
  }
  return [...names].sort();
}

/** The env-vars export value of many files. */
export function envVarsValue(perFile: ReadonlyArray<readonly string[]>): { variables: string[] } {
  return { variables: [...new Set(perFile.flat())].sort() };
}
