import { describe, expect, it } from 'vitest';
import { asBlueError, BlueError, ERROR_CODES } from '@blue/core';

describe('error codes', () => {
  it('are upper snake case, each with a kind and a summary', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/);
      expect(['usage', 'input', 'state', 'external', 'internal']).toContain(info.kind);
      expect(info.summary.length).toBeGreaterThan(10);
    }
  });

  it('include the codes DESIGN.md names', () => {
    for (const code of ['YAML_SYNTAX', 'SCHEMA_INVALID', 'NAME_INVALID', 'NOT_IN_REALM', 'UNKNOWN_DOMAIN', 'UNKNOWN_CONTRACT', 'DIRTY_WORKTREE', 'PUSH_REJECTED', 'BREAKING_NEEDS_APPROVAL', 'GITHUB_AUTH', 'GITHUB_API', 'SOCKET_DIR_UNSAFE']) {
      expect(ERROR_CODES).toHaveProperty(code);
    }
  });

  it('serialise without undefined fields and wrap unknown errors as INTERNAL', () => {
    const err = new BlueError('NAME_INVALID', 'bad', { hint: 'fix it' });
    expect(err.toJSON()).toEqual({ code: 'NAME_INVALID', message: 'bad', hint: 'fix it' });
    expect(err.kind).toBe('input');
    const bug = asBlueError(new TypeError('x is undefined'));
    expect(bug).toMatchObject({ code: 'INTERNAL', kind: 'internal' });
    expect(bug.cause).toBeInstanceOf(TypeError);
    expect(asBlueError(err)).toBe(err);
  });

  it('report a full disk (ENOSPC, EDQUOT) as DISK_FULL naming the file, not its atomic-write temp', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', path: '/r/domains/a/.exports.yaml.4242.0a1b2c3d.tmp' });
    expect(asBlueError(enospc)).toMatchObject({ code: 'DISK_FULL', kind: 'external', message: 'No space left to write /r/domains/a/exports.yaml (ENOSPC).' });
    expect(asBlueError(Object.assign(new Error('quota'), { code: 'EDQUOT' })).message).toBe('No space left to write a file (EDQUOT).');
  });
});
