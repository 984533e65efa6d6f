/**
 * The states pages keep for a window reload are read back from disk: a timeline's UiState and a
 * comparison's KeptComparison are checked field by field before a page or the serializer uses them.
 */
import { describe, expect, test } from 'vitest';
import { readKeptComparison } from '../../src/shared/channels/keptComparison';
import { defaultUiState, readUiState } from '../../webview/state/uiState';

const runDirs = ['/runs/20261130-100000-000-a', '/runs/20261130-110000-000-b'];

describe('readKeptComparison', () => {
  test('a state the page kept comes back as it was', () => {
    const kept = { runDirs, align: 'epoch', smoothing: 0, viewport: { start: 1.5, end: 5 } };
    expect(readKeptComparison(JSON.parse(JSON.stringify(kept)))).toEqual(kept);
  });

  test('anything that does not name its run folders is unusable', () => {
    for (const kept of [undefined, null, 'x', 7, [runDirs], {}, { runDirs: '/runs/a' }, { runDirs: [1, 2] }])
      expect(readKeptComparison(kept)).toBeUndefined();
    expect(readKeptComparison({ runDirs: [runDirs[0], ''] })).toBeUndefined();
    expect(readKeptComparison({ runDirs: [runDirs[0], null] })).toBeUndefined();
  });

  test('a choice missing or of the wrong type gets its default; the others are kept', () => {
    expect(readKeptComparison({ runDirs })).toEqual({ runDirs, align: 'step', smoothing: 0.6, viewport: null });
    expect(readKeptComparison({ runDirs, align: 'Epoch', smoothing: 1, viewport: { start: 4, end: 4 } })).toEqual({
      runDirs,
      align: 'step',
      smoothing: 0.6,
      viewport: null,
    });
    expect(readKeptComparison({ runDirs, align: 'epoch', smoothing: -0.1, viewport: { start: 0 } })).toEqual({
      runDirs,
      align: 'epoch',
      smoothing: 0.6,
      viewport: null,
    });
    expect(readKeptComparison({ runDirs, smoothing: '0.5', viewport: { start: -1, end: 3 } })).toMatchObject({
      smoothing: 0.6,
      viewport: null,
    });
  });
});

describe('readUiState', () => {
  test("a timeline's kept state comes back as it was", () => {
    const kept = {
      ...defaultUiState('/runs/a'),
      selected: 8,
      viewport: { start: 2, end: 9 },
      follow: false,
      layer: 1,
      tensor: 'c',
      view: 'difference',
      smoothing: 0.3,
      highlight: 'epoch',
      xAxis: 'time',
      logY: true,
      events: 'permuted',
      eventsPage: 2,
    };
    expect(readUiState(JSON.parse(JSON.stringify(kept)))).toEqual(kept);
  });

  test('without its run folder a state is unusable', () => {
    for (const kept of [undefined, null, 'x', 7, [], { selected: 3 }, { runDir: 3 }])
      expect(readUiState(kept)).toBeUndefined();
  });

  test('an older state lacks the newer fields, a damaged one has wrong types: each gets its default', () => {
    expect(readUiState({ runDir: '/runs/a', selected: 3, layer: 1 })).toEqual({
      ...defaultUiState('/runs/a'),
      selected: 3,
      layer: 1,
    });
    expect(
      readUiState({
        runDir: '/runs/a',
        selected: -1,
        viewport: { start: 5, end: 2 },
        follow: 'yes',
        layer: 0.5,
        tensor: 'x',
        view: null,
        smoothing: Number.NaN,
        highlight: 'reset',
        xAxis: 'epochs',
        events: 'everything',
        eventsPage: '2',
      }),
    ).toEqual(defaultUiState('/runs/a'));
  });
});
