/** The CLI under failure: a loss that becomes NaN or Infinity, input that ends while paused, a backend that cannot start. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/runStore/readRun';
import { writeConfig } from '../config/helpers';
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
