/**
 * The checker the editor's diagnostics use: its findings are the trainer's own (the data check
 * runs in the built worker, dist/configCheck.js), a newer edit stops an older check, and a check
 * that runs too long ends with a finding instead of never.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { problemOf, type ConfigProblem } from '../../src/config/check/checkConfigText';
import { ConfigChecker } from '../../src/config/check/configChecker';
import { ConfigError } from '../../src/config/configError';
import { findingsOf } from '../../src/extension/diagnostics/findings';
import { prepareRun } from '../../src/trainer/prepareRun';
import { tempWorkspace, writeConfig, writeFile, writeSeriesCsv } from './helpers';

const WORKER = path.resolve(__dirname, '../../dist/configCheck.js');
const workspace = tempWorkspace();
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

// 12 data rows; line 9 (data row 8) has a bad cell in column b.
writeSeriesCsv(workspace, 'data/small.csv', 12);
writeSeriesCsv(workspace, 'data/badCell.csv', 12, 9);
writeFile(workspace, 'data/dupHeader.csv', 't,a,a,c\n1,2,3,4\n5,6,7,8\n');
writeFile(workspace, 'data/empty.csv', '');
// About 5 MB: a second or more to parse, so a check of it is still running when the next one starts.
writeSeriesCsv(workspace, 'data/slow.csv', 150_000);

const csvConfig = (data: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  data: { csv: 'data/small.csv', columns: ['a', 'b'], target: 'c', window: 4, ...data },
  model: { units: 3 },
  training: { batchSize: 2, epochs: 1 },
  ...rest,
});

/** What the trainer reports before training: its ConfigError, or its lint warnings (`workspaceRoot` unset: the trainer finds it). */
function trainerReport(configPath: string, workspaceRoot: string | undefined): ConfigProblem[] {
  try {
    const { warnings } = prepareRun({ configPath, workspaceRoot });
    return warnings.map((w) => ({
      severity: 'warning',
      field: w.field,
      reason: w.message,
      message: w.message,
      code: w.code,
    }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [problemOf(error)];
  }
}

describe('config checker', () => {
  const checker = new ConfigChecker(WORKER);
  afterAll(() => checker.dispose());

  it('reports what the trainer reports, for CSV data read in the worker', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['clean', csvConfig({}), ''],
      [
        'lint',
        csvConfig(
          { stride: 1 },
          { model: { units: 3, stateful: true }, training: { batchSize: 3, epochs: 1, shuffle: true } },
        ),
        'LSTM001',
      ],
      ['bad cell', csvConfig({ csv: 'data/badCell.csv' }), 'badCell.csv:9:12: column "b" holds "oops"'],
      ['unknown column', csvConfig({ columns: ['a', 'z'] }), 'column "z" is not in the header'],
      ['window too long', csvConfig({ window: 12 }), 'a window of 12 needs at least 13 data rows'],
      [
        'too few samples',
        csvConfig({ window: 10 }, { model: { units: 3, stateful: true }, training: { batchSize: 3, epochs: 1 } }),
        'only 2 samples for a batch size of 3',
      ],
      [
        'duplicate header',
        csvConfig({ csv: 'data/dupHeader.csv', columns: ['a'], window: 1 }),
        'has 2 columns named "a"',
      ],
      ['empty file', csvConfig({ csv: 'data/empty.csv' }), 'empty.csv is empty'],
      ['missing file', csvConfig({ csv: 'data/none.csv' }), 'file not found'],
    ];
    for (const [name, config, expected] of cases) {
      const configPath = writeConfig(workspace, `${name.replace(/ /g, '-')}.lstm.json`, config);
      const text = fs.readFileSync(configPath, 'utf8');
      const problems = await checker.check(configPath, text, configPath, workspace);
      expect(problems, name).toEqual(trainerReport(configPath, workspace));
      // And what each case is about, checked on its own terms.
      if (expected === '') expect(problems, name).toEqual([]);
      else expect(problems!.map((p) => `${p.code ?? ''} ${p.message}`).join('\n'), name).toContain(expected);
    }
  });

  it('without a workspace folder, finds the workspace root as the trainer does', async () => {
    // The config sits in a subfolder; the root (package.json) is the temp workspace, and the CSV path leaves the subfolder.
    const configPath = writeConfig(
      workspace,
      'nested/deeper/up.lstm.json',
      csvConfig({ csv: '../../data/badCell.csv' }),
    );
    const text = fs.readFileSync(configPath, 'utf8');
    const problems = await checker.check('nested', text, configPath);
    expect(problems).toEqual(trainerReport(configPath, undefined));
    expect(problems![0].message).toContain('badCell.csv:9');
    // Where a folder nearer the config is marked as the workspace (.vscode), the same CSV lies outside it and is refused.
    fs.mkdirSync(path.join(workspace, 'marked/.vscode'), { recursive: true });
    const outside = writeConfig(workspace, 'marked/x.lstm.json', csvConfig({ csv: '../data/badCell.csv' }));
    const refused = await checker.check('outside', fs.readFileSync(outside, 'utf8'), outside);
    expect(refused).toEqual(trainerReport(outside, undefined));
    expect(refused![0].message).toContain(`outside the workspace folder ${path.join(workspace, 'marked')}`);
  });

  it('a newer check of the same document stops the older one; other documents are not affected', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const configPath = path.join(workspace, 'edited.lstm.json');
    // 150 000 rows, window 4: 149 996 samples, not a multiple of 3 (LSTM002).
    const slowText = JSON.stringify(csvConfig({ csv: 'data/slow.csv' }, { training: { batchSize: 3, epochs: 1 } }));
    const fixedText = JSON.stringify(csvConfig({ csv: 'data/badCell.csv' }));

    const started = performance.now();
    const other = checker
      .check('other', slowText, configPath, workspace)
      .then((problems) => ({ problems, ms: performance.now() - started }));
    const stale = checker
      .check('doc', slowText, configPath, workspace)
      .then((problems) => ({ problems, ms: performance.now() - started }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fresh = checker.check('doc', fixedText, configPath, workspace);
    expect((await stale).problems).toBeUndefined();
    expect(terminate).toHaveBeenCalledTimes(1);
    const problems = await fresh;
    expect(problems!.map((p) => p.field)).toEqual(['data.csv']);
    expect(problems![0].message).toContain('badCell.csv:9');
    // The other document's check of the same text ran to its end, long after the stopped one had ended.
    const finished = await other;
    expect(finished.problems).toEqual([expect.objectContaining({ code: 'LSTM002', field: 'training.batchSize' })]);
    expect(finished.problems![0].message).toContain('149996 samples');
    expect((await stale).ms).toBeLessThan(finished.ms);
  });

  it('a data check that runs too long ends with a finding on data.csv', async () => {
    const quick = new ConfigChecker(WORKER, 150);
    const text = JSON.stringify(csvConfig({ csv: 'data/slow.csv' }), null, 2);
    const configPath = path.join(workspace, 'slow.lstm.json');
    const started = performance.now();
    const problems = await quick.check('slow', text, configPath, workspace);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', field: 'data.csv' })]);
    expect(problems![0].reason).toMatch(/^data check took too long \(over 0\.15 s\) and was stopped/);
    const [finding] = findingsOf(text, configPath, problems!);
    expect(text.slice(finding.start, finding.end)).toBe('"data/slow.csv"');
    quick.dispose();
  });
});
