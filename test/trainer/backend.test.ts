/** Backend choice: config, environment override, fallback order, and the name recorded in the run. */
import { describe, expect, it } from 'vitest';
import { BACKEND_ENV, backendChoice, loadBackend } from '../../src/trainer/backend';
import { smallConfig, trainInTemp } from '../helpers/trainInTemp';

describe('backend', () => {
  it('lets the environment override the config, and rejects an unknown name', () => {
    expect(backendChoice('cpu', {})).toBe('cpu');
    expect(backendChoice(undefined, {})).toBe('auto');
    expect(backendChoice('cpu', { [BACKEND_ENV]: 'wasm' })).toBe('wasm');
    expect(() => backendChoice('cpu', { [BACKEND_ENV]: 'gpu' })).toThrow(/LSTM_STATE_BACKEND="gpu" is not a backend/);
  });

  it('picks native > wasm > cpu on auto, saying why native was skipped when tfjs-node is absent', async () => {
    const loaded = await loadBackend('auto', ['/nonexistent']);
    expect(loaded.name).toBe('wasm');
    expect(loaded.skipped[0]).toMatch(/^native: @tensorflow\/tfjs-node is not installed/);
    expect((await loadBackend('cpu')).name).toBe('cpu');
  });

  it('records the backend that ran in the manifest', async () => {
    const { run } = await trainInTemp({ ...smallConfig({ training: { epochs: 1 } }), backend: 'cpu' });
    // trainInTemp asks for wasm explicitly: the request overrides the config.
    expect(run.manifest.backend).toBe('wasm');
  });
});
