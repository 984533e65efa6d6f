/**
 * Per-block summaries (issue 14): every block's summary equals a brute-force computation over the raw
 * batches, the timeline columns and loss envelope built from them equal per-batch aggregation written
 * out here, a NaN or infinite loss is never drawn as a number, and a run extended live batch by batch
 * holds exactly what a run loaded at once holds.
 */
import { describe, expect, test } from 'vitest';
import { toColumns } from '../../src/shared/batchColumns';
import { CAUSES } from '../../src/shared/causes';
import type { RunSnapshot } from '../../src/shared/channels/webviewChannel';
import { BATCH_FLAGS, PHASES, type BatchRecord } from '../../src/shared/runFormat';
import { BLOCK_SIZES, blockCount } from '../../webview/numbers/blockLevels';
import { CauseBlocks } from '../../webview/numbers/causeBlocks';
import { CAUSE_SLOTS, downsample } from '../../webview/numbers/downsample';
import { HAS_GAP, HAS_POSITIVE, HAS_VALUE, LossBlocks } from '../../webview/numbers/lossBlocks';
import { ABSENT, GAP, VALUE, lossEnvelope, type Plotted } from '../../webview/numbers/lossEnvelope';
import { LossSeries } from '../../webview/numbers/lossSeries';
import { EventIndex, eventSteps } from '../../webview/state/eventIndex';
import { RunModel } from '../../webview/state/runModel';
import type { EventFilter } from '../../webview/state/uiState';

const EVENT_FILTERS: EventFilter[] = ['resets', 'nonFinite', 'unreadable', 'flagged', ...CAUSES];

/** A seeded generator (Park–Miller), so that a failure can be replayed. */
function randomOf(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Random timeline tracks: mostly carried, some resets and rare causes, NaN values (no norm), marks bits. */
function tracksOf(n: number, seed: number) {
  const random = randomOf(seed);
  const values = new Float32Array(n);
  const causes = new Uint8Array(n);
  const marks = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = random();
    causes[i] = r < 0.9 ? CAUSES.indexOf('carried') : Math.floor(random() * CAUSES.length);
    values[i] = random() < 0.03 ? Number.NaN : random() * 10 - 2;
    marks[i] = random() < 0.05 ? 1 << Math.floor(random() * 8) : 4;
  }
  return { values, causes, marks };
}

/** Random loss series: values with kinds; a GAP's value is NaN, +Infinity or -Infinity, as a run records it. */
function lossOf(n: number, seed: number) {
  const random = randomOf(seed);
  const values = new Float64Array(n);
  const kind = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = random();
    kind[i] = r < 0.1 ? ABSENT : r < 0.15 ? GAP : VALUE;
    values[i] =
      kind[i] === GAP
        ? [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][Math.floor(random() * 3)]
        : kind[i] === ABSENT
          ? Number.NaN
          : // Repeated values test which occurrence of an extreme counts (the first).
            Math.round((random() * 4 - 1) * 8) / 8;
  }
  return { values, kind };
}

/** Extends `blocks` in random chunks, as live batches arrive. */
function inChunks(n: number, seed: number, extend: (to: number) => void): void {
  const random = randomOf(seed);
  for (let to = 0; to < n;) {
    to = Math.min(n, to + 1 + Math.floor(random() * (random() < 0.5 ? 5 : 3000)));
    extend(to);
  }
}

