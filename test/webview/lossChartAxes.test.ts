/**
 * The loss chart's axes as drawn on its canvas: the titles of y and of x in each mode (step, epoch,
 * training time), and a y axis that is really logarithmic when "log scale" is ticked (tick labels
 * placed by decades), with the losses ≤ 0 that a log scale cannot show left out; and, while a run
 * streams, x ticks by epoch and by time that follow the new batches though the x scale holds still.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { LogRecord } from '../../src/shared/runFormat';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { launch, openHarness, type HarnessPage } from './browser';
import { drawnTexts, recordCanvasText, type DrawnText } from './canvasText';
import { replayLiveRun } from './liveReplay';

let browser: Browser;
let tmp: string;
let runDir: string;
const N = 50;
/** Steps whose loss is 0 and negative: nothing a log scale can place. */
const ZERO = 10;
const NEGATIVE = 20;
/** Losses over four decades, 10 down to 0.001: loss_i = 10^(1 − 4i/49). */
const lossAt = (i: number) => (i === ZERO ? 0 : i === NEGATIVE ? -0.5 : 10 ** (1 - (4 * i) / (N - 1)));

beforeAll(async () => {
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-loss-axes-'));
  runDir = writeSyntheticRun({
    dir: path.join(tmp, 'run'),
    stateful: false,
    epochs: 10,
    batchesPerEpoch: 5,
    batchSize: 2,
    units: [2],
    capturedBatches: 0,
  }).runDir;
  // The chart's data, written into the log: the losses above, and each epoch's mean of them.
  const log = path.join(runDir, 'log.jsonl');
  const epochMean = (epoch: number) => [0, 1, 2, 3, 4].reduce((sum, b) => sum + lossAt(epoch * 5 + b), 0) / 5;
  const lines = fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LogRecord)
    .map((r) =>
      r.t === 'batch'
        ? { ...r, loss: lossAt(r.step) }
        : r.t === 'epochEnd'
          ? { ...r, meanLoss: epochMean(r.epoch) }
          : r,
    );
  fs.writeFileSync(log, lines.map((r) => JSON.stringify(r)).join('\n') + '\n');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The y axis as drawn: its title and its tick labels with their heights (device px), top to bottom. */
async function yAxis(
  h: HarnessPage,
): Promise<{ title: string | undefined; ticks: Array<{ value: number; y: number }> }> {
  const texts = await drawnTexts(h.page, 'loss');
  const title = texts.find((t) => t.rotated)?.text;
  // The left axis writes its tick labels right-aligned against the plot.
  const ticks = texts
    .filter((t) => !t.rotated && t.align === 'right')
    .map((t) => ({ value: Number(t.text), y: t.y }))
    .sort((a, b) => a.y - b.y);
  return { title, ticks };
}

/** The x axis title as drawn: the horizontal text centred under the plot, below its tick labels. */
async function xTitle(h: HarnessPage): Promise<string | undefined> {
  const texts = (await drawnTexts(h.page, 'loss')).filter((t: DrawnText) => !t.rotated && t.align === 'center');
  const lowest = Math.max(...texts.map((t) => t.y));
  return texts.find((t) => t.y === lowest)?.text;
}

/** How far (px) the ticks are from a straight line through the first and last in `f` of their value. */
function offLine(ticks: Array<{ value: number; y: number }>, f: (v: number) => number): number {
  const a = ticks[0];
  const b = ticks[ticks.length - 1];
  const perUnit = (b.y - a.y) / (f(b.value) - f(a.value));
  return Math.max(...ticks.map((t) => Math.abs(a.y + (f(t.value) - f(a.value)) * perUnit - t.y)));
}

describe('loss chart axes', () => {
  test('y is titled "loss"; x is titled per mode: step (from 0), epoch (from 1), training time (batch times summed)', async () => {
    const h = await openHarness(browser, runDir, { init: recordCanvasText });
    await expect.poll(async () => (await yAxis(h)).title).toBe('loss');
    await expect.poll(() => xTitle(h)).toBe('step (batch index from 0)');
    for (const [mode, title] of [
      ['epoch', 'epoch (from 1)'],
      ['time', 'training time (sum of batch times)'],
      ['step', 'step (batch index from 0)'],
    ] as const) {
      await h.page.getByTestId('loss-x').selectOption(mode);
      await expect.poll(() => xTitle(h), { message: mode }).toBe(title);
    }
    // The choice names the time axis as the title does: not wall-clock time (what happens between batches is not in it).
    expect(await h.page.locator('[data-testid="loss-x"] option[value="time"]').textContent()).toBe('training time');
    expect(h.errors).toEqual([]);
    await h.page.close();
  });

  test('log scale: tick labels a decade apart are equally spaced, every label placed by log10; losses ≤ 0 are left out', async () => {
    const h = await openHarness(browser, runDir, { init: recordCanvasText });
    // Linear first: the labels sit on a straight line in their value, down to 0 (the negative loss is in range).
    await expect.poll(async () => (await yAxis(h)).ticks.length).toBeGreaterThan(2);
    const linear = (await yAxis(h)).ticks;
    expect(offLine(linear, (v) => v)).toBeLessThanOrEqual(1.5);
    expect(Math.min(...linear.map((t) => t.value))).toBeLessThanOrEqual(0);

    await h.page.getByTestId('loss-log').check();
    await expect.poll(async () => (await yAxis(h)).title).toBe('loss (log)');
    const { ticks } = await yAxis(h);
    expect(ticks.length).toBeGreaterThan(2);
    // Nothing at or below zero on a log axis, and the labels span the four decades of the data.
    expect(ticks.every((t) => t.value > 0)).toBe(true);
    const values = ticks.map((t) => t.value);
    expect(Math.min(...values)).toBeLessThanOrEqual(0.001);
    expect(Math.max(...values)).toBeGreaterThanOrEqual(10);
    // Logarithmic: each label's height is linear in log10 of its value (not in the value)…
    expect(offLine(ticks, Math.log10)).toBeLessThanOrEqual(1.5);
    expect(offLine(ticks, (v) => v)).toBeGreaterThan(10);
    // …so the powers of ten labelled are equally spaced.
    const decades = ticks.filter(
      (t) => Number.isInteger(Math.log10(t.value)) || Math.abs(Math.log10(t.value) % 1) < 1e-9,
    );
    expect(decades.length).toBeGreaterThanOrEqual(2);
    const perDecade = decades
      .slice(1)
      .map((t, i) => (t.y - decades[i].y) / (Math.log10(decades[i].value) - Math.log10(t.value)));
    for (const gap of perDecade) expect(gap).toBeCloseTo(perDecade[0], 0);
    // The loss of 0 is still read out on hover, though the log axis cannot draw it.
    const over = (await h.page.getByTestId('loss-over').boundingBox())!;
    await h.page.mouse.move(over.x + ((ZERO + 0.5) / N) * over.width, over.y + over.height / 2);
    await expect.poll(() => h.page.getByTestId('loss-readout').getAttribute('data-step')).toBe(String(ZERO));
    expect(await h.page.getByTestId('loss-readout').textContent()).toContain(' · loss 0 · ');
    await h.screenshot('loss-log-decades');
    expect(h.errors).toEqual([]);
    await h.page.close();
  });
});

describe('x ticks while a run streams', () => {
  const ticks = (page: Page) =>
    page.evaluate(() => document.querySelector<HTMLElement>('[data-testid="loss-chart"]')!.dataset.xTicks);
  const viewport = (page: Page) =>
    page.evaluate(() => (window as unknown as { __state: { viewport: unknown } }).__state.viewport);

  // Followed, a live run's x scale holds still between grid steps (liveSpan): new epochs and later
  // batch times must still bring their ticks, as a panel opened on the same batches shows them.
  for (const xAxis of ['epoch', 'time'] as const)
    test(`by ${xAxis}: the ticks after 1,000 streamed batches are those of a panel opened on them`, async () => {
      const { until: liveUntil, delta } = replayLiveRun(path.join(tmp, `live-${xAxis}`));
      const live = liveUntil(23_000);
      const h = await openHarness(browser, live, { status: 'running', state: { runDir: live, xAxis } });
      const before = await ticks(h.page);
      for (let at = 23_000; at < 24_000; at += 50) await h.postAndPaint(delta(at, at + 50));
      const opened = liveUntil(24_000);
      const reference = await openHarness(browser, opened, { status: 'running', state: { runDir: opened, xAxis } });
      // The same view: the x scale held still over the 1,000 batches...
      expect(await viewport(h.page)).toEqual(await viewport(reference.page));
      // ...and ticks that followed the batches.
      expect(await ticks(h.page)).toBe(await ticks(reference.page));
      expect(await ticks(h.page)).not.toBe(before);
      await reference.page.close();
      await h.page.close();
    });
});
