import { createHash } from 'node:crypto';
import { EXPORT_SCHEMA_OPTIONS } from './ajv-options.js';
import { requireFromCore } from './package-root.js';
import type { ValidationIssue } from './validate.js';

/** Entries kept (and saved) at most: the newest win. */
const MAX_ENTRIES = 1024;

/**
 * What validateAgainstSchema answered, by a digest of (schema, value, how we validate). A value
 * checked against the same schema always gets the same answer, so a process that loads the
 * entries of earlier runs (the CLI does, from BLUE_HOME) skips compiling the schema at all: that
 * compile was ~60 ms of a `blue status`. Entries are data, never code.
 */
class ValidationMemo {
  private readonly entries = new Map<string, ValidationIssue[]>();
  private added = 0;
  private saltText: string | undefined;

  /** Changes when the validator or its options change, so old answers are not reused. */
  get salt(): string {
    this.saltText ??= `ajv@${(requireFromCore('ajv/package.json') as { version: string }).version} ${JSON.stringify(EXPORT_SCHEMA_OPTIONS)} memo@1`;
    return this.saltText;
  }

  key(schemaText: string, value: unknown): string {
    return createHash('sha256').update(this.salt).update('\0').update(schemaText).update('\0').update(JSON.stringify(value) ?? 'undefined').digest('base64url');
  }

  get(key: string): ValidationIssue[] | undefined {
    const issues = this.entries.get(key);
    return issues === undefined ? undefined : structuredClone(issues);
  }

  set(key: string, issues: readonly ValidationIssue[]): void {
    this.entries.delete(key);
    this.entries.set(key, structuredClone([...issues]));
    this.added += 1;
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Adds entries saved by an earlier run (`{salt, entries}`); anything malformed or of another salt is ignored. */
  load(saved: unknown): void {
    if (!isRecord(saved) || saved.salt !== this.salt || !isRecord(saved.entries)) return;
    for (const [key, issues] of Object.entries(saved.entries)) {
      if (!this.entries.has(key) && Array.isArray(issues) && issues.every(isIssue)) this.entries.set(key, issues);
    }
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Whether answers were computed since the last `saved()`. */
  get changed(): boolean {
    return this.added > 0;
  }

  /** The entries to save (and marks them saved). */
  saved(): { salt: string; entries: Record<string, ValidationIssue[]> } {
    this.added = 0;
    return { salt: this.salt, entries: Object.fromEntries(this.entries) };
  }

  clear(): void {
    this.entries.clear();
    this.added = 0;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIssue(value: unknown): value is ValidationIssue {
  return isRecord(value) && typeof value.path === 'string' && typeof value.message === 'string'
    && Array.isArray(value.pointer) && value.pointer.every((seg) => typeof seg === 'string' || typeof seg === 'number');
}

export const validationMemo = new ValidationMemo();
