/**
 * Two readings of a stateful run's resets, in the built webview: the continuity verdict before a reset
 * says once why the state starts from zeros, and the ‖h₀‖ row is drawn to a scale whose top is the
 * largest mean ‖h₀‖ of the run (computed here from the saved per-row norms).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import type { BatchRecord, LogRecord } from '../../src/shared/runFormat';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { launch, openHarness, type HarnessPage } from './browser';
import { drawnTexts, recordCanvasText } from './canvasText';

let browser: Browser;
let tmp: string;
let runDir: string;
const MANUAL = 12;

beforeAll(async () => {
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-reset-readings-'));
  // 4 epochs × 5 batches: epoch-end resets before steps 5, 10, 15, a manual one before step 12.
  runDir = writeSyntheticRun({
    dir: path.join(tmp, 'stateful'),
    stateful: true,
    resets: 'epoch',
    manualResetsAt: [MANUAL],
    epochs: 4,
    batchesPerEpoch: 5,
    batchSize: 4,
    units: [3, 2],
  }).runDir;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The batch records of the run, straight from its log. */
function logBatches(): BatchRecord[] {
  return fs
    .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LogRecord)
    .filter((r): r is BatchRecord => r.t === 'batch');
}

/** Mean over rows of the first layer's per-row ‖h₀‖, from norms.bin (its first `rowCount` floats at the batch's offset). */
function meanH0FromNorms(batch: BatchRecord): number {
  const bytes = fs.readFileSync(path.join(runDir, 'norms.bin'));
  const rows = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + batch.normsOffset, bytes.byteOffset + batch.normsOffset + 4 * batch.rowCount),
  );
  return rows.reduce((sum, v) => sum + v, 0) / rows.length;
}

async function selectStep(h: HarnessPage, step: number): Promise<void> {
  await h.page.getByTestId('timeline').focus();
  await h.page.keyboard.press('Home');
  for (let i = 0; i < step; i++) await h.page.keyboard.press('ArrowRight');
  await h.page.locator(`[data-testid="inspector"][data-step="${step}"] [data-testid="heatmap"]`).waitFor();
}

describe('a stateful run’s resets', () => {
  test('the verdict before a reset names its reason once: "starts from zeros (the epoch-end reset)"', async () => {
    const h = await openHarness(browser, runDir);
    const verdict = h.page.getByTestId('continuity-verdict');
    for (const [step, reason] of [
      [4, 'the epoch-end reset'],
      [MANUAL - 1, 'a manual reset'],
    ] as const) {
      await selectStep(h, step);
      await expect
        .poll(async () => (await verdict.textContent())?.trim())
        .toBe(`Step ${step + 1} starts from zeros (${reason}): the state of step ${step} was dropped.`);
      expect((await verdict.textContent())!.match(/zeros/g)).toHaveLength(1);
    }
    await h.page.close();
  });

  test('the ‖h₀‖ row is labelled 0 to the largest mean ‖h₀‖, and every batch’s bar is drawn to that scale', async () => {
    const batches = logBatches();
    const means = batches.map(meanH0FromNorms);
    const largest = Math.max(...means);
    // Resets start from zeros; carried batches do not: the row has something to scale.
    expect(means[5]).toBe(0);
    expect(largest).toBeGreaterThan(0);
    const h = await openHarness(browser, runDir, { init: recordCanvasText });
    const geometry = await h.page.evaluate(() => {
      const el = document.querySelector('[data-testid="timeline"]') as HTMLElement;
      return {
        dpr: window.devicePixelRatio || 1,
        left: Number(el.dataset.plotLeft),
        right: Number(el.dataset.plotRight),
      };
    });
    // The norm track: 58 to 94 CSS px (TRACKS.norm in webview/canvas/timelineDraw.ts).
    const top = Math.round(58 * geometry.dpr);
    const base = top + Math.round(36 * geometry.dpr);
    const texts = await drawnTexts(h.page, 'timeline');
    const gutter = texts.filter((t) => t.align === 'right' && t.y >= top && t.y <= base);
    const max = gutter.find((t) => t.baseline === 'top' && t.y === top);
    const zero = gutter.find((t) => t.baseline === 'bottom' && t.y === base);
    expect(max, JSON.stringify(gutter)).toBeDefined();
    expect(zero?.text).toBe('0');
    // Three significant digits of the largest mean.
    expect(Math.abs(Number(max!.text) - largest)).toBeLessThanOrEqual(largest * 0.005);
    expect(gutter.some((t) => t.text === '‖h₀‖')).toBe(true);
    // Each batch's bar rises from the base to mean/largest of the track's height.
    const tops = await h.page.evaluate(
      ({ n, top, base, dpr, left, right }) => {
        const canvas = document.querySelector('[data-testid="timeline"] canvas') as HTMLCanvasElement;
        const ctx = canvas.getContext('2d')!;
        const x0 = Math.round(left * dpr);
        const plotW = canvas.width - x0 - Math.round(right * dpr);
        const background = ctx.getImageData(1, 1, 1, 1).data;
        return Array.from({ length: n }, (_, i) => {
          const x = Math.floor(x0 + ((i + 0.5) / n) * plotW);
          const column = ctx.getImageData(x, top, 1, base - top).data;
          for (let y = 0; y < base - top; y++) {
            const p = y * 4;
            if (column[p] !== background[0] || column[p + 1] !== background[1] || column[p + 2] !== background[2])
              return top + y;
          }
          return base;
        });
      },
      { n: batches.length, top, base, ...geometry },
    );
    for (const [i, mean] of means.entries())
      expect(Math.abs(tops[i] - (base - (mean / largest) * (base - top))), `bar of step ${i}`).toBeLessThanOrEqual(1.5);
    await h.page.close();
  });
});
