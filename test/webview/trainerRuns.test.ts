/**
 * Real trainer runs in the built webview, checked against their log.jsonl: the answer banner of a
 * run with validation and of CSV windows whose data does not continue (issue 11); the dashed
 * per-epoch training and validation mean lines of the loss chart drawn at the log's means (issue
 * 11); the HTML report of a run with NaN and Infinity losses marking those batches (issue 10).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderReportHtml } from '../../src/report/renderReport';
import { readRun } from '../../src/runStore/readRun';
import { answerForRun } from '../../src/runStore/runSummary';
import { logNumber, logRecords } from '../helpers/rawRun';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';
import { launch, openHarness } from './browser';

let browser: Browser;
let tmp: string;
let validated: string;
let csvWindows: string;
let diverged: string;

beforeAll(async () => {
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-trainer-runs-'));
  // Stateful, Keras's shared validation on its own noise series (a loss far from training's): per epoch 4
  // training and 2 validation batches; the weights learn.
  validated = (
    await trainInTemp({
      ...smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous' },
        training: { epochs: 3, learningRate: 0.05, optimizer: 'adam' },
      }),
      resets: 'never',
      validation: {
        data: { generator: 'noise', samples: 20, timesteps: 7, features: 1, seed: 5, layout: 'continuous' },
      },
      validationState: 'shared',
    })
  ).run.runDir;
  // Windows of 6 with stride 1 and batch size 3: row i's state is carried, its data does not continue (LSTM006).
  csvWindows = (
    await trainInTemp(
      {
        data: { csv: 'series.csv', columns: ['v'], target: 'v', window: 6, stride: 1 },
        model: { units: 3, stateful: true },
        training: { batchSize: 3, epochs: 1, learningRate: 0 },
        resets: 'never',
      },
      undefined,
      'csv.lstm.json',
      (dir) =>
        fs.writeFileSync(
          path.join(dir, 'series.csv'),
          `v\n${Array.from({ length: 30 }, (_, r) => r + 1).join('\n')}\n`,
        ),
    )
  ).run.runDir;
  // SGD at learning rate 1e6 diverges within a few batches; "continue" records NaN and Infinity and trains on.
  diverged = (
    await trainInTemp(
      smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous', samples: 60 },
        training: { epochs: 2, optimizer: 'sgd', learningRate: 1e6, onNonFinite: 'continue' },
        resets: 'never',
      }),
    )
  ).run.runDir;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the answer banner of real runs', () => {
  test("validation: epochs 2–3 start from the state validation left (Keras's behaviour)", async () => {
    const h = await openHarness(browser, validated);
    const banner = await h.page.getByTestId('answer-banner').textContent();
    expect(banner).toBe(answerForRun(readRun(validated)));
    expect(banner!.split('; ')).toContain(
      "validation (6 batches) starts from the state training left, and epochs 2–3 start from the state validation left (Keras's behaviour)",
    );
    await h.page.close();
  });

  test('CSV windows: the state is carried in N batches, the data in none (LSTM006)', async () => {
    const carried = logRecords(csvWindows, 'batch').filter((b) => b.carriedFrom !== null);
    expect(carried.every((b) => b.dataContinues === false)).toBe(true);
    const h = await openHarness(browser, csvWindows);
    expect(await h.page.getByTestId('answer-banner').textContent()).toMatch(
      new RegExp(
        `^stateful: row i carries row i's state in ${carried.length} batches, but in all of them row i's data does not continue \\(LSTM006\\): the carried state comes from an unrelated window;`,
      ),
    );
    await h.page.close();
  });
});

/** A line or text the loss chart's canvas drew in its last frame. */
interface Drawn {
  strokes: Array<{ style: string; dash: number[]; points: number[][] }>;
  texts: Array<{ text: string; x: number; y: number; align: string; baseline: string }>;
}

/** Records what every 2D canvas draws from now on (each frame starts with a clearRect of the whole canvas). */
async function recordCanvasDrawing(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Rec = { strokes: unknown[]; texts: unknown[]; path: number[][] };
    const proto = CanvasRenderingContext2D.prototype;
    const rec = (ctx: CanvasRenderingContext2D): Rec => {
      const canvas = ctx.canvas as HTMLCanvasElement & { __drawn?: Rec };
      return (canvas.__drawn ??= { strokes: [], texts: [], path: [] });
    };
    const wrap = <K extends keyof CanvasRenderingContext2D>(
      name: K,
      before: (ctx: CanvasRenderingContext2D, args: unknown[]) => void,
    ) => {
      const original = proto[name] as unknown as (...args: unknown[]) => unknown;
      Object.defineProperty(proto, name, {
        value: function (this: CanvasRenderingContext2D, ...args: unknown[]) {
          before(this, args);
          return original.apply(this, args);
        },
      });
    };
    wrap('clearRect', (ctx, [x, y, w, hh]) => {
      if (x === 0 && y === 0 && w === ctx.canvas.width && hh === ctx.canvas.height) {
        const r = rec(ctx);
        r.strokes = [];
        r.texts = [];
      }
    });
    wrap('beginPath', (ctx) => (rec(ctx).path = []));
    wrap('moveTo', (ctx, [x, y]) => rec(ctx).path.push([x as number, y as number]));
    wrap('lineTo', (ctx, [x, y]) => rec(ctx).path.push([x as number, y as number]));
    wrap('stroke', (ctx) =>
      rec(ctx).strokes.push({ style: String(ctx.strokeStyle), dash: ctx.getLineDash(), points: [...rec(ctx).path] }),
    );
    wrap('fillText', (ctx, [text, x, y]) =>
      rec(ctx).texts.push({ text, x, y, align: ctx.textAlign, baseline: ctx.textBaseline }),
    );
  });
}

