/** The standalone HTML report: same bundle, data embedded, renders in chromium with every network request refused. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderReportHtml } from '../../src/report/renderReport';
import { readBatchStates } from '../../src/runStore/batchData';
import { readRun } from '../../src/runStore/readRun';
import { answerForRun, countCauses } from '../../src/runStore/runSummary';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { ARTIFACTS, launch } from './browser';

let browser: Browser;
let dir: string;
let runDir: string;

beforeAll(async () => {
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-report-'));
  runDir = writeSyntheticRun({
    dir: path.join(dir, 'run'),
    stateful: true,
    epochs: 4,
    batchesPerEpoch: 6,
    batchSize: 12,
    units: [8, 4],
    resets: { everyBatches: 5 },
    manualResetsAt: [13],
    hiddenRows: [1],
    timesteps: 9,
  }).runDir;
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a report file offline: any request that is not the file itself fails the test. */
async function openOffline(file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(file).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  await page
    .getByTestId('answer-banner')
    .filter({ hasText: /stateful|stateless/ })
    .waitFor();
  return { page, requests, errors };
}

describe('standalone report', () => {
  test('one self-contained file: bundle inlined, strict CSP, no external URL', () => {
    const html = renderReportHtml(runDir);
    expect(html).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; img-src data:; font-src data:">/,
    );
    // The page itself loads nothing (inside the bundle, a Lit template of the unused icon element mentions a <link>).
    const page = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    expect(page.match(/<script[^>]+src=|<link[^>]+href=/g)).toBeNull();
    // URLs that remain are inert text in the bundle (an SVG namespace, a doc link in an error message).
    const urls = new Set(html.match(/https?:\/\/[^"'\s)]+/g) ?? []);
    expect(
      [...urls].filter(
        (url) => !/^http:\/\/www\.w3\.org\/2000\/svg$|^https:\/\/vscode-elements\.github\.io\//.test(url),
      ),
    ).toEqual([]);
    expect(html.includes('sourceMappingURL')).toBe(false);
    // The data (JSON), its arrays (compressed, base64) and the bundle.
    expect((html.match(/<\/script>/g) ?? []).length).toBe(3);
    expect(html).toMatch(
      /<script type="application\/octet-stream" id="lstm-report-arrays" data-encoding="gzip\+base64">[A-Za-z0-9+/=]+<\/script>/,
    );
  });

  test('renders offline: answer, counts, timeline, inspector with continuity; no toolbar', async () => {
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, renderReportHtml(runDir));
    const { page, requests, errors } = await openOffline(file);
    const run = readRun(runDir);
    expect(await page.getByTestId('answer-banner').textContent()).toBe(answerForRun(run));
    expect(await page.getByTestId('run-status').textContent()).toBe('finished');
    const counts = countCauses(run.batches);
    for (const cause of ['first', 'schedule', 'manual', 'carried'] as const) {
      expect(
        await page.locator(`[data-testid="summary-total"] [data-testid="count-${cause}"]`).textContent(),
        cause,
      ).toBe(String(counts[cause]));
    }
    expect(counts.schedule).toBeGreaterThan(0);
    expect(await page.getByTestId('action-resetNow').count()).toBe(0);
    await page.getByTestId('timeline').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid="inspector"][data-step="1"] [data-testid="heatmap"]').waitFor();
    expect(await page.getByTestId('continuity-maxdiff').getAttribute('data-value')).toBe('0');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid="inspector"][data-step="4"] [data-testid="heatmap"]').waitFor();
    // Batch 5 starts from a scheduled reset: the dropped state shows as a non-zero difference.
    expect(Number(await page.getByTestId('continuity-maxdiff').getAttribute('data-value'))).toBeGreaterThan(0);
    expect(await page.getByTestId('continuity-verdict').getAttribute('data-cause')).toBe('schedule');
    await page.getByTestId('hidden-sequence').waitFor();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a small budget keeps the first rows of every batch (continuity still exact) and says so', async () => {
    const file = path.join(dir, 'capped.html');
    // Room for 3 of the 12 rows of each of the 24 batches: 24 × 3 rows × (8 + 8 + 4 + 4) units × 4 bytes.
    fs.writeFileSync(file, renderReportHtml(runDir, { maxTensorBytes: 24 * 3 * 24 * 4 }));
    const { page, requests } = await openOffline(file);
    await page.getByTestId('timeline').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid="inspector"][data-step="1"] [data-testid="heatmap"]').waitFor();
    expect(await page.getByTestId('heatmap').getAttribute('aria-label')).toMatch(/: 3 rows × 8 units/);
    expect(await page.getByTestId('continuity-maxdiff').getAttribute('data-value')).toBe('0');
    expect(await page.getByTestId('inspector').textContent()).not.toContain('could not');
    // The values are the run's own, to the bit (float32 in, float32 out).
    const states = readBatchStates(readRun(runDir), readRun(runDir).batches[1])!;
    await page.getByTestId('heatmap').focus();
    const readout = page.locator('figure.heatmap:has([data-testid="heatmap"]) .heatmap-readout');
    await expect.poll(() => readout.textContent()).toMatch(/^row 0 \(sample \d+\), unit 0: /);
    expect(Number((await readout.textContent())!.split(': ')[1])).toBeCloseTo(states[0].h[0], 6);
    expect(requests).toEqual([]);
    const html = fs.readFileSync(file, 'utf8');
    const note = JSON.parse(html.match(/id="lstm-report-data">(.*?)<\/script>/s)![1]).note as string;
    expect(note).toMatch(/embeds the first 3 of 12 rows of every batch/);
    await page.close();
  });

  test('a report grows about linearly with the batches it holds', () => {
    const sizes = [30, 60, 120].map((epochs) => {
      const run = writeSyntheticRun({
        dir: fs.mkdtempSync(path.join(dir, `linear-${epochs}-`)),
        stateful: true,
        epochs,
        batchesPerEpoch: 5,
        batchSize: 16,
        units: [8],
        resets: 'epoch',
      }).runDir;
      return Buffer.byteLength(renderReportHtml(run, { maxTensorBytes: Number.POSITIVE_INFINITY }));
    });
    // Every size includes the same bundle: the bytes added per batch stay about the same.
    const perBatch = [(sizes[1] - sizes[0]) / 150, (sizes[2] - sizes[1]) / 300];
    expect(perBatch[1] / perBatch[0]).toBeGreaterThan(0.85);
    expect(perBatch[1] / perBatch[0]).toBeLessThan(1.15);
  });
});
