// When something shows on screen, timed inside the page: a check polled every POLL_MS by the
// page itself (the workbench, or the webview's frame), which returns the page's Date.now() (the
// same clock as the test's) when it first holds. Started before the action it waits for.
import type { Frame, Page } from '@playwright/test';
import { byTestId } from './timelinePanel';

/** How often the page looks: part of the harness's allowance. */
export const POLL_MS = 16;

/** What the status bar item of the run shows: its state icon and its resets count. */
export type StatusBarCheck = { icon: string } | { resetsAbove: number } | { text: string };

/** Resolves with the time the LSTM status bar item first matched. */
export async function statusBarShows(page: Page, check: StatusBarCheck, timeout = 60_000): Promise<number> {
  const handle = await page.waitForFunction(
    (c) => {
      const items = [...document.querySelectorAll('.part.statusbar .statusbar-item')];
      const item = items.find((e) => /LSTM /.test(e.textContent ?? ''));
      if (!item) return 0;
      const text = item.textContent ?? '';
      const resets = Number(/resets (\d+)/.exec(text)?.[1] ?? -1);
      const hit =
        'icon' in c
          ? item.querySelector(`.codicon-${c.icon}`) !== null
          : 'resetsAbove' in c
            ? resets > c.resetsAbove
            : text.includes(c.text);
      return hit ? Date.now() : 0;
    },
    check,
    { polling: POLL_MS, timeout },
  );
  return (await handle.jsonValue()) as number;
}

/** The LSTM status bar item's resets count now. */
export function statusBarResets(page: Page): Promise<number> {
  return page.evaluate(() => {
    const items = [...document.querySelectorAll('.part.statusbar .statusbar-item')];
    const text = items.find((e) => /LSTM /.test(e.textContent ?? ''))?.textContent ?? '';
    return Number(/resets (\d+)/.exec(text)?.[1] ?? 0);
  });
}

/** The frame of the timeline panel's content (where its elements live). */
export async function panelFrame(page: Page): Promise<Frame> {
  const frame = await (await byTestId(page, 'run-status').elementHandle())?.ownerFrame();
  if (!frame) throw new Error('no timeline panel on screen');
  return frame;
}

/** What the panel shows: its run status, or its manual resets (the legend's count) above a count. */
export type PanelCheck = { status: string } | { manualAbove: number };

/** Resolves with the time the panel first matched. */
export async function panelShows(frame: Frame, check: PanelCheck, timeout = 60_000): Promise<number> {
  const handle = await frame.waitForFunction(
    (c) => {
      const status = document.querySelector('[data-testid="run-status"]')?.textContent ?? '';
      // The legend's count (drawn with the timeline every frame; the summary table follows a live run 4 times a second).
      const manual =
        Number.parseInt(document.querySelector('[data-testid="legend-manual"]')?.textContent ?? '', 10) || 0;
      const hit = 'status' in c ? new RegExp(`(^|\\s)${c.status}(\\s|$)`, 'i').test(status) : manual > c.manualAbove;
      return hit ? Date.now() : 0;
    },
    check,
    { polling: POLL_MS, timeout },
  );
  return (await handle.jsonValue()) as number;
}

/** Manual resets the panel's legend counts now. */
export function panelManualResets(frame: Frame): Promise<number> {
  return frame.evaluate(
    () => Number.parseInt(document.querySelector('[data-testid="legend-manual"]')?.textContent ?? '', 10) || 0,
  );
}

/** Where an input can land: the workbench page or the panel's frame. */
type InputTarget = Page | Frame;

/** Starts recording, in the page, the time of each pointer press and key press (capture phase: before any handler). */
export async function armInputClock(target: InputTarget): Promise<void> {
  await target.evaluate(() => {
    const w = window as unknown as { lstmInputAt?: number; lstmInputArmed?: boolean };
    if (w.lstmInputArmed) return;
    w.lstmInputArmed = true;
    for (const type of ['pointerdown', 'keydown'])
      window.addEventListener(type, () => (w.lstmInputAt = Date.now()), { capture: true });
  });
}

/** The page's time of the last input it received (armInputClock first), or NaN. */
export function lastInputAt(target: InputTarget): Promise<number> {
  return target.evaluate(() => (window as unknown as { lstmInputAt?: number }).lstmInputAt ?? Number.NaN);
}
