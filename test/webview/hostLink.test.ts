/** The link between the webview's store and its host, against a scripted host: what is asked for, and when. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { WEBVIEW_PROTOCOL_VERSION, type FromWebview, type ToWebview } from '../../src/shared/channels/webviewChannel';
import { readRun, type RunData } from '../../src/runStore/readRun';
import { batchDetailOf, snapshotOf } from '../../src/runStore/snapshot';
import type { HostApi } from '../../webview/host/hostApi';
import { HostLink } from '../../webview/host/hostLink';
import { PanelStore } from '../../webview/state/panelStore';
import type { Theme } from '../../webview/state/theme';
import { defaultUiState, type UiState } from '../../webview/state/uiState';
import { writeSyntheticRun } from '../fixtures/syntheticRun';

let dir: string;
let run: RunData;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-link-'));
  run = readRun(
    writeSyntheticRun({
      dir: path.join(dir, 'run'),
      stateful: true,
      epochs: 4,
      batchesPerEpoch: 5,
      batchSize: 3,
      units: [2],
      resets: 'epoch',
      status: 'open',
    }).runDir,
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let frames: FrameRequestCallback[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
});
afterEach(() => vi.useRealTimers());

/** A host that records what the webview posts and kept; `send` plays the extension. */
function scriptedHost() {
  const posted: FromWebview[] = [];
  const kept: UiState[] = [];
  let listener: ((message: ToWebview) => void) | undefined;
  const host: HostApi<UiState> = {
    mode: 'panel',
    post: (message) => posted.push(message),
    onMessage: (l) => (listener = l),
    getState: () => undefined,
    setState: (state) => kept.push(state),
  };
  return { host, posted, kept, send: (message: ToWebview) => listener?.(message) };
}

const theme = { palette: {}, font: 'sans-serif' } as Theme;

/** A connected store fed the first `n` batches of the run as a live snapshot. */
function connected(n: number) {
  const scripted = scriptedHost();
  const link = new HostLink(scripted.host);
  const store = new PanelStore(defaultUiState(run.runDir), theme, link);
  link.connect(store);
  scripted.send({
    type: 'snapshot',
    protocolVersion: WEBVIEW_PROTOCOL_VERSION,
    snapshot: { ...snapshotOf(run), status: 'running', batches: run.batches.slice(0, n) },
  });
  return { ...scripted, store };
}

const requests = (posted: FromWebview[]) =>
  posted.filter((m) => m.type === 'requestBatch').map((m) => (m as { step: number }).step);

describe('HostLink', () => {
  test('holding an arrow key: one request for the batch the selection rests on and its successor, and the host hears it once', () => {
    const { posted, store, send } = connected(10);
    expect(posted).toEqual([{ type: 'ready' }]);
    for (const step of [1, 2, 3]) {
      store.select(step);
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(60);
    // Step 3 and the batch that continues it (step 4 carries from 3), for the continuity view.
    expect(requests(posted)).toEqual([3, 4]);
    vi.advanceTimersByTime(150);
    expect(posted.filter((m) => m.type === 'selected')).toEqual([{ type: 'selected', step: 3 }]);
    const [r3, r4] = posted.filter((m) => m.type === 'requestBatch') as Array<{ requestId: number }>;
    send({ type: 'batchDetail', inReplyTo: r3.requestId, detail: batchDetailOf(run, 3) });
    send({ type: 'batchDetail', inReplyTo: r4.requestId, detail: batchDetailOf(run, 4) });
    expect(store.state.detail).toMatchObject({ step: 3, status: 'ready' });
    expect(store.state.successor).toMatchObject({ step: 4, status: 'ready' });
    // Passing over batch 2 back to 3: 3 and 4 come from the cache, and 2 is not asked for once the selection left it.
    store.select(2);
    store.select(3);
    expect(store.state.detail).toMatchObject({ step: 3, status: 'ready' });
    vi.advanceTimersByTime(100);
    expect(requests(posted)).toEqual([3, 4]);
  });

  test('when the batch after the selected last one arrives, it is fetched for the continuity view', () => {
    const { posted, store, send } = connected(5);
    store.select(4);
    vi.advanceTimersByTime(60);
    expect(requests(posted)).toEqual([4]);
    expect(store.state.successor).toEqual({ step: null });
    send({ type: 'delta', batches: [run.batches[5]], resets: [], epochLosses: [], status: 'running', answer: '' });
    vi.advanceTimersByTime(60);
    expect(store.state.successor).toMatchObject({ step: 5, status: 'loading' });
    expect(requests(posted)).toEqual([4, 5]);
  });

  test('a gap in the steps asks for a new snapshot; a select from the host reveals the batch without echoing it', () => {
    const { posted, store, send } = connected(5);
    send({ type: 'delta', batches: [run.batches[7]], resets: [], epochLosses: [], status: 'running', answer: '' });
    expect(posted.filter((m) => m.type === 'ready')).toHaveLength(2);
    send({ type: 'select', step: 2 });
    vi.advanceTimersByTime(200);
    expect(store.state.ui.selected).toBe(2);
    expect(posted.filter((m) => m.type === 'selected')).toEqual([]);
  });

  test('nothing is kept with the host before the snapshot, whose choices would be overwritten by placeholders', () => {
    const { host, kept } = scriptedHost();
    const link = new HostLink(host);
    link.connect(
      new PanelStore(
        { ...defaultUiState(run.runDir), selected: 3, viewport: { start: 2, end: 9 }, follow: false },
        theme,
        link,
      ),
    );
    for (const callback of frames.splice(0)) callback(0);
    expect(kept).toEqual([]);
  });

  test('a snapshot of another protocol version says which versions differ; the UI state is kept with the host each frame', () => {
    const { store, send, kept } = connected(5);
    send({ type: 'snapshot', protocolVersion: WEBVIEW_PROTOCOL_VERSION + 1, snapshot: snapshotOf(run) });
    expect(store.state.run.message).toBe(
      `This panel speaks protocol ${WEBVIEW_PROTOCOL_VERSION} but the extension sent ${WEBVIEW_PROTOCOL_VERSION + 1}; reload the window.`,
    );
    store.select(1);
    store.setViewport({ start: 0, end: 8 }, true);
    for (const callback of frames.splice(0)) callback(0);
    expect(kept.at(-1)).toMatchObject({
      runDir: run.runDir,
      selected: 1,
      viewport: { start: 0, end: 8 },
      follow: false,
    });
  });
});
