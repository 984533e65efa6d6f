/** The trainer's command line: what the editor writes is what the trainer reads, and nothing else is accepted. */
import { parseArgs } from 'util';
import { describe, expect, it } from 'vitest';
import { formatTrainerArgs, TRAINER_ARGS, trainRequestOf, type TrainRequest } from '../../src/shared/trainerArgs';

/** What the trainer does with its argv (src/trainer/main.ts). */
const parseTrainerArgs = (args: string[]) => trainRequestOf(parseArgs({ args, ...TRAINER_ARGS }));

describe('trainer arguments', () => {
  it('reads back every request the editor formats', () => {
    const requests: TrainRequest[] = [
      { configPath: '/ws/a.lstm.json' },
      {
        configPath: '/ws/a.lstm.json',
        workspaceRoot: '/ws',
        runsDir: '/ws/runs',
        backend: 'wasm',
        tensorBudgetBytes: 0,
      },
      { configPath: 'relative/b.lstm.json', backend: 'cpu', tensorBudgetBytes: 1048576 },
    ];
    for (const request of requests) expect(parseTrainerArgs(formatTrainerArgs(request))).toEqual(request);
  });

  it('writes the config first and leaves out --backend auto (the config decides)', () => {
    expect(formatTrainerArgs({ configPath: 'c.lstm.json', backend: 'auto', runsDir: 'r' })).toEqual([
      'c.lstm.json',
      '--runs-dir',
      'r',
    ]);
  });

  it('accepts options before or after the config and --name=value', () => {
    expect(parseTrainerArgs(['c.lstm.json', '--backend=cpu', '--workspace', '/ws'])).toEqual({
      configPath: 'c.lstm.json',
      backend: 'cpu',
      workspaceRoot: '/ws',
    });
  });

  it('refuses an unknown option by name, including the old --out', () => {
    expect(() => parseTrainerArgs(['c.lstm.json', '--bogus'])).toThrow(/--bogus/);
    expect(() => parseTrainerArgs(['c.lstm.json', '--out', 'runs'])).toThrow(/--out/);
  });

  it('refuses a missing value, a bad backend, a bad tensor budget and a wrong number of configs', () => {
    expect(() => parseTrainerArgs(['c.lstm.json', '--runs-dir'])).toThrow(/--runs-dir/);
    expect(() => parseTrainerArgs(['c.lstm.json', '--backend', 'gpu'])).toThrow(
      '--backend must be one of auto, native, wasm, cpu (got "gpu")',
    );
    for (const bad of ['-1', '1.5', 'lots', '']) {
      expect(() => parseTrainerArgs(['c.lstm.json', `--tensor-budget=${bad}`])).toThrow(
        /--tensor-budget must be a whole number of bytes/,
      );
    }
    expect(() => parseTrainerArgs([])).toThrow(/expected a config file/);
    expect(() => parseTrainerArgs(['a.lstm.json', 'b.lstm.json'])).toThrow(/exactly one config file, got 2/);
  });
});