describe('timeline block summaries', () => {
  const n = 70_000;
  const tracks = tracksOf(n, 7);

  /** Block k of a level, by brute force over its batches. */
  function bruteBlock(size: number, k: number) {
    const byCause = new Array<number>(CAUSE_SLOTS).fill(0);
    let mask = 0;
    let marks = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = k * size; i < Math.min(n, (k + 1) * size); i++) {
      mask |= 1 << tracks.causes[i];
      marks |= tracks.marks[i];
      byCause[tracks.causes[i]]++;
      if (!Number.isNaN(tracks.values[i])) {
        min = Math.min(min, tracks.values[i]);
        max = Math.max(max, tracks.values[i]);
      }
    }
    return { mask, marks, min, max, byCause };
  }

  function expectExact(blocks: CauseBlocks) {
    expect(blocks.length).toBe(n);
    BLOCK_SIZES.forEach((size, l) => {
      const level = blocks.levels[l];
      for (let k = 0; k < blockCount(l, n); k++) {
        const want = bruteBlock(size, k);
        const got = {
          mask: level.mask[k],
          marks: level.marks[k],
          min: level.min[k],
          max: level.max[k],
          byCause: Array.from(level.byCause.subarray(k * CAUSE_SLOTS, (k + 1) * CAUSE_SLOTS)),
        };
        if (JSON.stringify(got) !== JSON.stringify(want))
          expect({ level: l, block: k, ...got }).toEqual({ level: l, block: k, ...want });
      }
    });
  }

  test('built at once and built in live chunks, every block of every level equals brute force (NaN moves no extreme)', () => {
    const once = new CauseBlocks();
    once.extend(tracks, n);
    expectExact(once);
    const live = new CauseBlocks();
    inChunks(n, 3, (to) => live.extend(tracks, to));
    expectExact(live);
  });

  test('downsample through the blocks equals per-batch aggregation into pixel columns, at any view', () => {
    const blocks = new CauseBlocks();
    blocks.extend(tracks, n);
    const random = randomOf(11);
    const views: Array<[number, number, number]> = [
      [0, n, 1300],
      [0, n + 5000, 977],
      [-300.25, 40_000.5, 640],
      [12_345.678, 69_999.9, 333],
      [5, 2005, 100],
    ];
    for (let v = 0; v < 20; v++) {
      const start = random() * n * 0.8 - 1000;
      views.push([start, start + 1000 + random() * n, 50 + Math.floor(random() * 1500)]);
    }
    for (const [start, end, width] of views) {
      const got = downsample(tracks.values, tracks.causes, n, start, end, width, undefined, tracks.marks, blocks);
      // By hand: each batch's column from its left edge, clamped into the view's columns.
      const perColumn = (end - start) / width;
      const count = new Array<number>(width).fill(0);
      const first = new Array<number>(width).fill(-1);
      const mask = new Array<number>(width).fill(0);
      const marks = new Array<number>(width).fill(0);
      const byCause = new Array<number>(width * CAUSE_SLOTS).fill(0);
      const min = new Array<number>(width).fill(Number.POSITIVE_INFINITY);
      const max = new Array<number>(width).fill(Number.NEGATIVE_INFINITY);
      for (let i = Math.max(0, Math.floor(start)); i < Math.min(n, Math.ceil(end)); i++) {
        const c = Math.min(width - 1, Math.max(0, Math.floor((i - start) / perColumn)));
        if (count[c]++ === 0) first[c] = i;
        mask[c] |= 1 << tracks.causes[i];
        marks[c] |= tracks.marks[i];
        byCause[c * CAUSE_SLOTS + tracks.causes[i]]++;
        if (!Number.isNaN(tracks.values[i])) {
          min[c] = Math.min(min[c], tracks.values[i]);
          max[c] = Math.max(max[c], tracks.values[i]);
        }
      }
      expect(Array.from(got.count)).toEqual(count);
      expect(Array.from(got.first)).toEqual(first);
      expect(Array.from(got.mask)).toEqual(mask);
      expect(Array.from(got.marks)).toEqual(marks);
      expect(Array.from(got.byCause)).toEqual(byCause);
      expect(Array.from(got.min)).toEqual(min.map(Math.fround));
      expect(Array.from(got.max)).toEqual(max.map(Math.fround));
    }
  });

  test('a live run: columns aggregated again only from the appended batches on equal a fresh aggregation', () => {
    const blocks = new CauseBlocks();
    const random = randomOf(13);
    // A live view holds still (liveSpan) while batches arrive in chunks of 1 to 700.
    const [start, end, width] = [0, 73_728, 977];
    let m = 30_000;
    blocks.extend(tracks, m);
    let cols = downsample(tracks.values, tracks.causes, m, start, end, width, undefined, tracks.marks, blocks);
    while (m < n) {
      const before = m;
      m = Math.min(n, m + 1 + Math.floor(random() * 700));
      blocks.extend(tracks, m);
      cols = downsample(tracks.values, tracks.causes, m, start, end, width, cols, tracks.marks, blocks, before);
      const fresh = downsample(tracks.values, tracks.causes, m, start, end, width, undefined, tracks.marks, blocks);
      for (const key of ['count', 'first', 'mask', 'marks', 'byCause', 'min', 'max'] as const)
        expect(Array.from(cols[key]), `${key} after ${m} batches`).toEqual(Array.from(fresh[key]));
    }
  });

  test('nextMarked finds exactly the marked batches, skipping whole blocks', () => {
    const blocks = new CauseBlocks();
    blocks.extend(tracks, n);
    for (const bit of [1, 2, 128]) {
      const want: number[] = [];
      for (let i = 100; i < 60_000; i++) if (tracks.marks[i] & bit) want.push(i);
      const got: number[] = [];
      for (
        let i = blocks.nextMarked(tracks.marks, bit, 100, 60_000);
        i >= 0;
        i = blocks.nextMarked(tracks.marks, bit, i + 1, 60_000)
      )
        got.push(i);
      expect(got).toEqual(want);
    }
  });
});

