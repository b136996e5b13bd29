import type { Bump } from '../semver.js';
import type { JsonSchemaObject, JsonValue } from '../types.js';
import { diffSchemas, type SchemaChange } from './schema-diff.js';
import { diffValues, type ValueChange } from './value-diff.js';

export interface ExportSide {
  value: JsonValue;
  schema: JsonSchemaObject;
  description?: string | undefined;
}

export interface BumpClassification {
  /** undefined: nothing changed, nothing to publish. */
  bump: Bump | undefined;
  breaking: boolean;
  value_changes: ValueChange[];
  schema_changes: SchemaChange[];
  /** One line per reason, e.g. `removed jobs/* (read): breaking`. */
  reasons: string[];
}

/**
 * The version bump a change to an export needs (DESIGN.md departure 4): removals, changed
 * values or types, and a schema that refuses what it accepted are major; additions and a schema
 * that accepts more are minor; description or annotations only are patch; nothing is no bump.
 */
export function classifyBump(before: ExportSide, after: ExportSide): BumpClassification {
  const valueChanges = diffValues(before.value, after.value);
  const schemaChanges = diffSchemas(before.schema, after.schema);
  const reasons: string[] = [];
  let rank = 0;
  const raise = (to: number, reason: string): void => {
    rank = Math.max(rank, to);
    reasons.push(reason);
  };
  for (const c of valueChanges) {
    const where = c.path === '' ? '' : ` (${c.path})`;
    if (c.kind === 'added') raise(2, `added ${JSON.stringify(c.value)}${where}`);
    else if (c.kind === 'removed') raise(3, `removed ${JSON.stringify(c.value)}${where}: breaking`);
    else raise(3, `changed ${c.path || 'value'} from ${JSON.stringify(c.from)} to ${JSON.stringify(c.to)}: breaking`);
  }
  for (const c of schemaChanges) {
    const where = c.path === '' ? 'schema' : `schema ${c.path}`;
    if (c.effect === 'narrows') raise(3, `${where}: ${c.message}: breaking`);
    else if (c.effect === 'widens') raise(2, `${where}: ${c.message}`);
    else raise(1, `${where}: ${c.message}`);
  }
  if ((before.description ?? '') !== (after.description ?? '')) raise(1, 'description changed');
  const bump: Bump | undefined = rank === 3 ? 'major' : rank === 2 ? 'minor' : rank === 1 ? 'patch' : undefined;
  return { bump, breaking: rank === 3, value_changes: valueChanges, schema_changes: schemaChanges, reasons };
}
