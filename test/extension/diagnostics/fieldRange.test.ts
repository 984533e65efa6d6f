import { describe, expect, it } from 'vitest';
import { fieldSpan, parseFieldPath, positionAt } from '../../../src/extension/diagnostics/fieldRange';

const config = `{
  "data": { "generator": "sine", "samples": 1000, "timesteps": 20 },
  "model": { "units": [8, 4], "stateful": true },
  "training": {
    "batchSize": 200,
    "epochs": 3,
    "shuffle": true
  },
  "capture": { "hiddenRows": [0, 250] }
}`;

/** The text a field's diagnostic would underline. */
const marked = (text: string, field: string) => {
  const span = fieldSpan(text, field);
  return text.slice(span.offset, span.offset + span.length);
};

describe('field path → text range', () => {
  it('parses dotted paths with indices', () => {
    expect(parseFieldPath('training.shuffle')).toEqual(['training', 'shuffle']);
    expect(parseFieldPath('model.units[1]')).toEqual(['model', 'units', 1]);
    expect(parseFieldPath('capture.hiddenRows[0]')).toEqual(['capture', 'hiddenRows', 0]);
    expect(parseFieldPath('')).toEqual([]);
  });

  it('marks the value of a present field (a warning on shuffle sits on `true` of line 7)', () => {
    expect(marked(config, 'training.shuffle')).toBe('true');
    const span = fieldSpan(config, 'training.shuffle');
    expect(span.exact).toBe(true);
    expect(positionAt(config, span.offset)).toEqual({ line: 6, character: 15 });
    expect(marked(config, 'training.batchSize')).toBe('200');
    expect(marked(config, 'model.units[1]')).toBe('4');
    expect(marked(config, 'capture.hiddenRows[1]')).toBe('250');
    expect(marked(config, 'data')).toBe('{ "generator": "sine", "samples": 1000, "timesteps": 20 }');
  });

  it('marks the key of the nearest present ancestor for a missing field', () => {
    const span = fieldSpan(config, 'resets');
    expect(span.exact).toBe(false);
    expect(config.slice(span.offset, span.offset + 1)).toBe('{');
    const missing = fieldSpan(config, 'training.learningRate');
    expect(missing.exact).toBe(false);
    expect(config.slice(missing.offset, missing.offset + missing.length)).toBe('"training"');
    expect(marked(config, 'model.units[5]')).toBe('"units"');
  });

  it('copes with broken or empty text and CRLF line ends', () => {
    expect(fieldSpan('', 'training.shuffle')).toEqual({ offset: 0, length: 0, exact: false });
    expect(marked('{ "training": { "shuffle": tru', 'training.shuffle').length).toBeGreaterThan(0);
    const crlf = config.replace(/\n/g, '\r\n');
    const span = fieldSpan(crlf, 'training.shuffle');
    expect(positionAt(crlf, span.offset)).toEqual({ line: 6, character: 15 });
  });
});
