/**
 * Reads a growing log.jsonl without blocking: each call reads the bytes appended since the last
 * one, in chunks, and hands over its complete lines in slices that yield to the event loop (a
 * 100k-batch log is ~100 MB). A trailing incomplete line is left for the next call, when the
 * writer will have finished it.
 */
import * as fs from 'fs';
import { RunFolderError, messageOf } from './runFolderError';
import { completeLines } from './runLog';

const CHUNK_BYTES = 4 * 1024 * 1024;
const SLICE_LINES = 2000;

/** Yields to the event loop so a long read never holds up the extension host. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class LogReader {
  private offset = 0;
  private nextLine = 1;

  constructor(readonly logPath: string) {}

  /** Bytes of the log consumed so far (always at the end of a complete line). */
  get position(): number {
    return this.offset;
  }

  /** Reads what was appended since the last call; `onLines` gets each slice of complete lines and the 1-based number of its first. */
  async readNew(onLines: (lines: string[], firstLine: number) => void): Promise<void> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.logPath, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // not written yet
      throw new RunFolderError(this.logPath, `cannot be read: ${messageOf(error)}`);
    }
    try {
      const { size } = await handle.stat();
      if (size < this.offset)
        throw new RunFolderError(
          this.logPath,
          `shrank from ${this.offset} to ${size} bytes while being read; it was rewritten, which a writer must never do`,
        );
      let chunk = CHUNK_BYTES;
      while (this.offset < size) {
        const length = Math.min(chunk, size - this.offset);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, this.offset);
        const { lines, consumed } = completeLines(buffer.subarray(0, bytesRead));
        if (consumed === 0) {
          // No newline in the chunk: a line longer than the chunk, or a torn last line.
          if (this.offset + bytesRead >= size) return;
          chunk *= 2;
          continue;
        }
        for (let at = 0; at < lines.length; at += SLICE_LINES) {
          onLines(lines.slice(at, at + SLICE_LINES), this.nextLine + at);
          await yieldToLoop();
        }
        this.offset += consumed;
        this.nextLine += lines.length;
      }
    } finally {
      await handle.close();
    }
  }
}
