import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { normaliseForAjv, SUBSET_ID } from './normalise.js';
import { applySchemaPatches } from './overrides.js';
import type { Json, JsonObject } from './subset.js';

// ajv-formats is CommonJS; its callable lives on `.default` when imported from ESM under NodeNext.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };

export interface RouteMatch {
  operationId: string;
  method: string;
  template: string;
  params: Record<string, string>;
}

/** One problem with a request, worded like GitHub's validation errors. */
export interface RequestProblem {
  in: 'path' | 'query' | 'body';
  field: string;
  code: 'missing_field' | 'invalid' | 'unknown_field';
  message: string;
}

interface CompiledRoute {
  operationId: string;
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  operation: JsonObject;
  parameters: JsonObject[];
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describe(errors: readonly ErrorObject[] | null | undefined, prefix: string): string[] {
  return (errors ?? []).map((e) => `${prefix}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${JSON.stringify(e.params.allowedValues)})` : ''}`);
}

/** The top-level property names a body schema allows (through oneOf/anyOf/allOf), or undefined if open. */
function allowedKeys(schema: Json | undefined, doc: JsonObject): Set<string> | undefined {
  if (!isObject(schema)) return undefined;
  if (typeof schema.$ref === 'string') return allowedKeys(resolve(doc, schema.$ref), doc);
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return undefined;
  const keys = new Set<string>(isObject(schema.properties) ? Object.keys(schema.properties) : []);
  let sawBranch = false;
  for (const combo of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = schema[combo];
    if (!Array.isArray(branches)) continue;
    for (const branch of branches) {
      const more = allowedKeys(branch, doc);
      if (more === undefined) continue;
      sawBranch = true;
      for (const k of more) keys.add(k);
    }
  }
  return keys.size > 0 || sawBranch ? keys : undefined;
}

function resolve(doc: JsonObject, ref: string): Json {
  const pointer = ref.startsWith(SUBSET_ID) ? ref.slice(SUBSET_ID.length) : ref;
  let node: Json = doc;
  for (const raw of pointer.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) throw new Error(`Unresolvable $ref ${ref}`);
    node = node[key] as Json;
  }
  return node;
}

function deref(doc: JsonObject, node: Json | undefined): JsonObject | undefined {
  let current = node;
  while (isObject(current) && typeof current.$ref === 'string') current = resolve(doc, current.$ref);
  return isObject(current) ? current : undefined;
}

/**
 * Validates requests and responses against the operations of a (subset of a) GitHub REST
 * description. Validators are compiled on first use, so constructing one is cheap.
 */
export class OpenApiValidator {
  readonly #doc: JsonObject;
  readonly #routes: CompiledRoute[] = [];
  readonly #ajv: Ajv;
  readonly #coercing: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(subset: JsonObject) {
    this.#doc = normaliseForAjv(applySchemaPatches(subset)) as JsonObject;
    const options = { strict: false, allErrors: true, logger: false as const };
    this.#ajv = new Ajv(options);
    this.#coercing = new Ajv({ ...options, coerceTypes: true });
    for (const ajv of [this.#ajv, this.#coercing]) {
      addFormats.default(ajv);
      ajv.addFormat('repo.nwo', /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/);
      ajv.addSchema(this.#doc, SUBSET_ID);
    }
    const paths = isObject(this.#doc.paths) ? this.#doc.paths : {};
    for (const [template, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters' || !isObject(op) || typeof op.operationId !== 'string') continue;
        const shared = Array.isArray(item.parameters) ? item.parameters : [];
        const own = Array.isArray(op.parameters) ? op.parameters : [];
        const parameters = [...shared, ...own].map((p) => deref(this.#doc, p)).filter((p): p is JsonObject => p !== undefined);
        // A parameter GitHub marks `x-multi-segment` (a file path in contents routes) spans slashes.
        const multi = new Set(parameters.filter((p) => p['x-multi-segment'] === true).map((p) => p.name));
        const names: string[] = [];
        const regex = new RegExp(
          `^${template
            .split(/(\{[^}]+\})/)
            .map((part) => {
              const m = /^\{([^}]+)\}$/.exec(part);
              if (!m) return escapeRegex(part);
              names.push(m[1]!);
              return multi.has(m[1]) ? '(.+)' : '([^/]+)';
            })
            .join('')}$`,
        );
        this.#routes.push({ operationId: op.operationId, method: method.toUpperCase(), template, regex, names, operation: op, parameters });
      }
    }
  }

  /** The operation serving `method path`, or undefined when the description (subset) has none. */
  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.#routes) {
      if (route.method !== method.toUpperCase()) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      return { operationId: route.operationId, method: route.method, template: route.template, params };
    }
    return undefined;
  }

  #route(operationId: string): CompiledRoute {
    const route = this.#routes.find((r) => r.operationId === operationId);
    if (!route) throw new Error(`Unknown operation ${operationId}`);
    return route;
  }

  #compile(key: string, schema: Json, coercing = false): ValidateFunction {
    let fn = this.#cache.get(key);
    if (!fn) {
      fn = (coercing ? this.#coercing : this.#ajv).compile(schema as object);
      this.#cache.set(key, fn);
    }
    return fn;
  }

  /**
   * Checks path and query parameters and the JSON body. Query values are coerced to their declared
   * types; on success the coerced values are returned. With `strict`, unknown query parameters and
   * unknown top-level body fields are problems too (override `strict-unknown-fields`).
   */
  validateRequest(
    operationId: string,
    input: { params: Record<string, string>; query: URLSearchParams; body: unknown; strict: boolean },
  ): { problems: RequestProblem[]; query: Record<string, unknown> } {
    const route = this.#route(operationId);
    const problems: RequestProblem[] = [];
    const query: Record<string, unknown> = {};
    const declared = new Set<string>();
    for (const param of route.parameters) {
      const name = typeof param.name === 'string' ? param.name : '';
      const where = param.in;
      if (where !== 'path' && where !== 'query') continue;
      if (where === 'query') declared.add(name);
      const raw = where === 'path' ? input.params[name] : input.query.get(name) ?? undefined;
      if (raw === undefined) {
        if (param.required === true) problems.push({ in: where, field: name, code: 'missing_field', message: `${name} is required` });
        continue;
      }
      const holder: Record<string, unknown> = { value: raw };
      const fn = this.#compile(`${operationId}:param:${name}`, { type: 'object', properties: { value: param.schema ?? {} } }, true);
      if (!fn(holder)) problems.push({ in: where, field: name, code: 'invalid', message: describe(fn.errors, name).join('; ') });
      else if (where === 'query') query[name] = holder.value;
    }
    if (input.strict) {
      for (const name of input.query.keys()) {
        if (!declared.has(name)) problems.push({ in: 'query', field: name, code: 'unknown_field', message: `"${name}" is not a query parameter of ${operationId}` });
      }
    }
    const requestBody = deref(this.#doc, route.operation.requestBody);
    const content = requestBody && isObject(requestBody.content) ? requestBody.content['application/json'] : undefined;
    const schema = isObject(content) ? content.schema : undefined;
    if (schema !== undefined) {
      if (input.body === undefined) {
        if (requestBody?.required === true) problems.push({ in: 'body', field: '', code: 'missing_field', message: 'a JSON body is required' });
      } else {
        const fn = this.#compile(`${operationId}:body`, schema);
        if (!fn(input.body)) {
          for (const e of fn.errors ?? []) {
            const missing = e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
            const field = missing ?? e.instancePath.replace(/^\//, '').split('/')[0] ?? '';
            problems.push({ in: 'body', field, code: missing ? 'missing_field' : 'invalid', message: `${missing ?? (e.instancePath || 'body')} ${e.message ?? 'is invalid'}` });
          }
        }
        const allowed = input.strict ? allowedKeys(schema, this.#doc) : undefined;
        if (allowed && typeof input.body === 'object' && input.body !== null && !Array.isArray(input.body)) {
          for (const key of Object.keys(input.body)) {
            if (!allowed.has(key)) problems.push({ in: 'body', field: key, code: 'unknown_field', message: `"${key}" is not a permitted key.` });
          }
        }
      }
    } else if (input.body !== undefined) {
      problems.push({ in: 'body', field: '', code: 'invalid', message: `${operationId} takes no request body` });
    }
    return { problems, query };
  }

  /**
   * Checks a response body against what the operation declares for `status`. Undeclared error
   * statuses are checked against basic-error (override `undeclared-error-status`). Returns
   * the problems; empty means valid.
   */
  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const route = this.#route(operationId);
    const responses = isObject(route.operation.responses) ? route.operation.responses : {};
    const declared = deref(this.#doc, responses[String(status)] ?? responses.default);
    let schema: Json | undefined;
    let key = `${operationId}:${status}`;
    if (declared) {
      const content = isObject(declared.content) ? declared.content['application/json'] : undefined;
      schema = isObject(content) ? content.schema : undefined;
      if (schema === undefined) return body === undefined ? [] : [`${operationId} ${status} declares no body, but one was sent`];
    } else if (status >= 400) {
      schema = { $ref: `${SUBSET_ID}#/components/schemas/basic-error` };
      key = 'basic-error';
    } else {
      return [`${operationId} does not declare status ${status}`];
    }
    const fn = this.#compile(`response:${key}`, schema);
    return fn(body) ? [] : describe(fn.errors, `${operationId} ${status} response`);
  }
}
