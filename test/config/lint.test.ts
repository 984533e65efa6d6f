import { describe, expect, it } from 'vitest';
import type { LstmConfig } from '../../src/shared/config';
import { LINT_CODES, lintConfig, type LintWarning } from '../../src/config/lint';
import { resolveConfig } from '../../src/config/loadConfig';
import { seedStateful, seedStateless } from './helpers';

const SEED_SHAPE = { samples: 1000, timesteps: 20 };

function lint(
  config: LstmConfig,
  shape: { samples: number; timesteps: number; validationSamples?: number | null } = SEED_SHAPE,
  passConfig = true,
): LintWarning[] {
  return lintConfig(resolveConfig(config, '/ws/x.lstm.json'), shape, passConfig ? config : undefined);
}

function codes(warnings: LintWarning[]): string[] {
  return warnings.map((w) => w.code);
}

const csvStateful = (stride: number, window: number): LstmConfig => ({
  ...seedStateful(),
  data: { csv: 'd.csv', columns: ['a'], target: 'a', window, stride },
  training: { batchSize: 4, epochs: 1 },
});

describe('lint', () => {
  it('is silent for both seed configs', () => {
    expect(lint(seedStateless())).toEqual([]);
    expect(lint(seedStateful())).toEqual([]);
    expect(lint(seedStateful(), SEED_SHAPE, false)).toEqual([]);
  });

  const cases: Array<[string, LstmConfig, { samples: number; timesteps: number }, string, string]> = [
    [
      'LSTM001',
      { ...seedStateful(), training: { batchSize: 200, epochs: 1, shuffle: true } },
      SEED_SHAPE,
      'training.shuffle',
      'shuffle',
    ],
    [
      'LSTM002',
      { ...seedStateless(), training: { batchSize: 300, epochs: 1 } },
      SEED_SHAPE,
      'training.batchSize',
      'has 100 rows instead of 300',
    ],
    [
      'LSTM002',
      { ...seedStateful(), training: { batchSize: 300, epochs: 1 } },
      SEED_SHAPE,
      'training.batchSize',
      'drops the last 100 samples',
    ],
    ['LSTM003', { ...seedStateful(), resets: 'never' }, SEED_SHAPE, 'resets', 'leak'],
    ['LSTM003', { ...seedStateful(), resets: undefined }, SEED_SHAPE, 'model.stateful', '"resets": "epoch"'],
    [
      'LSTM004',
      { ...seedStateful(), data: { generator: 'sine', samples: 1000, timesteps: 1, layout: 'continuous' } },
      { samples: 1000, timesteps: 1 },
      'data.timesteps',
      'length 1',
    ],
    [
      'LSTM004',
      { ...csvStateful(1, 1), training: { batchSize: 1, epochs: 1 } },
      { samples: 40, timesteps: 1 },
      'data.window',
      'length 1',
    ],
    [
      'LSTM005',
      { ...seedStateful(), data: { generator: 'sine', samples: 1000, timesteps: 20 } },
      SEED_SHAPE,
      'data.layout',
      '"layout": "continuous"',
    ],
    ['LSTM006', csvStateful(1, 20), { samples: 40, timesteps: 20 }, 'data.stride', 'window 4 or stride 5'],
    ['LSTM007', { ...seedStateless(), resets: 'epoch' }, SEED_SHAPE, 'resets', 'no effect'],
    ['LSTM007', { ...seedStateless(), resets: 'never' }, SEED_SHAPE, 'resets', 'no effect'],
  ];
  it.each(cases)('%s fires on its field (%#)', (code, config, shape, field, text) => {
    const warnings = lint(config, shape);
    const hit = warnings.find((w) => w.code === code);
    expect(hit, `codes: ${codes(warnings).join(', ')}`).toBeDefined();
    expect(hit?.field).toBe(field);
    expect(hit?.message).toContain(text);
    // Each case triggers only its own pitfall.
    expect(codes(warnings)).toEqual([code]);
  });

  it('LSTM006 is silent when stride × batchSize equals the window', () => {
    expect(lint(csvStateful(5, 20), { samples: 40, timesteps: 20 })).toEqual([]);
  });

  it('without the written config, a non-default resets on a stateless model still fires LSTM007', () => {
    expect(codes(lint({ ...seedStateless(), resets: { everyBatches: 2 } }, SEED_SHAPE, false))).toEqual(['LSTM007']);
  });

  it('learningRate 0 is fine', () => {
    expect(lint({ ...seedStateful(), training: { batchSize: 200, epochs: 1, learningRate: 0 } })).toEqual([]);
  });

  describe('validation and prediction', () => {
    const withValidation = (extra: Partial<LstmConfig>): LstmConfig => ({
      ...seedStateful(),
      resets: 'never',
      validation: { split: 0.2 },
      ...extra,
    });
    const shape = { samples: 800, timesteps: 20, validationSamples: 200 };
    const phaseCodes = (config: LstmConfig, s = shape) => codes(lint(config, s)).filter((code) => code !== 'LSTM003');

    it('LSTM008 warns that shared validation overwrites the training state, naming validationState', () => {
      const warnings = lint(withValidation({ validationState: 'shared' }), shape);
      const hit = warnings.find((w) => w.code === 'LSTM008')!;
      expect(hit.field).toBe('validationState');
      expect(hit.message).toContain('"validationState": "isolated"');
      // Defaulted, it sits on `validation`.
      expect(lint(withValidation({}), shape).find((w) => w.code === 'LSTM008')!.field).toBe('validation');
      // Not with isolated or reset, nor when an epoch reset zeroes the state after validation anyway.
      expect(phaseCodes(withValidation({ validationState: 'isolated' }))).toEqual([]);
      expect(phaseCodes(withValidation({ validationState: 'reset' }))).toEqual([]);
      expect(phaseCodes(withValidation({ resets: 'epoch' }))).toEqual([]);
    });

    it('LSTM009 notes that prediction starts from the state training or validation left', () => {
      const warnings = lint(withValidation({ validationState: 'isolated', predict: {} }), shape);
      const hit = warnings.find((w) => w.code === 'LSTM009')!;
      expect(hit.field).toBe('predict');
      expect(hit.message).toContain('starts from the state training left');
      expect(lint(withValidation({ predict: {} }), shape).find((w) => w.code === 'LSTM009')!.message).toContain(
        'starts from the state validation left',
      );
      expect(phaseCodes(withValidation({ validationState: 'isolated', predict: { reset: true } }))).toEqual([]);
      expect(phaseCodes(withValidation({ validationState: 'isolated', predict: {}, resets: 'epoch' }))).toEqual([]);
    });

    it('LSTM010 warns when a stateful layer must drop validation samples', () => {
      const warnings = lint(withValidation({ validationState: 'isolated' }), { ...shape, validationSamples: 250 });
      const hit = warnings.find((w) => w.code === 'LSTM010')!;
      expect(hit.field).toBe('validation.split');
      expect(hit.message).toContain('drops the last 50 samples (1 full batch)');
      expect(phaseCodes(withValidation({ validationState: 'isolated' }))).toEqual([]);
    });

    it('LSTM011 says where validationState and predict.reset have no effect', () => {
      expect(codes(lint({ ...seedStateful(), validationState: 'reset' }))).toEqual(['LSTM011']);
      expect(codes(lint({ ...seedStateless(), validation: { split: 0.2 }, validationState: 'reset' }, shape))).toEqual([
        'LSTM011',
      ]);
      expect(codes(lint({ ...seedStateless(), predict: { reset: true } }))).toEqual(['LSTM011']);
    });
  });

  it('every code is documented', () => {
    expect(Object.keys(LINT_CODES)).toEqual([
      'LSTM001',
      'LSTM002',
      'LSTM003',
      'LSTM004',
      'LSTM005',
      'LSTM006',
      'LSTM007',
      'LSTM008',
      'LSTM009',
      'LSTM010',
      'LSTM011',
    ]);
  });
});
