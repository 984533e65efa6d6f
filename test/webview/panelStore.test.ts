/** The webview's store without a browser: repaints per frame, and the actions on selection, view, run and details. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { BatchDetail, RunSnapshot } from '../../src/shared/channels/webviewChannel';
import type { BatchRecord } from '../../src/shared/runFormat';
import { readRun, type RunData } from '../../src/runStore/readRun';
import { batchDetailOf, snapshotOf } from '../../src/runStore/snapshot';
import { PanelStore, type PanelEffects } from '../../webview/state/panelStore';
import { Store } from '../../webview/state/store';
import type { Theme } from '../../webview/state/theme';
import { defaultUiState } from '../../webview/state/uiState';
import { writeSyntheticRun } from '../fixtures/syntheticRun';

/** requestAnimationFrame, run by hand: `frame()` runs what was requested since the last frame (at time `now`). */
let requested: FrameRequestCallback[] = [];
function frame(now = performance.now()): void {
  const due = requested;
  requested = [];
  for (const callback of due) callback(now);
}

beforeEach(() => {
  requested = [];
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => requested.push(callback));
});

class TestStore extends Store<{ a: number; b: number; list: number[] }> {
  set(patch: Partial<TestStore['state']>, paced = false): void {
    this.update(patch, paced);
  }
}

describe('Store', () => {
  test('changes within a frame are painted in one frame, each subscriber only when its slice changed', () => {
    const store = new TestStore({ a: 0, b: 0, list: [1, 2] });
    const painted: string[] = [];
    let frames = 0;
    store.onPainted(() => frames++);
    store.subscribe(
      (s) => s.a,
      (s) => painted.push(`a=${s.a}`),
    );
    store.subscribe(
      (s) => [s.b, ...s.list],
      (s) => painted.push(`b=${s.b} list=${s.list}`),
    );
    expect(requested).toHaveLength(1);
    frame();
    expect(painted).toEqual(['a=0', 'b=0 list=1,2']);
    for (let a = 1; a <= 3; a++) store.set({ a });
    expect(requested).toHaveLength(1);
    frame();
    expect(painted.slice(2)).toEqual(['a=3']);
    // An equal array is an unchanged slice; an equal number too: nothing painted, no painted frame.
    store.set({ b: 0, list: [1, 2] });
    frame();
    expect(painted).toHaveLength(3);
    expect(frames).toBe(2);
    store.set({ list: [1, 3] });
    frame();
    expect(painted.slice(3)).toEqual(['b=0 list=1,3']);
    expect(frames).toBe(3);
  });

  test("paced updates (live batches) repaint at most at the pace; the user's own updates at the next frame", () => {
    const store = new TestStore({ a: 0, b: 0, list: [] });
    const painted: Array<[number, number]> = [];
    let now = 0;
    store.subscribe(
      (s) => s.a,
      (s) => painted.push([now, s.a]),
    );
    frame(now);
    store.setPace(10); // lstmState.updateRateHz 10: at most one repaint per 100 ms
    // A batch every 5 ms, frames every 16.7 ms over a second: ten or eleven repaints, not sixty.
    let a = 0;
    for (let t = 0; t <= 1000; t += 1) {
      now = t;
      if (t % 5 === 0) store.set({ a: ++a }, true);
      if (Math.round(t % (1000 / 60)) === 0) frame(now);
    }
    const paced = painted.slice(1);
    expect(paced.length).toBeGreaterThanOrEqual(9);
    expect(paced.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < paced.length; i++) expect(paced[i][0] - paced[i - 1][0]).toBeGreaterThanOrEqual(96);
    // The newest batch is painted in the end, and a user's change does not wait for the pace.
    frame((now = 1200));
    expect(painted.at(-1)).toEqual([1200, a]);
    store.set({ a: -1 });
    frame((now = 1210));
    expect(painted.at(-1)).toEqual([1210, -1]);
    // No pace (absent in the snapshot): every frame.
    store.setPace(undefined);
    store.set({ a: 5 }, true);
    frame((now = 1215));
    expect(painted.at(-1)).toEqual([1215, 5]);
  });

  test('a subscriber may update the state for the ones after it within the same frame', () => {
    const store = new TestStore({ a: 0, b: 0, list: [] });
    const seen: number[] = [];
    store.subscribe(
      (s) => s.a,
      (s) => store.set({ b: s.a * 10 }),
    );
    store.subscribe(
      (s) => s.b,
      (s) => seen.push(s.b),
    );
    frame();
    store.set({ a: 4 });
    frame();
    expect(seen).toEqual([0, 40]);
    // The update made while painting asked for one more frame, in which nothing has changed.
    frame();
    expect(seen).toEqual([0, 40]);
  });

  test('a subscriber with atMostEveryMs follows paced updates at most that often, and a user change at once', () => {
    const store = new TestStore({ a: 0, b: 0, list: [] });
    const table: Array<[number, number]> = [];
    const chart: number[] = [];
    store.subscribe(
      (s) => s.a,
      (s) => chart.push(s.a),
    );
    store.subscribe(
      (s) => [s.a, s.b],
      (s) => table.push([s.a, s.b]),
      { atMostEveryMs: 250 },
    );
    frame(1000);
    // Live batches every frame: the chart follows each, the table at most every 250 ms.
    for (let i = 1; i <= 30; i++) {
      store.set({ a: i }, true);
      frame(1000 + i * 16);
    }
    expect(chart).toEqual(Array.from({ length: 31 }, (_, i) => i));
    expect(table.map(([a]) => a)).toEqual([0, 16]);
    // A deferred change is painted once its interval has passed, with no new update.
    frame(1000 + 31 * 16);
    frame(1000 + 32 * 16);
    expect(table.at(-1)).toEqual([30, 0]);
    // The user's change (not paced) repaints it in the next frame.
    store.set({ b: 1 });
    frame(1000 + 33 * 16);
    expect(table.at(-1)).toEqual([30, 1]);
  });

  test('invalidate repaints one subscriber whose slice did not change (its size or hover changed)', () => {
    const store = new TestStore({ a: 0, b: 0, list: [] });
    const painted: string[] = [];
    const first = store.subscribe(
      (s) => s.a,
      () => painted.push('first'),
    );
    store.subscribe(
      (s) => s.a,
      () => painted.push('second'),
    );
    frame();
    first.invalidate();
    frame();
    expect(painted).toEqual(['first', 'second', 'first']);
  });
});

