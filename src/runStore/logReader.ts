/**
 * Reads a growing log.jsonl without blocking: each call reads the bytes appended since the last
 * one, in chunks, and hands over its complete lines in slices that yield to the event loop (a
 * 100k-batch log is ~100 MB). A trailing incomplete line is left for the next call, when the
 * writer will have finished it.
 */
import * as fs from 'fs';
import { RunFolderError, messageOf } from './runFolderError';
import { completeLines } from './runLog';

// Small enough that splitting a chunk into lines is a short task for the thread.
const CHUNK_BYTES = 1024 * 1024;
// Lines folded between turns of the event loop: a few milliseconds of work each.
const SLICE_LINES = 250;

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

  /**
   * Reads what was appended since the last call; `onLines` gets each slice of complete lines, the
   * 1-based number of its first, and the byte offset in the log where each of its lines starts.
   */
  async readNew(onLines: (lines: string[], firstLine: number, lineStarts: number[]) => void): Promise<void> {
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
        const starts = lineStartsOf(buffer, lines.length, this.offset);
        for (let at = 0; at < lines.length; at += SLICE_LINES) {
          onLines(lines.slice(at, at + SLICE_LINES), this.nextLine + at, starts.slice(at, at + SLICE_LINES));
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

/** Where each of the first `count` lines in `bytes` starts, as byte offsets in the log (`bytes` starts at `base`). */
function lineStartsOf(bytes: Buffer, count: number, base: number): number[] {
  const starts = new Array<number>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = base + at;
    at = bytes.indexOf(0x0a, at) + 1;
  }
  return starts;
}

/** The line of the log that starts at byte `offset` (without its newline), read on its own. */
export async function readLineAt(logPath: string, offset: number): Promise<string> {
  const handle = await fs.promises.open(logPath, 'r').catch((error: unknown) => {
    throw new RunFolderError(logPath, `cannot be read: ${messageOf(error)}`);
  });
  try {
    // Batch lines are ~1 KB; a longer one (a big batch's sample indices) doubles the window.
    for (let window = 16 * 1024; ; window *= 2) {
      const buffer = Buffer.alloc(window);
      const { bytesRead } = await handle.read(buffer, 0, window, offset);
      const end = buffer.subarray(0, bytesRead).indexOf(0x0a);
      if (end >= 0) return buffer.subarray(0, end).toString('utf8').replace(/\r$/, '');
      if (bytesRead < window) throw new RunFolderError(logPath, `has no complete line at byte ${offset}`);
    }
  } finally {
    await handle.close();
  }
}
