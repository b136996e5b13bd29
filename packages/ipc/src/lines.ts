/**
 * Splits a byte stream into `\n`-terminated lines of at most `maxBytes` bytes. A longer line is
 * dropped as it arrives (`onOversized` is called once, as soon as it passes the limit) and the
 * rest of it is skipped up to its newline, never kept: a peer that sends megabytes without a
 * newline costs no memory beyond `maxBytes`. A `\r` before the `\n` is removed; blank lines are
 * ignored.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes of the current line when it is being dropped for its size, else -1. */
  private dropped = -1;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversized: (bytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end));
      if (newline === -1) return;
      this.finishLine();
      start = newline + 1;
    }
  }

  /** Bytes held for the line in progress (never more than `maxBytes`). */
  get buffered(): number {
    return this.size;
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.dropped >= 0) {
      this.dropped += piece.length;
    } else if (this.size + piece.length > this.maxBytes) {
      this.dropped = this.size + piece.length;
      this.parts = [];
      this.size = 0;
      this.onOversized(this.dropped);
    } else {
      // Copy: a retained slice would pin the whole chunk it came from.
      this.parts.push(Buffer.from(piece));
      this.size += piece.length;
    }
  }

  private finishLine(): void {
    if (this.dropped >= 0) {
      this.dropped = -1;
      return;
    }
    let line = Buffer.concat(this.parts, this.size).toString('utf8');
    this.parts = [];
    this.size = 0;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim().length > 0) this.onLine(line);
  }
}
