/**
 * The comparison page (the standalone `report runA runB` file, fed like the panel): both answers, the
 * config fields that differ, loss curves overlaid and timelines stacked, aligned by step or epoch;
 * and as a VS Code panel, the state it keeps for a window reload and what it restores from it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { renderComparisonHtml } from '../../src/report/renderReport';
import { readRun } from '../../src/runStore/readRun';
import { answerForRun } from '../../src/runStore/runSummary';
import { configDifferences, flatten } from '../../webview/numbers/configDiff';
import { runViewport, stepOfX, xOfStep } from '../../webview/compare/alignment';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { ARTIFACTS, launch, openCompareHarness } from './browser';

let browser: Browser;
let tmp: string;
let stateful: string;
let stateless: string;

beforeAll(async () => {
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-compare-'));
  stateful = writeSyntheticRun({
    dir: path.join(tmp, 'stateful'),
    stateful: true,
    epochs: 6,
    batchesPerEpoch: 5,
    batchSize: 4,
    units: [3],
    resets: 'epoch',
  }).runDir;
  stateless = writeSyntheticRun({
    dir: path.join(tmp, 'stateless'),
    stateful: false,
    epochs: 3,
    batchesPerEpoch: 10,
    batchSize: 2,
    units: [3],
  }).runDir;
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('pure parts', () => {
  test('config differences: every leaf path whose values are not all equal, missing ones as —', () => {
    expect(Object.fromEntries(flatten({ a: { b: 1, c: [1, 2] }, d: 'x' }))).toEqual({
      'a.b': '1',
      'a.c': '[1,2]',
      d: 'x',
    });
    expect(
      configDifferences([
        { model: { units: 16, stateful: true }, resets: 'epoch', seed: 0 },
        { model: { units: 16, stateful: false }, seed: 0 },
      ]),
    ).toEqual([
      { path: 'model.stateful', values: ['true', 'false'] },
      { path: 'resets', values: ['epoch', '—'] },
    ]);
  });

  test('alignment by epoch maps each run onto [epoch, epoch + 1) and back', () => {
    const run = { epochStarts: [0, 5, 10], epochNumbers: [0, 1, 2], length: 15 };
    expect(xOfStep(run, 7.5, 'epoch')).toBe(1.5);
    expect(stepOfX(run, 1.5, 'epoch')).toBe(7.5);
    expect(xOfStep(run, 7.5, 'step')).toBe(7.5);
    expect(runViewport(run, { start: 1, end: 2 }, 'epoch')).toEqual({ start: 5, end: 10 });
    // A view reaching past the run's 3 epochs (another run has 6): its 15 batches fill the first half only.
    expect(runViewport(run, { start: 0, end: 6 }, 'epoch')).toEqual({ start: 0, end: 30 });
    expect(stepOfX(run, 4, 'epoch')).toBe(20);
  });
});

describe('comparison page', () => {
  test('two runs: answers side by side, differing config, overlaid losses, stacked timelines; align by epoch', async () => {
    const file = path.join(tmp, 'compare.html');
    fs.writeFileSync(file, renderComparisonHtml([stateful, stateless]));
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) =>
      route.request().url() === pathToFileURL(file).href
        ? route.continue()
        : (requests.push(route.request().url()), route.abort()),
    );
    await page.goto(pathToFileURL(file).href);
    await page.getByTestId('compare-run').nth(1).waitFor();
    expect(await page.getByTestId('compare-title').textContent()).toBe('Comparing 2 runs');
    const answers = await page.getByTestId('compare-answer').allTextContents();
    expect(answers).toEqual([answerForRun(readRun(stateful)), answerForRun(readRun(stateless))]);
    expect(await page.getByTestId('compare-run').nth(0).getByTestId('compare-count-epoch').textContent()).toBe('5');
    expect(await page.getByTestId('compare-run').nth(1).getByTestId('compare-count-auto').textContent()).toBe('30');
    const fields = await page
      .locator('[data-testid="config-diff"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-field')));
    for (const field of ['model.stateful', 'training.batchSize', 'resets']) expect(fields).toContain(field);
    // The manifest's statefulness repeats the config's: shown once.
    expect(fields).not.toContain('run.stateful');
    expect(fields).not.toContain('model.units');
    const statefulRow = await page.locator('[data-field="model.stateful"] td').allTextContents();
    expect(statefulRow).toEqual(['true', 'false']);
    expect(await page.getByTestId('compare-timeline').count()).toBe(2);
    // One loss series and one moving average per run.
    expect(await page.locator('.compare-legend-item').count()).toBe(2);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'compare-by-step.png'), fullPage: true });
    // Hovering the chart reads both runs at the same x.
    const over = (await page.locator('.u-over').boundingBox())!;
    await page.mouse.move(over.x + over.width * (3.5 / 30), over.y + 20);
    await expect
      .poll(() => page.getByTestId('compare-readout').textContent())
      .toMatch(/^stateful: step 3 loss [\d.]+ smoothed [\d.]+ \| stateless: step 3 /);
    // Whole steps only on the x axis (30 batches across the chart).
    const stepTicks = (await page.getByTestId('compare-loss').getAttribute('data-x-ticks'))!.split(',');
    expect(stepTicks.length).toBeGreaterThan(2);
    for (const label of stepTicks) expect(label).toMatch(/^\d+$/);
    await page.getByTestId('compare-align').selectOption('epoch');
    // By epoch: the epochs numbered from 1 at their starts, as the timelines below label them (6 epochs).
    await expect.poll(() => page.getByTestId('compare-loss').getAttribute('data-x-ticks')).toBe('1,2,3,4,5,6');
    // By epoch, x = 0.55 is just past the middle of epoch 1 in both: stateful step 2 (of 5), stateless step 5 (of 10).
    await page.mouse.move(over.x + 1, over.y + 20);
    await page.mouse.move(over.x + over.width * (0.55 / 6), over.y + 20);
    await expect
      .poll(() => page.getByTestId('compare-readout').textContent())
      .toMatch(/^stateful: step 2 .*\| stateless: step 5 /);
    await page.screenshot({ path: path.join(ARTIFACTS, 'compare-by-epoch.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

describe('comparison panel state (kept for a window reload)', () => {
  // Both runs have 30 batches; by epoch the shared axis spans the stateful run's 6 epochs.
  const BY_STEP = { start: 0, end: 30 };
  const BY_EPOCH = { start: 0, end: 6 };

  test('the page keeps its run folders and the alignment, smoothing and zoom the user chose', async () => {
    const h = await openCompareHarness(browser, [stateful, stateless]);
    await expect
      .poll(h.kept)
      .toEqual({ runDirs: [stateful, stateless], align: 'step', smoothing: 0.6, viewport: BY_STEP });
    await h.page.getByTestId('compare-align').selectOption('epoch');
    await expect
      .poll(h.kept)
      .toEqual({ runDirs: [stateful, stateless], align: 'epoch', smoothing: 0.6, viewport: BY_EPOCH });
    await h.page.getByTestId('compare-smoothing').fill('0.9');
    await expect
      .poll(h.kept)
      .toEqual({ runDirs: [stateful, stateless], align: 'epoch', smoothing: 0.9, viewport: BY_EPOCH });
    // Zooming in on the chart keeps the narrower view.
    const over = (await h.page.locator('.u-over').boundingBox())!;
    await h.page.mouse.move(over.x + over.width / 2, over.y + 20);
    await h.page.mouse.wheel(0, -400);
    await expect
      .poll(async () => {
        const { viewport } = (await h.kept()) as { viewport: { start: number; end: number } };
        return viewport.end - viewport.start;
      })
      .toBeLessThan(6);
    await h.page.close();
  });

  test('timelines of runs longer than the canvas is wide are drawn on opening, after a change they do not show (the smoothing) and after a lost context', async () => {
    // Runs longer than the canvas is wide: zoomed out, a timeline is drawn from columns.
    const long = (name: string, stateful: boolean) =>
      writeSyntheticRun({
        dir: path.join(tmp, name),
        stateful,
        epochs: 4,
        batchesPerEpoch: 1000,
        batchSize: 2,
        units: [3],
        resets: stateful ? 'epoch' : undefined,
      }).runDir;
    const h = await openCompareHarness(browser, [long('long-stateful', true), long('long-stateless', false)]);
    await expect.poll(h.kept).toMatchObject({ viewport: { start: 0, end: 4000 } });
    const canvases = h.page.getByTestId('compare-timeline').locator('canvas');
    // Per canvas: how many distinct colours it shows, and a checksum of its pixels.
    const pixels = () =>
      canvases.evaluateAll((list) =>
        list.map((c) => {
          const canvas = c as HTMLCanvasElement;
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          const colours = new Set<number>();
          let sum = 0;
          for (let i = 0; i < data.length; i += 4) {
            const rgba = ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0;
            colours.add(rgba);
            sum = (sum * 31 + rgba) % 2147483647;
          }
          return { colours: colours.size, sum };
        }),
      );
    const before = await pixels();
    expect(before).toHaveLength(2);
    // Drawn: background, causes, bars, labels.
    for (const canvas of before) expect(canvas.colours).toBeGreaterThan(4);
    await h.page.getByTestId('compare-smoothing').fill('0.9');
    await expect.poll(h.kept).toMatchObject({ smoothing: 0.9 });
    // Two frames later the page has repainted.
    await h.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await pixels()).toEqual(before);
    // Come back blank after a lost context, they are drawn again.
    await canvases.evaluateAll((list) =>
      list.forEach((c) => {
        const canvas = c as HTMLCanvasElement;
        canvas.getContext('2d')!.clearRect(0, 0, canvas.width, canvas.height);
        canvas.dispatchEvent(new Event('contextrestored'));
      }),
    );
    await h.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await pixels()).toEqual(before);
    await h.page.close();
  });

  test('by keyboard: a focused timeline zooms with + and −, pans with the arrows, Home and End', async () => {
    const h = await openCompareHarness(browser, [stateful, stateless]);
    await expect.poll(h.kept).toMatchObject({ viewport: BY_STEP });
    const viewport = async () => ((await h.kept()) as { viewport: { start: number; end: number } }).viewport;
    const timeline = h.page.getByTestId('compare-timeline').first().locator('canvas');
    await timeline.focus();
    expect(await timeline.getAttribute('aria-label')).toMatch(/Keys: \+ and − zoom/);
    await h.page.keyboard.press('+');
    await expect.poll(viewport).toEqual({ start: 7.5, end: 22.5 });
    await h.page.keyboard.press('ArrowRight');
    await expect.poll(viewport).toEqual({ start: 9, end: 24 });
    await h.page.keyboard.press('Shift+ArrowLeft');
    await expect.poll(viewport).toEqual({ start: 1.5, end: 16.5 });
    await h.page.keyboard.press('End');
    await expect.poll(viewport).toEqual({ start: 15, end: 30 });
    await h.page.keyboard.press('Home');
    await expect.poll(viewport).toEqual({ start: 0, end: 15 });
    await h.page.keyboard.press('-');
    await expect.poll(viewport).toEqual(BY_STEP);
    await h.page.close();
  });

  test('a page started with a kept state shows those choices and that zoom, not every batch', async () => {
    const state = { runDirs: [stateful, stateless], align: 'epoch', smoothing: 0.9, viewport: { start: 1, end: 5 } };
    const h = await openCompareHarness(browser, [stateful, stateless], { state });
    expect(await h.page.getByTestId('compare-align').inputValue()).toBe('epoch');
    expect(await h.page.getByTestId('compare-smoothing').inputValue()).toBe('0.9');
    expect(await h.page.locator('.compare-controls output').textContent()).toBe('0.90');
    await expect.poll(h.kept).toEqual(state);
    // The chart spans epochs 1 to 5: x = 1.55 is 55 % into epoch 1, stateful step 5 + 2.75, stateless step 10 + 5.5.
    const over = (await h.page.locator('.u-over').boundingBox())!;
    await h.page.mouse.move(over.x + 1, over.y + 20);
    await h.page.mouse.move(over.x + over.width * (0.55 / 4), over.y + 20);
    await expect
      .poll(() => h.page.getByTestId('compare-readout').textContent())
      .toMatch(/^stateful: step 7 .*\| stateless: step 15 /);
    await h.page.close();
  });

  test('kept choices of the wrong type (an older or damaged state) fall back to the defaults', async () => {
    const state = {
      runDirs: [stateful, stateless],
      align: 'sideways',
      smoothing: 'lots',
      viewport: { start: 3, end: 1 },
    };
    const h = await openCompareHarness(browser, [stateful, stateless], { state });
    expect(await h.page.getByTestId('compare-align').inputValue()).toBe('step');
    expect(await h.page.getByTestId('compare-smoothing').inputValue()).toBe('0.6');
    await expect
      .poll(h.kept)
      .toEqual({ runDirs: [stateful, stateless], align: 'step', smoothing: 0.6, viewport: BY_STEP });
    await h.page.close();
  });
});
