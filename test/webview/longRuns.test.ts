/**
 * Reading long and live runs (issue 13), in the built webview: follow mode, epoch labels that never
 * overlap, markers visible at any zoom, the legend as a filter for `[` / `]`, Go to batch, the list of
 * batches of note, and the loss chart's readout, debiased EMA, axis modes and log scale.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { BatchRecord, LogRecord, RunManifest } from '../../src/shared/runFormat';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { launch, openHarness, type HarnessPage } from './browser';
import { replayLiveRun } from './liveReplay';

let browser: Browser;
let tmp: string;
let live: string;
let long: string;
let stateless: string;
const MANUAL = 1234;

beforeAll(async () => {
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-long-'));
  live = writeSyntheticRun({
    dir: path.join(tmp, 'live'),
    stateful: true,
    epochs: 400,
    batchesPerEpoch: 5,
    batchSize: 2,
    units: [2],
    resets: 'epoch',
    status: 'open',
    capturedBatches: 0,
  }).runDir;
  // 1316 batches as in the issue, one manual reset among epoch and scheduled ones.
  long = writeSyntheticRun({
    dir: path.join(tmp, 'long'),
    stateful: true,
    epochs: 329,
    batchesPerEpoch: 4,
    batchSize: 2,
    units: [2],
    resets: 'epoch',
    manualResetsAt: [MANUAL],
    capturedBatches: 0,
  }).runDir;
  stateless = writeSyntheticRun({
    dir: path.join(tmp, 'stateless'),
    stateful: false,
    epochs: 15,
    batchesPerEpoch: 5,
    batchSize: 4,
    units: [3],
  }).runDir;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const uiState = (h: HarnessPage) =>
  h.page.evaluate(
    () =>
      (
        window as unknown as {
          __state: { viewport: { start: number; end: number }; follow: boolean; selected: number };
        }
      ).__state,
  );
const selected = async (h: HarnessPage) => Number(await h.page.getByTestId('timeline').getAttribute('aria-valuenow'));

/** The first `n` batches of a run's log as records (read straight from log.jsonl). */
function logBatches(runDir: string): BatchRecord[] {
  return fs
    .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LogRecord)
    .filter((r): r is BatchRecord => r.t === 'batch');
}

describe('follow mode', () => {
  test('a live run fits the batches so far, not the 2000 planned; a zoom stops following; Follow fits again', async () => {
    const all = logBatches(live);
    const h = await openHarness(browser, live, { status: 'running' });
    // The snapshot holds all 2000 written batches; a live run's next ones arrive as deltas. The view
    // spans them with room to spare on the grid m · 2^k (2048 = 16 · 128), so the x scale holds still.
    expect((await uiState(h)).viewport).toEqual({ start: 0, end: 2048 });
    expect(await h.page.getByTestId('follow').getAttribute('aria-pressed')).toBe('true');
    const next = (step: number): BatchRecord => ({
      ...all[1],
      step,
      epoch: 400,
      batch: step - 2000,
      carriedFrom: step - 1,
    });
    await h.postAndPaint({
      type: 'delta',
      batches: [next(2000), next(2001)],
      resets: [],
      epochLosses: [],
      status: 'running',
      answer: 'a',
    });
    await expect.poll(async () => (await uiState(h)).viewport).toEqual({ start: 0, end: 2048 });
    // The user zooms: following stops, and new batches no longer move the view.
    const box = (await h.page.getByTestId('timeline').boundingBox())!;
    await h.page.mouse.move(box.x + box.width / 2, box.y + 40);
    await h.page.mouse.wheel(0, -500);
    await expect.poll(async () => (await uiState(h)).follow).toBe(false);
    const zoomed = (await uiState(h)).viewport;
    expect(zoomed.end - zoomed.start).toBeLessThan(2048);
    await h.postAndPaint({
      type: 'delta',
      batches: [next(2002)],
      resets: [],
      epochLosses: [],
      status: 'running',
      answer: 'a',
    });
    expect((await uiState(h)).viewport).toEqual(zoomed);
    expect(await h.page.getByTestId('follow').getAttribute('aria-pressed')).toBe('false');
    await h.screenshot('follow-zoomed');
    await h.page.getByTestId('follow').click();
    await expect.poll(async () => (await uiState(h)).viewport).toEqual({ start: 0, end: 2048 });
    await h.postAndPaint({
      type: 'delta',
      batches: [next(2003)],
      resets: [],
      epochLosses: [],
      status: 'running',
      answer: 'a',
    });
    await expect.poll(async () => (await uiState(h)).viewport).toEqual({ start: 0, end: 2048 });
    // A finished run has nothing to follow: no button.
    await h.postAndPaint({ type: 'delta', batches: [], resets: [], epochLosses: [], status: 'finished', answer: 'a' });
    expect(await h.page.getByTestId('follow').isHidden()).toBe(true);
    await h.page.close();
  });
});

