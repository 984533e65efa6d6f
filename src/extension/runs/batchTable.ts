/**
 * A run's batches as the extension host keeps them: typed-array columns grown a chunk at a time
 * (~90 bytes per batch with one layer instead of a ~1 KB record object), and where each batch's
 * line starts in the log, so its full record — sample indices, row sources, tensor offsets — is
 * read back from the log when a view asks for it (BatchLines). A million batches fit in < 100 MB.
 */
import { readSummary, writeSummary, type BatchColumns } from '../../shared/batchColumns';
import { CAUSES } from '../../shared/causes';
import { PHASES, type BatchRecord } from '../../shared/runFormat';

/** Batches per chunk: growth never copies what is held, and wastes at most one chunk. */
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
/** Bytes a snapshot copies between turns of the event loop. */
const STEP_BYTES = 4 << 20;

/** Bits of `extra` beyond the record's flags. */
const CAPTURED = 1; // statesOffset !== null: full tensors saved
const ROW_SOURCES = 2; // the record has rowSources

/** One chunk of CHUNK batches, one typed array per field. */
class Chunk {
  readonly epoch = new Int32Array(CHUNK);
  readonly batch = new Int32Array(CHUNK);
  readonly phase = new Uint8Array(CHUNK);
  readonly loss = new Float64Array(CHUNK);
  readonly lossKnown = new Uint8Array(CHUNK);
  readonly rowCount = new Int32Array(CHUNK);
  readonly timesteps = new Int32Array(CHUNK);
  readonly cause = new Uint8Array(CHUNK);
  readonly carriedFrom = new Int32Array(CHUNK);
  readonly flags = new Uint8Array(CHUNK);
  readonly dataContinues = new Int8Array(CHUNK);
  readonly ms = new Float64Array(CHUNK);
  readonly extra = new Uint8Array(CHUNK);
  /** Byte offset of the batch's line in the log; -1: no line (a placeholder for an unreadable one). */
  readonly lineAt = new Float64Array(CHUNK);
  readonly meanNorms: Float64Array;
  constructor(layers: number) {
    this.meanNorms = new Float64Array(CHUNK * layers * 4);
  }
}

type ColumnName = Exclude<keyof BatchColumns, 'count' | 'layers' | 'step' | 'detail' | 'unreadable'>;
/** The columns a snapshot carries, and their array types (as BatchColumns has them). */
const COLUMN_TYPES: Record<ColumnName, Float64ArrayConstructor> = {
  epoch: Int32Array,
  batch: Int32Array,
  phase: Uint8Array,
  loss: Float64Array,
  lossKnown: Uint8Array,
  rowCount: Int32Array,
  timesteps: Int32Array,
  cause: Uint8Array,
  carriedFrom: Int32Array,
  flags: Uint8Array,
  dataContinues: Int8Array,
  meanNorms: Float64Array,
  ms: Float64Array,
} as unknown as Record<ColumnName, Float64ArrayConstructor>;
const COLUMNS = Object.keys(COLUMN_TYPES) as ColumnName[];

/** Step k is batch k; batches are only appended. */
export class BatchTable {
  private readonly chunks: Chunk[] = [];
  private size = 0;
  /** Why a placeholder's line could not be read, by step (few). */
  private readonly unreadable = new Map<number, string>();

  constructor(readonly layers: number) {}

  get length(): number {
    return this.size;
  }

  /** Appends batch `length` (record.step must equal it); `lineAt` is its line's byte offset, -1 for a placeholder. */
  push(r: BatchRecord, lineAt: number): void {
    const i = this.size & MASK;
    if (i === 0) this.chunks.push(new Chunk(this.layers));
    const c = this.chunks[this.chunks.length - 1];
    writeSummary(c, i, r, this.layers);
    c.extra[i] = (r.statesOffset !== null ? CAPTURED : 0) | (r.rowSources ? ROW_SOURCES : 0);
    c.lineAt[i] = lineAt;
    if (r.unreadable) this.unreadable.set(r.step, r.unreadable);
    this.size++;
  }

  epochOf(step: number): number {
    return this.chunks[step >>> CHUNK_BITS].epoch[step & MASK];
  }

  phaseOf(step: number): BatchRecord['phase'] {
    return PHASES[this.chunks[step >>> CHUNK_BITS].phase[step & MASK]];
  }

