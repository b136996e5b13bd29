// The parent side of lib/session-host.mjs: a few child processes hosting sessions or echo
// sockets, each driven by request/response messages over its fork() channel.
import { fork } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';

const HOST = fileURLToPath(new URL('./session-host.mjs', import.meta.url));

class Host {
  constructor(ws, index) {
    this.index = index;
    this.seq = 0;
    this.pending = new Map();
    this.child = ws.track(fork(HOST, [], { env: ws.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    this.ready = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('exit', (code, signal) => {
        const error = new Error(`session host ${index} exited (${code ?? signal})`);
        reject(error);
        for (const { reject: fail } of this.pending.values()) fail(error);
        this.pending.clear();
      });
      this.child.on('message', (message) => {
        if (message.ready) return resolve();
        const waiting = this.pending.get(message.seq);
        if (waiting === undefined) return;
        this.pending.delete(message.seq);
        if (message.ok) waiting.resolve(message);
        else waiting.reject(new Error(`session host ${index}: ${message.error}`));
      });
    });
  }

  /** Sends `cmd` with `payload`; resolves with the host's answer. */
  send(cmd, payload = {}) {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.child.send({ ...payload, cmd, seq });
    });
  }

  async exit() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.send('exit').catch(() => undefined);
    await exited;
  }
}

/** Starts `count` session hosts and waits until each has loaded @blue/ipc. Registered for cleanup. */
export async function startHosts(ws, count) {
  const hosts = Array.from({ length: count }, (_, i) => new Host(ws, i));
  ws.onCleanup(() => stopHosts(hosts));
  await Promise.all(hosts.map((h) => h.ready));
  return hosts;
}

export async function stopHosts(hosts) {
  await Promise.all(hosts.map((h) => h.exit()));
}

/** Splits `items` round-robin over `n` lists. */
export function spread(items, n) {
  const lists = Array.from({ length: n }, () => []);
  items.forEach((item, i) => lists[i % n].push(item));
  return lists;
}