describe('live frames', () => {
  test('a frame that would change no pixel draws nothing, and after live batches the canvases equal a fresh draw of the same batches', async () => {
    // 24,000 batches, seen zoomed out (about 20 per pixel column), a manual reset among the live ones.
    const { until: liveUntil, delta } = replayLiveRun(path.join(tmp, 'live-frames'), [23_500]);
    const pixels = (page: Page) =>
      page.evaluate(() => ({
        timeline: document.querySelector<HTMLCanvasElement>('[data-testid="timeline"] canvas')!.toDataURL(),
        loss: document.querySelector<HTMLCanvasElement>('[data-testid="loss-chart"] canvas')!.toDataURL(),
      }));
    const frames = (page: Page) =>
      page.evaluate(() => ({
        timeline: Number(document.querySelector<HTMLElement>('[data-testid="timeline"]')!.dataset.frames),
        loss: Number(document.querySelector<HTMLElement>('[data-testid="loss-chart"]')!.dataset.frames),
      }));
    const first = 23_000;
    const h = await openHarness(browser, liveUntil(first), { status: 'running' });
    // A delta without batches (the run's answer again) changes nothing on screen: nothing is drawn.
    const before = await frames(h.page);
    const shown = await pixels(h.page);
    await h.postAndPaint(delta(first, first));
    expect(await frames(h.page)).toEqual(before);
    expect(await pixels(h.page)).toEqual(shown);
    // Live batches a few at a time; at each checkpoint the screen is what a fresh panel draws of the same batches.
    let at = first;
    for (const checkpoint of [23_497, 24_000]) {
      for (; at < checkpoint; at = Math.min(checkpoint, at + 7))
        await h.postAndPaint(delta(at, Math.min(checkpoint, at + 7)));
      const reference = await openHarness(browser, liveUntil(checkpoint), { status: 'running' });
      expect(await pixels(h.page), `${checkpoint} batches`).toEqual(await pixels(reference.page));
      await reference.page.close();
    }
    const after = await frames(h.page);
    // Most deltas drew, some drew nothing (their batches changed no pixel): both happened.
    const deltas = Math.ceil((24_000 - first) / 7);
    expect(after.timeline - before.timeline).toBeGreaterThan(0);
    expect(after.timeline - before.timeline).toBeLessThan(deltas);
    expect(after.loss - before.loss).toBeLessThan(deltas);
    // A canvas that comes back blank after a lost context is drawn again, though nothing else changed.
    const drawn = await pixels(h.page);
    await h.page.evaluate(() => {
      for (const selector of ['[data-testid="timeline"] canvas', '[data-testid="loss-chart"] canvas']) {
        const canvas = document.querySelector<HTMLCanvasElement>(selector)!;
        canvas.getContext('2d')!.clearRect(0, 0, canvas.width, canvas.height);
        canvas.dispatchEvent(new Event('contextrestored'));
      }
    });
    await h.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await pixels(h.page)).toEqual(drawn);
    await h.page.close();
  });
});

