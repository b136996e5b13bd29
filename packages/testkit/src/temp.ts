import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A fresh temp folder, removed when the current test finishes. Its path is short and has no
 * symlinks in it, so socket paths built under it stay well within 103 bytes.
 */
export async function tempDir(prefix = 'blue-'): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  onTestFinished(async () => {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  });
  return dir;
}

export interface Sandbox {
  /** The temp root everything else lives under. */
  root: string;
  /** BLUE_HOME, BLUE_RUNTIME_DIR, an isolated git config with a test identity, and no tokens. */
  env: Record<string, string>;
}

/** Environment variables a test must never inherit (tokens, other Blue settings). */
export const SCRUBBED_ENV = [
  'GH_TOKEN',
  'GITHUB_TOKEN',
  'GH_ENTERPRISE_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN',
  'GH_HOST',
  'BLUE_HOME',
  'BLUE_RUNTIME_DIR',
  'BLUE_GITHUB_API_URL',
  'GITHUB_API_URL',
  'XDG_RUNTIME_DIR',
  'FORCE_COLOR',
  // The CI runner that runs these tests must not turn every Blue process into "a CI run"
  // (shallow realm clones, sync failing on a failed notification): tests that mean CI set it.
  'CI',
  'GITHUB_ACTIONS',
  'GITHUB_EVENT_NAME',
  'GITHUB_EVENT_PATH',
  'GITHUB_HEAD_REF',
  'GITHUB_OUTPUT',
  'GITHUB_REPOSITORY',
  'GITHUB_SERVER_URL',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_WORKSPACE',
] as const;

/**
 * A temp root with an environment that isolates Blue and git from this machine: BLUE_HOME and
 * BLUE_RUNTIME_DIR inside it, a private global git config (identity, branch main, no signing,
 * no background gc), no system git config, no GitHub tokens and no sign of running on CI.
 */
export async function sandbox(): Promise<Sandbox> {
  return sandboxAt(await tempDir());
}

/**
 * The same environment as sandbox(), rooted at a folder the caller owns and removes (e.g. one
 * shared by the tests of a file, created in beforeAll and removed in afterAll).
 */
export async function sandboxAt(root: string): Promise<Sandbox> {
  const gitconfig = join(root, 'gitconfig');
  await writeFile(
    gitconfig,
    [
      '[user]',
      '\tname = Blue Test',
      '\temail = test@blue.example',
      '[init]',
      '\tdefaultBranch = main',
      '[commit]',
      '\tgpgSign = false',
      '[tag]',
      '\tgpgSign = false',
      '[gc]',
      '\tauto = 0',
      '[maintenance]',
      '\tauto = false',
      '[protocol "file"]',
      '\tallow = always',
      '',
    ].join('\n'),
  );
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !(SCRUBBED_ENV as readonly string[]).includes(key)) env[key] = value;
  }
  Object.assign(env, {
    BLUE_HOME: join(root, 'home'),
    BLUE_RUNTIME_DIR: join(root, 'run'),
    // Every realm read of the suite also reads without the cache and compares (store/cache-check.ts);
    // BLUE_TEST_VERIFY_CACHE=0 in the runner's environment turns that off (to time the suite without it).
    BLUE_TEST_VERIFY_CACHE: process.env.BLUE_TEST_VERIFY_CACHE === '0' ? '0' : '1',
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
  });
  return { root, env };
}
