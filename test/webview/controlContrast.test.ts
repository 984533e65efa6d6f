/**
 * Form controls stay readable in every theme: the panel's selects and inputs (x axis, batches of
 * note, go to batch) in the harness's dark, light and high-contrast themes, and in the standalone
 * report under a light and a dark system preference (where no VS Code theme defines their colours).
 * Text against its background must reach WCAG's 4.5:1, computed here from the colours the page paints.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderComparisonHtml, renderReportHtml } from '../../src/report/renderReport';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { launch, openHarness } from './browser';

let browser: Browser;
let dir: string;
let runDir: string;

beforeAll(async () => {
  browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-contrast-'));
  runDir = writeSyntheticRun({
    dir: path.join(dir, 'run'),
    stateful: true,
    epochs: 2,
    batchesPerEpoch: 3,
    batchSize: 2,
    units: [2],
  }).runDir;
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** WCAG 2 contrast ratio of two `rgb(…)` colours (the background taken as opaque). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = css
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map(Number);
    const linear = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(bl);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Text colour and background of every select and text input on the page (a transparent one shows the page's). */
async function controls(
  page: Page,
  ready = '.loss-head select',
): Promise<Array<{ id: string; color: string; background: string }>> {
  await page.locator(ready).first().waitFor();
  return page.evaluate(() => {
    const opaque = (el: Element | null): string => {
      for (; el; el = el.parentElement) {
        const bg = getComputedStyle(el).backgroundColor;
        if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    return [...document.querySelectorAll('select, input[type="text"], input:not([type])')].map((el) => ({
      id: el.id || el.getAttribute('data-testid') || el.outerHTML.slice(0, 60),
      color: getComputedStyle(el).color,
      background: opaque(el),
    }));
  });
}

function expectReadable(
  found: Array<{ id: string; color: string; background: string }>,
  where: string,
  least = 3,
): void {
  expect(found.length, `${where}: the page's selects and inputs`).toBeGreaterThanOrEqual(least);
  for (const { id, color, background } of found)
    expect(contrast(color, background), `${where}: ${id} (${color} on ${background})`).toBeGreaterThanOrEqual(4.5);
}

describe('form controls are readable in every theme', () => {
  test('the panel in dark, light and high contrast', async () => {
    const h = await openHarness(browser, runDir);
    for (const kind of ['dark', 'light', 'high-contrast']) {
      await h.page.evaluate((k) => (window as unknown as { __setTheme(k: string): void }).__setTheme(k), kind);
      expectReadable(await controls(h.page), kind);
    }
    await h.page.close();
  });

  test('the standalone report under a light and a dark system preference', async () => {
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, renderReportHtml(runDir));
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      await page.goto(pathToFileURL(file).href);
      expectReadable(await controls(page), `report, ${colorScheme}`);
      await page.close();
    }
  });

  test('the standalone comparison under a light and a dark system preference', async () => {
    const other = writeSyntheticRun({
      dir: path.join(dir, 'other'),
      stateful: false,
      epochs: 2,
      batchesPerEpoch: 3,
      batchSize: 2,
      units: [2],
    }).runDir;
    const file = path.join(dir, 'compare.html');
    fs.writeFileSync(file, renderComparisonHtml([runDir, other]));
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      await page.goto(pathToFileURL(file).href);
      expectReadable(await controls(page, '[data-testid="compare-align"]'), `comparison, ${colorScheme}`, 1);
      await page.close();
    }
  });
});