describe('loss block summaries and the envelope', () => {
  const n = 50_000;
  // The third has nothing before step 30 000 (the other phases' losses of a run that starts to validate late).
  const late = lossOf(n, 7);
  late.kind.fill(ABSENT, 0, 30_000);
  late.values.fill(Number.NaN, 0, 30_000);
  const series = [lossOf(n, 5), lossOf(n, 6), late];

  test('every block of every level equals brute force: extremes and their first occurrence, smallest positive, value and gap', () => {
    for (const { values, kind } of series)
      for (const build of ['once', 'live'] as const) {
        const blocks = new LossBlocks();
        if (build === 'once') blocks.extend(values, kind, n);
        else inChunks(n, 9, (to) => blocks.extend(values, kind, to));
        BLOCK_SIZES.forEach((size, l) => {
          const level = blocks.levels[l];
          for (let k = 0; k < blockCount(l, n); k++) {
            let seen = 0;
            let lo = Number.POSITIVE_INFINITY;
            let loAt = -1;
            let hi = Number.NEGATIVE_INFINITY;
            let hiAt = -1;
            let pos = Number.POSITIVE_INFINITY;
            let posAt = -1;
            for (let i = k * size; i < Math.min(n, (k + 1) * size); i++) {
              if (kind[i] === GAP) seen |= HAS_GAP;
              if (kind[i] !== VALUE) continue;
              seen |= HAS_VALUE;
              if (values[i] < lo) [lo, loAt] = [values[i], i];
              if (values[i] > hi) [hi, hiAt] = [values[i], i];
              if (values[i] > 0 && values[i] < pos) {
                seen |= HAS_POSITIVE;
                [pos, posAt] = [values[i], i];
              }
            }
            const got = level.seen[k];
            expect(got).toBe(seen);
            if (seen & HAS_VALUE)
              expect([level.lo[k], level.loAt[k], level.hi[k], level.hiAt[k]]).toEqual([lo, loAt, hi, hiAt]);
            if (seen & HAS_POSITIVE) expect([level.pos[k], level.posAt[k]]).toEqual([pos, posAt]);
          }
        });
      }
  });

  test('the envelope through the blocks equals per-batch aggregation, and a non-finite loss is a gap, never 0', () => {
    const blocks = series.map(({ values, kind }) => {
      const b = new LossBlocks();
      b.extend(values, kind, n);
      return b;
    });
    const random = randomOf(21);
    const views: Array<[number, number, number]> = [
      [0, n, 1300],
      [0, n * 1.2, 800],
      [-50.5, 20_000.25, 640],
    ];
    for (let v = 0; v < 20; v++) {
      const start = random() * n * 0.9 - 500;
      views.push([start, start + 5000 + random() * n, 100 + Math.floor(random() * 1400)]);
    }
    for (const positive of [false, true])
      for (const [start, end, columns] of views) {
        const inputs = series.map((s, i) => ({ ...s, blocks: blocks[i] }));
        const got = lossEnvelope(inputs, n, start, end, columns, undefined, positive);
        // By hand: batch i at x = i + 0.5 goes to column floor((i + 0.5 - start) / perColumn); per column and
        // series the first-occurring extreme first, a gap (null) when it has only non-finite losses.
        const perColumn = (end - start) / columns;
        const x: number[] = [];
        const ys: Plotted[][] = series.map(() => []);
        const from = Math.max(0, Math.floor(start) - 1);
        const to = Math.min(n, Math.ceil(end) + 1);
        for (let i = from; i < to;) {
          const col = Math.floor((i + 0.5 - start) / perColumn);
          let j = i;
          while (j < to && Math.floor((j + 0.5 - start) / perColumn) === col) j++;
          const x0 = start + col * perColumn;
          x.push(x0 + perColumn * 0.25, x0 + perColumn * 0.75);
          series.forEach(({ values, kind }, s) => {
            let lo = -1;
            let hi = -1;
            let gap = false;
            for (let k = i; k < j; k++) {
              if (kind[k] === GAP) gap = true;
              if (kind[k] !== VALUE || (positive && !(values[k] > 0))) continue;
              if (lo < 0 || values[k] < values[lo]) lo = k;
              if (hi < 0 || values[k] > values[hi]) hi = k;
            }
            const pair: Plotted[] =
              lo >= 0
                ? lo <= hi
                  ? [values[lo], values[hi]]
                  : [values[hi], values[lo]]
                : gap
                  ? [null, null]
                  : [undefined, undefined];
            ys[s].push(...pair);
          });
          i = j;
        }
        expect(got.x.slice(0, got.length)).toEqual(x);
        got.ys.forEach((y, s) => expect(y.slice(0, got.length)).toEqual(ys[s]));
        // Never a made-up number: every plotted value is a finite loss of the series.
        got.ys.forEach((y, s) => {
          const finite = new Set(Array.from(series[s].values).filter((v, i) => series[s].kind[i] === VALUE));
          for (const v of y) if (typeof v === 'number') expect(finite.has(v)).toBe(true);
        });
      }
  });

  test('a live run: the envelope aggregated again only from the appended batches equals a fresh one; `changed` is true exactly when a point moved', () => {
    const random = randomOf(17);
    const [start, end, columns] = [0, 57_344, 1300];
    for (const positive of [false, true]) {
      const live = series.map(() => new LossBlocks());
      const inputs = () => series.map((s, i) => ({ ...s, blocks: live[i] }));
      let m = 20_000;
      live.forEach((b, i) => b.extend(series[i].values, series[i].kind, m));
      let env = lossEnvelope(inputs(), m, start, end, columns, undefined, positive);
      let changes = 0;
      let unchanged = 0;
      while (m < n) {
        const before = m;
        const shown = { x: env.x.slice(0, env.length), ys: env.ys.map((y) => y.slice(0, env.length)) };
        // Mostly a batch at a time, as at 200 batches/s and 60 frames a second; now and then a chunk.
        m = Math.min(n, m + (random() < 0.8 ? 1 + Math.floor(random() * 4) : Math.floor(random() * 3000)));
        live.forEach((b, i) => b.extend(series[i].values, series[i].kind, m));
        env = lossEnvelope(inputs(), m, start, end, columns, env, positive, before);
        const fresh = lossEnvelope(inputs(), m, start, end, columns, undefined, positive);
        const x = env.x.slice(0, env.length);
        const ys = env.ys.map((y) => y.slice(0, env.length));
        expect(x).toEqual(fresh.x.slice(0, fresh.length));
        ys.forEach((y, s) => expect(y).toEqual(fresh.ys[s].slice(0, fresh.length)));
        const moved = JSON.stringify([x, ys]) !== JSON.stringify([shown.x, shown.ys]);
        expect(env.changed, `after ${m} batches`).toBe(moved);
        if (moved) changes++;
        else unchanged++;
      }
      // Both kinds of frame happened: the test saw points move and frames with nothing to redraw.
      expect(changes).toBeGreaterThan(10);
      expect(unchanged).toBeGreaterThan(10);
    }
  });

  test('a column of only NaN and infinite losses is drawn as a gap (null), not as 0', () => {
    const m = 4096;
    const values = new Float64Array(m).fill(1);
    const kind = new Uint8Array(m).fill(VALUE);
    for (let i = 1024; i < 2048; i++) {
      values[i] = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY][i % 3];
      kind[i] = GAP;
    }
    const blocks = new LossBlocks();
    blocks.extend(values, kind, m);
    const env = lossEnvelope([{ values, kind, blocks }], m, 0, m, 16);
    // Columns of 256 batches: columns 4..7 hold only non-finite losses.
    const plotted = env.ys[0].slice(0, env.length);
    expect(plotted.slice(8, 16)).toEqual(new Array(8).fill(null));
    expect(plotted.filter((v) => v === 0)).toEqual([]);
  });
});

