#!/usr/bin/env node
// The `check-scale` baseline: a plain Node script that reads every YAML file of the realm at
// argv[2] (realm.yaml and each domain's files) and parses it with the same `yaml` package Blue
// uses, nothing validated: the floor of any check that reads the whole realm. Prints the count.
import { createRequire } from 'node:module';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../packages/core/package.json', import.meta.url)));
const { parse } = require('yaml');
const realm = process.argv[2];
const files = [join(realm, 'realm.yaml')];
for (const d of await readdir(join(realm, 'domains'), { withFileTypes: true })) {
  if (!d.isDirectory()) continue;
  for (const f of await readdir(join(realm, 'domains', d.name))) if (f.endsWith('.yaml')) files.push(join(realm, 'domains', d.name, f));
}
let parsed = 0;
// Sixteen at a time, as Blue's file pool.
for (let i = 0; i < files.length; i += 16) {
  await Promise.all(files.slice(i, i + 16).map(async (f) => {
    parse(await readFile(f, 'utf8'));
    parsed++;
  }));
}
process.stdout.write(`${parsed}\n`);
