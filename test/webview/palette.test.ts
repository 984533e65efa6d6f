/**
 * Cause colours stay apart: for each theme (dark, light, high contrast) the colours the built page
 * really paints with are read back from chromium, and the CIEDE2000 difference of every pair is
 * computed — in normal vision, and simulated protanopia, deuteranopia and tritanopia (Machado et al.,
 * as culori implements it). Where colour alone cannot separate two causes for a deficiency, their
 * marker shapes do: every cause has its own.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  differenceCiede2000,
  filterDeficiencyDeuter,
  filterDeficiencyProt,
  filterDeficiencyTrit,
  parse,
  type Color,
} from 'culori';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { CAUSES, TRAINER_CAUSES } from '../../src/shared/causes';
import { CAUSE_SHAPES } from '../../webview/canvas/causeShapes';
import { writeSyntheticRun } from '../fixtures/syntheticRun';
import { launch, openHarness } from './browser';

let browser: Browser;
let runDir: string;
const deltaE = differenceCiede2000();
const VISION: Record<string, (c: Color) => Color> = {
  normal: (c) => c,
  protanopia: filterDeficiencyProt(1),
  deuteranopia: filterDeficiencyDeuter(1),
  tritanopia: filterDeficiencyTrit(1),
};
/** ΔE00 thresholds: ~2 is just noticeable; 10 and more reads as another colour. */
const NORMAL_MIN = 10;
const DEFICIENT_TRAINER_MIN = 6;
const BACKGROUND_MIN = 15;

beforeAll(async () => {
  browser = await launch();
  runDir = writeSyntheticRun({
    dir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-palette-')), 'run'),
    stateful: true,
    epochs: 2,
    batchesPerEpoch: 3,
    batchSize: 2,
    units: [2],
  }).runDir;
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(path.dirname(runDir), { recursive: true, force: true });
});

/** The colour of each cause and the background, as the page computes them in `theme`. */
async function colours(theme: string): Promise<{ causes: Record<string, string>; background: string }> {
  const h = await openHarness(browser, runDir);
  const result = await h.page.evaluate(
    ({ theme, causes }) => {
      (window as unknown as { __setTheme(k: string): void }).__setTheme(theme);
      // The colour the canvas gets: computed `color` of a probe with the variable.
      const probe = document.createElement('span');
      document.body.append(probe);
      const read = (v: string) => {
        probe.style.color = `var(--lst-${v})`;
        return getComputedStyle(probe).color;
      };
      return { causes: Object.fromEntries(causes.map((c) => [c, read(c)])), background: read('bg') };
    },
    { theme, causes: [...CAUSES] },
  );
  await h.page.close();
  return result;
}

describe('cause colours', () => {
  test('every cause has its own marker shape', () => {
    expect(new Set(Object.values(CAUSE_SHAPES)).size).toBe(CAUSES.length);
  });

  for (const theme of ['dark', 'light', 'high-contrast']) {
    test(`${theme} theme: every pair of causes apart in CIEDE2000, in normal and deficient vision`, async () => {
      const { causes, background } = await colours(theme);
      const parsed = Object.fromEntries(Object.entries(causes).map(([c, css]) => [c, parse(css)!]));
      const report: string[] = [];
      for (const [vision, simulate] of Object.entries(VISION)) {
        for (let i = 0; i < CAUSES.length; i++) {
          const a = CAUSES[i];
          const bg = deltaE(simulate(parsed[a]), simulate(parse(background)!));
          if (vision === 'normal')
            expect(bg, `${theme}: ${a} against the background`).toBeGreaterThanOrEqual(BACKGROUND_MIN);
          for (let j = i + 1; j < CAUSES.length; j++) {
            const b = CAUSES[j];
            const d = deltaE(simulate(parsed[a]), simulate(parsed[b]));
            report.push(`${vision} ${a}/${b} ${d.toFixed(1)}`);
            if (vision === 'normal') expect(d, `${theme}: ${a} vs ${b}`).toBeGreaterThanOrEqual(NORMAL_MIN);
            // The trainer's causes occur together in every Keras-style run: colour must carry them alone.
            else if (TRAINER_CAUSES.includes(a) && TRAINER_CAUSES.includes(b))
              expect(d, `${theme}, ${vision}: ${a} vs ${b}`).toBeGreaterThanOrEqual(DEFICIENT_TRAINER_MIN);
          }
        }
      }
      // The orange/gold pair of issue 13 in particular.
      expect(deltaE(parsed.epoch, parsed.schedule)).toBeGreaterThanOrEqual(20);
      fs.mkdirSync(path.resolve(__dirname, '../../test-artifacts/webview'), { recursive: true });
      fs.writeFileSync(path.resolve(__dirname, `../../test-artifacts/webview/palette-${theme}.txt`), report.join('\n'));
    });
  }
});