/** Random batch records as a run logs them: phases, causes, flags, NaN, ±Infinity and unknown losses. */
function recordsOf(n: number, seed: number): BatchRecord[] {
  const random = randomOf(seed);
  const records: BatchRecord[] = [];
  let epoch = 0;
  let batch = 0;
  let phase = 0;
  for (let step = 0; step < n; step++) {
    // A new epoch now and then, and phases changing within one.
    const r0 = random();
    if (r0 < 0.01) [epoch, batch, phase] = [epoch + 1, 0, 0];
    else if (r0 < 0.02) [batch, phase] = [0, Math.floor(random() * PHASES.length)];
    const cause = step === 0 ? 'first' : random() < 0.85 ? 'carried' : CAUSES[Math.floor(random() * CAUSES.length)];
    const r = random();
    records.push({
      t: 'batch',
      step,
      epoch,
      batch: batch++,
      phase: PHASES[phase],
      rowCount: 4,
      rows: [step, step + 1, step + 2, step + 3],
      timesteps: null,
      loss:
        r < 0.02
          ? Number.NaN
          : r < 0.03
            ? Number.POSITIVE_INFINITY
            : r < 0.04
              ? Number.NEGATIVE_INFINITY
              : r < 0.06
                ? null
                : random(),
      cause,
      carriedFrom: cause === 'carried' ? step - 1 : null,
      rowSources: null,
      flags: random() < 0.02 ? [BATCH_FLAGS[Math.floor(random() * BATCH_FLAGS.length)]] : [],
      dataContinues: null,
      meanNorms: [{ h0: random() < 0.02 ? Number.NaN : random(), c0: 0, h: random(), c: 0 }],
      normsOffset: 0,
      statesOffset: null,
      hiddenOffset: null,
      ms: random() * 10,
    });
  }
  return records;
}

