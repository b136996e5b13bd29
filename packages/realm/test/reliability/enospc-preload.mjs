// Test-only: loaded into a `blue` process with NODE_OPTIONS=--import=<this file>, it makes the
// disk "full" for some files. Every fs/promises writeFile to a path containing
// BLUE_TEST_ENOSPC_PATH writes half of its data, then fails with ENOSPC, as a write to a full
// disk does. Blue's code is not changed: the fault sits at the write boundary, in the module
// Blue writes files with (named imports see the patched function through syncBuiltinESMExports).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import process from 'node:process';
import { URL } from 'node:url';

const match = process.env.BLUE_TEST_ENOSPC_PATH;
if (match) {
  const original = fs.promises.writeFile;
  fs.promises.writeFile = async function writeFile(path, data, options) {
    const name = String(path instanceof URL ? path.pathname : path);
    if (!name.includes(match)) return original.call(this, path, data, options);
    const half = typeof data === 'string' ? data.slice(0, Math.floor(data.length / 2)) : data;
    await original.call(this, path, half, options);
    const error = new Error(`ENOSPC: no space left on device, write '${name}'`);
    Object.assign(error, { code: 'ENOSPC', errno: -28, syscall: 'write', path: name });
    throw error;
  };
  syncBuiltinESMExports();
}
