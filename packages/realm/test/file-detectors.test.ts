// Exports read from files on every status: `--file` (with a JSON pointer), OpenAPI operations and
// environment variables, in a real repo.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect } from 'vitest';
import { parse } from 'yaml';
import { git, verifies } from '@blue/testkit';
import { detectExportValue, exportContract, realmStatus, syncRealm } from '@blue/realm';
import { commitFile, ctxIn, letemcook } from './helpers.js';

async function put(dir: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), text);
}

const PETS = `openapi: 3.0.3
info: { title: Pets, version: "1" }
paths:
  /pets:
    get: { responses: { "200": { description: ok } } }
    post: { responses: { "201": { description: created } } }
    parameters: []
  /pets/{id}:
    $ref: "./paths/pet.yaml"
components:
  schemas:
    Pet: { $ref: "./schemas/pet.yaml" }
`;
const PET_ITEM = 'get: { responses: { "200": { description: ok } } }\ndelete: { responses: { "204": { description: gone } } }\n';

describe('file-backed exports', () => {
  verifies('file-backed-exports', '--file records a file detector (with a JSON pointer): later edits of the file show as drift', async () => {
    const { box, aperture } = await letemcook({ join: true });
    await put(aperture.dir, 'config/service.yaml', 'name: trainer\nlimits:\n  max_jobs: 4\n  gpus: 2\n');
    const ctx = ctxIn(box, join(aperture.dir, 'config'));
    const declared = await exportContract(ctx, { name: 'limits', file: 'service.yaml', pointer: '/limits' });
    expect(declared).toMatchObject({ created: true, export: { name: 'limits', source: 'detect', value: { max_jobs: 4, gpus: 2 } } });
    const file = parse(await readFile(join(aperture.dir, '.blue/exports.yaml'), 'utf8')) as { exports: Array<Record<string, unknown>> };
    expect(file.exports.find((e) => e.name === 'limits')).toMatchObject({ detect: { kind: 'file', path: 'config/service.yaml', pointer: '/limits' } });
    expect(file.exports.find((e) => e.name === 'limits')?.value).toBeUndefined();

    await git(box, aperture.dir, ['add', '--all']);
    await git(box, aperture.dir, ['commit', '-qm', 'limits']);
    await syncRealm(ctxIn(box, aperture.dir));
    expect((await realmStatus(ctxIn(box, aperture.dir))).exports.find((e) => e.name === 'limits')?.state).toBe('in-sync');
    await put(aperture.dir, 'config/service.yaml', 'name: trainer\nlimits:\n  max_jobs: 8\n  gpus: 2\n');
    const drift = (await realmStatus(ctxIn(box, aperture.dir))).exports.find((e) => e.name === 'limits');
    expect(drift).toMatchObject({ state: 'changed', lines: ['~ max_jobs: 4 → 8'] });
  });

  verifies('file-backed-exports', 'a pointer that names nothing, a pointer without --file and a file outside the repo are refused, writing nothing', async () => {
    const { box, aperture } = await letemcook({ join: true });
    await put(aperture.dir, 'service.json', '{"limits": {"max_jobs": 4}}');
    const before = await readFile(join(aperture.dir, '.blue/exports.yaml'), 'utf8');
    const ctx = ctxIn(box, aperture.dir);
    await expect(exportContract(ctx, { name: 'limits', file: 'service.json', pointer: '/nope' })).rejects.toMatchObject({ code: 'VALUE_INVALID', message: 'service.json has nothing at the JSON pointer "/nope".' });
    await expect(exportContract(ctx, { name: 'limits', value: '1', pointer: '/limits' })).rejects.toMatchObject({ code: 'VALUE_INVALID' });
    await expect(exportContract(ctx, { name: 'limits', file: '../realm-letemcook/realm.yaml' })).rejects.toMatchObject({ code: 'PATH_INVALID' });
    await expect(exportContract(ctx, { name: 'limits', file: 'absent.yaml' })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    // A FIFO would block a reader forever: only regular files are read.
    execFileSync('mkfifo', [join(aperture.dir, 'pipe.yaml')]);
    await expect(exportContract(ctx, { name: 'limits', file: 'pipe.yaml' })).rejects.toMatchObject({ code: 'VALUE_INVALID', message: 'The file detector reads pipe.yaml, which is not a regular file.' });
    expect(await readFile(join(aperture.dir, '.blue/exports.yaml'), 'utf8')).toBe(before);
  });
});

describe('openapi and env-vars detectors', () => {
  verifies('openapi-env-detectors', 'openapi: METHOD /path operations, path items behind a repo $ref; removing one is a breaking change', async () => {
    const { box, aperture } = await letemcook({ join: true });
    await put(aperture.dir, 'api/openapi.yaml', PETS);
    await put(aperture.dir, 'api/paths/pet.yaml', PET_ITEM);
    await put(aperture.dir, 'api/schemas/pet.yaml', 'type: object\n');
    const ctx = ctxIn(box, aperture.dir);
    expect((await detectExportValue(ctx, aperture.dir, { kind: 'openapi', path: 'api/openapi.yaml' })).value).toEqual({ operations: ['DELETE /pets/{id}', 'GET /pets', 'GET /pets/{id}', 'POST /pets'] });

    const exportsFile = join(aperture.dir, '.blue/exports.yaml');
    const declared = parse(await readFile(exportsFile, 'utf8')) as { exports: unknown[] };
    declared.exports.push({ name: 'pets-api', detect: { kind: 'openapi', path: 'api/openapi.yaml' } });
    await writeFile(exportsFile, JSON.stringify(declared));
    await git(box, aperture.dir, ['add', '--all']);
    await git(box, aperture.dir, ['commit', '-qm', 'api']);
    await syncRealm(ctx);
    await commitFile(box, aperture.dir, 'api/paths/pet.yaml', 'get: { responses: { "200": { description: ok } } }\n');
    const removed = await syncRealm(ctx, { dryRun: true });
    expect(removed.exports.find((e) => e.name === 'pets-api')).toMatchObject({ status: 'updated', bump: 'major', breaking: true, changes: ['- DELETE /pets/{id} (operations)'] });
  });

  verifies('openapi-env-detectors', 'openapi: not a document, a $ref to the network or outside the repo are OPENAPI_INVALID naming the file', async () => {
    const { box, aperture } = await letemcook();
    const ctx = ctxIn(box, aperture.dir);
    const detect = (path: string) => detectExportValue(ctx, aperture.dir, { kind: 'openapi', path });
    await put(aperture.dir, 'swagger.yaml', 'swagger: "2.0"\npaths: {}\n');
    await expect(detect('swagger.yaml')).rejects.toMatchObject({ code: 'OPENAPI_INVALID', file: 'swagger.yaml', message: expect.stringContaining('no "openapi: 3.x" field') as unknown });
    await put(aperture.dir, 'remote.yaml', 'openapi: 3.1.0\npaths:\n  /a: { get: { $ref: "https://example.com/op.yaml" } }\n');
    await expect(detect('remote.yaml')).rejects.toMatchObject({ code: 'OPENAPI_INVALID', message: expect.stringContaining('points to the network') as unknown });
    await put(aperture.dir, 'outside.yaml', 'openapi: 3.1.0\npaths:\n  /a:\n    $ref: "../../elsewhere/a.yaml"\n');
    await expect(detect('outside.yaml')).rejects.toMatchObject({ code: 'OPENAPI_INVALID', message: expect.stringContaining('points outside the repository') as unknown });
    await put(aperture.dir, 'list.json', '[1, 2]');
    await expect(detect('list.json')).rejects.toMatchObject({ code: 'OPENAPI_INVALID', file: 'list.json' });
  });

  verifies('openapi-env-detectors', 'env-vars: names read by tracked code in Node, Python and Ruby; comments, docs and untracked files do not count', async () => {
    const { box, aperture } = await letemcook();
    await put(aperture.dir, 'web/server.ts', 'const port = process.env.PORT ?? 3000;\nconst key = process.env["API_KEY"];\n// process.env.COMMENTED\n');
    await put(aperture.dir, 'jobs/settings.py', 'import os\nBUCKET = os.environ["TRAINING_BUCKET"]\nREGION = os.getenv("AWS_REGION", "eu-west-1")\nDEBUG = os.environ.get("DEBUG")\n# os.getenv("NOT_THIS")\n');
    await put(aperture.dir, 'config/puma.rb', 'workers ENV["WEB_CONCURRENCY"].to_i\n');
    await put(aperture.dir, 'README.md', 'Set process.env.DOCUMENTED first.\n');
    await git(box, aperture.dir, ['add', '--all']);
    await git(box, aperture.dir, ['commit', '-qm', 'env']);
    await put(aperture.dir, 'scratch.py', 'import os\nos.getenv("UNTRACKED")\n');
    const detected = await detectExportValue(ctxIn(box, aperture.dir), aperture.dir, { kind: 'env-vars' });
    expect(detected.value).toEqual({ variables: ['API_KEY', 'AWS_REGION', 'DEBUG', 'PORT', 'TRAINING_BUCKET', 'WEB_CONCURRENCY'] });
  });
});