describe('run details', () => {
  test('writer, backend, versions, start and end, duration, batches per second, the config as resolved', async () => {
    const h = await openHarness(browser, stateless);
    await h.page.getByTestId('run-details').locator('summary').click();
    const manifest = JSON.parse(fs.readFileSync(path.join(stateless, 'manifest.json'), 'utf8')) as RunManifest;
    expect(await h.page.getByTestId('detail-writer').textContent()).toBe('trainer 0.0.0');
    expect(await h.page.getByTestId('detail-versions').textContent()).toBe(
      `tfjs synthetic, node ${manifest.versions.node}, product 0.0.0`,
    );
    expect(await h.page.getByTestId('detail-backend').textContent()).toBe('cpu');
    // The synthetic run started and ended at the same instant: no rate to show.
    expect(await h.page.getByTestId('detail-duration').textContent()).toBe('0 s');
    expect(await h.page.getByTestId('detail-rate').textContent()).toBe('—');
    const config = JSON.parse((await h.page.getByTestId('detail-config').textContent())!);
    expect(config).toMatchObject({
      training: { batchSize: 4, epochs: 15, optimizer: 'adam' },
      model: { stateful: false },
    });
    await h.page.close();
  });

  test('start and end are the manifest’s and the end record’s instants; duration and rate follow from them', async () => {
    // The stateless run again, started at 09:00:00 and ended 30 s later (UTC).
    const timed = path.join(tmp, 'timed');
    fs.cpSync(stateless, timed, { recursive: true });
    const [start, end] = ['2026-03-01T09:00:00.000Z', '2026-03-01T09:00:30.000Z'];
    const manifestFile = path.join(timed, 'manifest.json');
    fs.writeFileSync(
      manifestFile,
      JSON.stringify({ ...JSON.parse(fs.readFileSync(manifestFile, 'utf8')), createdAt: start }),
    );
    const log = path.join(timed, 'log.jsonl');
    fs.writeFileSync(
      log,
      fs
        .readFileSync(log, 'utf8')
        .replace(/"t":"end","status":"finished","at":"[^"]+"/, `"t":"end","status":"finished","at":"${end}"`),
    );
    expect(logBatches(timed).length).toBe(75);
    const h = await openHarness(browser, timed);
    await h.page.getByTestId('run-details').locator('summary').click();
    // Shown in the viewer's locale and time zone: read back as an instant, it is the saved one.
    const instant = (testId: string) => h.page.getByTestId(testId).evaluate((dd) => Date.parse(dd.textContent ?? ''));
    expect(await instant('detail-started')).toBe(Date.parse(start));
    expect(await instant('detail-ended')).toBe(Date.parse(end));
    expect(await h.page.getByTestId('detail-duration').textContent()).toBe('30 s');
    // 75 batches in 30 s.
    expect(Number(await h.page.getByTestId('detail-rate').textContent())).toBeCloseTo(75 / 30, 6);
    await h.page.close();
    // A live run has not ended yet.
    const running = await openHarness(browser, live, { status: 'running' });
    await running.page.getByTestId('run-details').locator('summary').click();
    expect(await running.page.getByTestId('detail-ended').textContent()).toBe('still running');
    await running.page.close();
  });
});

describe('long runs', () => {
  test('epoch labels never overlap, zoomed out or in, and thin out to round strides', async () => {
    const h = await openHarness(browser, long);
    const labels = async () =>
      JSON.parse((await h.page.getByTestId('timeline').getAttribute('data-epoch-labels'))!) as Array<[number, number]>;
    const box = (await h.page.getByTestId('timeline').boundingBox())!;
    for (let zoom = 0; zoom < 6; zoom++) {
      const drawn = await labels();
      expect(drawn.length, `labels at zoom ${zoom}`).toBeGreaterThan(1);
      for (let i = 1; i < drawn.length; i++)
        expect(drawn[i][0], `label ${i} starts after label ${i - 1} ends (zoom ${zoom})`).toBeGreaterThan(
          drawn[i - 1][0] + drawn[i - 1][1],
        );
      await h.page.mouse.move(box.x + box.width * 0.6, box.y + 40);
      const painted = h.painted();
      await h.page.mouse.wheel(0, -300);
      await painted;
    }
    await h.page.close();
  });

  test('a lone manual reset among 1316 batches is visible fully zoomed out, at least 3 px wide, with its own shape', async () => {
    const h = await openHarness(browser, long);
    const found = await h.page.evaluate(
      ({ manual, n }) => {
        const el = document.querySelector('[data-testid="timeline"]') as HTMLElement;
        const canvas = el.querySelector('canvas')!;
        const dpr = window.devicePixelRatio || 1;
        const left = Number(el.dataset.plotLeft) * dpr;
        const right = Number(el.dataset.plotRight) * dpr;
        const plot = canvas.width - left - right;
        const x = Math.round(left + ((manual + 0.5) / n) * plot);
        // The manual colour, read as the canvas does.
        const probe = document.createElement('span');
        probe.style.color = 'var(--lst-manual)';
        document.body.append(probe);
        const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
        const data = canvas.getContext('2d')!.getImageData(x - 8, 16 * dpr, 16, 14 * dpr).data;
        const columns = new Set<number>();
        for (let i = 0; i < data.length; i += 4)
          if (Math.abs(data[i] - r) < 8 && Math.abs(data[i + 1] - g) < 8 && Math.abs(data[i + 2] - b) < 8)
            columns.add((i / 4) % 16);
        return columns.size;
      },
      { manual: MANUAL, n: 1316 },
    );
    expect(found).toBeGreaterThanOrEqual(3);
    await h.screenshot('long-1316-zoomed-out');
    await h.page.close();
  });

  // The ‖h₀‖ row's scale: test/webview/resetReadings.test.ts (a stateless run's ‖h₀‖ is 0 throughout).
  test("the stateless run's resets row shows its automatic resets", async () => {
    const h = await openHarness(browser, stateless);
    const counts = await h.page.evaluate(() => {
      const el = document.querySelector('[data-testid="timeline"]') as HTMLElement;
      const canvas = el.querySelector('canvas')!;
      const dpr = window.devicePixelRatio || 1;
      const left = Number(el.dataset.plotLeft) * dpr;
      const probe = document.createElement('span');
      probe.style.color = 'var(--lst-auto)';
      document.body.append(probe);
      const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
      const row = canvas.getContext('2d')!.getImageData(left, 26 * dpr, canvas.width - left, 1).data;
      let ticks = 0;
      let inside = false;
      for (let i = 0; i < row.length; i += 4) {
        const on = Math.abs(row[i] - r) < 8 && Math.abs(row[i + 1] - g) < 8 && Math.abs(row[i + 2] - b) < 8;
        if (on && !inside) ticks++;
        inside = on;
      }
      return ticks;
    });
    // One tick per batch: 75 automatic resets, as the banner says.
    expect(counts).toBe(75);
    expect(await h.page.getByTestId('answer-banner').textContent()).toMatch(/75 automatic resets/);
    await h.page.getByTestId('events-filter').selectOption('resets');
    await expect.poll(() => h.page.getByTestId('events-count').textContent()).toBe('75 batches');
    await h.screenshot('stateless-resets-row');
    await h.page.close();
  });
});

