/** Pure webview modules: downsampling that keeps every reset, EMA, viewport math, continuity numbers. */
import { describe, expect, test } from 'vitest';
import { CAUSES } from '../../src/shared/causes';
import { CAUSE_CODE, MARKER_MASK, dominantCause } from '../../webview/numbers/causeCodes';
import { absMax, difference, maxAbsDiff } from '../../webview/numbers/continuity';
import { CAUSE_SLOTS, downsample } from '../../webview/numbers/downsample';
import { emaOf, extendEma } from '../../webview/numbers/ema';
import { ABSENT, GAP, VALUE, lossEnvelope } from '../../webview/numbers/lossEnvelope';
import { clampViewport, ensureVisible, liveSpan, MIN_SPAN, panBy, zoomAt } from '../../webview/numbers/viewport';
import { formatSeconds, stepTicks, timeTicks } from '../../webview/numbers/axisTicks';
import { epochLabelStride, epochLabels } from '../../webview/numbers/epochLabels';
import { parseBatchQuery, resolveBatchQuery } from '../../webview/numbers/goTo';

/** 100k batches, mostly carried, with resets at irregular steps (some adjacent, some in the same column). */
function bigRun(n = 100_000) {
  const causes = new Uint8Array(n).fill(CAUSE_CODE.carried);
  const values = new Float32Array(n).map((_, i) => 1 + Math.sin(i));
  const resets = [0, 1, 2, 777, 778, 5_000, 33_333, 33_334, 65_535, 99_998, 99_999];
  const kinds = ['first', 'epoch', 'schedule', 'manual'] as const;
  resets.forEach((step, i) => {
    causes[step] = CAUSE_CODE[step === 0 ? 'first' : kinds[1 + (i % 3)]];
    values[step] = 0;
  });
  return { n, causes, values, resets };
}

describe('downsample', () => {
  test('every batch lands in exactly one column and no reset is lost, at any zoom', () => {
    const { n, causes, values, resets } = bigRun();
    for (const [start, end, width] of [
      [0, n, 800],
      [0, n, 1917],
      [0, n, 37],
      [31_000, 36_000.5, 640],
      [0.25, 5_000.75, 999],
    ] as const) {
      const cols = downsample(values, causes, n, start, end, width);
      const total = cols.count.reduce((a, b) => a + b, 0);
      expect(total).toBe(Math.min(n, Math.ceil(end)) - Math.max(0, Math.floor(start)));
      for (const step of resets.filter((s) => s >= Math.floor(start) && s < end)) {
        const col = Math.min(width - 1, Math.max(0, Math.floor((step - start) / ((end - start) / width))));
        expect(cols.mask[col] & (1 << causes[step]), `reset at ${step} in column ${col}`).not.toBe(0);
        expect(cols.min[col]).toBe(0);
      }
      for (let c = 0; c < width; c++) {
        const perCause = cols.byCause.subarray(c * CAUSE_SLOTS, (c + 1) * CAUSE_SLOTS);
        expect(perCause.reduce((a, b) => a + b, 0)).toBe(cols.count[c]);
      }
      const markerColumns = [...cols.mask].filter((m) => m & MARKER_MASK).length;
      expect(markerColumns).toBeGreaterThan(0);
    }
  });

  test('min and max per column are those of the batches in it', () => {
    const values = [5, 1, 9, 3, 7, 2];
    const causes = new Uint8Array(6).fill(CAUSE_CODE.auto);
    const cols = downsample(values, causes, 6, 0, 6, 2);
    expect([...cols.min]).toEqual([1, 2]);
    expect([...cols.max]).toEqual([9, 7]);
    expect([...cols.first]).toEqual([0, 3]);
    expect([...cols.count]).toEqual([3, 3]);
  });

  test('columns past the last batch stay empty', () => {
    const cols = downsample([1, 2], new Uint8Array(2), 2, 0, 10, 5);
    expect([...cols.count]).toEqual([2, 0, 0, 0, 0]);
  });

  test('a column with several causes is coloured by the most telling one', () => {
    const bit = (c: (typeof CAUSES)[number]) => 1 << CAUSE_CODE[c];
    expect(dominantCause(bit('carried') | bit('epoch'))).toBe('epoch');
    expect(dominantCause(bit('manual') | bit('epoch') | bit('carried'))).toBe('manual');
    expect(dominantCause(bit('auto'))).toBe('auto');
    expect(dominantCause(0)).toBeUndefined();
  });
});