function snapshotOf(): RunSnapshot {
  return {
    runDir: '/runs/live',
    manifest: { model: { stateful: true } } as RunSnapshot['manifest'],
    status: 'running',
    batches: [],
    resets: [],
    epochLosses: [],
    warnings: [],
    answer: '',
  };
}

/** Everything a RunModel derives from its batches, comparable with toEqual. */
function derived(run: RunModel) {
  const n = run.length;
  const arrays = [
    'cause',
    'loss',
    'lossKnown',
    'phase',
    'epoch',
    'batch',
    'carriedFrom',
    'flags',
    'marks',
    'elapsed',
    'norm0',
  ] as const;
  return {
    n,
    ...Object.fromEntries(
      arrays.map((key) => [key, Array.from(run[key].subarray(0, n), (v) => (Number.isNaN(v) ? 'NaN' : v))]),
    ),
    counts: run.counts,
    perEpoch: [...run.perEpoch],
    epochOrder: run.epochOrder,
    groups: run.groups.groups,
    byPhase: [...run.groups.byPhase],
    epochStarts: run.epochStarts,
    epochNumbers: run.epochNumbers,
    phaseMask: run.phaseMask,
    nonFinite: run.nonFinite,
    flagged: run.flagged,
    normMax: run.normMax,
    blocks: run.blocks.levels.map((level, l) => {
      const k = blockCount(l, n);
      return {
        mask: Array.from(level.mask.subarray(0, k)),
        marks: Array.from(level.marks.subarray(0, k)),
        min: Array.from(level.min.subarray(0, k)),
        max: Array.from(level.max.subarray(0, k)),
        byCause: Array.from(level.byCause.subarray(0, k * CAUSE_SLOTS)),
      };
    }),
  };
}

