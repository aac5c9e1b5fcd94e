// Follows a metrics.jsonl another process appends to: each read takes at most a bounded slice of what was appended
// since the last one, and only whole lines (a line still being written is read once it ends). A file cut shorter or
// replaced by another is read again from its start.
import { promises as fs } from 'node:fs';
import { parseMetricsLine, type MetricsRecord } from './metricsLog';

/** The most one read takes: a few thousand records, far more than a run appends between two file events. */
export const TAIL_READ_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

export interface TailRead {
  records: MetricsRecord[];
  /** False when more was appended than one read takes: read again. */
  caughtUp: boolean;
}

export class MetricsTail {
  /** Where the next read starts: just after the last whole line read. Undefined until the file is first seen. */
  private offset: number | undefined;
  private identity: string | undefined;

  constructor(private readonly file: string, private readonly maxBytes = TAIL_READ_BYTES) {}

  async read(): Promise<TailRead> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.offset = 0; // not written yet: when it is, every line is new
      return { records: [], caughtUp: true };
    }
    try {
      const { size, ino, dev } = await handle.stat();
      const identity = `${dev}:${ino}`;
      if (this.identity !== undefined && identity !== this.identity) this.offset = 0; // replaced (rotated): a new file
      this.identity = identity;
      if (this.offset !== undefined && size < this.offset) this.offset = 0; // truncated
      // first seen: only the last slice — the dashboard reads a run's history itself, live updates need what comes next
      const start = this.offset ?? Math.max(0, size - this.maxBytes);
      const length = Math.min(this.maxBytes, size - start);
      const chunk = Buffer.alloc(length);
      const { bytesRead } = await handle.read(chunk, 0, length, start);
      return this.take(chunk.subarray(0, bytesRead), start, start + bytesRead >= size);
    } finally {
      await handle.close();
    }
  }

  /** Reads from here on only what is appended next (a finished run's history is the dashboard's to read). */
  async skipToEnd(): Promise<void> {
    const stats = await fs.stat(this.file).catch(() => undefined);
    this.offset = stats?.size ?? 0;
    this.identity = stats && `${stats.dev}:${stats.ino}`;
  }

  private take(chunk: Buffer, start: number, reachedEnd: boolean): TailRead {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      // no whole line yet; a slice full of one endless line is skipped rather than read forever
      this.offset = chunk.length === this.maxBytes ? start + chunk.length : start;
      return { records: [], caughtUp: reachedEnd };
    }
    // a first read that starts mid-file begins mid-line: that line is not whole
    const firstLine = start > 0 && this.offset === undefined ? chunk.indexOf(NEWLINE) + 1 : 0;
    this.offset = start + lastNewline + 1;
    const text = chunk.subarray(firstLine, lastNewline).toString('utf8');
    return { records: text.split('\n').flatMap((line) => parseMetricsLine(line) ?? []), caughtUp: reachedEnd };
  }
}