describe('finding batches', () => {
  test('clicking a legend entry highlights its cause and makes [ and ] jump between its batches', async () => {
    const h = await openHarness(browser, long);
    const timeline = h.page.getByTestId('timeline');
    await timeline.focus();
    await h.page.keyboard.press('Home');
    // Without a highlight, ] stops at every reset: the epoch reset at step 4 first.
    await h.page.keyboard.press(']');
    await expect.poll(() => selected(h)).toBe(4);
    await h.page.getByTestId('legend-button-manual').click();
    await expect.poll(() => h.page.getByTestId('legend-button-manual').getAttribute('aria-pressed')).toBe('true');
    await timeline.focus();
    await h.page.keyboard.press('Home');
    await h.page.keyboard.press(']');
    await expect.poll(() => selected(h)).toBe(MANUAL);
    await h.page.keyboard.press(']');
    await expect.poll(() => selected(h)).toBe(MANUAL);
    await h.page.keyboard.press('End');
    await h.page.keyboard.press('[');
    await expect.poll(() => selected(h)).toBe(MANUAL);
    // The list of batches of note follows the highlighted cause.
    await expect.poll(() => h.page.getByTestId('events-count').textContent()).toBe('1 batch');
    // The epoch resets: every 4th step from 4 on (1234 is the manual one).
    await h.page.getByTestId('legend-button-epoch').click();
    await timeline.focus();
    await h.page.keyboard.press('Home');
    for (const step of [4, 8, 12]) {
      await h.page.keyboard.press(']');
      await expect.poll(() => selected(h)).toBe(step);
    }
    await h.screenshot('legend-highlight-epoch');
    await h.page.getByTestId('legend-button-epoch').click();
    await expect.poll(() => h.page.getByTestId('legend-button-epoch').getAttribute('aria-pressed')).toBe('false');
    await h.page.close();
  });

  test('Go to batch takes a step or an epoch/batch from 1, and says what is wrong otherwise', async () => {
    const h = await openHarness(browser, long);
    const go = async (text: string) => {
      await h.page.getByTestId('goto-batch').fill(text);
      await h.page.getByTestId('goto-batch').press('Enter');
    };
    await go('700');
    await expect.poll(() => selected(h)).toBe(700);
    await go('3/2');
    // Epoch 3 (from 1) starts at step 8; its batch 2 is step 9.
    await expect.poll(() => selected(h)).toBe(9);
    expect(await h.page.getByTestId('inspector-summary').textContent()).toMatch(/^step 9 · epoch 3, batch 2 /);
    await go('e300 b4');
    await expect.poll(() => selected(h)).toBe(299 * 4 + 3);
    await go('400/1');
    expect(await h.page.getByTestId('goto-message').textContent()).toBe('there is no training batch 1 in epoch 400');
    await go('99999');
    expect(await h.page.getByTestId('goto-message').textContent()).toMatch(/^there is no step 99999/);
    await go('abc');
    expect(await h.page.getByTestId('goto-message').textContent()).toMatch(/type a step/);
    // The list links to its batches too.
    await h.page.getByTestId('events-filter').selectOption('manual');
    await h.page.getByTestId('event-step').first().click();
    await expect.poll(() => selected(h)).toBe(MANUAL);
    await h.page.close();
  });
});