const theme: Theme = {
  palette: {
    background: '#000',
    foreground: '#fff',
    muted: '#888',
    grid: '#444',
    focus: '#00f',
    selection: '#00f',
    loss: '#888',
    ema: '#00f',
    negative: '#00f',
    positive: '#f00',
    cause: {
      auto: '#1',
      first: '#2',
      epoch: '#3',
      schedule: '#4',
      manual: '#5',
      phase: '#c',
      zeros: '#7',
      carried: '#6',
      restored: '#8',
      permuted: '#9',
      partial: '#a',
      other: '#b',
      unreadable: '#c',
    },
    phase: { train: '#000', validate: '#ccc', predict: '#888', eval: '#ccc' },
    nonFinite: '#f00',
    flag: '#ff0',
    validation: '#fa0',
    backgroundRgb: [0, 0, 0],
    negativeRgb: [0, 0, 255],
    positiveRgb: [255, 0, 0],
  },
  font: 'sans-serif',
};

/** Effects recorded instead of sent; `cache` plays the detail cache. */
function recorder() {
  const cache = new Map<number, BatchDetail>();
  const log = { selected: [] as number[], fetched: [] as number[], actions: [] as string[] };
  const effects: PanelEffects = {
    selected: (step) => log.selected.push(step),
    cachedDetail: (step) => cache.get(step),
    fetchDetail: (steps) => log.fetched.push(...steps),
    act: (action) => log.actions.push(action),
  };
  return { cache, log, effects };
}

