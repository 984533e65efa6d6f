/** The CLI under failure: a loss that becomes NaN or Infinity, input that ends while paused, a backend that cannot start. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRun } from '../../src/runStore/readRun';
import { writeConfig } from '../config/helpers';
import { readCsvTable, readNpyFile } from '../helpers/exportFiles';
import { logNumber, logRecords } from '../helpers/rawRun';
import { smallConfig, tempWorkspace } from '../helpers/trainInTemp';

const cli = path.resolve(__dirname, '../../dist/cli.js');
const seedStateful = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../examples/seed-stateful.lstm.json'), 'utf8'),
);

/** The seed stateful example with SGD at learning rate 1e6: the loss leaves float range within a few batches. */
function divergingSeed(workspace: string, extra: Record<string, unknown> = {}): string {
  const { $schema: _schema, ...config } = seedStateful;
  return writeConfig(workspace, 'diverge.lstm.json', {
    ...config,
    training: { ...config.training, optimizer: 'sgd', learningRate: 1e6, ...extra },
  });
}

/** The log's batch lines as written (before any reader decodes them). */
function rawBatches(runDir: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"t":"batch"'))
    .map((line) => JSON.parse(line));
}

const NON_FINITE = ['NaN', 'Infinity', '-Infinity'];

describe('a loss that becomes non-finite', () => {
  it('stops the run by default: exit 1, the batch named with the likely cause, a failed end record, NaN/Infinity kept as strings', () => {
    const workspace = tempWorkspace();
    const result = spawnSync(
      process.execPath,
      [cli, 'train', divergingSeed(workspace), '--json', '--backend', 'wasm'],
      {
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /error: the loss became (NaN|Infinity|-Infinity) at step \d+ \(epoch 1 of 15, train batch \d of 5\): the learning rate \(sgd, 1000000\) is probably too high/,
    );
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(summary.status).toBe('failed');
    const run = readRun(summary.runDir);
    expect(run.status).toBe('failed');
    expect(run.end!.message).toBe(result.stderr.match(/error: (.*)/)![1]);
    const batches = rawBatches(summary.runDir);
    expect((run.end as { step?: number }).step).toBe(batches.length);
    expect(summary.batches).toBe(batches.length);
    // Every loss before the last is a finite positive number; the last is the non-finite one, as a string.
    for (const batch of batches.slice(0, -1)) expect(typeof batch.loss === 'number' && batch.loss > 0).toBe(true);
    expect(NON_FINITE).toContain(batches.at(-1)!.loss);
    expect(fs.readFileSync(path.join(summary.runDir, 'log.jsonl'), 'utf8')).not.toMatch(/"loss":(null|0[,}])/);
  });

  it('trains on with "onNonFinite": "continue", recording NaN and Infinity as strings, never as null or 0', () => {
    const workspace = tempWorkspace();
    const config = divergingSeed(workspace, { onNonFinite: 'continue', epochs: 2 });
    const result = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/warning NONFINITE \[training\.onNonFinite\]: the loss became/);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(summary.status).toBe('finished');
    const batches = rawBatches(summary.runDir);
    expect(batches).toHaveLength(10);
    const losses = batches.map((b) => b.loss);
    expect(losses.filter((l) => NON_FINITE.includes(l as string)).length).toBeGreaterThan(1);
    expect(losses.every((l) => NON_FINITE.includes(l as string) || (typeof l === 'number' && l > 0))).toBe(true);
    const log = fs.readFileSync(path.join(summary.runDir, 'log.jsonl'), 'utf8');
    expect(log).not.toMatch(/"loss":null|"loss":0[,}]|"(h0|c0|h|c)":null/);
    // The epoch means are over the finite losses, and say NaN when there is none.
    const epochEnds = log
      .split('\n')
      .filter((l) => l.startsWith('{"t":"epochEnd"'))
      .map((l) => JSON.parse(l));
    expect(epochEnds).toHaveLength(2);
    for (const end of epochEnds) expect(typeof end.meanLoss === 'number' || end.meanLoss === 'NaN').toBe(true);
  });
});

