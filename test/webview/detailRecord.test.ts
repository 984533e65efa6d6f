/**
 * A panel's snapshot carries no detail columns (no sample indices, row sources or tensor offsets: 64 MB
 * at a million batches): the inspector takes a batch's rows and row sources from its BatchDetail.record,
 * says they are loading until it arrives, and a report (which embeds the detail columns) shows the same.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { rawBatches } from '../helpers/rawRun';
import { launch, openHarness, type HarnessPage } from './browser';

let browser: Browser;
let tmp: string;
let runDir: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-detail-record-'));
  runDir = writeSyntheticRun({
    dir: path.join(tmp, 'permuted'),
    stateful: true,
    resets: 'epoch',
    epochs: 2,
    batchesPerEpoch: 6,
    batchSize: 4,
    units: [3],
    override: { 3: { cause: 'permuted', rowSources: [2, 0, 3, 1] } },
  }).runDir;
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function goTo(h: HarnessPage, step: number): Promise<void> {
  await h.page.getByTestId('goto-batch').fill(String(step));
  await h.page.getByTestId('goto-batch').press('Enter');
  await h.page.locator(`[data-testid="inspector"][data-step="${step}"]`).waitFor();
}

describe('rows and row sources of a batch', () => {
  test('without detail columns: "loading…" until the batch detail arrives, then its record\'s samples and row sources', async () => {
    const log = rawBatches(runDir);
    const permuted = log.find((r) => r.step === 3)!;
    expect(permuted.rowSources).toEqual([2, 0, 3, 1]);
    expect(permuted.rows).toHaveLength(4);
    const h = await openHarness(browser, runDir, { detailDelayMs: 1500 });
    await goTo(h, 3);
    // The snapshot's record has no rows: they are on their way, not "not known".
    const samples = h.page.getByTestId('batch-samples');
    expect(await samples.textContent()).toMatch(/samples loading…/);
    expect(await samples.textContent()).not.toMatch(/not known/);
    expect(await h.page.getByTestId('own-row-sources').count()).toBe(0);
    await expect.poll(() => samples.textContent(), { timeout: 10_000 }).toMatch(/samples \d/);
    expect((await samples.textContent())!.replace(/\s+/g, ' ')).toContain(`samples ${permuted.rows!.join(', ')}`);
    expect(await h.page.getByTestId('own-row-sources').textContent()).toMatch(
      /rows continue rows of step 2: 0←2, 1←0, 2←3, 3←1/,
    );
    expect(h.errors).toEqual([]);
    await h.page.close();
  });

  test('with detail columns (a report): the samples and row sources show at once, the same as the log says', async () => {
    const permuted = rawBatches(runDir).find((r) => r.step === 3)!;
    const h = await openHarness(browser, runDir, { detailColumns: true, detailDelayMs: 3000 });
    await goTo(h, 3);
    expect((await h.page.getByTestId('batch-samples').textContent())!.replace(/\s+/g, ' ')).toContain(
      `samples ${permuted.rows!.join(', ')}`,
    );
    expect(await h.page.getByTestId('own-row-sources').textContent()).toMatch(
      /rows continue rows of step 2: 0←2, 1←0, 2←3, 3←1/,
    );
    await h.page.close();
  });
});
