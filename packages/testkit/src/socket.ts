import { createConnection, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

export interface RawSocketClient {
  socket: Socket;
  /** Every line the server answered so far (without the newline). */
  lines: string[];
  /** Writes bytes as they are (no newline added); resolves when they are handed to the socket. */
  write(data: string | Buffer): Promise<void>;
}

/**
 * A raw client of a Unix socket (a session's): writes whatever it is given, collects every line
 * the server answers; destroyed when the current test finishes.
 */
export async function rawSocketClient(socketPath: string): Promise<RawSocketClient> {
  const socket = createConnection(socketPath);
  onTestFinished(() => void socket.destroy());
  await new Promise<void>((resolveConnect, rejectConnect) => {
    socket.once('connect', resolveConnect);
    socket.once('error', rejectConnect);
  });
  const lines: string[] = [];
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  });
  socket.on('error', () => undefined);
  return { socket, lines, write: (data) => new Promise((resolveWrite) => socket.write(data, () => resolveWrite())) };
}