/** A CSS colour (e.g. the value of a custom property) as the canvas reports it, "#rrggbb". */
async function canvasColour(page: Page, css: string): Promise<string> {
  return page.evaluate((value) => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    const probe = document.createElement('span');
    probe.style.color = value;
    document.body.append(probe);
    ctx.strokeStyle = getComputedStyle(probe).color;
    probe.remove();
    return String(ctx.strokeStyle);
  }, css);
}

describe('the loss chart of a run with validation', () => {
  test("dashed per-epoch means: training's and validation's, each at the mean the log's epochEnd records", async () => {
    const epochEnds = logRecords(validated, 'epochEnd').map((e) => ({
      train: logNumber(e.meanLoss)!,
      validation: logNumber((e.validation as { meanLoss: unknown }).meanLoss)!,
    }));
    expect(epochEnds).toHaveLength(3);
    const h = await openHarness(browser, validated);
    const page = h.page;
    await recordCanvasDrawing(page);
    // Redraw: means off, then on again; the frame that draws them has 6 dashed segments (2 per epoch), each a
    // moveTo and a lineTo (one path per colour: ten thousand epochs are one stroke, not ten thousand).
    await page.getByTestId('loss-epoch-means').uncheck();
    await page.getByTestId('loss-epoch-means').check();
    const lastFrame = () =>
      page
        .locator('[data-testid="loss-chart"] canvas')
        .evaluate((c) => (c as unknown as { __drawn?: Drawn }).__drawn ?? { strokes: [], texts: [] }) as Promise<Drawn>;
    const dpr = await page.evaluate(() => window.devicePixelRatio || 1);
    const meansDash = [4 * dpr, 3 * dpr].join();
    await expect
      .poll(async () =>
        (await lastFrame()).strokes
          .filter((s) => s.dash.join() === meansDash)
          .reduce((n, s) => n + s.points.length / 2, 0),
      )
      .toBe(6);
    const drawn = await lastFrame();
    // The y axis: its tick labels, drawn right-aligned at their value's height.
    const ticks = drawn.texts
      .filter((t) => t.align === 'right' && t.baseline === 'middle' && t.text.trim() !== '')
      .map((t) => ({ value: Number(t.text), y: t.y }));
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every((t) => Number.isFinite(t.value))).toBe(true);
    const first = ticks[0];
    const last = ticks.at(-1)!;
    const yOf = (value: number) => first.y + ((value - first.value) * (last.y - first.y)) / (last.value - first.value);
    // The means' dashed lines ([4, 3] dashes), each a horizontal segment, in epoch order within a colour.
    const dashed = drawn.strokes.filter((s) => s.dash.join() === meansDash);
    const lines = (colour: string) =>
      dashed
        .filter((s) => s.style === colour)
        .flatMap((s) =>
          s.points
            .filter((_, i) => i % 2 === 0)
            .map((p, k) => ({ x0: p[0], x1: s.points[2 * k + 1][0], y: p[1], y1: s.points[2 * k + 1][1] })),
        )
        .sort((a, b) => a.x0 - b.x0);
    const validationLines = lines(await canvasColour(page, 'var(--lst-validation)'));
    const trainLines = lines(await canvasColour(page, 'var(--lst-loss)'));
    expect(validationLines).toHaveLength(3);
    expect(trainLines).toHaveLength(3);
    // A pixel and a half of rounding (tick positions are rounded to whole pixels).
    const near = 1.5 * dpr;
    epochEnds.forEach((means, epoch) => {
      for (const [line, value] of [
        [validationLines[epoch], means.validation],
        [trainLines[epoch], means.train],
      ] as const) {
        expect(line.y1).toBe(line.y);
        expect(Math.abs(line.y - yOf(value)), `epoch ${epoch + 1}: y ${line.y} for ${value}`).toBeLessThan(near);
      }
      // Both span the same epoch, and the validation mean differs from training's enough to tell them apart.
      expect([validationLines[epoch].x0, validationLines[epoch].x1]).toEqual([
        trainLines[epoch].x0,
        trainLines[epoch].x1,
      ]);
      expect(Math.abs(yOf(means.validation) - yOf(means.train))).toBeGreaterThan(2 * near);
    });
    // Epochs follow each other left to right.
    for (let e = 1; e < 3; e++) expect(validationLines[e].x0).toBeCloseTo(validationLines[e - 1].x1, 5);
    await page.close();
  });
});

describe('the report of a run with non-finite losses', () => {
  test('marks the NaN and Infinity batches — gaps in the curve, listed as such, said as NaN / Infinity — never 0', async () => {
    const losses = logRecords(diverged, 'batch').map((b) => logNumber(b.loss)!);
    const nonFinite = losses.flatMap((loss, step) => (Number.isFinite(loss) ? [] : [step]));
    expect(nonFinite.length).toBeGreaterThan(1);
    expect(nonFinite.length).toBeLessThan(losses.length);
    const file = path.join(tmp, 'diverged.html');
    fs.writeFileSync(file, renderReportHtml(diverged));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page
      .getByTestId('answer-banner')
      .filter({ hasText: /stateful/ })
      .waitFor();
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-gaps')).toBe(nonFinite.join(','));
    await page.getByTestId('events-filter').selectOption('nonFinite');
    await expect
      .poll(() => page.getByTestId('events-count').textContent())
      .toBe(`${nonFinite.length} batch${nonFinite.length === 1 ? '' : 'es'}`);
    const rows = await page.locator('[data-testid="events-table"] tbody tr').allTextContents();
    expect(rows.map((r) => /loss (\S+)$/.exec(r.replace(/\s+/g, ' ').trim())?.[1])).toEqual(
      nonFinite.map((step) => (Number.isNaN(losses[step]) ? 'NaN' : String(losses[step]))),
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
