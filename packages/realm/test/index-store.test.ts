import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sandbox } from '@blue/testkit';
import { createContext } from '../src/context.js';
import { readIndex, updateIndex } from '../src/store/index-store.js';

describe("the user's index ($BLUE_HOME/index.yaml)", () => {
  it("writes each realm's clone as local_path (the RFC's field), reads index files that still say path, and rewrites them on the next change", async () => {
    const box = await sandbox();
    const home = box.env.BLUE_HOME ?? '';
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'index.yaml'), 'realms:\n  - name: old\n    path: /srv/realms/old\n    domains: [{ name: app, path: /srv/app }]\n  - name: broken\n');
    const ctx = createContext({ cwd: box.root, env: box.env });
    expect(await readIndex(ctx)).toEqual({ realms: [{ name: 'old', path: '/srv/realms/old', domains: [{ name: 'app', path: '/srv/app' }] }] });

    await updateIndex(ctx, 'test', (index) => ({ realms: [...index.realms, { name: 'new', url: 'https://example.com/new.git', path: '/home/me/.blue/realms/new' }] }));
    const written = parse(await readFile(join(home, 'index.yaml'), 'utf8')) as unknown;
    expect(written).toEqual({
      realms: [
        { name: 'old', local_path: '/srv/realms/old', domains: [{ name: 'app', path: '/srv/app' }] },
        { name: 'new', url: 'https://example.com/new.git', local_path: '/home/me/.blue/realms/new' },
      ],
    });
    expect((await readIndex(ctx)).realms.map((r) => r.path)).toEqual(['/srv/realms/old', '/home/me/.blue/realms/new']);
  });
});
