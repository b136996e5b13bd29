import { globMatcher, leafStrings, type JsonValue } from '@blue/core';
import type { BlueContext } from '../context.js';
import { forEachTrackedSource } from './tracked-files.js';

export interface BindingCandidate {
  /** The exporting domain. */
  domain: string;
  /** The export's name. */
  contract: string;
  /** Its published value. */
  value: JsonValue;
}

export interface BindingFile {
  domain: string;
  contract: string;
  /** Path of the binding file, relative to the repo. */
  file: string;
  /** Leaf strings of the value the file does not contain (binding drift). */
  missing: string[];
}

/** Blue's own files describe exports; they never bind one. */
const NEVER_BINDINGS = globMatcher(['/.blue']);

/**
 * For each candidate export of another domain, the tracked file of `repo` that binds it: the
 * file containing the most of the value's leaf strings (see leafStrings) as substrings, when it
 * contains at least half of them (rounded up) — a binding that lags behind the export by a path
 * or two is still found, and `missing` names what it lacks. Ties go to the path that sorts
 * first. Candidates without leaf strings, or with no such file, are left out. Only the tracked
 * files holding a leaf string (one `git grep` for all of them) are read, each at most once for
 * all candidates; files under `.blue/` are not considered.
 * Results are in candidate order.
 */
export async function findBindingFiles(ctx: BlueContext, repo: string, candidates: readonly BindingCandidate[]): Promise<BindingFile[]> {
  const wanted = candidates.map((candidate) => ({ candidate, leaves: leafStrings(candidate.value), best: undefined as Best | undefined }));
  if (!wanted.some((w) => w.leaves.length > 0)) return [];
  const leaves = [...new Set(wanted.flatMap((w) => w.leaves))];
  await forEachTrackedSource(repo, ctx.env, {
    // Only a file holding a leaf can be a binding: git grep finds them, unless a leaf's bytes
    // could not be matched as its text is (U+FFFD, a lone surrogate, NUL): then every file is read.
    mustContain: leaves.every(isGreppable) ? leaves : undefined,
    visit: ({ path, text }) => {
      if (NEVER_BINDINGS(path)) return;
      for (const w of wanted) {
        const missing = w.leaves.filter((leaf) => !text.includes(leaf));
        const present = w.leaves.length - missing.length;
        if (present === 0 || present < Math.ceil(w.leaves.length / 2)) continue;
        if (w.best === undefined || present > w.best.present || (present === w.best.present && path < w.best.file)) w.best = { file: path, present, missing };
      }
    },
  });
  return wanted.flatMap(({ candidate, best }) =>
    best === undefined ? [] : [{ domain: candidate.domain, contract: candidate.contract, file: best.file, missing: best.missing }],
  );
}

/** True when a file's decoded text can contain `leaf` only if its bytes contain the UTF-8 of `leaf`. */
function isGreppable(leaf: string): boolean {
  return !/[\uFFFD\0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(leaf);
}

interface Best {
  file: string;
  present: number;
  missing: string[];
}