let dir: string;
let run: RunData;
/** The first `n` batches of a 6 × 5 stateful run, as a live run's snapshot. */
const liveSnapshot = (n: number): RunSnapshot => ({
  ...snapshotOf(run),
  status: 'running',
  batches: run.batches.slice(0, n),
});
const delta = (batches: BatchRecord[]) => ({
  type: 'delta' as const,
  batches,
  resets: [],
  epochLosses: [],
  status: 'running' as const,
  answer: 'live',
});

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-store-'));
  run = readRun(
    writeSyntheticRun({
      dir: path.join(dir, 'run'),
      stateful: true,
      epochs: 6,
      batchesPerEpoch: 5,
      batchSize: 3,
      units: [2],
      resets: 'epoch',
      status: 'open',
    }).runDir,
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('PanelStore', () => {
  test('follow mode: a live run fits the batches so far (not the plan) until the user zooms or pans; Follow fits again', () => {
    const { effects } = recorder();
    const store = new PanelStore(defaultUiState(run.runDir), theme, effects);
    store.loadRun(liveSnapshot(10), undefined);
    // Live: the view spans the 10 batches recorded, not the planned 30.
    expect(store.state.viewport).toEqual({ start: 0, end: 10 });
    expect(store.extendRun(delta([run.batches[10]]))).toBe(true);
    expect(store.state.viewport).toEqual({ start: 0, end: 11 });
    store.setViewport({ start: 0, end: 6 }, true);
    expect(store.state.ui.follow).toBe(false);
    store.extendRun(delta([run.batches[11], run.batches[12]]));
    expect(store.state.run.length).toBe(13);
    expect(store.state.viewport).toEqual({ start: 0, end: 6 });
    // Panning to the end does not resume following: only the button (or End) does.
    store.setViewport({ start: 7, end: 13 }, true);
    expect(store.state.ui.follow).toBe(false);
    // The user's last chosen view is what a reload restores.
    expect(store.state.ui.viewport).toEqual({ start: 7, end: 13 });
    store.follow();
    expect(store.state.ui.follow).toBe(true);
    expect(store.state.viewport).toEqual({ start: 0, end: 13 });
    store.extendRun(delta([run.batches[13]]));
    expect(store.state.viewport).toEqual({ start: 0, end: 14 });
  });

  test('paced live batches wait for the pace; a delta that pauses the run or adds a reset is painted in the next frame', () => {
    const store = new PanelStore(defaultUiState(run.runDir), theme, recorder().effects);
    const painted: number[] = [];
    store.subscribe(
      (s) => s.run.version,
      () => painted.push(now),
    );
    let now = 1000;
    store.loadRun(liveSnapshot(10), undefined);
    store.setPace(10);
    frame(now);
    const frames = painted.length;
    // A plain batch 16 ms after a repaint: too soon for 10 per second.
    store.extendRun(delta([run.batches[10]]));
    frame((now += 16));
    expect(painted.length).toBe(frames);
    // Pause acknowledged: painted now, whatever the pace.
    store.extendRun({ ...delta([run.batches[11]]), status: 'paused' });
    frame((now += 16));
    expect(painted.length).toBe(frames + 1);
    expect(store.state.run.status).toBe('paused');
    // A manual reset likewise; a scheduled one (every batch, perhaps) keeps the pace.
    store.extendRun({ ...delta([run.batches[12]]), status: 'paused', resets: [{ cause: 'manual', beforeStep: 12 }] });
    frame((now += 16));
    expect(painted.length).toBe(frames + 2);
    store.extendRun({ ...delta([run.batches[13]]), status: 'paused', resets: [{ cause: 'schedule', beforeStep: 13 }] });
    frame((now += 16));
    expect(painted.length).toBe(frames + 2);
  });

  test('a delta with missing steps is refused; one that overtook the snapshot is ignored', () => {
    const store = new PanelStore(defaultUiState(run.runDir), theme, recorder().effects);
    expect(store.extendRun(delta([run.batches[0]]))).toBe(true);
    expect(store.state.run.length).toBe(0);
    store.loadRun(liveSnapshot(10), undefined);
    expect(store.extendRun(delta([run.batches[12]]))).toBe(false);
    expect(store.state.run.length).toBe(10);
  });

  test("selecting: a cached detail shows at once, else it is fetched; the host hears only the user's selections", () => {
    const { cache, log, effects } = recorder();
    const store = new PanelStore(defaultUiState(run.runDir), theme, effects);
    store.loadRun(liveSnapshot(10), undefined);
    const detail = batchDetailOf(run, 4);
    cache.set(4, detail);
    cache.set(5, batchDetailOf(run, 5));
    store.select(4);
    expect(store.state.detail).toEqual({ step: 4, status: 'ready', detail });
    // Its successor (step 5 carries from 4) is at hand too.
    expect(store.state.successor).toMatchObject({ step: 5, status: 'ready' });
    cache.delete(5);
    store.select(5);
    expect(store.state.detail).toEqual({ step: 5, status: 'loading' });
    store.select(10);
    expect(store.state.ui.selected).toBe(5);
    store.reveal(7);
    expect(log).toEqual({ selected: [4, 5], fetched: [5, 6, 7, 8], actions: [] });
    // A late reply for batch 5 is dropped; the reply for 7 is shown.
    store.detailArrived(5, { ok: true, detail: batchDetailOf(run, 5) });
    expect(store.state.detail).toEqual({ step: 7, status: 'loading' });
    store.detailArrived(7, { ok: false, message: 'gone' });
    expect(store.state.detail).toEqual({ step: 7, status: 'error', message: 'gone' });
  });

  test('a snapshot of the same run keeps the choices and re-selects; of another run starts from the defaults', () => {
    const { log, effects } = recorder();
    const ui = {
      ...defaultUiState(run.runDir),
      selected: 3,
      layer: 1,
      tensor: 'c' as const,
      viewport: { start: 2, end: 8 },
      follow: false,
    };
    const store = new PanelStore(ui, theme, effects);
    store.loadRun(liveSnapshot(10), undefined);
    expect(store.state.ui).toEqual(ui);
    expect(store.state.viewport).toEqual({ start: 2, end: 8 });
    expect(store.state.detail).toEqual({ step: 3, status: 'loading' });
    expect(log.selected).toEqual([]);
    store.loadRun({ ...liveSnapshot(10), runDir: path.join(dir, 'other') }, undefined, 'protocol mismatch');
    expect(store.state.ui).toEqual(defaultUiState(path.join(dir, 'other')));
    expect(store.state.detail).toEqual({ step: null });
    expect(store.state.run.message).toBe('protocol mismatch');
  });

  test('the selected batch is described once per change of the run or the selection', () => {
    const store = new PanelStore(defaultUiState(run.runDir), theme, recorder().effects);
    store.loadRun(liveSnapshot(10), undefined);
    expect(store.selectionText()).toBeNull();
    store.select(6);
    const text = store.selectionText();
    expect(text).toMatch(/^step 6 · epoch 2, batch 2 · carried from step 5 · loss /);
    expect(store.selectionText()).toBe(text);
    store.select(5);
    expect(store.selectionText()).toMatch(/^step 5 · epoch 2, batch 1 · zeros: the epoch-end reset · loss /);
  });
});
