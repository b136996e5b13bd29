// Planning consumer notices against the grants a consumer's binding recorded in the realm.
import { describe, expect } from 'vitest';
import { planNotifications, S3_PATHS_SCHEMA, type ImportEntry, type PublishedExport } from '@blue/core';
import { verifies } from '@blue/testkit';

const GRANTS = { read: ['cultivarium-fungal/training-metrics/*'], write: ['cultivarium-fungal/training-metrics/*'] };
const ENTRY: ImportEntry = { contract: 'paths', from: 'aperture', version: '^1.0.0', binding: 'cdk/stack.py', status: 'current', resolved_version: '1.0.0', grants: GRANTS };

function exported(version: string, write: string[], changes: string[], breaking = false): PublishedExport {
  return {
    name: 'paths',
    version,
    kind: 's3-paths',
    bucket: 'cultivarium-fungal',
    schema: S3_PATHS_SCHEMA,
    value: { read: [], write },
    changelog: [{ version, date: '2026-01-24', changes, ...(breaking ? { breaking: true, approved_at: '2026-01-24T10:00:00Z' } : {}) }, { version: '1.0.0', date: '2026-01-20', changes: ['First published.'] }],
  };
}

const plan = (exp: PublishedExport, entry: ImportEntry = ENTRY) => planNotifications({ realm: 'letemcook', provider: 'aperture', exports: [exp], consumers: [{ domain: 'fungal', entry }], graceDays: 14 });

describe('planNotifications with recorded grants', () => {
  verifies('binding-iam-matching', 'a value the recorded grants cover needs no notice; without recorded grants the notice is planned', () => {
    const exp = exported('1.1.0', ['training-metrics/*', 'training-metrics/experiments/*'], ['+ training-metrics/experiments/* (write)']);
    expect(plan(exp)).toEqual([]);
    const { grants: _grants, ...ungranted } = ENTRY;
    expect(plan(exp, ungranted).map((n) => n.title)).toEqual(['Update IAM policy: new S3 path training-metrics/experiments/*']);
  });

  verifies('binding-iam-matching', 'the title asks only for what is not granted; the body lists what already is', () => {
    const exp = exported('1.1.0', ['models/*/model.pt', 'training-metrics/experiments/*'], ['+ models/*/model.pt (write)', '+ training-metrics/experiments/* (write)']);
    const [notice] = plan(exp);
    expect(notice?.title).toBe('Update IAM policy: new S3 path models/*/model.pt');
    expect(notice?.body).toContain('### Already granted');
    expect(notice?.body).toContain('- `+ training-metrics/experiments/* (write)`');
  });

  verifies('breaking-issue-closes', 'a breaking change is always notified, with the grace deadline in its body', () => {
    const exp = exported('2.0.0', ['training-metrics/*'], ['- training-runs/* (read)'], true);
    const [notice] = plan(exp);
    expect(notice).toMatchObject({ breaking: true, grace_until: '2026-02-07T10:00:00Z' });
    expect(notice?.body).toContain('**Deadline: 2026-02-07T10:00:00Z**');
    expect(notice?.body).toContain('This issue closes by itself when your import is on the new range');
  });
});
