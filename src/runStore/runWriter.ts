/**
 * Writes one run folder (docs/run-format.md) from Node. The dataset is written before the
 * manifest, so a listed run never has a torn dataset; binary payloads are appended before the
 * log line that points at them, so a writer killed at any moment leaves every logged batch
 * complete. Non-finite numbers are written as "NaN", "Infinity", "-Infinity", never as null.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RUN_FILES, encodeNumber, type LogRecord, type RunManifest } from '../shared/runFormat';

/** How often the heartbeat file is rewritten (readers call a writer gone after 15 s without one). */
const HEARTBEAT_MS = 5000;

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

/** JSON.stringify would write NaN and ±Infinity as null: they are facts, so they are kept as strings. */
const keepNonFinite = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? encodeNumber(value) : value;

/** "20261127-002404-123-seed-stateless": sorts by start time. */
export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
  return `${stamp}-${name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64)}`;
}

export class RunWriter {
  private readonly log: AppendFile;
  private readonly norms: AppendFile;
  private readonly states: AppendFile;
  private readonly hidden: AppendFile;
  private readonly heartbeat: NodeJS.Timeout;

  /** Creates the folder, writes the dataset (if given), then the manifest (atomically, via rename). */
  constructor(
    readonly runDir: string,
    manifest: RunManifest,
    dataset?: { x: Float32Array; y: Float32Array },
  ) {
    fs.mkdirSync(path.join(runDir, RUN_FILES.weightsDir), { recursive: true });
    if (dataset) {
      fs.mkdirSync(path.join(runDir, 'data'), { recursive: true });
      fs.writeFileSync(path.join(runDir, RUN_FILES.x), bytesOf(dataset.x));
      fs.writeFileSync(path.join(runDir, RUN_FILES.y), bytesOf(dataset.y));
    }
    this.beat();
    const manifestPath = path.join(runDir, RUN_FILES.manifest);
    fs.writeFileSync(`${manifestPath}.tmp`, JSON.stringify(manifest, keepNonFinite, 2));
    fs.renameSync(`${manifestPath}.tmp`, manifestPath);
    this.log = new AppendFile(path.join(runDir, RUN_FILES.log));
    this.norms = new AppendFile(path.join(runDir, RUN_FILES.norms));
    this.states = new AppendFile(path.join(runDir, RUN_FILES.states));
    this.hidden = new AppendFile(path.join(runDir, RUN_FILES.hidden));
    // unref: a heartbeat must never keep a finished process alive.
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS).unref();
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
    this.log.append(Buffer.from(`${JSON.stringify(record, keepNonFinite)}\n`));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const file of [this.log, this.norms, this.states, this.hidden]) file.close();
  }

  /** Tells readers on hosts without /proc that this writer lives. */
  private beat(): void {
    try {
      fs.writeFileSync(path.join(this.runDir, RUN_FILES.heartbeat), new Date().toISOString());
    } catch {
      // A missed beat only makes a slow reader think the run ended; never fail the run for it.
    }
  }
}