describe('loss chart', () => {
  /** Hovers the loss plot over batch `step` (the x axes of chart and timeline line up). */
  async function hover(h: HarnessPage, step: number, n: number) {
    const over = (await h.page.getByTestId('loss-over').boundingBox())!;
    await h.page.mouse.move(over.x + ((step + 0.5) / n) * over.width, over.y + over.height / 2);
  }

  test('hover readout: step, epoch/batch from 1, loss, the debiased EMA (by hand), phase', async () => {
    const h = await openHarness(browser, stateless);
    const losses = logBatches(stateless).map((b) => b.loss as number);
    // TensorBoard's debiased EMA, by hand: a_k = s·a_{k−1} + (1−s)·x_k; shown a_k / (1 − s^(k+1)).
    const s = 0.6;
    let acc = 0;
    const smoothed = losses.map((x, k) => (acc = s * acc + (1 - s) * x) / (1 - s ** (k + 1)));
    for (const step of [0, 1, 37, 74]) {
      await hover(h, step, 75);
      const readout = h.page.getByTestId('loss-readout');
      await expect.poll(() => readout.getAttribute('data-step')).toBe(String(step));
      const text = (await readout.textContent())!;
      expect(text).toMatch(
        new RegExp(`^step ${step} · epoch ${Math.floor(step / 5) + 1}, batch ${(step % 5) + 1} · training · loss `),
      );
      const [loss, ema] = [...text.matchAll(/(?:loss|smoothed) ([-\d.e]+)/g)].map((m) => Number(m[1]));
      expect(loss).toBeCloseTo(losses[step], 3);
      expect(ema).toBeCloseTo(smoothed[step], 3);
    }
    // The first smoothed value is the first loss itself (a plain EMA would start at 40 % of it).
    expect(smoothed[0]).toBeCloseTo(losses[0], 12);
    // At 0.99 the debiased line stays on the data instead of ending 20× above it.
    await h.page.locator('#ema-smoothing').fill('0.99');
    await hover(h, 74, 75);
    await expect
      .poll(async () => (await h.page.getByTestId('loss-readout').textContent())!.includes('step 74'))
      .toBe(true);
    const last = Number((await h.page.getByTestId('loss-readout').textContent())!.match(/smoothed ([-\d.e]+)/)![1]);
    expect(last).toBeLessThan(Math.max(...losses));
    expect(last).toBeGreaterThan(Math.min(...losses));
    await h.page.close();
  });

  // Axis titles and the log scale's decades: test/webview/lossChartAxes.test.ts.
  test('x axis ticks as step (whole numbers), epoch or training time, also on a log-scale y', async () => {
    const h = await openHarness(browser, long);
    const ticks = async () => (await h.page.getByTestId('loss-chart').getAttribute('data-x-ticks'))!.split(',');
    // Zoomed in to a few batches: still whole steps.
    const box = (await h.page.getByTestId('timeline').boundingBox())!;
    await h.page.mouse.move(box.x + box.width / 2, box.y + 40);
    for (let i = 0; i < 12; i++) await h.page.mouse.wheel(0, -400);
    await expect.poll(async () => (await uiState(h)).viewport.end - (await uiState(h)).viewport.start).toBeLessThan(20);
    const steps = await ticks();
    expect(steps.length).toBeGreaterThan(1);
    for (const t of steps) expect(t).toMatch(/^\d+$/);
    await h.page.getByTestId('loss-x').selectOption('epoch');
    await expect.poll(async () => (await ticks()).every((t) => /^\d+$/.test(t))).toBe(true);
    await h.page.getByTestId('timeline').focus();
    await h.page.keyboard.press('Home');
    await h.page.getByTestId('loss-x').selectOption('time');
    await expect.poll(async () => (await ticks()).every((t) => /^[\d.]+ s$|^\d+:\d\d$/.test(t))).toBe(true);
    await h.page.getByTestId('loss-log').check();
    await expect.poll(async () => h.page.locator('.loss-plot .u-axis').count()).toBeGreaterThan(0);
    await h.screenshot('loss-log-time');
    await h.page.close();
  });
});
