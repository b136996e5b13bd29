import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { ParsedFileMemo, parsedUserFiles, readYamlFile, readYamlFileNoFollow } from '@blue/core';

const DOMAIN = 'name: alpha\nmaintainers:\n  - a@example.com\njoined_at: 2026-01-01T00:00:00Z\n';

describe('readYamlFileNoFollow and its memo', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blue-parsed-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives what readYamlFile gives; a hit is a copy the caller may change; an in-place rewrite of the same size is seen', async () => {
    const file = join(dir, 'domain.yaml');
    await writeFile(file, DOMAIN);
    const memo = new ParsedFileMemo(0);
    const first = await readYamlFileNoFollow('domain', file, 'domain.yaml', memo);
    expect(first).toEqual(await readYamlFile('domain', file));
    expect(memo.size).toBe(1);
    first.maintainers.push('mallory@example.com');
    expect((await readYamlFileNoFollow('domain', file, 'domain.yaml', memo)).maintainers).toEqual(['a@example.com']);
    // Same length, same inode (written in place), later than the clock's granularity: a miss.
    await sleep(20);
    await writeFile(file, DOMAIN.replace('alpha', 'gamma'));
    expect((await readYamlFileNoFollow('domain', file, 'domain.yaml', memo)).name).toBe('gamma');
  });

  it('does not remember a file changed within its racy window', async () => {
    const file = join(dir, 'fresh.yaml');
    await writeFile(file, DOMAIN);
    const memo = new ParsedFileMemo();
    await readYamlFileNoFollow('domain', file, 'fresh.yaml', memo);
    expect(memo.size).toBe(0);
  });

  it('refuses to follow a symlink (ELOOP: the caller takes the checked way) and does not read a FIFO', async () => {
    const outside = join(dir, 'outside.yaml');
    await writeFile(outside, DOMAIN);
    await symlink(outside, join(dir, 'link.yaml'));
    await expect(readYamlFileNoFollow('domain', join(dir, 'link.yaml'), 'link.yaml', new ParsedFileMemo(0))).rejects.toMatchObject({ code: 'ELOOP' });
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    await expect(readYamlFileNoFollow('domain', join(dir, 'fifo.yaml'), 'fifo.yaml', new ParsedFileMemo(0))).rejects.toMatchObject({ code: 'FILE_NOT_REGULAR' });
  });

  it('an invalid file throws as readYamlFile does, and is not remembered', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'name: alpha\nmaintainers: 3\n');
    const memo = new ParsedFileMemo(0);
    const direct = await readYamlFile('domain', file, { label: 'bad.yaml' }).catch((err: unknown) => err);
    await expect(readYamlFileNoFollow('domain', file, 'bad.yaml', memo)).rejects.toMatchObject({ code: (direct as { code: string }).code, message: (direct as Error).message });
    expect(memo.size).toBe(0);
  });
});

describe("readYamlFile's memo of the user's files (by content)", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'blue-parsed-text-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const CONFIG = 'realm:\n  name: alpha\n  domain: one\n  path: ../realm\n';

  it('parses an unchanged file once, hands out copies, and sees any change of content at once, whatever the timestamps say', async () => {
    const file = join(dir, 'config.yaml');
    await writeFile(file, CONFIG);
    parsedUserFiles.clear();
    const first = await readYamlFile('config', file);
    first.realm.domain = 'changed by the caller';
    const second = await readYamlFile('config', file);
    expect(second.realm.domain).toBe('one');
    // Rewritten at once, same size: a content memo cannot be fooled by the clock's granularity.
    await writeFile(file, CONFIG.replace('one', 'two'));
    expect((await readYamlFile('config', file)).realm.domain).toBe('two');
    // An invalid text is refused every time, never answered from the memo.
    await writeFile(file, 'realm: 3\n');
    await expect(readYamlFile('config', file)).rejects.toMatchObject({ code: 'SCHEMA_INVALID' });
    await expect(readYamlFile('config', file)).rejects.toMatchObject({ code: 'SCHEMA_INVALID' });
  });

  it('keeps only the kinds a command reads several times', async () => {
    const file = join(dir, 'domain.yaml');
    await writeFile(file, DOMAIN);
    parsedUserFiles.clear();
    await readYamlFile('domain', file);
    expect(parsedUserFiles.get('domain', file, DOMAIN)).toBeUndefined();
    const config = join(dir, 'kept.yaml');
    await writeFile(config, CONFIG);
    await readYamlFile('config', config);
    expect(parsedUserFiles.get('config', config, CONFIG)).toEqual(await readYamlFile('config', config));
    expect(parsedUserFiles.get('config', config, `${CONFIG}\n`)).toBeUndefined();
  });
});
