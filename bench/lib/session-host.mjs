// A child process hosting live sessions (or raw echo sockets) for the IPC benchmarks, driven by
// its parent over the fork() channel. It records when each message arrives with
// process.hrtime.bigint() (the system's monotonic clock, the same in every process on the
// machine), so the parent can compute delivery latency from its own start time.
// It closes everything and exits when told to, or when its parent goes away.
import { createServer } from 'node:net';
import { join } from 'node:path';
import process from 'node:process';
import { setImmediate } from 'node:timers';
import { loadPackage } from './paths.mjs';

const ipc = await loadPackage('ipc');
const sessions = [];
const servers = [];
/** Arrivals since the last `collect`: {key, round, t} with t in ns as a string. */
let arrivals = [];

const now = () => process.hrtime.bigint().toString();

function startEcho(path, key) {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => {
      let buffered = '';
      socket.setEncoding('utf8');
      socket.on('error', () => undefined);
      socket.on('data', (chunk) => {
        buffered += chunk;
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          arrivals.push({ key, round: line, t: now() });
          socket.write(`${line}\n`);
        }
      });
    });
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

/** Domain sessions with their realm watchers (bench/live.mjs), as blue-mcp runs them. */
const watching = [];

async function closeAll() {
  const watchers = watching.splice(0);
  await Promise.all(watchers.map(async (w) => {
    await w.watch?.close();
    await w.live.session.close();
  }));
  const open = sessions.splice(0);
  await Promise.all(open.map((s) => s.close()));
  const echo = servers.splice(0);
  await Promise.all(echo.map((s) => new Promise((resolve) => s.close(() => resolve()))));
}

const handlers = {
  /** Live sessions (as blue-mcp starts them) for `domains`, each watching `watch`. */
  async sessions({ realmDir, domains, watch }) {
    for (const domain of domains) {
      const session = await ipc.startSession({
        realmDir,
        domain,
        imports_watching: [watch],
        onMessage: (message) => {
          if (message.type === 'export-changed') arrivals.push({ key: domain, round: message.new_version, t: now() });
        },
      });
      sessions.push(session);
    }
    return { started: domains.length };
  },
  /**
   * `count` live sessions of the domain repo `cwd` as blue-mcp starts them (a session, then the
   * realm watcher of BLUE_WATCH_INTERVAL in `env`), on the "machine" `env` describes. Each
   * export-changed message is recorded under the version it announces.
   */
  async watchers({ cwd, env, count }) {
    const realm = await loadPackage('realm');
    for (let i = 0; i < count; i++) {
      const ctx = realm.createContext({ cwd, env });
      const live = await realm.startDomainSession(ctx, {
        onMessage: (message) => {
          if (message.type === 'export-changed') arrivals.push({ key: `${live?.session.record.id}`, round: message.new_version, t: now() });
        },
      });
      if (live === undefined) throw new Error(`${cwd} is not a domain of a realm`);
      watching.push({ live, watch: realm.startRealmWatch(ctx, live.realm, live.runtime_dir) });
    }
    return { started: count };
  },
  /** `count` raw Node echo servers in `dir`. */
  async echo({ dir, prefix, count }) {
    for (let i = 0; i < count; i++) servers.push(await startEcho(join(dir, `${prefix}-${i}.sock`), `${prefix}-${i}`));
    return { started: count };
  },
  /** Registers sessions for `domains` all at once; says when the last one was done, and how many failed. */
  async register({ realmDir, domains }) {
    const results = await Promise.allSettled(domains.map((domain) => ipc.startSession({ realmDir, domain })));
    const done = now();
    const errors = [];
    for (const r of results) {
      if (r.status === 'fulfilled') sessions.push(r.value);
      else errors.push(String(r.reason?.message ?? r.reason));
    }
    return { done, failed: errors.length, errors: errors.slice(0, 3) };
  },
  collect() {
    const out = arrivals;
    arrivals = [];
    return { arrivals: out };
  },
  async close() {
    await closeAll();
    return {};
  },
  async exit() {
    await closeAll();
    setImmediate(() => process.exit(0));
    return {};
  },
};

process.on('message', (message) => {
  const handler = handlers[message.cmd];
  Promise.resolve()
    .then(() => (handler ? handler(message) : Promise.reject(new Error(`unknown command ${message.cmd}`))))
    .then(
      (result) => process.send({ seq: message.seq, ok: true, ...result }),
      (error) => process.send({ seq: message.seq, ok: false, error: String(error?.stack ?? error) }),
    );
});
process.on('disconnect', () => {
  void closeAll().finally(() => process.exit(0));
});
process.send({ ready: true });
