import { createConnection, type Socket } from 'node:net';
import { hasErrno } from '@blue/core';
import { LineSplitter } from './lines.js';
import { encodeMessage, MAX_LINE_BYTES, parseMessage, toRequest, type IpcReply, type IpcRequest, type OutgoingRequest } from './protocol.js';

/** Default time for one delivery: connect, write, and read the reply. */
export const DEFAULT_TIMEOUT_MS = 1000;

export interface SendOptions {
  /** Give up after this long (default `DEFAULT_TIMEOUT_MS`). */
  timeoutMs?: number;
}

/**
 * Why a delivery failed, as an `Error` with a `code`: a Node system code (`ECONNREFUSED`: nobody
 * listens, the session died; `ENOENT`: no socket file) or one of ours: `IPC_TIMEOUT` (the peer did
 * not answer in time: hung or overloaded), `IPC_CLOSED` (it hung up before answering),
 * `IPC_REFUSED` (it answered `error`: it could not use the message).
 */
export type DeliveryErrorCode = 'IPC_TIMEOUT' | 'IPC_CLOSED' | 'IPC_REFUSED';

export function deliveryError(code: DeliveryErrorCode, message: string): Error & { code: DeliveryErrorCode } {
  return Object.assign(new Error(message), { code });
}

/** The request with its envelope, whether the caller gave one or not. */
function envelope(request: OutgoingRequest | IpcRequest): IpcRequest {
  return 'v' in request && request.id !== undefined ? request : toRequest(request);
}

/** The encoded line, refused here when no server would accept it. */
function encodeRequest(message: IpcRequest, socketPath: string): string {
  const line = encodeMessage(message);
  const bytes = Buffer.byteLength(line) - 1;
  if (bytes > MAX_LINE_BYTES) throw deliveryError('IPC_REFUSED', `The message for ${socketPath} is ${bytes} bytes; sessions accept at most ${MAX_LINE_BYTES}.`);
  return line;
}

/** The error an `error` reply stands for; undefined for `pong` and `ack`. */
function refusal(reply: IpcReply, socketPath: string): Error | undefined {
  return reply.type === 'error' ? deliveryError('IPC_REFUSED', `${socketPath} refused the message: ${reply.reason}`) : undefined;
}

/**
 * Sends one request on a fresh connection and waits for its reply (`pong` or `ack`); the
 * connection is closed afterwards. Rejects with the errors described at `DeliveryErrorCode`.
 */
export async function sendMessage(socketPath: string, request: OutgoingRequest | IpcRequest, options: SendOptions = {}): Promise<IpcReply> {
  const message = envelope(request);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const line = encodeRequest(message, socketPath);
  return new Promise<IpcReply>((resolveSend, rejectSend) => {
    let done = false;
    const socket = createConnection(socketPath);
    const finish = (err: Error | undefined, reply?: IpcReply): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const failure = err ?? (reply === undefined ? undefined : refusal(reply, socketPath));
      if (failure !== undefined) rejectSend(failure);
      else if (reply !== undefined) resolveSend(reply);
    };
    const timer = setTimeout(() => finish(deliveryError('IPC_TIMEOUT', `${socketPath} did not answer within ${timeoutMs} ms.`)), timeoutMs);
    const splitter = new LineSplitter(
      MAX_LINE_BYTES,
      (text) => {
        const parsed = parseMessage(text);
        if (!parsed.ok) return;
        const reply = parsed.message;
        // One request per connection: an `error` without id (an unreadable line) is about it too.
        const ours = reply.id === message.id || (reply.type === 'error' && reply.id === undefined);
        if (ours && (reply.type === 'pong' || reply.type === 'ack' || reply.type === 'error')) finish(undefined, reply);
      },
      () => undefined,
    );
    socket.on('connect', () => socket.write(line));
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', (err) => finish(err));
    socket.on('close', () => {
      if (!done) finish(deliveryError('IPC_CLOSED', `${socketPath} closed the connection before answering.`));
    });
  });
}

/**
 * What is behind a socket path: `live` (something accepts connections; a stopped or busy process
 * still counts, the kernel accepts for it), `refused` (a socket file nobody listens on: its
 * session died) or `missing` (no socket file).
 */
export function probeSocket(socketPath: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<'live' | 'refused' | 'missing'> {
  return new Promise((resolveProbe, rejectProbe) => {
    const socket = createConnection(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      // The listen backlog is full: somebody is there, just busy.
      resolveProbe('live');
    }, timeoutMs);
    socket.on('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolveProbe('live');
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      if (hasErrno(err, 'ECONNREFUSED')) resolveProbe('refused');
      else if (hasErrno(err, 'ENOENT')) resolveProbe('missing');
      else rejectProbe(err);
    });
  });
}