describe('input that ends while paused', () => {
  it('stops the run (end record stopped, saying why) and exits 3, never a silent 0', async () => {
    const workspace = tempWorkspace();
    const config = writeConfig(
      workspace,
      'long.lstm.json',
      smallConfig({
        model: { stateful: true },
        data: { layout: 'continuous', samples: 200 },
        training: { epochs: 5000 },
        resets: 'epoch',
      }),
    );
    const child = spawn(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk) => {
        const first = !stderr.includes('epoch 2/5000');
        stderr += chunk;
        // As `(sleep 2; echo pause) | lstm-state-timeline train …`: a pause, then the end of input.
        if (first && stderr.includes('epoch 2/5000')) child.stdin.end('pause\n');
      });
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    expect(code).toBe(3);
    expect(stderr).toContain('standard input ended while the run was paused, so no "resume" could come');
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(summary.status).toBe('stopped');
    const run = readRun(summary.runDir);
    expect(run.status).toBe('stopped');
    expect(run.end!.message).toContain('no "resume" could come');
    expect(run.batches.length).toBeLessThan(5000 * 20);
  });
});

describe('an explicit backend that cannot start', () => {
  it('is an error naming who asked for it, with nothing written; auto falls back', () => {
    let nativeInstalled = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      nativeInstalled = false;
    }
    const workspace = tempWorkspace();
    const config = writeConfig(workspace, 'n.lstm.json', {
      ...smallConfig({ training: { epochs: 1 } }),
      backend: 'native',
    });
    const result = spawnSync(process.execPath, [cli, 'train', config, '--json'], { encoding: 'utf8' });
    if (nativeInstalled) {
      expect(result.status).toBe(0);
      return;
    }
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `error: backend: backend "native" was asked for by the config's "backend", but it cannot start: native: @tensorflow/tfjs-node is not installed`,
    );
    expect(fs.existsSync(path.join(workspace, '.lstm-runs'))).toBe(false);
    const flag = spawnSync(process.execPath, [cli, 'train', config, '--backend', 'native'], { encoding: 'utf8' });
    expect(flag.status).toBe(1);
    expect(flag.stderr).toContain('backend "native" was asked for by --backend');
    const auto = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'auto'], {
      encoding: 'utf8',
    });
    expect(auto.status).toBe(0);
    expect(auto.stderr).toContain('note: backend native: @tensorflow/tfjs-node is not installed');
  });
});

describe('the likely cause names the data range', () => {
  /** A CSV whose values are 1e30 to 5e30: the squared error leaves float32 range at once, whatever the learning rate. */
  function hugeCsv(workspace: string): { file: string; maxAbs: number } {
    const values = Array.from({ length: 30 }, (_, i) => ((i % 5) + 1) * 1e30);
    fs.writeFileSync(path.join(workspace, 'big.csv'), `t,a\n${values.map((v, i) => `${i},${v}`).join('\n')}\n`);
    return { file: 'big.csv', maxAbs: Math.max(...values.map((v) => Math.abs(Math.fround(v)))) };
  }
  const csvData = { csv: 'big.csv', columns: ['a'], target: 'a', window: 3 };

  it('CSV values of 1e30 stop training at its first batch, naming |x| and the learning rate', () => {
    const workspace = tempWorkspace();
    const { maxAbs } = hugeCsv(workspace);
    const config = writeConfig(workspace, 'big.lstm.json', {
      data: csvData,
      model: { units: 4 },
      training: { batchSize: 9, epochs: 1, optimizer: 'adam', learningRate: 0.01 },
    });
    const result = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const batches = rawBatches(JSON.parse(result.stdout.trim().split('\n').at(-1)!).runDir);
    // 27 windows of 3 → 3 batches of 9; the very first loss is (≈1e30)² = Infinity in float32.
    expect(batches.map((b) => b.loss)).toEqual(['Infinity']);
    expect(result.stderr).toContain(
      'error: the loss became Infinity at step 0 (epoch 1 of 1, train batch 1 of 3): ' +
        `the learning rate (adam, 0.01) is probably too high, or the data's values may be too large (|x| up to ${maxAbs.toPrecision(3)}; values near 1 train best)`,
    );
  });

  it('a non-finite validation loss blames diverged weights or the data, not the learning rate', () => {
    const workspace = tempWorkspace();
    const { maxAbs } = hugeCsv(workspace);
    // Training on small values is finite; validation on the huge CSV is not.
    const config = writeConfig(workspace, 'val.lstm.json', {
      data: { generator: 'sine', samples: 18, timesteps: 3, features: 1, seed: 1 },
      model: { units: 4 },
      training: { batchSize: 9, epochs: 1, learningRate: 0.01 },
      validation: { data: csvData },
    });
    const result = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const batches = rawBatches(JSON.parse(result.stdout.trim().split('\n').at(-1)!).runDir);
    expect(batches.map((b) => [b.phase, typeof b.loss === 'number' ? 'finite' : b.loss])).toEqual([
      ['train', 'finite'],
      ['train', 'finite'],
      ['validate', 'Infinity'],
    ]);
    expect(result.stderr).toContain(
      'error: the loss became Infinity at step 2 (epoch 1 of 1, validate batch 1 of 3): ' +
        `the weights may have diverged in training, or the data's values may be too large (|x| up to ${maxAbs.toPrecision(3)}; values near 1 train best)`,
    );
  });
});

