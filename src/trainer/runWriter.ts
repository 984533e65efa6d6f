/**
 * Writes one run folder (format in shared/runFormat.ts). Binary payloads are appended before
 * the log line that points at them, so a trainer killed at any moment leaves every logged
 * batch complete; a torn last log line is skipped by the reader.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES, type LogRecord, type RunManifest } from '../shared/runFormat';

/** An append-only file whose current length is the offset of the next write. */
class AppendFile {
  private readonly fd: number;
  private length = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'a');
  }

  /** Appends the bytes and returns the byte offset they start at. */
  append(bytes: Uint8Array): number {
    const offset = this.length;
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written, bytes.length - written);
    this.length += bytes.length;
    return offset;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

const bytesOf = (values: Float32Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** "20261127-002404-123-seed-stateless": sorts by start time. */
export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
  return `${stamp}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
}

export class RunWriter {
  private readonly log: AppendFile;
  private readonly norms: AppendFile;
  private readonly states: AppendFile;
  private readonly hidden: AppendFile;

  /** Creates the folder and writes the manifest (atomically, via rename). */
  constructor(readonly runDir: string, manifest: RunManifest) {
    fs.mkdirSync(path.join(runDir, RUN_FILES.weightsDir), { recursive: true });
    const manifestPath = path.join(runDir, RUN_FILES.manifest);
    fs.writeFileSync(`${manifestPath}.tmp`, JSON.stringify(manifest, null, 2));
    fs.renameSync(`${manifestPath}.tmp`, manifestPath);
    this.log = new AppendFile(path.join(runDir, RUN_FILES.log));
    this.norms = new AppendFile(path.join(runDir, RUN_FILES.norms));
    this.states = new AppendFile(path.join(runDir, RUN_FILES.states));
    this.hidden = new AppendFile(path.join(runDir, RUN_FILES.hidden));
  }

  writeDataset(x: Float32Array, y: Float32Array): void {
    fs.mkdirSync(path.join(this.runDir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(this.runDir, RUN_FILES.x), bytesOf(x));
    fs.writeFileSync(path.join(this.runDir, RUN_FILES.y), bytesOf(y));
  }

  appendNorms(values: Float32Array): number {
    return this.norms.append(bytesOf(values));
  }

  appendStates(values: Float32Array): number {
    return this.states.append(bytesOf(values));
  }

  appendHidden(values: Float32Array): number {
    return this.hidden.append(bytesOf(values));
  }

  /** Writes a weights file; returns its path relative to the run folder. */
  writeWeights(point: string, values: Float32Array): string {
    const file = `${RUN_FILES.weightsDir}/${point}.bin`;
    fs.writeFileSync(path.join(this.runDir, file), bytesOf(values));
    return file;
  }

  record(record: LogRecord): void {
    this.log.append(Buffer.from(`${JSON.stringify(record)}\n`));
  }

  close(): void {
    for (const file of [this.log, this.norms, this.states, this.hidden]) file.close();
  }
}