describe('live batches appended one delta at a time equal the run loaded at once', () => {
  const n = 20_000;
  const records = recordsOf(n, 42);
  const snapshot = snapshotOf();

  test('the run model: columns, counts, epochs, marks and block summaries', () => {
    const atOnce = new RunModel();
    atOnce.load(snapshot, toColumns(records, { detail: false }));
    const live = new RunModel();
    live.load(snapshot, toColumns(records.slice(0, 1000), { detail: false }));
    let at = 1000;
    inChunks(n, 4, (to) => {
      if (to <= at) return;
      const ok = live.applyDelta({
        type: 'delta',
        batches: records.slice(at, to),
        resets: [],
        epochLosses: [],
        status: 'running',
        answer: '',
      });
      expect(ok).toBe(true);
      at = to;
    });
    expect(derived(live)).toEqual(derived(atOnce));
    // Each step's record: from the columns (snapshot) or as the delta sent it; the counts by hand.
    expect(live.record(15_000)).toEqual(records[15_000]);
    const carried = records.filter((r) => r.cause === 'carried').length;
    expect(live.counts.carried).toBe(carried);
    expect(live.nonFinite).toBe(records.filter((r) => r.loss !== null && !Number.isFinite(r.loss)).length);
  });

  test('the loss series and their blocks, and the events index, extended live equal them computed at once', () => {
    const run = new RunModel();
    run.load(snapshot, toColumns(records, { detail: false }));
    const once = new LossSeries();
    once.sync(run, n, 0.6, run.loads);
    const live = new LossSeries();
    const index = new EventIndex();
    inChunks(n, 8, (to) => {
      live.sync(run, to, 0.6, run.loads);
      for (const filter of EVENT_FILTERS)
        index.steps({ ...run, length: to, cause: run.cause, marks: run.marks, loads: run.loads } as RunModel, filter);
    });
    const a = once.inputs(run.loss);
    const b = live.inputs(run.loss);
    for (const key of ['train', 'ema', 'other'] as const) {
      expect(Array.from(b[key].kind).slice(0, n)).toEqual(Array.from(a[key].kind).slice(0, n));
      for (const field of ['seen', 'lo', 'loAt', 'hi', 'hiAt', 'pos', 'posAt'] as const) {
        const of = (series: ReturnType<LossSeries['inputs']>) =>
          series[key].blocks!.levels.map((level, l) => Array.from(level[field].subarray(0, blockCount(l, n))));
        expect(of(b)).toEqual(of(a));
      }
    }
    expect(Array.from(live.ema.subarray(0, n))).toEqual(Array.from(once.ema.subarray(0, n)));
    // The events found live equal a scan of the records, written out here.
    const zeroStarts = new Set(['first', 'epoch', 'schedule', 'manual', 'phase', 'auto', 'zeros']);
    expect(index.steps(run, 'resets').steps).toEqual(records.filter((r) => zeroStarts.has(r.cause)).map((r) => r.step));
    expect(index.steps(run, 'nonFinite').steps).toEqual(
      records.filter((r) => r.loss !== null && !Number.isFinite(r.loss)).map((r) => r.step),
    );
    for (const filter of EVENT_FILTERS) expect(index.steps(run, filter).steps).toEqual(eventSteps(run, filter));
  });

  test('a series synced with one model and then another of the same length (a comparison re-send) starts over', () => {
    const first = new RunModel();
    first.load(snapshot, toColumns(records, { detail: false }));
    const other = recordsOf(n, 7);
    const second = new RunModel();
    second.load(snapshot, toColumns(other, { detail: false }));
    expect(second.loads).not.toBe(first.loads);
    const reused = new LossSeries();
    reused.sync(first, n, 0.6, first.loads);
    reused.sync(second, n, 0.6, second.loads);
    const fresh = new LossSeries();
    fresh.sync(second, n, 0.6, second.loads);
    expect(Array.from(reused.ema.subarray(0, n))).toEqual(Array.from(fresh.ema.subarray(0, n)));
  });
});
