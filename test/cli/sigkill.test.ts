/**
 * SIGKILL at random moments — while the data is generated, while data/x.bin is written, while
 * batches are recorded: every run folder left behind is either not a run (no manifest) or a
 * complete one, whose dataset is whole and whose every logged batch can be read back.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { readBatchNorms, readBatchStates, readDataset } from '../../src/runStore/batchData';
import { readRun } from '../../src/runStore/readRun';
import { createRng } from '../../src/shared/random';
import { writeConfig } from '../config/helpers';
import { tempWorkspace } from '../helpers/trainInTemp';

const cli = path.resolve(__dirname, '../../dist/cli.js');
// A 200 MB X: long enough to write that a kill can land in the middle of it.
const DATA = { generator: 'noise', samples: 250_000, timesteps: 100, features: 2 } as const;
const X_BYTES = DATA.samples * DATA.timesteps * DATA.features * 4;

/** Starts a run; `killWhen` decides, polled every few milliseconds, when to SIGKILL it. */
async function killedRun(
  workspace: string,
  killWhen: (runsDir: string, elapsedMs: number) => boolean,
): Promise<string> {
  const config = writeConfig(workspace, 'big.lstm.json', {
    data: DATA,
    model: { units: 4 },
    training: { batchSize: 500, epochs: 1000 },
  });
  const runsDir = path.join(workspace, '.lstm-runs');
  const child = spawn(process.execPath, [cli, 'train', config, '--backend', 'wasm'], { stdio: 'ignore' });
  const started = Date.now();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  while (child.exitCode === null && child.signalCode === null) {
    if (killWhen(runsDir, Date.now() - started)) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  await exited;
  expect(child.signalCode, 'the run must still be going when it is killed').toBe('SIGKILL');
  return runsDir;
}

/** The size of data/x.bin of the (only) run folder being written, or undefined. */
function xBinSize(runsDir: string): number | undefined {
  try {
    for (const name of fs.readdirSync(runsDir)) {
      const file = path.join(runsDir, name, 'data/x.bin');
      if (fs.existsSync(file)) return fs.statSync(file).size;
    }
  } catch {
    // not made yet
  }
  return undefined;
}

/** Every folder left is not a run (no manifest) or a complete run: whole dataset, every logged batch readable. */
function expectNotARunOrComplete(runsDir: string): 'none' | 'not a run' | 'run' {
  if (!fs.existsSync(runsDir)) return 'none';
  const folders = fs.readdirSync(runsDir);
  expect(folders.length).toBeLessThanOrEqual(1);
  if (folders.length === 0) return 'none';
  const runDir = path.join(runsDir, folders[0]);
  if (!fs.existsSync(path.join(runDir, 'manifest.json'))) return 'not a run';
  const run = readRun(runDir);
  expect(run.status).toBe('interrupted');
  expect(run.problems).toEqual([]);
  expect(fs.statSync(path.join(runDir, 'data/x.bin')).size).toBe(X_BYTES);
  expect(fs.statSync(path.join(runDir, 'data/y.bin')).size).toBe(DATA.samples * 4);
  expect(readDataset(run)!.x.length).toBe(X_BYTES / 4);
  for (const batch of run.batches) {
    expect(readBatchNorms(run, batch)).toHaveLength(1);
    if (batch.statesOffset !== null) expect(readBatchStates(run, batch)).toHaveLength(1);
  }
  return 'run';
}

describe('SIGKILL of the trainer', () => {
  it('while data/x.bin is being written leaves no run (the manifest comes after the dataset)', async () => {
    const workspace = tempWorkspace();
    let seen = 0;
    const runsDir = await killedRun(workspace, (dir) => {
      const size = xBinSize(dir);
      if (size !== undefined && size > 0 && size < X_BYTES) seen = size;
      return seen > 0;
    });
    expect(seen).toBeGreaterThan(0);
    expect(expectNotARunOrComplete(runsDir)).toBe('not a run');
  });

  it('at random moments leaves nothing, a folder that is not a run, or a complete run', async () => {
    const rng = createRng(2026);
    const outcomes: string[] = [];
    // The first kill waits for the first batches, so at least one run is complete with batches to read back.
    const delays = [undefined, ...Array.from({ length: 6 }, () => Math.round(rng.uniform(100, 4000)))];
    for (const delay of delays) {
      const workspace = tempWorkspace();
      const runsDir = await killedRun(workspace, (dir, elapsed) =>
        delay === undefined ? logLines(dir) >= 20 : elapsed >= delay,
      );
      outcomes.push(expectNotARunOrComplete(runsDir));
      fs.rmSync(workspace, { recursive: true, force: true });
    }
    expect(outcomes[0]).toBe('run');
  });
});

function logLines(runsDir: string): number {
  try {
    const [name] = fs.readdirSync(runsDir);
    return fs.readFileSync(path.join(runsDir, name, 'log.jsonl'), 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}
