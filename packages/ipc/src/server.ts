import { lstat, stat, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { BlueError, hasErrno } from '@blue/core';
import { probeSocket } from './client.js';
import { LineSplitter } from './lines.js';
import { errorText, report, type IpcLog } from './log.js';
import { encodeMessage, isRequest, MAX_LINE_BYTES, parseMessage, PROTOCOL_VERSION, type IpcReply, type IpcRequest } from './protocol.js';
import { assertSocketPathFits } from './runtime-dir.js';

/** Called for every valid request. Its errors (thrown or rejected) are logged, never fatal. */
export type MessageHandler = (message: IpcRequest) => void | Promise<void>;

export interface SessionServerOptions {
  socketPath: string;
  onMessage?: MessageHandler;
  log?: IpcLog;
  /** Longest accepted line in bytes (default `MAX_LINE_BYTES`, 64 KiB). */
  maxLineBytes?: number;
  /** A connection that sends nothing for this long is closed (default 60 s). */
  idleTimeoutMs?: number;
}

export interface SessionServer {
  readonly socketPath: string;
  /** Stops listening, closes open connections and removes the socket file (if it is still ours). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Replies queued for a peer that does not read them are capped; past this the peer is dropped. */
const MAX_PENDING_REPLY_BYTES = 1024 * 1024;

/**
 * Removes a socket file left by a crashed session, after proving it is dead (connect is refused).
 * Refuses anything that is not a socket, and a socket some process still listens on.
 */
async function clearStaleSocket(socketPath: string, log: IpcLog | undefined): Promise<void> {
  let stats;
  try {
    stats = await lstat(socketPath);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return;
    throw err;
  }
  if (!stats.isSocket()) {
    throw new BlueError('SOCKET_DIR_UNSAFE', `${socketPath} exists and is not a socket; Blue will not replace it.`, {
      hint: 'Remove the file if you know what it is, or set BLUE_RUNTIME_DIR to another folder.',
    });
  }
  const state = await probeSocket(socketPath);
  // A live socket under this name means the session id is already in use: a bug in the caller.
  if (state === 'live') throw new Error(`Another process is listening on ${socketPath}; session ids must be unique.`);
  if (state === 'refused') {
    await unlink(socketPath).catch((err: unknown) => {
      if (!hasErrno(err, 'ENOENT')) throw err;
    });
    report(log, 'debug', 'stale-socket-removed', `Removed the stale socket ${socketPath} (connection refused).`);
  }
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolveListen, rejectListen) => {
    const onError = (err: Error): void => rejectListen(err);
    server.once('error', onError);
    server.listen(socketPath, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
}

/**
 * Listens on `socketPath` for protocol lines. Replies `pong` to `ping` and `ack` to every other
 * valid request, then hands it to `onMessage`. A malformed, unknown or oversized line is dropped,
 * reported through `log` and answered with `error`; nothing a peer sends can stop the server.
 */
export async function startSessionServer(options: SessionServerOptions): Promise<SessionServer> {
  const { socketPath, log } = options;
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  assertSocketPathFits(socketPath);
  await clearStaleSocket(socketPath, log);

  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', (err) => report(log, 'debug', 'connection-error', `Connection error on ${socketPath}: ${errorText(err)}`));
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());

    const reply = (message: IpcReply): void => {
      if (socket.destroyed || !socket.writable) return;
      if (socket.writableLength > MAX_PENDING_REPLY_BYTES) {
        report(log, 'warn', 'peer-not-reading', `Closed a connection on ${socketPath}: the peer does not read its replies.`);
        socket.destroy();
        return;
      }
      socket.write(encodeMessage(message));
    };

    const drop = (reason: string, id?: string): void => {
      report(log, 'warn', 'message-dropped', `Dropped a message on ${socketPath}: ${reason}.`);
      reply(id === undefined ? { v: PROTOCOL_VERSION, type: 'error', reason } : { v: PROTOCOL_VERSION, type: 'error', id, reason });
    };

    const onLine = (line: string): void => {
      const parsed = parseMessage(line);
      if (!parsed.ok) return drop(parsed.reason, parsed.id);
      const message = parsed.message;
      if (!isRequest(message)) {
        report(log, 'warn', 'message-dropped', `Dropped a message on ${socketPath}: a "${message.type}" is a reply, not a request.`);
        return;
      }
      const base = message.id === undefined ? { v: PROTOCOL_VERSION } : { v: PROTOCOL_VERSION, id: message.id };
      reply(message.type === 'ping' ? { ...base, type: 'pong' } : { ...base, type: 'ack' });
      if (message.type === 'ping' || options.onMessage === undefined) return;
      try {
        const result = options.onMessage(message);
        if (result instanceof Promise) {
          result.catch((err: unknown) => report(log, 'warn', 'handler-failed', `The handler for a "${message.type}" message failed: ${errorText(err)}`));
        }
      } catch (err) {
        report(log, 'warn', 'handler-failed', `The handler for a "${message.type}" message failed: ${errorText(err)}`);
      }
    };

    const splitter = new LineSplitter(maxLineBytes, onLine, (bytes) => drop(`a line of more than ${maxLineBytes} bytes (${bytes} so far)`));
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
  });
  server.on('error', (err) => report(log, 'warn', 'server-error', `The session server on ${socketPath} failed: ${errorText(err)}`));

  try {
    await listen(server, socketPath);
  } catch (err) {
    if (hasErrno(err, 'EADDRINUSE')) throw new Error(`Another process took ${socketPath} while this session started; session ids must be unique.`, { cause: err });
    throw err;
  }
  const inode = (await stat(socketPath)).ino;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      for (const socket of connections) socket.destroy();
      await closed;
      // Remove the socket only when it is still the one this server created.
      try {
        if ((await stat(socketPath)).ino === inode) await unlink(socketPath);
      } catch (err) {
        if (!hasErrno(err, 'ENOENT')) throw err;
      }
    })();
    return closing;
  };
  return { socketPath, close, [Symbol.asyncDispose]: close };
}