describe('EMA', () => {
  test('debiased: a constant series stays constant from the first value', () => {
    expect([...emaOf([2, 2, 2, 2], 4, 0.9)].map((v) => +v.toFixed(12))).toEqual([2, 2, 2, 2]);
  });

  test('matches the textbook recurrence divided by the accumulated weight', () => {
    const xs = [1, 3, 2, 8, 4];
    const s = 0.6;
    let last = 0;
    let weight = 0;
    const expected = xs.map((x) => {
      last = s * last + (1 - s) * x;
      weight = s * weight + (1 - s);
      return last / weight;
    });
    const got = emaOf(xs, xs.length, s);
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
  });

  test('smoothing 0 is the raw series; extending equals recomputing', () => {
    expect([...emaOf([1, 5, 3], 3, 0)]).toEqual([1, 5, 3]);
    const xs = Array.from({ length: 50 }, (_, i) => Math.cos(i));
    const whole = emaOf(xs, 50, 0.8);
    const out = new Float64Array(50);
    const state = { last: 0, weight: 0 };
    extendEma(xs, 0, 20, 0.8, out, state);
    extendEma(xs, 20, 50, 0.8, out, state);
    expect([...out]).toEqual([...whole]);
  });

  test('a non-finite loss is a gap in the average, which goes on after it unchanged', () => {
    const got = emaOf([1, Number.NaN, 3, Number.POSITIVE_INFINITY, 3], 5, 0.5);
    // By hand: after 1: 0.5/0.5 = 1; after 3: (0.25 + 1.5)/0.75 = 7/3; after the second 3: (0.875 + 1.5)/0.875 = 19/7.
    expect(Number.isNaN(got[1]) && Number.isNaN(got[3])).toBe(true);
    expect(got[0]).toBe(1);
    expect(got[2]).toBeCloseTo(7 / 3, 12);
    expect(got[4]).toBeCloseTo(19 / 7, 12);
  });
});

describe('viewport', () => {
  test('zoom keeps the batch under the pointer in place and clamps to the run', () => {
    const v = zoomAt({ start: 0, end: 1000 }, 0.25, 0.5, 1000);
    expect(v.start + 0.25 * (v.end - v.start)).toBeCloseTo(250);
    expect(v.end - v.start).toBeCloseTo(500);
    expect(zoomAt({ start: 0, end: 1000 }, 0.5, 10, 1000)).toEqual({ start: 0, end: 1000 });
    const tiny = zoomAt({ start: 10, end: 14 }, 0.5, 0.01, 1000);
    expect(tiny.end - tiny.start).toBe(MIN_SPAN);
  });

  test('a live run spans its batches with at most an eighth to spare, on steps that hold still', () => {
    let steps = 0;
    for (let n = 0; n <= 3_000_000; n += n < 5000 ? 1 : 997) {
      const span = liveSpan(n);
      expect(span).toBeGreaterThanOrEqual(Math.max(n, MIN_SPAN));
      expect(span).toBeLessThanOrEqual(Math.max(MIN_SPAN, n + n / 8));
      expect(Number.isInteger(span)).toBe(true);
      if (n > 0 && span !== liveSpan(n - 1)) steps++;
    }
    // A step is taken only when the batches outgrow the span: 2000 to 2048 batches share one scale.
    expect(new Set([2000, 2001, 2030, 2048].map(liveSpan))).toEqual(new Set([2048]));
    expect(liveSpan(2049)).toBe(2304);
    expect(liveSpan(1_000_000)).toBe(1_048_576);
    expect(steps).toBeLessThan(200);
  });

  test('pan stops at both ends', () => {
    expect(panBy({ start: 10, end: 20 }, -50, 100)).toEqual({ start: 0, end: 10 });
    expect(panBy({ start: 10, end: 20 }, 500, 100)).toEqual({ start: 90, end: 100 });
    expect(clampViewport({ start: Number.NaN, end: 5 }, 100).start).toBe(0);
  });

  test('ensureVisible scrolls the least needed', () => {
    expect(ensureVisible({ start: 0, end: 10 }, 5, 100)).toEqual({ start: 0, end: 10 });
    const right = ensureVisible({ start: 0, end: 10 }, 20, 100);
    expect(right.start).toBeLessThanOrEqual(20);
    expect(right.end).toBeGreaterThanOrEqual(21);
    expect(right.end - right.start).toBe(10);
    const left = ensureVisible({ start: 50, end: 60 }, 3, 100);
    expect(left.start).toBeLessThanOrEqual(3);
  });
});

describe('continuity numbers', () => {
  test('max |diff| per row and overall; 0 for identical (carried) states', () => {
    const a = [0.5, -0.25, 1, 2];
    expect(maxAbsDiff(a, [...a], 2, 2).max).toBe(0);
    const { perRow, max } = maxAbsDiff(a, [0, 0, 0, 0], 2, 2);
    expect([...perRow]).toEqual([0.5, 2]);
    expect(max).toBe(2);
    expect([...difference([1, 2], [3, 1])]).toEqual([2, -1]);
    expect(absMax([0, 0])).toBe(1);
    expect(absMax([1, -3], [2])).toBe(3);
  });
});

