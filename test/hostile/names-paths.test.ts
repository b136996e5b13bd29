// Hostile names and paths, one test per case: through the real CLI (most), the MCP server (NUL,
// which no command line can carry, and a representative few), and hostile realm content (symlinks
// leading outside, bindings escaping the repo, a realm file naming a local path).
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { git, gitRepo, letemcookScenario, runBlue, sandbox, spawnMcp, verifies } from '@blue/testkit';
import { changes, EXIT, expectRefused, expectToolRefused, sharedScenario, snapshot } from './helpers.js';

const CYRILLIC_E = 'l\u0435temcook'; // "lеtemcook": Cyrillic е (U+0435) for e
const CYRILLIC_O = 'required-s3-permissi\u043ens'; // Cyrillic о (U+043E) for o
const FULLWIDTH = '\uff41perture'; // "ａperture": fullwidth a

interface CliCase {
  name: string;
  /** Which repo of the scenario runs the command (default: the scenario's root folder). */
  cwd?: 'aperture' | 'fungal' | 'realm';
  args: string[];
  code: string;
  exit: number;
}

const NAME_CASES: CliCase[] = [
  { name: 'a realm name with ".."', args: ['realm', 'init', '--name', '../evil'], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'a realm name with "/"', args: ['realm', 'init', '--name', 'evil/../../x'], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'an absolute path as realm name', args: ['realm', 'init', '--name', '/tmp/evil'], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'a 65-character realm name', args: ['realm', 'init', '--name', 'a'.repeat(65)], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'a 100000-character realm name', args: ['realm', 'init', '--name', 'a'.repeat(100_000)], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'a realm name with a Cyrillic look-alike letter', args: ['realm', 'init', '--name', CYRILLIC_E], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'a domain name with ".." (join --as)', cwd: 'aperture', args: ['realm', 'join', '../realm-letemcook', '--as', '../../evil'], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'a domain name with a fullwidth look-alike letter (join --as)', cwd: 'aperture', args: ['realm', 'join', '../realm-letemcook', '--as', FULLWIDTH], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'an export name with a Cyrillic look-alike letter', cwd: 'aperture', args: ['realm', 'export', '--name', CYRILLIC_O, '--value', '{"read": []}'], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'an export name "..", with --value', cwd: 'aperture', args: ['realm', 'export', '--name', '..', '--value', '[]'], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'an import from a domain named with "/"', cwd: 'fungal', args: ['realm', 'import', '--contract', 'required-s3-permissions', '--from', '../aperture', '--binding', 'app.py'], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'an import of a look-alike contract name', cwd: 'fungal', args: ['realm', 'import', '--contract', CYRILLIC_O, '--from', 'aperture', '--binding', 'app.py'], code: 'NAME_INVALID', exit: EXIT.input },
  { name: 'an import binding with ".."', cwd: 'fungal', args: ['realm', 'import', '--contract', 'required-s3-permissions', '--from', 'aperture', '--binding', '../aperture/README.md'], code: 'PATH_INVALID', exit: EXIT.input },
  { name: 'an absolute import binding', cwd: 'fungal', args: ['realm', 'import', '--contract', 'required-s3-permissions', '--from', 'aperture', '--binding', '/etc/passwd'], code: 'PATH_INVALID', exit: EXIT.input },
  { name: 'an export value file outside the repo', cwd: 'aperture', args: ['realm', 'export', '--name', 'outside', '--file', '../realm-letemcook/realm.yaml'], code: 'PATH_INVALID', exit: EXIT.input },
  { name: 'an export value nested 10000 levels deep', cwd: 'aperture', args: ['realm', 'export', '--name', 'deep', '--value', `${'['.repeat(10_000)}${']'.repeat(10_000)}`], code: 'VALUE_INVALID', exit: EXIT.input },
];

/** The imports.yaml of fungal in the realm, with its binding replaced; returns a restore function. */
async function plantBinding(realm: string, binding: string): Promise<() => Promise<void>> {
  const file = join(realm, 'domains', 'fungal-image-analysis', 'imports.yaml');
  const original = await readFile(file, 'utf8');
  const doc = parse(original) as { imports: Array<{ binding: string }> };
  for (const entry of doc.imports) entry.binding = binding;
  await writeFile(file, stringify(doc));
  return () => writeFile(file, original);
}

interface StatusImports {
  imports: Array<{ contract: string; status: string; reasons: string[] }>;
}