describe('a run with non-finite losses, exported and reported', () => {
  let runDir: string;
  /** The log's losses as numbers (NaN, ±Infinity as themselves), read from log.jsonl. */
  let logLosses: Array<number | null>;

  beforeAll(() => {
    const workspace = tempWorkspace();
    const config = divergingSeed(workspace, { onNonFinite: 'continue', epochs: 2 });
    const result = spawnSync(process.execPath, [cli, 'train', config, '--json', '--backend', 'wasm'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    runDir = JSON.parse(result.stdout.trim().split('\n').at(-1)!).runDir;
    logLosses = logRecords(runDir, 'batch').map((b) => logNumber(b.loss));
    // The run has both: finite losses, then non-finite ones.
    expect(logLosses.some((l) => Number.isFinite(l))).toBe(true);
    expect(logLosses.some((l) => l !== null && !Number.isFinite(l))).toBe(true);
  });

  /** `export --npy` of `dir` into a fresh folder. */
  function exported(dir: string): string {
    const out = fs.mkdtempSync(path.join(path.dirname(dir), 'npy-'));
    const result = spawnSync(process.execPath, [cli, 'export', dir, '--npy', out], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return out;
  }

  /** What a loss must read as in batches.csv (numpy and pandas read NaN / Infinity / -Infinity) and in causes.json. */
  const csvText = (loss: number | null) =>
    loss === null
      ? ''
      : Number.isNaN(loss)
        ? 'NaN'
        : loss === Infinity
          ? 'Infinity'
          : loss === -Infinity
            ? '-Infinity'
            : null;
  const jsonValue = (loss: number | null) => (loss === null ? null : Number.isFinite(loss) ? loss : csvText(loss));

  function expectLosses(out: string, losses: Array<number | null>): void {
    const npy = readNpyFile(path.join(out, 'loss.npy'));
    expect(npy.shape).toEqual([losses.length]);
    losses.forEach((loss, step) => {
      const value = npy.values[step];
      // NaN, Infinity and -Infinity stay themselves (an unknown loss is NaN); a finite one is its float32.
      if (loss === null || Number.isNaN(loss)) expect(Number.isNaN(value), `step ${step}`).toBe(true);
      else expect(value, `step ${step}`).toBe(Math.fround(loss));
    });
    const table = readCsvTable(path.join(out, 'batches.csv'));
    expect(table.map((row) => row.step)).toEqual(losses.map((_, step) => String(step)));
    table.forEach((row, step) => {
      const loss = losses[step];
      if (loss !== null && Number.isFinite(loss)) expect(Number(row.loss), `step ${step}`).toBe(loss);
      else expect(row.loss, `step ${step}`).toBe(csvText(loss));
    });
    const causes = JSON.parse(fs.readFileSync(path.join(out, 'causes.json'), 'utf8'));
    expect(causes.batches.map((b: { loss: unknown }) => b.loss)).toEqual(losses.map(jsonValue));
  }

  it('export: loss.npy holds NaN / Infinity exactly where the log has them; batches.csv and causes.json say so', () => {
    expectLosses(exported(runDir), logLosses);
    // The per-layer mean norms too: a non-finite one says what it is, a finite one its value.
    const table = readCsvTable(path.join(exported(runDir), 'batches.csv'));
    let nonFiniteNorms = 0;
    logRecords(runDir, 'batch').forEach((batch, step) => {
      const [norms] = batch.meanNorms as Array<Record<string, unknown>>;
      for (const key of ['h0', 'c0', 'h', 'c']) {
        const norm = logNumber(norms[key])!;
        const cell = table[step][`l0_${key}_norm`];
        if (Number.isFinite(norm)) {
          expect(Number(cell), `step ${step} ${key}`).toBe(norm);
        } else {
          nonFiniteNorms++;
          expect(cell, `step ${step} ${key}`).toBe(csvText(norm));
        }
      }
    });
    expect(nonFiniteNorms).toBeGreaterThan(0);
  });

  it('a loss of null in a hand-edited log exports as NaN (empty in the CSV, null in causes.json), not 0', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-null-loss-')), 'run');
    fs.cpSync(runDir, dir, { recursive: true });
    const lines = fs.readFileSync(path.join(dir, 'log.jsonl'), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('{"t":"batch"') && JSON.parse(l).step === 1);
    const record = JSON.parse(lines[at]);
    expect(typeof record.loss).toBe('number');
    record.loss = null;
    lines[at] = JSON.stringify(record);
    fs.writeFileSync(path.join(dir, 'log.jsonl'), lines.join('\n'));
    const edited = logLosses.map((l, step) => (step === 1 ? null : l));
    expectLosses(exported(dir), edited);
  });

  it('the report embeds every loss as what it is: NaN / Infinity known, never 0', () => {
    const file = path.join(path.dirname(runDir), 'report.html');
    const result = spawnSync(process.execPath, [cli, 'report', runDir, '-o', file], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const { loss, lossKnown } = reportLossColumns(fs.readFileSync(file, 'utf8'));
    expect(loss.length).toBe(logLosses.length);
    logLosses.forEach((expected, step) => {
      expect(lossKnown[step], `step ${step}`).toBe(1);
      if (Number.isNaN(expected)) expect(Number.isNaN(loss[step]), `step ${step}`).toBe(true);
      else expect(loss[step], `step ${step}`).toBe(expected);
    });
  });
});

/**
 * The loss columns of a report, decoded from its two embedded scripts the way the format is
 * written (renderReport.ts, packedData.ts): JSON with references `{ $a, o, n, s }` into one
 * gzip + base64 blob, floats stored plane by plane (all first bytes, then all second bytes, …).
 */
function reportLossColumns(html: string): { loss: Float64Array; lossKnown: Uint8Array } {
  const json = JSON.parse(/id="lstm-report-data">(.*?)<\/script>/s.exec(html)![1]);
  const blob = gunzipSync(
    Buffer.from(/id="lstm-report-arrays"[^>]*>([A-Za-z0-9+/=]+)<\/script>/.exec(html)![1], 'base64'),
  );
  const { loss, lossKnown } = json.columns as Record<string, { $a: string; o: number; n: number; s?: 1 }>;
  expect([loss.$a, loss.s, lossKnown.$a]).toEqual(['f64', 1, 'u8']);
  const bytes = Buffer.alloc(loss.n * 8);
  for (let i = 0; i < loss.n; i++) for (let k = 0; k < 8; k++) bytes[i * 8 + k] = blob[loss.o + k * loss.n + i];
  return {
    loss: Float64Array.from({ length: loss.n }, (_, i) => bytes.readDoubleLE(i * 8)),
    lossKnown: Uint8Array.from(blob.subarray(lossKnown.o, lossKnown.o + lossKnown.n)),
  };
}
