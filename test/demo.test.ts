import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNodeScript, sandbox } from '@blue/testkit';

/** The text of one numbered demo step, up to the next heading. */
function step(stdout: string, number: number): string {
  const start = stdout.indexOf(`\n== ${number}. `);
  expect(start, `step ${number}`).toBeGreaterThanOrEqual(0);
  const end = stdout.indexOf('\n== ', start + 1);
  return stdout.slice(start, end < 0 ? undefined : end);
}

describe('the demo', () => {
  it('plays Initial Setup, Daily Development, Consumer Response and Change Propagation against the GitHub stand-in, and cleans up', { timeout: 60_000 }, async () => {
    // sandbox(): no GitHub tokens or Blue settings of this machine, an isolated git config.
    const box = await sandbox();
    const { code, stdout, stderr } = await runNodeScript('scripts/demo.mjs', [], { ...box.env, TMPDIR: box.root, BLUE_DEMO_CLEANUP: '1' });
    expect(code, stderr).toBe(0);
    // The only error is the one the demo provokes: creating the realm twice (exit 4).
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error: A realm named "letemcook" already exists at /), expect.stringMatching(/^Hint: /)]);

    // Initial Setup: both repos join with their GitHub repository, the import is current at 1.0.0.
    expect(stdout).toContain('$ blue realm join ../realm-letemcook --as fungal-image-analysis --github letemcook/fungal-image-analysis');
    expect(step(stdout, 4)).toContain('✓ Imports current: required-s3-permissions@1.0.0 from aperture');

    // Daily Development: aperture's drift, the dry run, the publish of 1.1.0 and the issue.
    expect(step(stdout, 7)).toContain('+ training-metrics/experiments/* (write)');
    expect(step(stdout, 7)).toContain('+ models/*/model.pt (write)');
    expect(step(stdout, 7)).toMatch(/blue status --strict .*\nblue status --strict: 1 unpublished export change\(s\)\nexit 1\n/);
    const sync = step(stdout, 8);
    expect(sync).toContain('would open "Update IAM policy: new S3 path models/*/model.pt"');
    expect(sync).toContain('required-s3-permissions: 1.0.0 → 1.1.0');
    expect(sync).toMatch(/issue opened #1 /);
    const issue = step(stdout, 9);
    expect(issue).toContain('letemcook/fungal-image-analysis issue #1 [open]');
    expect(issue).toContain('Update IAM policy: new S3 path models/*/model.pt');
    expect(issue).toContain('`required-s3-permissions` **1.1.0**');
    // fungal's recorded grants already cover the RFC's path: the issue asks only for the model path.
    expect(issue).toContain('### Already granted');
    expect(issue).not.toContain('<!--');

    // Consumer Response: stale with the missing value in the binding, then resolved and current.
    const stale = step(stdout, 10);
    expect(stale).toContain('Stale imports');
    expect(stale).toContain('cdk/training_tools_access_stack.py');
    // The binding is read as the policy it is: the RFC's path is granted by training-metrics/*, the model path is not.
    expect(stale).toContain('+ models/*/model.pt (write): no statement allows s3:PutObject on it');
    expect(stale).toContain('✓ training-metrics/experiments/* (write) by arn:aws:s3:::cultivarium-fungal/training-metrics/* (WriteResults)');
    expect(stale).toMatch(/blue status --strict .*\nblue status --strict: 1 stale import\(s\)\nexit 1\n/);
    expect(step(stdout, 11)).toContain('+    "arn:aws:s3:::cultivarium-fungal/models/*/model.pt",');
    const resolved = step(stdout, 12);
    expect(resolved).toContain('required-s3-permissions: now at 1.1.0');
    expect(resolved).toContain('✓ Imports current: required-s3-permissions@1.1.0 from aperture');
    expect(resolved).toMatch(/blue status --strict .*\nexit 0\n/);
    const after = step(stdout, 13);
    expect(after).toContain('✓ No problems found');
    expect(after).toContain('required-s3-permissions ^1.0.0 @1.1.0');

    // Change Propagation: one branch in both repos, a linked commit, pushed, linked PRs in merge order.
    expect(step(stdout, 15)).toMatch(/✓ fungal-image-analysis: worktree created on feat\/training-metrics-v2/);
    expect(step(stdout, 16)).toContain('$ blue realm commit -m "feat: experiment metrics v2"');
    expect(step(stdout, 16)).toContain('Linked commits recorded in worktrees/feat-training-metrics-v2.yaml');
    const pulls = step(stdout, 17);
    expect(pulls).toMatch(/✓ fungal-image-analysis: pushed [0-9a-f]{7} to origin/);
    expect(pulls).toContain('Blocked by: aperture#1 (merge aperture first)');
    expect(pulls).toContain('PRs are linked. Merge order: aperture#1 → fungal-image-analysis#2');
    expect(pulls).toMatch(/letemcook\/fungal-image-analysis pull request #2 \[open\] feat\/training-metrics-v2 → main/);
    expect(step(stdout, 18)).toMatch(/merge_order:\n\s+- aperture\n\s+- fungal-image-analysis/);

    // BLUE_DEMO_CLEANUP=1 removed the demo's folder.
    const folder = /removed (\S+) \(BLUE_DEMO_CLEANUP=1\)/.exec(stdout)?.[1];
    expect(folder).toBeDefined();
    expect(folder!.startsWith(box.root)).toBe(true);
    expect(existsSync(folder!)).toBe(false);
  });
});
