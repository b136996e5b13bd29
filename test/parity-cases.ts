import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { letemcookScenario, runBlue, type Sandbox } from '@blue/testkit';

/**
 * One input given to both faces: the CLI's argv and the MCP tool's arguments. Each face runs
 * under its own folder (`<root>/cli`, `<root>/mcp`) prepared by `setup`, which returns where to
 * run; results may differ only in that folder prefix. A read-only case runs both faces in one
 * folder (`<root>/both`): what one face did cannot change what the other sees.
 */
export interface ParityCase {
  /** The CLI command id, e.g. "realm init". */
  command: string;
  title: string;
  setup(box: Sandbox, folder: string): Promise<string>;
  cli: string[];
  tool: Record<string, unknown>;
  /** The command changes nothing (a read, a refusal, a dry run): both faces run in one fixture. */
  readOnly?: true;
}

async function emptyFolder(box: Sandbox, folder: string): Promise<string> {
  const dir = join(box.root, folder);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A joined letemcook scenario for this face; the command runs in `where` (a repo or the realm). */
function inScenario(where: 'aperture' | 'fungal' | 'realm', join = true): ParityCase['setup'] {
  return async (box, folder) => {
    const s = await letemcookScenario(box, { under: folder, join });
    return where === 'realm' ? s.realm : where === 'aperture' ? s.aperture.dir : s.fungal.dir;
  };
}

/** A joined scenario with the unified worktree feat/training-metrics-v2 started from aperture; runs in aperture's worktree. */
function inWorktree(): ParityCase['setup'] {
  return async (box, folder) => {
    const s = await letemcookScenario(box, { under: folder });
    const run = await runBlue(box, ['realm', 'worktree', '--rfc', 'training-metrics-v2'], { cwd: s.aperture.dir });
    if (run.exitCode !== 0) throw new Error(`worktree setup failed: ${run.stderr}`);
    return join(s.aperture.dir, '.worktrees', 'feat-training-metrics-v2');
  };
}

const IMPORT = ['--contract', 'required-s3-permissions', '--from', 'aperture', '--version', '>=1.0.0', '--binding', 'cdk/training_tools_access_stack.py'];

/** Every CLI command with a tool needs at least one case here; the parity test fails otherwise. */
export const PARITY_CASES: readonly ParityCase[] = [
  {
    command: 'realm init',
    title: 'creates a realm',
    setup: emptyFolder,
    cli: ['realm', 'init', '--name', 'letemcook', '--path', 'realm-letemcook'],
    tool: { name: 'letemcook', path: 'realm-letemcook' },
  },
  {
    command: 'realm init',
    title: 'refuses an invalid name',
    setup: emptyFolder,
    cli: ['realm', 'init', '--name', 'Letemcook'],
    tool: { name: 'Letemcook' },
  },
  { command: 'status', title: 'shows the state of aperture', readOnly: true, setup: inScenario('aperture'), cli: ['status'], tool: {} },
  { command: 'realm join', title: 'joins aperture', setup: inScenario('aperture', false), cli: ['realm', 'join', '../realm-letemcook', '--as', 'aperture'], tool: { realm_path: '../realm-letemcook', as: 'aperture' } },
  { command: 'realm leave', title: 'fungal leaves', setup: inScenario('fungal'), cli: ['realm', 'leave'], tool: {} },
  { command: 'realm leave', title: 'aperture is refused while imported', readOnly: true, setup: inScenario('aperture'), cli: ['realm', 'leave'], tool: {} },
  {
    command: 'realm export',
    title: 'declares a static export',
    setup: inScenario('aperture'),
    cli: ['realm', 'export', '--name', 'training-bucket', '--value', '{"bucket":"cultivarium-fungal"}'],
    tool: { name: 'training-bucket', value: { bucket: 'cultivarium-fungal' } },
  },
  {
    command: 'realm import',
    title: 'updates the import range',
    setup: inScenario('fungal'),
    cli: ['realm', 'import', ...IMPORT],
    tool: { contract: 'required-s3-permissions', from: 'aperture', version: '>=1.0.0', binding: 'cdk/training_tools_access_stack.py' },
  },
  { command: 'realm import', title: 'refuses an unknown domain', readOnly: true, setup: inScenario('fungal'), cli: ['realm', 'import', '--contract', 'x', '--from', 'nobody', '--binding', 'app.py'], tool: { contract: 'x', from: 'nobody', binding: 'app.py' } },
  { command: 'realm sync', title: 'dry run shows nothing to publish', readOnly: true, setup: inScenario('aperture'), cli: ['realm', 'sync', '--dry-run'], tool: { dry_run: true } },
  {
    command: 'realm approve',
    title: 'refuses when nothing awaits approval', readOnly: true,
    setup: inScenario('aperture'),
    cli: ['realm', 'approve', '--domain', 'aperture', '--export', 'required-s3-permissions'],
    tool: { domain: 'aperture', export: 'required-s3-permissions' },
  },
  { command: 'realm sessions', title: 'lists no sessions in a fresh scenario', setup: inScenario('aperture'), cli: ['realm', 'sessions'], tool: {} },
  { command: 'realm worktree', title: 'starts the worktree in aperture and fungal', setup: inScenario('aperture'), cli: ['realm', 'worktree', '--rfc', 'training-metrics-v2'], tool: { rfc: 'training-metrics-v2' } },
  { command: 'realm commit', title: 'nothing to commit anywhere', readOnly: true, setup: inWorktree(), cli: ['realm', 'commit', '-m', 'nothing yet'], tool: { message: 'nothing yet' } },
  { command: 'realm push', title: 'refuses outside a unified branch', readOnly: true, setup: inScenario('aperture'), cli: ['realm', 'push'], tool: {} },
  { command: 'realm pr', title: 'nothing to review yet: every repo skipped, no GitHub needed', setup: inWorktree(), cli: ['realm', 'pr'], tool: {} },
  { command: 'realm gate', title: 'a change without pull requests yet: nothing to set, no GitHub needed', setup: inWorktree(), cli: ['realm', 'gate'], tool: {} },
  { command: 'realm check', title: 'checks the realm', readOnly: true, setup: inScenario('realm'), cli: ['realm', 'check'], tool: {} },
  { command: 'realm graph', title: 'draws the graph in mermaid', readOnly: true, setup: inScenario('aperture'), cli: ['realm', 'graph', '--format', 'mermaid'], tool: { format: 'mermaid' } },
];

/** CLI commands that deliberately have no MCP tool (DESIGN.md's table). */
// People-only acts: trusting commands, changing who maintains a domain (governance); realm done has no tool yet (no MCP slot left).
export const CLI_ONLY: readonly string[] = ['mcp install', 'trust allow', 'trust list', 'trust revoke', 'realm maintainers add', 'realm maintainers remove', 'realm done'];
