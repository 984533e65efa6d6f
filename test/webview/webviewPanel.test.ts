/**
 * The built webview in chromium, fed like VS Code feeds it: a real recorded run renders, its counts match
 * the log, selection shows tensors and continuity, keys step, toolbar posts, themes redraw, deltas arrive.
 */
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { CAUSE_LABELS, TRAINER_CAUSES, type CauseCounts } from '../../src/shared/causes';
import { readBatchStates } from '../../src/runStore/batchData';
import { readRun, type RunData } from '../../src/runStore/readRun';
import { answerForRun } from '../../src/runStore/runSummary';
import type { BatchRecord, LogRecord } from '../../src/shared/runFormat';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';
import { launch, openHarness, type HarnessPage } from './browser';

let browser: Browser;
let stateful: RunData;
let stateless: string;
let liveDir: string;
let longRun: string;
const MANUAL_AFTER_STEP = 5;

beforeAll(async () => {
  browser = await launch();
  // A real run: stateful, reset at epoch end, one manual reset asked for after batch 5, hidden rows captured.
  let asked = false;
  const trained = await trainInTemp(
    smallConfig({
      data: { layout: 'continuous' },
      model: { units: [5, 3], stateful: true },
      training: { epochs: 3, learningRate: 0.01 },
      resets: 'epoch',
      capture: { hiddenRows: [0, 2] },
    }),
    (event) => {
      if (event.type === 'batch' && event.record.step === MANUAL_AFTER_STEP && !asked) {
        asked = true;
        return { type: 'resetNow' };
      }
    },
  );
  stateful = trained.run;
  const tmp = path.dirname(trained.workspace);
  stateless = writeSyntheticRun({
    dir: fs.mkdtempSync(path.join(tmp, 'lstm-stateless-')),
    stateful: false,
    epochs: 4,
    batchesPerEpoch: 5,
    batchSize: 6,
    units: [4],
  }).runDir;
  longRun = writeSyntheticRun({
    dir: fs.mkdtempSync(path.join(tmp, 'lstm-long-')),
    stateful: false,
    epochs: 450,
    batchesPerEpoch: 1,
    batchSize: 2,
    units: [2],
    capturedBatches: 0,
  }).runDir;
  liveDir = writeSyntheticRun({
    dir: fs.mkdtempSync(path.join(tmp, 'lstm-live-')),
    stateful: true,
    epochs: 6,
    batchesPerEpoch: 5,
    batchSize: 4,
    units: [3],
    resets: 'epoch',
    status: 'open',
  }).runDir;
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Reset counts per epoch (of the trainer's causes, the columns a trainer run shows) straight from log.jsonl, without the product's reader. */
function countsFromLog(runDir: string): { perEpoch: Map<number, Partial<CauseCounts>>; total: Partial<CauseCounts> } {
  const empty = () => Object.fromEntries(TRAINER_CAUSES.map((c) => [c, 0])) as Partial<CauseCounts>;
  const perEpoch = new Map<number, Partial<CauseCounts>>();
  const total = empty();
  for (const line of fs.readFileSync(path.join(runDir, 'log.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as LogRecord;
    if (record.t !== 'batch') continue;
    if (!perEpoch.has(record.epoch)) perEpoch.set(record.epoch, empty());
    perEpoch.get(record.epoch)![record.cause]! += 1;
    total[record.cause]! += 1;
  }
  return { perEpoch, total };
}

async function tableCounts(
  h: HarnessPage,
): Promise<{ rows: Record<string, Record<string, number>>; total: Record<string, number> }> {
  return h.page.evaluate(
    (causes) => {
      const read = (tr: Element) =>
        Object.fromEntries(causes.map((c) => [c, Number(tr.querySelector(`[data-testid="count-${c}"]`)?.textContent)]));
      const table = document.querySelector('[data-testid="summary-table"]')!;
      const rows = Object.fromEntries(
        [...table.querySelectorAll('tbody tr')].map((tr) => [tr.getAttribute('data-epoch')!, read(tr)]),
      );
      return { rows, total: read(table.querySelector('[data-testid="summary-total"]')!) };
    },
    [...TRAINER_CAUSES],
  );
}

async function selectedStep(h: HarnessPage): Promise<number> {
  return Number(await h.page.getByTestId('timeline').getAttribute('aria-valuenow'));
}

/** Waits until the inspector shows the tensors of `step`. */
async function inspectorShows(h: HarnessPage, step: number): Promise<void> {
  await h.page.locator(`[data-testid="inspector"][data-step="${step}"] [data-testid="heatmap"]`).waitFor();
}

/** A hash of the timeline canvas pixels. */
const timelinePixels = (h: HarnessPage) =>
  h.page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) hash = (hash * 31 + data[i] * 7 + data[i + 1] * 3 + data[i + 2]) | 0;
    return { hash, corner: [data[0], data[1], data[2]] };
  });

describe('timeline webview', () => {
  test('a recorded run renders: the answer, the status, and reset counts equal to the log', async () => {
    const h = await openHarness(browser, stateful.runDir);
    expect(await h.page.getByTestId('answer-banner').textContent()).toBe(answerForRun(stateful));
    expect(await h.page.getByTestId('run-status').textContent()).toBe('finished');
    const fromLog = countsFromLog(stateful.runDir);
    expect(fromLog.total.manual).toBe(1);
    expect(fromLog.total.epoch).toBe(2);
    const shown = await tableCounts(h);
    expect(Object.keys(shown.rows)).toHaveLength(fromLog.perEpoch.size);
    for (const [epoch, counts] of fromLog.perEpoch) expect(shown.rows[String(epoch)], `epoch ${epoch}`).toEqual(counts);
    expect(shown.total).toEqual(fromLog.total);
    // Every count sits under its cause's heading: headings and cells both in the order of CAUSES.
    const columns = await h.page.evaluate(() => {
      const table = document.querySelector('[data-testid="summary-table"]')!;
      return {
        headings: [...table.querySelectorAll('thead th')].map((th) => th.getAttribute('title') ?? th.textContent),
        rows: [...table.querySelectorAll('tbody tr, tfoot tr')].map((tr) =>
          [...tr.children].map((cell) => cell.getAttribute('data-testid') ?? cell.tagName),
        ),
      };
    });
    // A trainer run shows the trainer's six causes (no PyTorch-only cause occurred).
    expect(columns.headings).toEqual(['Epoch', ...TRAINER_CAUSES.map((c) => CAUSE_LABELS[c]), 'batches']);
    expect(columns.rows).toHaveLength(fromLog.perEpoch.size + 1);
    for (const row of columns.rows)
      expect(row).toEqual(['TH', ...TRAINER_CAUSES.map((c) => `count-${c}`), 'count-batches']);
    expect(await h.page.getByTestId('legend-manual').textContent()).toBe('1');
    const posted = await h.posted();
    expect(posted[0]).toEqual({ type: 'ready' });
    await h.screenshot('recorded-run');
    await h.page.close();
  });

  test('selecting a batch shows its heatmap and the continuity difference: 0 when carried, the dropped state before a reset', async () => {
    const h = await openHarness(browser, stateful.runDir);
    const carriedNext = stateful.batches.findIndex((b, i) => stateful.batches[i + 1]?.cause === 'carried');
    const resetNext = stateful.batches.findIndex((b, i) => stateful.batches[i + 1]?.cause === 'manual');
    expect(resetNext).toBe(MANUAL_AFTER_STEP);

    // Click the batch in the timeline (it spans [k, k + 1) of the plot).
    const box = (await h.page.getByTestId('timeline').boundingBox())!;
    // The timeline's left gutter (`gutters` in webview/state/panelState.ts): the loss chart's
    // y-axis width, Y_AXIS_SIZE in webview/components/lossChart.ts, so both x axes line up.
    const left = 56;
    const plot = box.width - left - 12;
    const x = (step: number) => box.x + left + ((step + 0.5) / stateful.batches.length) * plot;
    await h.page.mouse.click(x(carriedNext), box.y + 40);
    await inspectorShows(h, carriedNext);
    expect(await h.page.getByTestId('continuity-maxdiff').getAttribute('data-value')).toBe('0');
    expect(await h.page.getByTestId('continuity-verdict').getAttribute('data-cause')).toBe('carried');

    const timeline = h.page.getByTestId('timeline');
    await timeline.focus();
    await h.page.keyboard.press('Home');
    for (let i = 0; i < resetNext; i++) await h.page.keyboard.press('ArrowRight');
    await inspectorShows(h, resetNext);
    const shown = Number(await h.page.getByTestId('continuity-maxdiff').getAttribute('data-value'));
    // Independently: the largest |h| of batch k's final state, since batch k + 1 starts from zeros.
    const states = readBatchStates(stateful, stateful.batches[resetNext])!;
    const expected = Math.max(...[...states[0].h].map(Math.abs));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeCloseTo(expected, 6);
    expect(await h.page.getByTestId('continuity-verdict').getAttribute('data-cause')).toBe('manual');
    await h.screenshot('inspector-reset');

    // The heatmap has as many cells as rows × units, and paints something other than the background.
    const heatmap = await h.page
      .getByTestId('heatmap')
      .evaluate((c: HTMLCanvasElement) => ({ label: c.getAttribute('aria-label'), width: c.width }));
    expect(heatmap.label).toContain('10 rows by 5 units');
    // Keyboard: the focused heatmap moves a cell cursor and reads the cell out (row 1, unit 2 here).
    await h.page.getByTestId('heatmap').focus();
    for (const key of ['ArrowDown', 'ArrowRight', 'ArrowRight']) await h.page.keyboard.press(key);
    const readout = h.page.locator('figure.heatmap:has([data-testid="heatmap"]) .heatmap-readout');
    await expect.poll(() => readout.textContent()).toMatch(/^row 1 \(sample \d+\), unit 2: /);
    expect(Number((await readout.textContent())!.split(': ')[1])).toBeCloseTo(states[0].h[1 * 5 + 2], 5);
    expect(await readout.getAttribute('aria-live')).toBe('polite');
    await h.page.getByTestId('inspector-view').click();
    await h.page.getByRole('option', { name: 'initial state' }).click();
    await expect.poll(() => h.page.getByTestId('initial-zero').count()).toBe(0);
    // Layer 2 of the next batch (manual reset) starts from exactly zero.
    await timeline.focus();
    await h.page.keyboard.press('ArrowRight');
    await inspectorShows(h, resetNext + 1);
    await h.page.getByTestId('initial-zero').waitFor();
    await h.page.getByTestId('hidden-sequence').waitFor();
    expect(await h.page.getByTestId('hidden-heatmap').getAttribute('aria-label')).toMatch(/row 0 over 7 timesteps/);
    await h.page.close();
  });

  test('keyboard stepping: arrows, Home/End, Page Up/Down by epoch, [ and ] by reset; the host hears the selection', async () => {
    const h = await openHarness(browser, stateful.runDir);
    const n = stateful.batches.length;
    const timeline = h.page.getByTestId('timeline');
    await timeline.focus();
    await h.page.keyboard.press('Home');
    await expect.poll(() => selectedStep(h)).toBe(0);
    await h.page.keyboard.press('ArrowRight');
    await h.page.keyboard.press('ArrowRight');
    await expect.poll(() => selectedStep(h)).toBe(2);
    await h.page.keyboard.press('ArrowLeft');
    await expect.poll(() => selectedStep(h)).toBe(1);
    await h.page.keyboard.press('PageDown');
    await expect.poll(() => selectedStep(h)).toBe(4);
    await h.page.keyboard.press(']');
    await expect.poll(() => selectedStep(h)).toBe(MANUAL_AFTER_STEP + 1);
    await h.page.keyboard.press('End');
    await expect.poll(() => selectedStep(h)).toBe(n - 1);
    await h.page.keyboard.press('ArrowRight');
    await expect.poll(() => selectedStep(h)).toBe(n - 1);
    await h.page.keyboard.press('[');
    await expect.poll(() => selectedStep(h)).toBe(8);
    expect(stateful.batches[8].cause).toBe('epoch');
    expect(await timeline.getAttribute('aria-valuetext')).toMatch(
      /^step 8 · epoch \d+, batch 1 · zeros: the epoch-end reset/,
    );
    expect(await h.page.getByTestId('selection-readout').textContent()).toMatch(/^step 8 /);
    await expect
      .poll(async () => (await h.posted()).filter((m) => m.type === 'selected').at(-1))
      .toEqual({ type: 'selected', step: 8 });
    // The UI state the serializer relies on.
    const state = await h.page.evaluate(
      () => (window as unknown as { __state: { runDir: string; selected: number } }).__state,
    );
    expect(state).toMatchObject({ runDir: stateful.runDir, selected: 8 });
    await h.page.close();
  });

  test('the UI state survives a reload: selection and inspector choices come back', async () => {
    const h = await openHarness(browser, stateful.runDir, {
      state: {
        runDir: stateful.runDir,
        selected: 3,
        viewport: null,
        follow: true,
        layer: 1,
        tensor: 'c',
        view: 'difference',
        smoothing: 0.3,
        summaryPage: 0,
        hiddenRow: 2,
      },
    });
    await inspectorShows(h, 3);
    await expect.poll(() => selectedStep(h)).toBe(3);
    expect(await h.page.getByTestId('heatmap').getAttribute('aria-label')).toMatch(
      /^c − c₀ \(difference\), layer 2: 10 rows × 3 units/,
    );
    expect(await h.page.locator('#ema-smoothing').inputValue()).toBe('0.3');
    // A webview never asks the host for a select it restored itself.
    expect((await h.posted()).filter((m) => m.type === 'selected')).toEqual([]);
    await h.page.close();
  });

  test('toolbar buttons post the right actions, are keyboard reachable, and follow the run status', async () => {
    const h = await openHarness(browser, liveDir, { status: 'running' });
    const actions = async () =>
      (await h.posted()).filter((m) => m.type === 'action').map((m) => (m as { action: string }).action);
    await h.page.getByTestId('action-resetNow').click();
    await h.page.getByTestId('action-pauseResume').click();
    await h.post({
      type: 'delta',
      batches: [],
      resets: [],
      epochLosses: [],
      status: 'paused',
      answer: 'paused answer',
    });
    await expect.poll(() => h.page.getByTestId('action-pauseResume').textContent()).toBe('Resume');
    expect(await h.page.getByTestId('run-status').textContent()).toBe('paused');
    await h.page.getByTestId('action-pauseResume').click();
    await h.page.getByTestId('action-stop').click();
    await h.page.getByTestId('action-export').click();
    expect(await actions()).toEqual(['resetNow', 'pause', 'resume', 'stop', 'export']);
    expect(await h.page.getByTestId('toolbar-note').textContent()).toMatch(/next batch boundary/);

    // Tab order reaches every control; each has an accessible name.
    await h.page.locator('body').focus();
    const reached = new Set<string>();
    for (let i = 0; i < 30; i++) {
      await h.page.keyboard.press('Tab');
      const id = await h.page.evaluate(
        () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.id ?? '',
      );
      reached.add(id);
    }
    for (const id of ['action-resetNow', 'action-pauseResume', 'action-stop', 'action-export', 'timeline'])
      expect(reached, id).toContain(id);
    for (const id of ['action-resetNow', 'action-pauseResume', 'action-stop', 'action-export'])
      expect(await h.page.getByTestId(id).getAttribute('aria-label')).toBeTruthy();
    await h.page.keyboard.press('Enter');

    await h.post({ type: 'delta', batches: [], resets: [], epochLosses: [], status: 'stopped', answer: 'stopped' });
    await expect.poll(() => h.page.getByTestId('run-status').textContent()).toBe('stopped');
    const before = (await actions()).length;
    for (const id of ['action-resetNow', 'action-pauseResume', 'action-stop']) {
      expect(await h.page.getByTestId(id).evaluate((b) => (b as HTMLElement & { disabled: boolean }).disabled)).toBe(
        true,
      );
      await h.page.getByTestId(id).click({ force: true });
    }
    expect((await actions()).length).toBe(before);
    await h.page.close();
  });

  test('Reset States Now is off for a stateless run, which has nothing to reset', async () => {
    const h = await openHarness(browser, stateless, { status: 'running' });
    expect(
      await h.page.getByTestId('action-resetNow').evaluate((b) => (b as HTMLElement & { disabled: boolean }).disabled),
    ).toBe(true);
    expect(await h.page.getByTestId('action-resetNow').getAttribute('title')).toMatch(/stateless/);
    expect(await h.page.getByTestId('answer-banner').textContent()).toMatch(
      /^stateless: every batch starts from zeros/,
    );
    const counts = await tableCounts(h);
    expect(counts.total).toEqual({ auto: 20, first: 0, epoch: 0, schedule: 0, manual: 0, carried: 0 });
    await h.page.close();
  });

  test('a theme switch redraws the canvases with the new colours (light, high contrast, dark)', async () => {
    const h = await openHarness(browser, stateful.runDir);
    await h.page.getByTestId('timeline').focus();
    await h.page.keyboard.press('Home');
    await inspectorShows(h, 0);
    const dark = await timelinePixels(h);
    expect(dark.corner).toEqual([0x1e, 0x1e, 0x1e]);
    await h.screenshot('theme-dark');
    for (const [kind, corner] of [
      ['light', [255, 255, 255]],
      ['high-contrast', [0, 0, 0]],
      ['dark', [0x1e, 0x1e, 0x1e]],
    ] as const) {
      const painted = h.painted();
      await h.page.evaluate((k) => (window as unknown as { __setTheme(k: string): void }).__setTheme(k), kind);
      await painted;
      const after = await timelinePixels(h);
      expect(after.corner, kind).toEqual(corner);
      if (kind !== 'dark') {
        expect(after.hash).not.toBe(dark.hash);
        await h.screenshot(`theme-${kind}`);
      } else expect(after.hash).toBe(dark.hash);
    }
    await h.page.close();
  });

  test('live deltas extend the timeline, the counts and the answer, repainting once per frame', async () => {
    const run = readRun(liveDir);
    const h = await openHarness(browser, liveDir, { status: 'running' });
    const all = run.batches;
    const initial = all.length;
    const extra: BatchRecord[] = all.slice(0, 10).map((b, i) => ({
      ...b,
      step: initial + i,
      epoch: 6 + Math.floor(i / 5),
      batch: i % 5,
      cause: i % 5 === 0 ? 'epoch' : 'carried',
      carriedFrom: i % 5 === 0 ? null : initial + i - 1,
    }));
    const frames = await h.page.evaluate(() => {
      let count = 0;
      window.addEventListener('lstm:painted', () => count++);
      return new Promise<void>((resolve) => requestAnimationFrame(() => resolve())).then(() => count);
    });
    expect(frames).toBe(0);
    // Ten deltas posted within one task: at most one repaint per animation frame. (Each message
    // is its own task, so a slow machine may render between them; counting frames keeps the
    // check exact rather than assuming they all land in one frame.)
    const { paints, frames: framesDuring } = await h.page.evaluate(
      (batches) =>
        new Promise<{ paints: number; frames: number }>((resolve) => {
          let paints = 0;
          let frames = 0;
          let counting = true;
          const tick = () => {
            frames++;
            if (counting) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
          window.addEventListener('lstm:painted', () => paints++);
          for (const [i, b] of batches.entries())
            window.postMessage(
              {
                type: 'delta',
                batches: [b],
                resets: [],
                epochLosses: [],
                status: 'running',
                answer: `answer after ${i + 1}`,
              },
              '*',
            );
          setTimeout(
            () =>
              requestAnimationFrame(() =>
                requestAnimationFrame(() => {
                  counting = false;
                  resolve({ paints, frames });
                }),
              ),
            50,
          );
        }),
      extra,
    );
    expect(paints).toBeGreaterThanOrEqual(1);
    expect(paints).toBeLessThanOrEqual(framesDuring);
    expect(paints).toBeLessThan(extra.length);
    expect(await h.page.getByTestId('answer-banner').textContent()).toBe('answer after 10');
    // The summary table follows a live run at most 4 times a second (LIVE_TABLE_MS): wait for its next repaint.
    await expect.poll(async () => Object.keys((await tableCounts(h)).rows).length).toBe(8);
    const counts = await tableCounts(h);
    expect(counts.rows['6']).toMatchObject({ epoch: 1, carried: 4 });
    expect(counts.total.carried + counts.total.epoch + counts.total.first).toBe(initial + 10);
    // A repeated batch (already known) is ignored.
    await h.postAndPaint({
      type: 'delta',
      batches: [extra[9]],
      resets: [],
      epochLosses: [],
      status: 'running',
      answer: 'same',
    });
    const again = (await tableCounts(h)).total;
    expect(again.carried + again.epoch + again.first).toBe(initial + 10);
    await h.screenshot('live-deltas');
    await h.page.close();
  });

  test('wheel zooms and drag pans the timeline; the loss chart follows', async () => {
    const h = await openHarness(browser, stateless);
    const view = () =>
      h.page.evaluate(
        () => (window as unknown as { __state: { viewport: { start: number; end: number } } }).__state.viewport,
      );
    const box = (await h.page.getByTestId('timeline').boundingBox())!;
    const full = await view();
    await h.page.mouse.move(box.x + box.width / 2, box.y + 40);
    await h.page.mouse.wheel(0, -400);
    await expect.poll(async () => (await view()).end - (await view()).start).toBeLessThan(full.end - full.start);
    const zoomed = await view();
    await h.page.mouse.move(box.x + box.width / 2, box.y + 40);
    await h.page.mouse.down();
    await h.page.mouse.move(box.x + box.width / 2 + 200, box.y + 40, { steps: 5 });
    await h.page.mouse.up();
    await expect.poll(async () => (await view()).start).toBeLessThan(zoomed.start);
    const scale = await h.page.evaluate(() => [...document.querySelectorAll('.loss-plot .u-axis')].length);
    expect(scale).toBeGreaterThan(0);
    await h.screenshot('zoomed');
    await h.page.close();
  });

  test('the summary table pages through a long run 200 epochs at a time; the pager keeps focus and the page is kept', async () => {
    const h = await openHarness(browser, longRun);
    const table = h.page.getByTestId('summary-table');
    const pager = h.page.locator('.summary-section .pager');
    const firstEpoch = () => table.locator('tbody tr').first().getAttribute('data-epoch');
    expect(await table.locator('tbody tr').count()).toBe(200);
    expect(await pager.locator('span').textContent()).toBe('epochs 1–200 of 450');
    expect(await pager.getByRole('button', { name: 'Previous epochs' }).isDisabled()).toBe(true);
    const next = pager.getByRole('button', { name: 'Next epochs' });
    await next.focus();
    await h.page.keyboard.press('Enter');
    await expect.poll(firstEpoch).toBe('200');
    expect(await pager.locator('span').textContent()).toBe('epochs 201–400 of 450');
    expect(await next.evaluate((button) => button === document.activeElement)).toBe(true);
    await h.page.keyboard.press('Enter');
    await expect.poll(firstEpoch).toBe('400');
    expect(await table.locator('tbody tr').count()).toBe(50);
    expect(await next.isDisabled()).toBe(true);
    // The total row still counts the whole run.
    expect(await table.locator('[data-testid="summary-total"] [data-testid="count-auto"]').textContent()).toBe('450');
    await expect
      .poll(() =>
        h.page.evaluate(() => (window as unknown as { __state: { summaryPage: number } }).__state.summaryPage),
      )
      .toBe(2);
    await h.page.close();
  });
});
