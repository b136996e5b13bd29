import { createHash } from 'node:crypto';
import type { TrustFile, TrustRecord } from '../types.js';

/** The file in BLUE_HOME that records which repo-declared commands this user trusts. */
export const TRUST_FILE = 'trust.yaml';

/** sha256 of a command's argv as JSON: any change to any argument (or their split) is another digest. */
export function commandDigest(argv: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(argv)).digest('hex');
}

/** The record trusting exactly `argv` in `repo`, if any. */
export function findTrust(file: TrustFile, repo: string, argv: readonly string[]): TrustRecord | undefined {
  const digest = commandDigest(argv);
  return file.trusted.find((r) => r.repo === repo && r.sha256 === digest);
}

/** `file` with `record` added (a record of the same repo and digest is replaced). */
export function withTrust(file: TrustFile, record: TrustRecord): TrustFile {
  return { trusted: [...file.trusted.filter((r) => !(r.repo === record.repo && r.sha256 === record.sha256)), record] };
}

/** `file` without the records of `repo` that `matches` selects, and the records removed. */
export function withoutTrust(file: TrustFile, repo: string | undefined, matches: (record: TrustRecord) => boolean): { file: TrustFile; removed: TrustRecord[] } {
  const removed = file.trusted.filter((r) => (repo === undefined || r.repo === repo) && matches(r));
  return { file: { trusted: file.trusted.filter((r) => !removed.includes(r)) }, removed };
}
