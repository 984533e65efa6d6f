/**
 * What the loss chart plots for a view: the raw points when few are visible, else the min and max
 * of each pixel column (in the order they occurred). uPlot then draws a few thousand points
 * whatever the run length, and no spike is lost. Each series says per batch whether it has a value
 * there (VALUE), a gap (GAP: a non-finite loss, drawn as a break in the line) or nothing (ABSENT:
 * another phase's batch, spanned by the line).
 */

import { RangePlan, columnStart, planRange } from './blockLevels';
import { HAS_GAP, HAS_POSITIVE, HAS_VALUE, type LossBlocks } from './lossBlocks';

/** Per-batch kinds of a series. */
export const ABSENT = 0;
export const VALUE = 1;
export const GAP = 2;

/** One series over the run's batches. */
export interface SeriesInput {
  values: ArrayLike<number>;
  kind: ArrayLike<number>;
  /** The series summarised per block, when kept up to date with it: a column then costs O(levels). */
  blocks?: LossBlocks;
}

/** A plotted value: a number, null (a gap in the line) or undefined (no point: the line spans it). */
export type Plotted = number | null | undefined;

/** Points for uPlot, in reused arrays; only the first `length` entries count. */
export interface Envelope {
  x: number[];
  ys: Plotted[][];
  length: number;
  /** Whether any point differs from those the arrays held before the call (false: nothing to redraw). */
  changed: boolean;
  /** The view the points were aggregated for, over `n` batches; undefined when each batch is its own point. */
  columns?: { n: number; start: number; end: number; columns: number; positive: boolean };
}

function buffers(series: number, previous?: Envelope): Envelope {
  if (previous && previous.ys.length === series) return { ...previous, length: 0, changed: false, columns: undefined };
  return { x: [], ys: Array.from({ length: series }, () => []), length: 0, changed: true };
}

const at = (s: SeriesInput, i: number, positive: boolean): Plotted => {
  const k = s.kind[i];
  if (k === VALUE) return positive && !(s.values[i] > 0) ? undefined : s.values[i];
  return k === GAP ? null : undefined;
};

/**
 * Batches [start, end) of the view over `columns` pixel columns; batch i is plotted at x = i + 0.5.
 * `positive`: leave out values ≤ 0 (a log scale cannot show them). `unchangedBefore`: the series'
 * batches before it are those `previous` was computed from (a live run appends batches): when the view
 * is the same, only the pixel columns from the one holding that batch on are aggregated again.
 */
export function lossEnvelope(
  series: readonly SeriesInput[],
  n: number,
  start: number,
  end: number,
  columns: number,
  previous?: Envelope,
  positive = false,
  unchangedBefore = 0,
): Envelope {
  // One batch of margin each side so the line runs to the edges of the plot.
  const from = Math.max(0, Math.floor(start) - 1);
  const to = Math.min(n, Math.ceil(end) + 1);
  const before = previous?.columns;
  const kept = previous?.length ?? 0;
  const out = buffers(series.length, previous);
  const push = (x: number, values: (s: number) => Plotted) => {
    out.x[out.length] = x;
    for (let s = 0; s < series.length; s++) out.ys[s][out.length] = values(s);
    out.length++;
  };
  if (to - from <= columns * 2) {
    for (let i = from; i < to; i++) push(i + 0.5, (s) => at(series[s], i, positive));
    out.changed = true;
    return trim(out);
  }
  const perColumn = (end - start) / columns;
  if (series.every((s) => s.blocks?.length === n)) {
    const basis = { n, start, end, columns, positive };
    let lower = from;
    if (
      before &&
      before.start === start &&
      before.end === end &&
      before.columns === columns &&
      before.positive === positive &&
      before.n <= n
    ) {
      // The columns wholly before the first batch that may differ keep their points.
      const resumeAt = Math.max(from, Math.min(unchangedBefore, before.n) - 1);
      const column = Math.floor((resumeAt + 0.5 - start) / perColumn);
      const columnX = start + column * perColumn;
      lower = columnStart(column, resumeAt, from, to, (i) => Math.floor((i + 0.5 - start) / perColumn));
      out.length = kept;
      while (out.length > 0 && out.x[out.length - 1] >= columnX) out.length--;
    } else out.changed = true;
    const resumed = fromBlocks(series, n, start, perColumn, lower, to, out, positive, kept);
    resumed.columns = basis;
    return resumed;
  }
  out.changed = true;
  const lo = new Float64Array(series.length);
  const hi = new Float64Array(series.length);
  const loAt = new Int32Array(series.length);
  const hiAt = new Int32Array(series.length);
  const seen = new Uint8Array(series.length);
  let col = Number.NaN;
  const flush = () => {
    if (Number.isNaN(col)) return;
    const x0 = start + col * perColumn;
    // The extreme that came first is plotted first, so the line keeps its shape.
    const pick = (s: number, first: boolean): Plotted => {
      if (seen[s] === 0) return undefined;
      if (seen[s] === GAP) return null;
      return loAt[s] <= hiAt[s] === first ? lo[s] : hi[s];
    };
    push(x0 + perColumn * 0.25, (s) => pick(s, true));
    push(x0 + perColumn * 0.75, (s) => pick(s, false));
  };
  for (let i = from; i < to; i++) {
    const c = Math.floor((i + 0.5 - start) / perColumn);
    if (c !== col) {
      flush();
      col = c;
      seen.fill(0);
    }
    for (let s = 0; s < series.length; s++) {
      const v = at(series[s], i, positive);
      if (v === undefined) continue;
      if (v === null) {
        if (!seen[s]) seen[s] = GAP;
        continue;
      }
      if (seen[s] !== VALUE) {
        seen[s] = VALUE;
        lo[s] = hi[s] = v;
        loAt[s] = hiAt[s] = i;
      } else if (v < lo[s]) {
        lo[s] = v;
        loAt[s] = i;
      } else if (v > hi[s]) {
        hi[s] = v;
        hiAt[s] = i;
      }
    }
  }
  flush();
  return trim(out);
}

