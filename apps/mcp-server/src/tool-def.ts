import type { McpServer, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { parseArguments } from './arguments.js';
import { listedInputSchema, listedOutputSchema, type JsonSchema } from './listed-schema.js';
import { runTool } from './tool-result.js';
import type { ToolDeps } from './tool-deps.js';
import type { NoticeLedger } from './notice-ledger.js';
import { sessionNotice } from './tools/shapes.js';

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface BlueToolConfig<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  title: string;
  /** For the agent: what it does, "Use when …", "Does not …". */
  description: string;
  /** The arguments; the tool refuses any other (ARGUMENT_UNKNOWN). */
  inputSchema: I;
  /** The use case's result object, returned as structuredContent. */
  outputSchema: O;
  annotations: ToolAnnotations;
}

/**
 * Registers one tool whose arguments Blue checks itself (parseArguments: Blue error codes naming
 * the argument) and whose result the server checks against the full output schema before sending
 * it. tools/list shows the strict input schema and the listed (compact) output schema.
 */
export function registerBlueTool<I extends z.ZodRawShape, O extends z.ZodRawShape, R extends object>(
  server: McpServer,
  deps: ToolDeps,
  name: string,
  config: BlueToolConfig<I, O>,
  run: (args: z.output<z.ZodObject<I, z.core.$strict>>) => Promise<R & Agree<z.output<z.ZodObject<O>>, R>>,
): void {
  deps.tools.add(name);
  const input = z.strictObject(config.inputSchema);
  // Strict: a result field the schema does not declare is refused, not dropped. Every result may
  // also carry the live notices this session has not returned yet: checked here, but described
  // once in the server instructions rather than in each listed schema (which allow extra fields),
  // so fifteen tools do not spend tools/list characters on one shared field.
  const declared = z.strictObject(config.outputSchema);
  const output = 'notices' in config.outputSchema ? declared : declared.extend({ notices: z.array(sessionNotice).optional() });
  server.registerTool(
    name,
    {
      title: config.title,
      description: config.description,
      annotations: listedAnnotations(config.annotations),
      // The SDK would refuse bad arguments with its own text; every value passes here and
      // parseArguments refuses them with a Blue error instead.
      inputSchema: standardSchema(listedInputSchema(input), (value) => ({ value })),
      outputSchema: standardSchema(listedOutputSchema(declared), (value) => {
        const parsed = output.safeParse(value);
        return parsed.success ? { value: parsed.data } : { issues: parsed.error.issues.map((issue) => ({ message: issue.message, path: issue.path.map(String) })) };
      }),
    },
    async (args: unknown) => runTool(async () => withNotices(await run(parseArguments(name, input, args)), deps.notices), (text) => deps.speak(text)),
  );
}

/** A result with the session's notices not yet returned (none: the result as it is). blue_status lists notices itself. */
async function withNotices(value: object, ledger: NoticeLedger): Promise<object> {
  const own: unknown = (value as { notices?: unknown }).notices;
  if (Array.isArray(own)) {
    ledger.markReturned(own.map((n: { id?: unknown }) => String(n.id)));
    return value;
  }
  const fresh = await ledger.take();
  return fresh.length === 0 ? value : { ...value, notices: fresh };
}

/** The specification's defaults: a hint that says the default is left out of tools/list. */
const HINT_DEFAULTS: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

/** Only the hints that differ from the defaults (destructive and idempotent mean nothing for a read-only tool). */
export function listedAnnotations(annotations: ToolAnnotations): Partial<ToolAnnotations> {
  const listed: Partial<ToolAnnotations> = {};
  for (const key of Object.keys(HINT_DEFAULTS) as Array<keyof ToolAnnotations>) {
    if (annotations.readOnlyHint && (key === 'destructiveHint' || key === 'idempotentHint')) continue;
    if (annotations[key] !== HINT_DEFAULTS[key]) listed[key] = annotations[key];
  }
  return listed;
}

/**
 * The use case's result type R where the output schema's type S agrees with it (each assignable
 * to the other), else never: a tool whose schema drifts from its use case does not compile. The
 * use case's type is the one source; the schema is checked against it here and every result is
 * checked against the schema at run time.
 */
export type Agree<S, R> = [S] extends [R] ? ([R] extends [S] ? ([SameKeys<S, R>] extends [true] ? R : Disagree<S, R>) : Disagree<S, R>) : Disagree<S, R>;
/** The same fields at the top and one level in (objects, and the elements of arrays). */
type SameKeys<S, R> = [keyof S] extends [keyof R] ? ([keyof R] extends [keyof S] ? { [K in keyof S & keyof R]: InnerKeys<Element<S[K]>, Element<R[K]>> }[keyof S & keyof R] | true : false) : false;
type InnerKeys<S, R> = S extends object ? (R extends object ? ([keyof S] extends [keyof R] ? ([keyof R] extends [keyof S] ? true : false) : false) : true) : true;
type Disagree<S, R> = { output_schema_disagrees: Diff<S, R> };

/** For the compiler's message: the fields (one level into arrays and objects) where schema and result differ. */
type Diff<S, R> = { [K in keyof S | keyof R]: K extends keyof S ? (K extends keyof R ? ([S[K]] extends [R[K]] ? never : [K, Inner<S[K], R[K]>]) : ['only in the schema', K]) : ['only in the result', K] }[keyof S | keyof R];
type Element<T> = T extends readonly (infer E)[] ? E : NonNullable<T>;
type Inner<S, R> = { [K in keyof Element<S> | keyof Element<R>]: K extends keyof Element<S> ? (K extends keyof Element<R> ? ([Element<S>[K]] extends [Element<R>[K]] ? never : K) : ['only in the schema', K]) : ['only in the result', K] }[keyof Element<S> | keyof Element<R>];

type Validated = { value: unknown; issues?: undefined } | { issues: { message: string; path: string[] }[] };

/** A Standard Schema (with JSON Schema) from a listed JSON Schema and a validate function. */
function standardSchema(json: JsonSchema, validate: (value: unknown) => Validated): StandardSchemaWithJSON<Record<string, unknown>> {
  return {
    '~standard': {
      version: 1,
      vendor: 'blue',
      validate: validate as StandardSchemaWithJSON<Record<string, unknown>>['~standard']['validate'],
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}
