// The Action's pieces that must agree with each other: the committed bundle with the sources,
// action.yml with the inputs the code reads, the docs' workflows with action.yml, and git with
// the environment the Action gives it.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { tempDir, verifies, WORKSPACE_ROOT } from '@blue/testkit';
import { actionGitEnv, authorizationHeader } from '../src/action/git-env.js';
import { ACTION_INPUTS, ACTION_OUTPUTS } from '../src/action/inputs.js';
import { MODES } from '../src/action/modes.js';

const run = promisify(execFile);

interface ActionYml {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

async function actionYml(): Promise<ActionYml> {
  return parse(await readFile(join(WORKSPACE_ROOT, 'action.yml'), 'utf8')) as ActionYml;
}

describe('the GitHub Action', () => {
  verifies('ci-action-bundle', 'the committed bundle is exactly what the sources build (rebuild: pnpm bundle:action)', async () => {
    const yml = await actionYml();
    expect(yml.runs).toEqual({ using: 'node20', main: 'action/dist/index.cjs' });
    const out = join(await tempDir(), 'index.cjs');
    await run(process.execPath, [join(WORKSPACE_ROOT, 'apps/cli/scripts/bundle-action.mjs'), '--out', out], { cwd: WORKSPACE_ROOT });
    const [fresh, committed] = await Promise.all([readFile(out, 'utf8'), readFile(join(WORKSPACE_ROOT, yml.runs.main), 'utf8')]);
    expect(fresh === committed, 'action/dist/index.cjs is out of date: run `pnpm bundle:action` and commit it').toBe(true);
  }, 60_000);

  verifies('ci-action-bundle', 'action.yml declares the inputs (with the same defaults) and outputs the code uses; every mode is described', async () => {
    const yml = await actionYml();
    expect(Object.keys(yml.inputs).sort()).toEqual(Object.keys(ACTION_INPUTS).sort());
    for (const [name, spec] of Object.entries(ACTION_INPUTS)) {
      // github-token defaults to the workflow's token, which only the runner can fill in.
      if (name !== 'github-token') expect(yml.inputs[name]?.default ?? '', name).toBe(spec.default);
    }
    expect(yml.inputs['github-token']?.default).toBe('${{ github.token }}');
    expect(Object.keys(yml.outputs).sort()).toEqual([...ACTION_OUTPUTS].sort());
    for (const mode of Object.keys(MODES)) expect(yml.inputs.mode?.description).toContain(mode);
  });

  verifies('ci-action-bundle', 'the workflows of docs/ci-github-actions.md parse and use only declared inputs, with valid option values', async () => {
    const yml = await actionYml();
    const doc = await readFile(join(WORKSPACE_ROOT, 'docs/ci-github-actions.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const workflows = blocks.flatMap((b) => parseAllDocuments(b).map((d) => d.toJS() as { on?: unknown; jobs?: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }> })).filter((w) => w.jobs !== undefined);
    expect(workflows.length).toBeGreaterThanOrEqual(2);
    const uses = workflows.flatMap((w) => Object.values(w.jobs ?? {}).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('blue-realms/blue@'))));
    // Every mode has a complete workflow in the docs.
    expect(new Set(uses.map((s) => s.with?.mode))).toEqual(new Set(Object.keys(MODES)));
    for (const step of uses) {
      for (const [name, value] of Object.entries(step.with ?? {})) {
        expect(Object.keys(yml.inputs), `input ${name}`).toContain(name);
        const options = (ACTION_INPUTS as Record<string, { options?: readonly string[] }>)[name]?.options ?? (name === 'mode' ? Object.keys(MODES) : undefined);
        if (options !== undefined) expect(options, `${name}: ${String(value)}`).toContain(String(value));
      }
    }
  });

  verifies('ci-action-publish', 'git sees the bot identity and the realm token as an http.extraheader from the environment alone: nothing in argv, URLs or config files', async () => {
    const dir = await tempDir();
    const token = 'realm-token-for-git-env';
    const env = actionGitEnv({ PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(dir, 'none'), GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.quotepath', GIT_CONFIG_VALUE_0: 'false' }, { identity: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' }, realmToken: token, serverUrl: 'https://ghe.example.com/' });
    const { stdout } = await run('git', ['config', '--list'], { cwd: dir, env });
    expect(stdout.split('\n')).toEqual(expect.arrayContaining([
      'core.quotepath=false',
      'user.name=github-actions[bot]',
      'user.email=41898282+github-actions[bot]@users.noreply.github.com',
      `http.https://ghe.example.com/.extraheader=${authorizationHeader(token)}`,
    ]));
    expect(Buffer.from(authorizationHeader(token).split(' ')[2] ?? '', 'base64').toString()).toBe(`x-access-token:${token}`);
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
  });
});