describe('hostile names and paths', () => {
  const shared = sharedScenario();

  for (const c of NAME_CASES) {
    verifies(['hostile-input-refused', 'names-validated'], `${c.name}: refused with ${c.code} (exit ${c.exit}), nothing written`, async () => {
      const { box, s } = shared();
      const cwd = c.cwd === undefined ? s.root : c.cwd === 'realm' ? s.realm : c.cwd === 'aperture' ? s.aperture.dir : s.fungal.dir;
      const before = await snapshot(box);
      const error = expectRefused(await runBlue(box, [...c.args, '--json'], { cwd }), c.code, c.exit);
      expect(error.hint ?? '').not.toBe('');
      expect(changes(before, await snapshot(box))).toEqual([]);
    });
  }

  verifies('hostile-input-refused', 'an import binding that is a symlink leading outside the repo: PATH_INVALID, nothing written', async () => {
    const { box, s } = shared();
    const outside = join(box.root, 'outside.py');
    await writeFile(outside, 'training-metrics/*\n');
    const link = join(s.fungal.dir, 'cdk', 'outside-link.py');
    await symlink(outside, link);
    try {
      const before = await snapshot(box);
      const run = await runBlue(box, ['realm', 'import', '--contract', 'required-s3-permissions', '--from', 'aperture', '--binding', 'cdk/outside-link.py', '--json'], { cwd: s.fungal.dir });
      expect(expectRefused(run, 'PATH_INVALID', EXIT.input).message).toContain('cdk/outside-link.py');
      expect(changes(before, await snapshot(box))).toEqual([]);
    } finally {
      await rm(link);
      await rm(outside);
    }
  });

  verifies('hostile-input-refused', 'MCP: names with NUL, "..", a look-alike letter, and a binding escaping the repo are isError with their code, nothing written', async () => {
    const { box, s } = shared();
    const { client } = await spawnMcp(box);
    const before = await snapshot(box);
    const calls: Array<[string, Record<string, unknown>, string]> = [
      ['blue_realm_init', { name: 'evil\0name', cwd: s.root }, 'NAME_INVALID'],
      ['blue_realm_init', { name: '../evil', cwd: s.root }, 'NAME_INVALID'],
      ['blue_realm_export', { name: `required\0-s3`, value: '[]', cwd: s.aperture.dir }, 'NAME_INVALID'],
      ['blue_realm_export', { name: CYRILLIC_O, value: '[]', cwd: s.aperture.dir }, 'NAME_INVALID'],
      ['blue_realm_join', { realm_path: '../realm-letemcook', as: 'evil\0', cwd: s.aperture.dir }, 'NAME_INVALID'],
      ['blue_realm_import', { contract: 'required-s3-permissions', from: 'aperture', binding: 'cdk/\0x.py', cwd: s.fungal.dir }, 'PATH_INVALID'],
      ['blue_realm_import', { contract: 'required-s3-permissions', from: 'aperture', binding: '../../../etc/passwd', cwd: s.fungal.dir }, 'PATH_INVALID'],
    ];
    for (const [name, args, code] of calls) {
      expectToolRefused(await client.callTool({ name, arguments: args }), code, `${name} ${JSON.stringify(args)}`);
    }
    expect(changes(before, await snapshot(box))).toEqual([]);
  });

  verifies('hostile-input-refused', 'a realm file that is a symlink leading outside the realm: status PATH_INVALID, check reports it, the outside file is never read', async () => {
    const { box, s } = shared();
    const target = join(s.realm, 'domains', 'aperture', 'exports.yaml');
    const original = await readFile(target);
    // Valid realm content outside: were it read, status would succeed with it.
    const outside = join(box.root, 'outside-exports.yaml');
    await writeFile(outside, original);
    await rm(target);
    await symlink(outside, target);
    try {
      const before = await snapshot(box);
      const [status, check] = await Promise.all([runBlue(box, ['status', '--json'], { cwd: s.fungal.dir }), runBlue(box, ['realm', 'check', '--json'], { cwd: s.realm })]);
      expect(expectRefused(status, 'PATH_INVALID', EXIT.input).message).toMatch(/domains\/aperture\/exports\.yaml leads outside/);
      expect(check.exitCode).toBe(EXIT.input);
      expect(check.json<{ findings: unknown[] }>().findings).toContainEqual(expect.objectContaining({ rule: 'file-invalid', file: 'domains/aperture/exports.yaml', message: expect.stringContaining('leads outside') as unknown }));
      expect(changes(before, await snapshot(box))).toEqual([]);
    } finally {
      await rm(target);
      await writeFile(target, original);
      await rm(outside);
    }
  });

  verifies('hostile-input-refused', 'a domain folder in the realm that is a symlink to a folder outside: status PATH_INVALID, nothing changes', async () => {
    const { box, s } = shared();
    const outside = join(box.root, 'outside-domain');
    await mkdir(outside);
    await writeFile(join(outside, 'domain.yaml'), await readFile(join(s.realm, 'domains', 'aperture', 'domain.yaml')));
    const link = join(s.realm, 'domains', 'evil');
    await symlink(outside, link);
    try {
      const before = await snapshot(box);
      const status = await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir });
      expect(expectRefused(status, 'PATH_INVALID', EXIT.input).message).toContain('domains/evil/domain.yaml leads outside');
      expect(changes(before, await snapshot(box))).toEqual([]);
    } finally {
      await rm(link);
      await rm(outside, { recursive: true });
    }
  });

  for (const [what, binding] of [
    ['climbing out with ".."', '../../outside.py'],
    ['absolute', '/etc/passwd'],
  ] as const) {
    verifies('hostile-input-refused', `a realm import whose binding path is ${what}: status reports the import broken with the reason, nothing changes`, async () => {
      const { box, s } = shared();
      const restore = await plantBinding(s.realm, binding);
      try {
        const before = await snapshot(box);
        const status = await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir });
        expect(status.exitCode, status.stdout + status.stderr).toBe(0);
        const [entry] = status.json<StatusImports>().imports;
        expect(entry?.status).toBe('broken');
        expect(entry?.reasons).toEqual([`the binding path ${JSON.stringify(binding)} leads outside the repository, so Blue does not read it`]);
        expect((await runBlue(box, ['status', '--strict'], { cwd: s.fungal.dir })).exitCode).toBe(1);
        expect(changes(before, await snapshot(box))).toEqual([]);
      } finally {
        await restore();
      }
    });
  }

  verifies('hostile-input-refused', 'a realm import whose binding is a symlink in the repo leading outside: broken with the reason', async () => {
    const { box, s } = shared();
    const outside = join(box.root, 'outside-stack.py');
    await writeFile(outside, await readFile(join(s.fungal.dir, 'cdk', 'training_tools_access_stack.py')));
    const link = join(s.fungal.dir, 'cdk', 'linked_stack.py');
    await symlink(outside, link);
    const restore = await plantBinding(s.realm, 'cdk/linked_stack.py');
    try {
      const status = await runBlue(box, ['status', '--json'], { cwd: s.fungal.dir });
      expect(status.exitCode, status.stderr).toBe(0);
      const [entry] = status.json<StatusImports>().imports;
      expect(entry?.status).toBe('broken');
      expect(entry?.reasons[0]).toContain('leads outside the repository');
    } finally {
      await restore();
      await rm(link);
      await rm(outside);
    }
  });

  verifies('hostile-input-refused', 'a realm domain.yaml naming a local repo_path is ignored: worktree acts only in the folders of the user\'s index', async () => {
    // Its own sandbox: the worktree run succeeds and changes the realm.
    const box = await sandbox();
    const s = await letemcookScenario(box);
    const victim = await gitRepo(box, { 'README.md': 'not registered with Blue\n' }, { name: 'victim' });
    const file = join(s.realm, 'domains', 'fungal-image-analysis', 'domain.yaml');
    // Committed, as it would arrive from another organisation's push.
    await writeFile(file, `${await readFile(file, 'utf8')}repo_path: ${victim}\n`);
    await git(box, s.realm, ['commit', '--quiet', '-am', 'hostile: repo_path']);
    const victimRefs = await git(box, victim, ['for-each-ref', '--format=%(refname) %(objectname)']);
    const run = await runBlue(box, ['realm', 'worktree', '--rfc', 'repo-path-attack', '--json'], { cwd: s.aperture.dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const { worktrees } = run.json<{ worktrees: Array<{ domain: string; path: string; status: string }> }>();
    expect(worktrees.map((w) => [w.domain, w.status])).toEqual([['aperture', 'ok'], ['fungal-image-analysis', 'ok']]);
    expect(worktrees.map((w) => w.path)).toEqual([join(s.aperture.dir, '.worktrees', 'feat-repo-path-attack'), join(s.fungal.dir, '.worktrees', 'feat-repo-path-attack')]);
    expect(await git(box, victim, ['for-each-ref', '--format=%(refname) %(objectname)'])).toBe(victimRefs);
    expect(await git(box, victim, ['worktree', 'list', '--porcelain'])).not.toContain('.worktrees');
    expect(await git(box, victim, ['status', '--porcelain', '--ignored'])).toBe('');
    expect(await readFile(join(victim, '.git', 'info', 'exclude'), 'utf8')).not.toContain('.worktrees');
  });
});
