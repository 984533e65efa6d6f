/**
 * Runs beyond a plain Keras-style training, in the built webview: non-finite and unknown losses, damaged
 * (unreadable) batches (issue 10); validation and prediction phases (issue 11); recorded PyTorch runs
 * with unknown plans, GRU layers, permuted rows, other initial states and flags (issue 12).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { renderReportHtml } from '../../src/report/renderReport';
import { readRun } from '../../src/runStore/readRun';
import { CAUSE_LABELS, type InitialStateCause } from '../../src/shared/causes';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { rawBatches } from '../helpers/rawRun';
import { launch, openHarness, type HarnessPage } from './browser';
import { pathToFileURL } from 'url';

let browser: Browser;
let tmp: string;
let nonFinite: string;
let damaged: string;
let shared: string;
let isolated: string;
let recorded: string;

beforeAll(async () => {
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-kinds-'));
  nonFinite = writeSyntheticRun({
    dir: path.join(tmp, 'nonfinite'),
    stateful: true,
    epochs: 3,
    batchesPerEpoch: 5,
    batchSize: 3,
    units: [2],
    nonFinite: { 6: Number.NaN, 9: Number.POSITIVE_INFINITY, 12: Number.NEGATIVE_INFINITY },
  }).runDir;
  damaged = writeSyntheticRun({
    dir: path.join(tmp, 'damaged'),
    stateful: true,
    epochs: 3,
    batchesPerEpoch: 5,
    batchSize: 3,
    units: [2],
    damagedLines: [7],
  }).runDir;
  // Keras: validation through the same stateful layer (shared), or with the training state put back (isolated).
  shared = writeSyntheticRun({
    dir: path.join(tmp, 'shared'),
    stateful: true,
    epochs: 3,
    batchesPerEpoch: 4,
    batchSize: 3,
    units: [2],
    validation: { batches: 2, state: 'shared' },
    predict: 3,
  }).runDir;
  isolated = writeSyntheticRun({
    dir: path.join(tmp, 'isolated'),
    stateful: true,
    epochs: 3,
    batchesPerEpoch: 4,
    batchSize: 3,
    units: [2],
    validation: { batches: 2, state: 'isolated' },
  }).runDir;
  // A recorded PyTorch GRU: rows permuted at step 3, a learned initial state at 6, explicit zeros at 8,
  // the missing detach() flagged at 4, unknown losses at 10 and 11.
  recorded = writeSyntheticRun({
    dir: path.join(tmp, 'recorded'),
    stateful: true,
    epochs: 2,
    batchesPerEpoch: 6,
    batchSize: 4,
    units: [3],
    recorder: true,
    gru: true,
    override: {
      3: { cause: 'permuted', rowSources: [2, 0, 3, 1] },
      4: { cause: 'carried', flags: ['withGraph'], dataContinues: false },
      6: { cause: 'other' },
      8: { cause: 'zeros' },
    },
    unknownLoss: [10, 11],
  }).runDir;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const selectStep = async (h: HarnessPage, step: number) => {
  await h.page.getByTestId('goto-batch').fill(String(step));
  await h.page.getByTestId('goto-batch').press('Enter');
  await h.page.locator(`[data-testid="inspector"][data-step="${step}"]`).waitFor();
};

describe('issue 10: failure shown as what it is', () => {
  test('NaN and ±Infinity losses: gaps in the curve, listed, said as NaN / Infinity, never 0', async () => {
    const h = await openHarness(browser, nonFinite);
    await expect.poll(() => h.page.getByTestId('loss-chart').getAttribute('data-gaps')).toBe('6,9,12');
    await h.page.getByTestId('events-filter').selectOption('nonFinite');
    await expect.poll(() => h.page.getByTestId('events-count').textContent()).toBe('3 batches');
    const rows = await h.page.locator('[data-testid="events-table"] tbody tr').allTextContents();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringMatching(/^6 2 2 training carried from step 5 · loss NaN$/),
      expect.stringMatching(/^9 2 5 training carried from step 8 · loss Infinity$/),
      expect.stringMatching(/^12 3 3 training carried from step 11 · loss -Infinity$/),
    ]);
    await selectStep(h, 9);
    expect(await h.page.getByTestId('inspector-summary').textContent()).toMatch(/ · loss Infinity$/);
    // The loss readout over step 12.
    const over = (await h.page.getByTestId('loss-over').boundingBox())!;
    await h.page.mouse.move(over.x + (12.5 / 15) * over.width, over.y + 10);
    await expect
      .poll(() => h.page.getByTestId('loss-readout').textContent())
      .toMatch(/^step 12 .* loss -Infinity · smoothed —$/);
    // The marker in the timeline's marker track, in the non-finite colour.
    const marked = await h.page.evaluate(() => {
      const el = document.querySelector('[data-testid="timeline"]') as HTMLElement;
      const canvas = el.querySelector('canvas')!;
      const dpr = window.devicePixelRatio || 1;
      const left = Number(el.dataset.plotLeft) * dpr;
      const plot = canvas.width - left - Number(el.dataset.plotRight) * dpr;
      const probe = document.createElement('span');
      probe.style.color = 'var(--lst-nonfinite)';
      document.body.append(probe);
      const [r, g, b] = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
      return [6, 9, 12, 3].map((step) => {
        const x = Math.round(left + ((step + 0.5) / 15) * plot);
        const d = canvas.getContext('2d')!.getImageData(x - 2, 17 * dpr, 4, 6 * dpr).data;
        for (let i = 0; i < d.length; i += 4)
          if (Math.abs(d[i] - r) < 10 && Math.abs(d[i + 1] - g) < 10 && Math.abs(d[i + 2] - b) < 10) return true;
        return false;
      });
    });
    expect(marked).toEqual([true, true, true, false]);
    await h.screenshot('nonfinite-losses');
    await h.page.close();
  });

  test('a batch whose record cannot be read shows as missing (hatched), is counted and listed, and the rest reads on', async () => {
    const run = readRun(damaged);
    expect(run.batches[7].cause).toBe('unreadable');
    const h = await openHarness(browser, damaged);
    expect(await h.page.getByTestId('legend-unreadable').textContent()).toBe('1');
    expect(await h.page.locator('[data-testid="summary-total"] [data-testid="count-unreadable"]').textContent()).toBe(
      '1',
    );
    await h.page.getByTestId('events-filter').selectOption('unreadable');
    // The resets list shown before also counts "1 batch" (the first): wait for the unreadable one's row.
    await expect
      .poll(() => h.page.locator('[data-testid="events-table"] tbody tr').first().textContent())
      .toMatch(/unreadable: its record/);
    await expect.poll(() => h.page.getByTestId('events-count').textContent()).toBe('1 batch');
    await selectStep(h, 7);
    await expect
      .poll(() => h.page.getByTestId('inspector').textContent())
      .toMatch(/Step 7 could not be read: its record \(before line \d+ of the log\) could not be read/);
    // The batch after it still has its tensors.
    await selectStep(h, 8);
    await h.page.locator('[data-testid="inspector"][data-step="8"] [data-testid="heatmap"]').waitFor();
    await h.screenshot('unreadable-batch');
    await h.page.close();
  });

  test('the report of a damaged run (a cut states.bin too) renders, says what it left out, and names the batches', async () => {
    const dir = path.join(tmp, 'damaged-report');
    fs.cpSync(damaged, dir, { recursive: true });
    const states = path.join(dir, 'states.bin');
    // Cut the last batch's tensors in half.
    fs.truncateSync(states, fs.statSync(states).size - 3 * 2 * 4 * 2);
    const file = path.join(tmp, 'damaged.html');
    fs.writeFileSync(file, renderReportHtml(dir));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page
      .getByTestId('answer-banner')
      .filter({ hasText: /stateful/ })
      .waitFor();
    expect(await page.getByTestId('legend-unreadable').textContent()).toBe('1');
    await page.getByTestId('timeline').focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => page.getByTestId('inspector').textContent())
      .toMatch(/Left out because they could not be read: step 14: .*states\.bin/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('issue 11: phases', () => {
  test('validation and prediction batches in their own lane, counted per phase, their losses beside training', async () => {
    const h = await openHarness(browser, shared);
    const rows = await h.page
      .locator('[data-testid="summary-table"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-epoch')}:${tr.getAttribute('data-phase')}`));
    expect(rows).toEqual(['0:train', '0:validate', '1:train', '1:validate', '2:train', '2:validate', '2:predict']);
    const total = (phase: string) =>
      h.page.locator(`[data-testid="summary-total-${phase}"] [data-testid="count-batches"]`).textContent();
    expect(await total('train')).toBe('12');
    expect(await total('validate')).toBe('6');
    expect(await total('predict')).toBe('3');
    // Step 4 is epoch 1's first validation batch.
    const over = (await h.page.getByTestId('loss-over').boundingBox())!;
    await h.page.mouse.move(over.x + (4.5 / 21) * over.width, over.y + 10);
    await expect
      .poll(() => h.page.getByTestId('loss-readout').textContent())
      .toMatch(/^step 4 · epoch 1, validation batch 1 · validation · loss \d/);
    // The phase lane: a validation batch is painted there, a training one is not.
    const lane = await h.page.evaluate(() => {
      const el = document.querySelector('[data-testid="timeline"]') as HTMLElement;
      const canvas = el.querySelector('canvas')!;
      const dpr = window.devicePixelRatio || 1;
      const left = Number(el.dataset.plotLeft) * dpr;
      const plot = canvas.width - left - Number(el.dataset.plotRight) * dpr;
      const at = (step: number) => {
        const x = Math.round(left + ((step + 0.5) / 21) * plot);
        return [
          ...canvas
            .getContext('2d')!
            .getImageData(x, 53 * dpr, 1, 1)
            .data.slice(0, 3),
        ];
      };
      return {
        validation: at(4),
        training: at(2),
        background: [...canvas.getContext('2d')!.getImageData(1, 1, 1, 1).data.slice(0, 3)],
      };
    });
    expect(lane.training).toEqual(lane.background);
    expect(lane.validation).not.toEqual(lane.background);
    await h.screenshot('phases-shared');
    await h.page.close();
  });

  test('continuity across phases: training into validation, validation into the next epoch (shared); the restored state (isolated)', async () => {
    const h = await openHarness(browser, shared);
    const verdict = () => h.page.getByTestId('continuity-verdict');
    // Epoch 1: steps 0–3 train, 4–5 validate; epoch 2 trains from step 6, carried from step 5.
    await selectStep(h, 3);
    await expect.poll(() => verdict().getAttribute('data-next')).toBe('4');
    expect(await h.page.getByTestId('continuity-maxdiff').getAttribute('data-value')).toBe('0');
    expect(await verdict().textContent()).toMatch(/Step 4 \(validation\) continues step 3/);
    await selectStep(h, 5);
    await expect.poll(() => verdict().getAttribute('data-next')).toBe('6');
    expect(await h.page.getByTestId('continuity-maxdiff').getAttribute('data-value')).toBe('0');
    expect(await verdict().textContent()).toMatch(/Step 6 \(training\) continues step 5/);
    await h.page.close();

    const i = await openHarness(browser, isolated);
    // Isolated: step 6 (epoch 2's first training batch) is restored from step 3, not carried from validation.
    expect(readRun(isolated).batches[6]).toMatchObject({ cause: 'restored', carriedFrom: 3 });
    await selectStep(i, 5);
    await expect
      .poll(() => i.page.getByTestId('continuity-verdict').textContent())
      .toMatch(/starts from step \d+'s state, not step 5's/);
    expect(await i.page.getByTestId('inspector-summary').textContent()).toMatch(
      /^step 5 · epoch 1, validation batch 2 · carried from step 4/,
    );
    await selectStep(i, 6);
    expect(await i.page.getByTestId('inspector-summary').textContent()).toMatch(
      /^step 6 · epoch 2, batch 1 · restored from step 3 /,
    );
    await i.page.close();
  });
});

describe('issue 12: recorded PyTorch runs', () => {
  test('unknown plan and rows, GRU h only, permuted rows continued through rowSources, other and zeros, flags in words', async () => {
    const h = await openHarness(browser, recorded);
    expect(await h.page.locator('.run-title').textContent()).toMatch(
      /^recorded — recorded PyTorch GRU \(model\.lstm of train\.py\)$/,
    );
    for (const cause of ['permuted', 'other', 'zeros'])
      expect(await h.page.getByTestId(`legend-${cause}`).textContent()).toBe('1');
    // Step 2 is followed by the permuted step 3: continuity row i ← rowSources[i], exactly 0.
    await selectStep(h, 2);
    await expect.poll(() => h.page.getByTestId('continuity-verdict').getAttribute('data-cause')).toBe('permuted');
    expect(await h.page.getByTestId('continuity-maxdiff').getAttribute('data-value')).toBe('0');
    expect(await h.page.getByTestId('row-sources').textContent()).toMatch(/0←2, 1←0, 2←3, 3←1/);
    // GRU: the State choice offers h only, and the facts say what is not known (once the batch's record is here).
    await expect.poll(() => h.page.getByTestId('batch-facts').textContent()).toMatch(/samples — \(not known\)/);
    const facts = await h.page.getByTestId('batch-facts').textContent();
    expect(facts).toMatch(/timesteps: 5/);
    await selectStep(h, 3);
    expect(await h.page.getByTestId('own-row-sources').textContent()).toMatch(
      /rows continue rows of step 2: 0←2, 1←0, 2←3, 3←1/,
    );
    await selectStep(h, 4);
    expect(await h.page.getByTestId('flag-withGraph').textContent()).toMatch(/PT001 withGraph: .*detach\(\)/);
    expect(await h.page.getByTestId('data-continues').textContent()).toMatch(/no \(the rows hold unrelated data\)/);
    await selectStep(h, 5);
    await expect.poll(() => h.page.getByTestId('continuity-verdict').textContent()).toMatch(/equal to no earlier one/);
    await selectStep(h, 10);
    expect(await h.page.getByTestId('inspector-summary').textContent()).toMatch(/ · loss —$/);
    const tensors = await h.page.locator('[data-testid="inspector-tensor"] vscode-option').allTextContents();
    expect(tensors.map((t) => t.trim())).toEqual(['h (hidden)']);
    await h.page.getByTestId('events-filter').selectOption('flagged');
    await expect.poll(() => h.page.getByTestId('events-count').textContent()).toBe('1 batch');
    // Every count of the summary sits under its own heading, the rarer causes included, and the
    // totals are the log's.
    const table = await h.page.evaluate(() => {
      const t = document.querySelector('[data-testid="summary-table"]')!;
      const headings = [...t.querySelectorAll('thead th')].map((th) => th.getAttribute('title') ?? th.textContent);
      const total = [...t.querySelectorAll('[data-testid="summary-total"] td')].map((td) => [
        td.getAttribute('data-testid'),
        td.textContent,
      ]);
      return { headings, total };
    });
    const counts: Record<string, number> = {};
    for (const { cause } of rawBatches(recorded)) counts[cause] = (counts[cause] ?? 0) + 1;
    const columns = table.total.map(([id]) => id!.replace(/^count-/, ''));
    expect(table.headings).toEqual([
      'Epoch',
      ...columns.slice(0, -1).map((c) => CAUSE_LABELS[c as InitialStateCause]),
      'batches',
    ]);
    for (const [id, text] of table.total.slice(0, -1))
      expect(text, id!).toBe(String(counts[id!.replace(/^count-/, '')] ?? 0));
    expect(columns).toEqual(expect.arrayContaining(['zeros', 'permuted', 'other', 'carried']));
    await h.screenshot('recorded-gru');
    await h.page.close();
  });
});