/** Scratch plan shared by every call (the webview is single-threaded). */
const PLAN = new RangePlan();

/**
 * The aggregated envelope over whole blocks: each column's batches exactly as the per-batch loop cuts
 * them, from batch `from` (a column's first) on, appended to `out`; `kept` points were in the arrays
 * before, and `out.changed` is set when a point written differs from the one it replaces.
 */
function fromBlocks(
  series: readonly SeriesInput[],
  n: number,
  start: number,
  perColumn: number,
  from: number,
  to: number,
  out: Envelope,
  positive: boolean,
  kept: number,
): Envelope {
  const count = series.length;
  const columnOf = (i: number) => Math.floor((i + 0.5 - start) / perColumn);
  const seen = new Uint8Array(count);
  const lo = new Float64Array(count);
  const loAt = new Float64Array(count);
  const hi = new Float64Array(count);
  const hiAt = new Float64Array(count);
  // A series with nothing to plot (no batch of another phase) is not visited.
  const live = series.map((_, s) => s).filter((s) => series[s].blocks!.seen !== 0);
  const levels = series.map((s) => s.blocks!.levels);
  const kinds = series.map((s) => s.kind);
  const valuesOf = series.map((s) => s.values);
  const plan = PLAN;
  const push = (x: number, first: boolean) => {
    const at = out.length;
    if (at >= kept || out.x[at] !== x) out.changed = true;
    out.x[at] = x;
    for (let s = 0; s < count; s++) {
      // The extreme that came first is plotted first, so the line keeps its shape.
      const y = seen[s] === VALUE ? (loAt[s] <= hiAt[s] === first ? lo[s] : hi[s]) : seen[s] === GAP ? null : undefined;
      if (out.ys[s][at] !== y) out.changed = true;
      out.ys[s][at] = y;
    }
    out.length++;
  };
  let lower = from;
  for (let col = columnOf(from); lower < to; col++) {
    const upper = columnStart(col + 1, Math.ceil(start + (col + 1) * perColumn - 0.5), lower, to, columnOf);
    if (upper > lower) {
      seen.fill(0);
      const length = planRange(lower, upper, n, plan);
      const items = plan.items;
      for (const s of live) {
        const kind = kinds[s];
        const values = valuesOf[s];
        const blocks = levels[s];
        // The column's extremes in locals (a frame visits tens of thousands of items).
        let sSeen = 0;
        let sLo = 0;
        let sLoAt = 0;
        let sHi = 0;
        let sHiAt = 0;
        for (let p = 0; p < length; p += 2) {
          const level = items[p];
          const k = items[p + 1];
          let vLo: number;
          let vLoAt: number;
          let vHi: number;
          let vHiAt: number;
          if (level < 0) {
            // One batch: a value (> 0 on a log axis), a gap, or nothing.
            const kk = kind[k];
            if (kk !== VALUE) {
              if (kk === GAP && sSeen === 0) sSeen = GAP;
              continue;
            }
            vLo = vHi = values[k];
            if (positive && !(vLo > 0)) continue;
            vLoAt = vHiAt = k;
          } else {
            const b = blocks[level];
            const has = b.seen[k];
            if (!(has & (positive ? HAS_POSITIVE : HAS_VALUE))) {
              if (has & HAS_GAP && sSeen === 0) sSeen = GAP;
              continue;
            }
            vLo = positive ? b.pos[k] : b.lo[k];
            vLoAt = positive ? b.posAt[k] : b.loAt[k];
            vHi = b.hi[k];
            vHiAt = b.hiAt[k];
          }
          if (sSeen !== VALUE || vLo < sLo) {
            sLo = vLo;
            sLoAt = vLoAt;
          }
          if (sSeen !== VALUE || vHi > sHi) {
            sHi = vHi;
            sHiAt = vHiAt;
          }
          sSeen = VALUE;
        }
        seen[s] = sSeen;
        lo[s] = sLo;
        loAt[s] = sLoAt;
        hi[s] = sHi;
        hiAt[s] = sHiAt;
      }
      const x0 = start + col * perColumn;
      push(x0 + perColumn * 0.25, true);
      push(x0 + perColumn * 0.75, false);
    }
    lower = upper;
  }
  if (out.length !== kept) out.changed = true;
  return trim(out);
}

/** Cuts the reused arrays to the points of this frame (uPlot reads their length). */
function trim(out: Envelope): Envelope {
  out.x.length = out.length;
  for (const ys of out.ys) ys.length = out.length;
  return out;
}