interface Pending {
  socket: Socket;
  resolve: (reply: IpcReply) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** An idle persistent connection is closed by the client after this long (the server waits 60 s). */
const CLIENT_IDLE_MS = 30_000;

/**
 * A persistent connection to one session: many requests, answered by id, over one socket. It
 * connects on the first `send`, reconnects after the peer hangs up, closes itself after 30 s idle,
 * and never keeps the process alive on its own (the socket is unref'd). A request that times out
 * closes the connection (the peer is hung or overloaded); the next `send` connects afresh.
 */
export class SessionConnection {
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private readonly pending = new Map<string, Pending>();

  constructor(readonly socketPath: string) {}

  /** True while a connection is open. */
  get connected(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  /**
   * Sends a request and waits for its reply. A request on a reused connection that the peer had
   * already closed is retried once on a fresh one (delivery is at-least-once).
   */
  async send(request: OutgoingRequest | IpcRequest, options: SendOptions = {}): Promise<IpcReply> {
    const message = envelope(request);
    encodeRequest(message, this.socketPath);
    const reused = this.connected;
    try {
      return await this.sendOnce(message, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    } catch (err) {
      const closedUnderUs = hasErrno(err, 'IPC_CLOSED') || hasErrno(err, 'EPIPE') || hasErrno(err, 'ECONNRESET');
      if (!reused || !closedUnderUs) throw err;
      return this.sendOnce(message, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    }
  }

  /** Closes the connection; pending requests fail with `IPC_CLOSED`. */
  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  private async sendOnce(message: IpcRequest, timeoutMs: number): Promise<IpcReply> {
    const started = Date.now();
    const socket = await this.connect(timeoutMs);
    const id = message.id ?? '';
    return new Promise<IpcReply>((resolveSend, rejectSend) => {
      const remaining = Math.max(1, timeoutMs - (Date.now() - started));
      const timer = setTimeout(() => {
        this.pending.delete(id);
        rejectSend(deliveryError('IPC_TIMEOUT', `${this.socketPath} did not answer within ${timeoutMs} ms.`));
        // Whatever the peer is doing, this connection is no longer trusted.
        if (this.socket === socket) this.close();
        else socket.destroy();
      }, remaining);
      this.pending.set(id, {
        socket,
        timer,
        reject: rejectSend,
        resolve: (reply) => {
          const refused = refusal(reply, this.socketPath);
          if (refused === undefined) resolveSend(reply);
          else rejectSend(refused);
        },
      });
      socket.write(encodeMessage(message));
    });
  }

  private connect(timeoutMs: number): Promise<Socket> {
    if (this.socket !== undefined && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<Socket>((resolveConnect, rejectConnect) => {
      const socket = createConnection(this.socketPath);
      const timer = setTimeout(() => {
        socket.destroy();
        rejectConnect(deliveryError('IPC_TIMEOUT', `${this.socketPath} did not accept a connection within ${timeoutMs} ms.`));
      }, timeoutMs);
      const splitter = new LineSplitter(MAX_LINE_BYTES, (line) => this.onLine(line), () => undefined);
      socket.on('data', (chunk: Buffer) => splitter.push(chunk));
      socket.setTimeout(CLIENT_IDLE_MS, () => {
        if (this.pending.size === 0) socket.destroy();
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.unref();
        this.socket = socket;
        resolveConnect(socket);
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        rejectConnect(err);
        this.failAll(socket, err);
      });
      socket.on('close', () => this.failAll(socket, deliveryError('IPC_CLOSED', `${this.socketPath} closed the connection before answering.`)));
    }).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private onLine(line: string): void {
    const parsed = parseMessage(line);
    if (!parsed.ok || parsed.message.id === undefined) return;
    const waiter = this.pending.get(parsed.message.id);
    if (waiter === undefined) return;
    const reply = parsed.message;
    if (reply.type !== 'pong' && reply.type !== 'ack' && reply.type !== 'error') return;
    this.pending.delete(parsed.message.id);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }

  private failAll(socket: Socket, err: Error): void {
    if (this.socket === socket) this.socket = undefined;
    for (const [id, waiter] of this.pending) {
      if (waiter.socket !== socket) continue;
      clearTimeout(waiter.timer);
      this.pending.delete(id);
      waiter.reject(err);
    }
  }
}

/** Persistent connections by socket path, for callers that message the same sessions often. */
export class ConnectionPool {
  private readonly connections = new Map<string, SessionConnection>();

  connection(socketPath: string): SessionConnection {
    let connection = this.connections.get(socketPath);
    if (connection === undefined) {
      connection = new SessionConnection(socketPath);
      this.connections.set(socketPath, connection);
    }
    return connection;
  }

  send(socketPath: string, request: OutgoingRequest | IpcRequest, options: SendOptions = {}): Promise<IpcReply> {
    return this.connection(socketPath).send(request, options);
  }

  /** Forgets a session's connection (after it ended), closing it. */
  drop(socketPath: string): void {
    this.connections.get(socketPath)?.close();
    this.connections.delete(socketPath);
  }

  close(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
