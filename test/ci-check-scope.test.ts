// Issue 21: what a pull request gate needs of `blue realm check` — scoped to one domain, history
// since a revision, reverted mistakes and granted bots forgiven, JSON on stdout even for errors.
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { git, runBlue, verifies } from '@blue/testkit';
import { sharedScenario } from './hostile/helpers.js';

interface Finding {
  rule: string;
  severity: string;
  domain?: string;
  other_domain?: boolean;
}
interface Check {
  ok: boolean;
  findings: Finding[];
}

const MALLORY = ['-c', 'user.name=Mallory', '-c', 'user.email=mallory@evil.example'];
const BOT = ['-c', 'user.name=github-actions[bot]', '-c', 'user.email=41898282+github-actions[bot]@users.noreply.github.com'];

describe('blue realm check for a pull request gate', () => {
  const shared = sharedScenario();

  verifies(['ci-check-scoped', 'ci-history-forgiving'], 'a foreign write fails only its domain, not after --since, and not once reverted', async () => {
    const { box, s } = shared();
    const start = await git(box, s.realm, ['rev-parse', 'HEAD']);
    await appendFile(join(s.realm, 'domains/aperture/domain.yaml'), '# touched\n');
    await git(box, s.realm, [...MALLORY, 'commit', '-qam', 'innocent change']);
    const check = async (...args: string[]): Promise<{ exit: number | null; body: Check }> => {
      const run = await runBlue(box, ['realm', 'check', '--format', 'json', ...args], { cwd: s.fungal.dir });
      return { exit: run.exitCode, body: run.json<Check>() };
    };
    const all = await check();
    expect(all.exit).toBe(1);
    expect(all.body.findings).toContainEqual(expect.objectContaining({ rule: 'foreign-write', severity: 'error', domain: 'aperture' }));

    const fungal = await check('--domain', 'fungal-image-analysis');
    expect(fungal.exit).toBe(0);
    expect(fungal.body.findings).toContainEqual(expect.objectContaining({ rule: 'foreign-write', severity: 'warning', domain: 'aperture', other_domain: true }));
    expect((await check('--domain', 'aperture')).exit).toBe(1);

    const head = await git(box, s.realm, ['rev-parse', 'HEAD']);
    const since = await check('--since', head);
    expect(since.body.findings.filter((f) => f.rule === 'foreign-write')).toEqual([]);
    expect((await check('--since', start)).exit).toBe(1);

    await git(box, s.realm, ['revert', '--no-edit', 'HEAD']);
    const reverted = await check();
    expect(reverted.body.findings.filter((f) => f.rule === 'foreign-write')).toEqual([]);
    expect(reverted.exit).toBe(0);
    await git(box, s.realm, ['reset', '-q', '--hard', start]);
  }, 60_000);

  verifies('ci-history-forgiving', 'a bot writes for the domains governance.bots grants it, and only those', async () => {
    const { box, s } = shared();
    const start = await git(box, s.realm, ['rev-parse', 'HEAD']);
    const realmYaml = join(s.realm, 'realm.yaml');
    const text = await readFile(realmYaml, 'utf8');
    await writeFile(realmYaml, text.replace(/(\n {2}breaking_changes:)/, '\n  bots:\n    - email: 41898282+github-actions[bot]@users.noreply.github.com\n      domains: [aperture]$1'));
    await git(box, s.realm, ['commit', '-qam', 'grant the CI bot aperture']);
    for (const domain of ['aperture', 'fungal-image-analysis']) {
      await appendFile(join(s.realm, `domains/${domain}/domain.yaml`), '# published by CI\n');
      await git(box, s.realm, [...BOT, 'commit', '-qam', `${domain}: CI publish`]);
    }
    const run = await runBlue(box, ['realm', 'check', '--json'], { cwd: s.aperture.dir });
    const foreign = run.json<Check>().findings.filter((f) => f.rule === 'foreign-write');
    expect(foreign.map((f) => f.domain)).toEqual(['fungal-image-analysis']);
    expect(run.json<Check>().findings.filter((f) => f.rule === 'file-invalid' || f.rule === 'governance-change')).toEqual([]);
    // Granting a bot is a governance change: by someone who is not an approver, it is a finding.
    await writeFile(realmYaml, (await readFile(realmYaml, 'utf8')).replace('domains: [aperture]', 'domains: ["*"]'));
    await git(box, s.realm, [...MALLORY, 'commit', '-qam', 'grant the bot everything']);
    const granted = await runBlue(box, ['realm', 'check', '--json'], { cwd: s.aperture.dir });
    expect(granted.json<{ findings: Array<{ rule: string; message: string }> }>().findings.find((f) => f.rule === 'governance-change')?.message).toMatch(/by mallory@evil\.example changed realm\.yaml governance \(bots 41898282\+github-actions\[bot\]@users\.noreply\.github\.com:aperture → 41898282\+github-actions\[bot\]@users\.noreply\.github\.com:\*\)/);
    await git(box, s.realm, ['reset', '-q', '--hard', start]);
  }, 60_000);

  verifies('ci-history-forgiving', '`blue realm maintainers add|remove`: domain.yaml and CODEOWNERS in one commit, only by a maintainer or approver; a new maintainer is no foreign writer', async () => {
    const { box, s } = shared();
    const start = await git(box, s.realm, ['rev-parse', 'HEAD']);
    const add = await runBlue(box, ['realm', 'maintainers', 'add', '--domain', 'aperture', 'bob@aperture.example', '--json'], { cwd: s.aperture.dir });
    expect(add.exitCode, add.stdout).toBe(0);
    expect(add.json()).toMatchObject({ domain: 'aperture', added: ['bob@aperture.example'], removed: [], maintainers: ['test@blue.example', 'bob@aperture.example'], changed_by: 'test@blue.example' });
    expect(await git(box, s.realm, ['show', '--name-only', '--format=%s', 'HEAD'])).toBe('aperture: maintainers +bob@aperture.example (by test@blue.example)\n\n.github/CODEOWNERS\ndomains/aperture/domain.yaml');
    await appendFile(join(s.realm, 'domains/aperture/domain.yaml'), '# bob was here\n');
    await git(box, s.realm, ['-c', 'user.name=Bob', '-c', 'user.email=bob@aperture.example', 'commit', '-qam', 'bob edits his domain']);
    const check = await runBlue(box, ['realm', 'check', '--json'], { cwd: s.aperture.dir });
    expect(check.json<Check>().findings.filter((f) => ['codeowners', 'foreign-write'].includes(f.rule))).toEqual([]);

    const denied = await runBlue(box, ['realm', 'maintainers', 'add', '--domain', 'aperture', 'mallory@evil.example', '--json'], { cwd: s.aperture.dir, env: { GIT_AUTHOR_EMAIL: 'mallory@evil.example' } });
    expect(denied.exitCode).toBe(4);
    expect(denied.json<{ error: { code: string } }>().error.code).toBe('MAINTAINERS_DENIED');
    const empty = await runBlue(box, ['realm', 'maintainers', 'remove', '--domain', 'aperture', 'bob@aperture.example', 'test@blue.example', '--json'], { cwd: s.aperture.dir });
    expect(empty.json<{ error: { code: string } }>().error.code).toBe('VALUE_INVALID');
    const remove = await runBlue(box, ['realm', 'maintainers', 'remove', '--domain', 'aperture', 'bob@aperture.example'], { cwd: s.aperture.dir });
    expect(remove.exitCode, remove.stderr).toBe(0);
    expect(remove.stdout).toContain('aperture maintainers -bob@aperture.example: now test@blue.example');
    expect(await readFile(join(s.realm, '.github/CODEOWNERS'), 'utf8')).not.toContain('bob@');
    await git(box, s.realm, ['reset', '-q', '--hard', start]);
  }, 60_000);

  verifies('ci-check-scoped', '--format json prints a JSON error on stdout when no realm is found; a bad --since or --domain is a coded error', async () => {
    const { box, s } = shared();
    const lost = await runBlue(box, ['realm', 'check', '--format', 'json'], { cwd: box.root });
    expect(lost.exitCode).toBe(4);
    expect(lost.json<{ error: { code: string } }>().error.code).toBe('NOT_IN_REALM');
    const since = await runBlue(box, ['realm', 'check', '--format', 'json', '--since', 'no-such-ref'], { cwd: s.aperture.dir });
    expect(since.exitCode).toBe(3);
    expect(since.json<{ error: { code: string; hint: string } }>().error).toMatchObject({ code: 'VALUE_INVALID', hint: expect.stringContaining('realm revision') as unknown });
    const domain = await runBlue(box, ['realm', 'check', '--json', '--domain', 'nobody'], { cwd: s.aperture.dir });
    expect(domain.json<{ error: { code: string } }>().error.code).toBe('UNKNOWN_DOMAIN');
  }, 60_000);
});