  causeOf(step: number): BatchRecord['cause'] {
    return CAUSES[this.chunks[step >>> CHUNK_BITS].cause[step & MASK]];
  }

  batchOf(step: number): number {
    return this.chunks[step >>> CHUNK_BITS].batch[step & MASK];
  }

  /** Whether the batch's full tensors were saved (its statesOffset is not null). */
  captured(step: number): boolean {
    return (this.chunks[step >>> CHUNK_BITS].extra[step & MASK] & CAPTURED) !== 0;
  }

  /** Whether the batch's record has row sources (read them with its full record). */
  hasRowSources(step: number): boolean {
    return (this.chunks[step >>> CHUNK_BITS].extra[step & MASK] & ROW_SOURCES) !== 0;
  }

  /** Byte offset of the batch's line in the log, or -1 for a placeholder of an unreadable line. */
  lineAt(step: number): number {
    return this.chunks[step >>> CHUNK_BITS].lineAt[step & MASK];
  }

  /**
   * The batch's summary: every field but the detail ones (rows and rowSources null, normsOffset 0,
   * statesOffset and hiddenOffset null) — for those, read its full record from the log.
   */
  at(step: number): BatchRecord | undefined {
    if (step < 0) step += this.size; // as Array.prototype.at: -1 is the last
    if (!(step >= 0 && step < this.size)) return undefined;
    const record = readSummary(this.chunks[step >>> CHUNK_BITS], step & MASK, this.layers, step);
    const unreadable = this.unreadable.get(step);
    return unreadable ? { ...record, unreadable } : record;
  }

  /** Summaries of steps [from, to), for a panel's delta. */
  slice(from: number, to = this.size): BatchRecord[] {
    const out: BatchRecord[] = [];
    for (let step = Math.max(0, from); step < Math.min(to, this.size); step++) out.push(this.at(step)!);
    return out;
  }

  /** Summaries of every batch, mapped (tests and small runs; a view of a long run reads by step). */
  map<T>(f: (record: BatchRecord, step: number) => T): T[] {
    return this.slice(0).map(f);
  }

  /** Steps [from, to) as columns without detail (what a panel's snapshot carries): fresh buffers it may transfer. */
  columns(from = 0, to = this.size): BatchColumns {
    const out = this.columnsHead(from, to);
    for (const copied of this.copyColumns(out, from)) void copied;
    return out;
  }

  /** As columns(), yielding to the event loop after every few MB copied: at a million batches the copy is ~85 MB. */
  async columnsInSteps(from = 0, to = this.size): Promise<BatchColumns> {
    const out = this.columnsHead(from, to);
    let bytes = 0;
    for (const copied of this.copyColumns(out, from)) {
      bytes += copied;
      if (bytes < STEP_BYTES) continue;
      bytes = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return out;
  }

  private columnsHead(from: number, to: number): BatchColumns {
    from = Math.max(0, from);
    to = Math.min(to, this.size);
    const count = Math.max(0, to - from);
    const out = { count, layers: this.layers, step: new Int32Array(count), unreadable: {} } as unknown as BatchColumns;
    for (let k = 0; k < count; k++) out.step[k] = from + k;
    for (const [step, why] of this.unreadable) if (step >= from && step < to) out.unreadable![step] = why;
    return out;
  }

  /** Copies every column of steps [from, from + out.count) out of the chunks, a chunk's piece at a time; yields the bytes of each. */
  private *copyColumns(out: BatchColumns, from: number): Generator<number> {
    from = Math.max(0, from);
    const to = from + out.count;
    for (const name of COLUMNS) {
      const width = name === 'meanNorms' ? this.layers * 4 : 1;
      const target = new COLUMN_TYPES[name](out.count * width);
      (out as unknown as Record<string, unknown>)[name] = target;
      for (let at = from; at < to;) {
        const start = at & MASK;
        const end = Math.min(CHUNK, start + (to - at));
        target.set(this.chunks[at >>> CHUNK_BITS][name].subarray(start * width, end * width), (at - from) * width);
        at += end - start;
        yield (end - start) * width * target.BYTES_PER_ELEMENT;
      }
    }
  }

  /** Bytes the columns hold (for diagnostics and the bench). */
  get bytes(): number {
    return this.chunks.length * CHUNK * (4 * 5 + 1 * 6 + 8 * 3 + this.layers * 32);
  }
}