describe('loss envelope', () => {
  const values = (loss: ArrayLike<number>) => ({ values: loss, kind: new Uint8Array(loss.length).fill(VALUE) });

  test('few batches in view: the raw points, with one batch of margin each side', () => {
    const loss = [5, 4, 3, 2, 1, 0];
    const env = lossEnvelope([values(loss)], 6, 2, 4, 100);
    expect(env.x).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(env.ys[0]).toEqual([4, 3, 2, 1]);
  });

  test('a gap (non-finite loss) is null, breaking the line; another phase is undefined, spanned; log scale drops values ≤ 0', () => {
    const loss = [1, Number.NaN, 2, 3, 0];
    const kind = Uint8Array.from([VALUE, GAP, ABSENT, VALUE, VALUE]);
    const env = lossEnvelope([{ values: loss, kind }], 5, 0, 5, 100);
    expect(env.ys[0]).toEqual([1, null, undefined, 3, 0]);
    expect(lossEnvelope([{ values: loss, kind }], 5, 0, 5, 100, undefined, true).ys[0]).toEqual([
      1,
      null,
      undefined,
      3,
      undefined,
    ]);
  });

  test('many batches: two points per column at most, every spike and dip kept, x ascending', () => {
    const n = 100_000;
    const loss = Float64Array.from({ length: n }, (_, i) => 1 + 0.01 * Math.sin(i));
    loss[12_345] = 50;
    loss[77_777] = -3;
    const env = lossEnvelope([values(loss)], n, 0, n, 800);
    expect(env.length).toBeLessThanOrEqual(2 * 800 + 4);
    const ys = env.ys[0] as number[];
    expect(Math.max(...ys)).toBe(50);
    expect(Math.min(...ys)).toBe(-3);
    expect(env.x.every((x, i) => i === 0 || x > env.x[i - 1])).toBe(true);
  });
});

describe('axis ticks, epoch labels, go to batch', () => {
  test('step ticks are whole steps at the centre of their batch, however far in the zoom', () => {
    for (const [min, max] of [
      [0, 100_000],
      [10.3, 14.9],
      [0, 3],
    ]) {
      const ticks = stepTicks(min, max, 8);
      expect(ticks.length).toBeGreaterThan(0);
      for (const t of ticks) {
        expect(t.label).toMatch(/^\d+$/);
        expect(t.x).toBe(Number(t.label) + 0.5);
        expect(t.x).toBeGreaterThanOrEqual(min);
        expect(t.x).toBeLessThanOrEqual(max);
      }
    }
  });

  test('time ticks fall on round seconds at the first batch that reaches them', () => {
    // Batches of 0.5 s: the end of batch i is at (i + 1) / 2 s.
    const elapsed = Float64Array.from({ length: 100 }, (_, i) => (i + 1) / 2);
    const ticks = timeTicks(elapsed, 100, 0, 100, 6);
    expect(ticks[0]).toEqual({ x: 19.5, label: '10 s' });
    expect(ticks.map((t) => t.label)).toEqual(['10 s', '20 s', '30 s', '40 s', '50 s']);
    expect(formatSeconds(75)).toBe('1:15');
  });

  test('epoch labels: a round stride, never overlapping', () => {
    expect(epochLabelStride(100, 40)).toBe(1);
    expect(epochLabelStride(3, 40)).toBe(20);
    expect(epochLabelStride(0.5, 40)).toBe(100);
    const xs = Array.from({ length: 400 }, (_, i) => i * 3);
    const labels = epochLabels(
      xs,
      xs.map((_, i) => i),
      epochLabelStride(3, 48),
      8,
      1200,
      (t) => t.length * 5,
    );
    for (let i = 1; i < labels.length; i++)
      expect(labels[i].x).toBeGreaterThan(labels[i - 1].x + labels[i - 1].text.length * 5);
    expect(labels.map((l) => l.text).slice(0, 3)).toEqual(['epoch 1', 'epoch 20', 'epoch 40']);
  });

  test('go to batch: a step, or an epoch and a training batch from 1', () => {
    const run = { length: 6, epoch: [0, 0, 0, 1, 1, 1], batch: [0, 1, 0, 0, 1, 0], phase: [0, 0, 1, 0, 0, 1] };
    expect(resolveBatchQuery(parseBatchQuery('4'), run)).toEqual({ step: 4 });
    expect(resolveBatchQuery(parseBatchQuery(' 2/2 '), run)).toEqual({ step: 4 });
    expect(resolveBatchQuery(parseBatchQuery('epoch 1 batch 1'), run)).toEqual({ step: 0 });
    expect(resolveBatchQuery(parseBatchQuery('e2b1'), run)).toEqual({ step: 3 });
    expect(resolveBatchQuery(parseBatchQuery('0/1'), run)).toEqual({ error: 'epochs and batches are counted from 1' });
    expect(resolveBatchQuery(parseBatchQuery('9'), run)).toEqual({
      error: 'there is no step 9: the run has steps 0–5',
    });
    expect(resolveBatchQuery(parseBatchQuery('2/3'), run)).toEqual({
      error: 'there is no training batch 3 in epoch 2',
    });
  });
});
