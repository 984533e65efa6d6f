/**
 * The PyTorch part of `npm run demo` (scripts/demoPytorch.mjs, run as `npm run demo` runs it):
 * with torch it prints the recorded example's answer, every figure of it as the saved run has it;
 * without torch it says how to install it and records nothing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRun } from '../../src/runStore/readRun';
import { answerForRun } from '../../src/runStore/runSummary';
import { rawBatches, rawManifest, statesOfBatch } from '../helpers/rawRun';

const root = path.resolve(__dirname, '../..');
const TORCH_PYTHON = '/usr/bin/python3';
const INSTALL =
  'Install torch (Debian/Ubuntu: sudo apt install python3-torch; elsewhere: pip install torch), or set LSTM_DEMO_PYTHON to a Python that has it, then run npm run demo again.';

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A folder with a `python3` that is a real interpreter unable to import torch (Debian's with site-packages off). */
function pythonWithoutTorch(): { dir: string; python: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-demo-'));
  made.push(dir);
  const python = path.join(dir, 'python3');
  fs.writeFileSync(python, `#!/bin/sh\nexec ${TORCH_PYTHON} -S "$@"\n`, { mode: 0o755 });
  return { dir, python };
}

function demo(runsDir: string, env: NodeJS.ProcessEnv) {
  const { LSTM_DEMO_PYTHON: _, ...rest } = process.env;
  return spawnSync(process.execPath, ['scripts/demoPytorch.mjs', '--runs-dir', runsDir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...rest, ...env },
  });
}

/** The text after `label` on its line and the continuation lines under it (16 columns of labels). */
function field(stdout: string, label: string): string {
  const lines = stdout.split('\n');
  const at = lines.findIndex((line) => line.startsWith(label.padEnd(16)));
  expect(at, `a "${label}" line in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const text = [lines[at].slice(16)];
  for (let i = at + 1; i < lines.length && /^ {16}\S/.test(lines[i]); i++) text.push(lines[i].slice(16));
  return text.join(' ');
}

describe('npm run demo, its PyTorch example', () => {
  it('with torch (python3 on PATH lacks it, Debian’s has it): prints the answer and the counts the saved run holds', () => {
    const { dir } = pythonWithoutTorch();
    const runsDir = path.join(dir, 'runs');
    const result = demo(runsDir, { PATH: `${dir}${path.delimiter}${process.env.PATH}` });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `recording examples/pytorch/missing_detach.py with the PyTorch recorder (no code changes, ${TORCH_PYTHON}) …`,
    );
    expect(result.stdout).toContain(
      'Your own PyTorch loop, examples/pytorch/missing_detach.py: it carries the state but forgets .detach().',
    );
    const [only, ...more] = fs.readdirSync(runsDir);
    expect(more).toEqual([]);
    const runDir = path.join(runsDir, only);
    expect(field(result.stdout, 'run folder')).toBe(runDir);
    // Every figure printed, counted from the saved log.
    const batches = rawBatches(runDir);
    const count = (test: (b: (typeof batches)[number]) => boolean) => batches.filter(test).length;
    expect(field(result.stdout, 'batches')).toBe(`${batches.length} (5 per epoch)`);
    expect(new Set(batches.map((b) => b.cause))).toEqual(new Set(['auto', 'carried']));
    expect(field(result.stdout, 'initial states')).toBe(
      `auto ${count((b) => b.cause === 'auto')}, carried ${count((b) => b.cause === 'carried')}`,
    );
    expect(field(result.stdout, 'flags')).toBe(`withGraph ${count((b) => b.flags.includes('withGraph'))}`);
    const answer = field(result.stdout, 'answer');
    expect(answer).toBe(answerForRun(readRun(runDir)));
    expect(answer).toBe(
      `recorded: carried row for row in 24 of 30 batches; 6 batches started from zeros (no state given) — but every carried state still held its graph: gradients flow back into earlier batches — detach() it (PT001)`,
    );
  });

  it('without torch: says how to install it, records nothing, and the demo still ends well', () => {
    const { dir, python } = pythonWithoutTorch();
    const runsDir = path.join(dir, 'runs');
    const result = demo(runsDir, { LSTM_DEMO_PYTHON: python });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`PyTorch example skipped: ${python} cannot import torch. ${INSTALL}`);
    const missing = demo(runsDir, { LSTM_DEMO_PYTHON: path.join(dir, 'nope') });
    expect(missing.stdout.trim()).toBe(`PyTorch example skipped: ${path.join(dir, 'nope')} was not found. ${INSTALL}`);
    expect(fs.existsSync(runsDir)).toBe(false);
  });
});

describe('npm run demo, its validation line', () => {
  it('says what the saved run shows: validation starts from the state training left, each later epoch from validation’s', () => {
    const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-demo-validation-'));
    made.push(runsDir);
    const result = spawnSync(process.execPath, ['scripts/demoValidation.mjs', '--runs-dir', runsDir], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const line = result.stdout.split('\n').find((l) => l.startsWith('With validation'))!;
    const claim =
      /: validation \((\d+) batches\) starts from the state training left, and epochs 2–(\d+) start from the state validation left \(Keras's behaviour\)\./.exec(
        line,
      );
    expect(claim, line).not.toBeNull();
    const [runDir] = fs.readdirSync(runsDir).map((d) => path.join(runsDir, d));
    const batches = rawBatches(runDir);
    const units = rawManifest(runDir).model.layers.map((l) => l.units);
    const validate = batches.filter((b) => b.phase === 'validate');
    expect(validate).toHaveLength(Number(claim![1]));
    const epochs = Number(claim![2]);
    /** Row for row, bitwise: the initial state of `to` is the final state of `from`. */
    const continues = (from: (typeof batches)[number], to: (typeof batches)[number]) => {
      const [a, b] = [statesOfBatch(runDir, from, units), statesOfBatch(runDir, to, units)];
      return a.every(
        (layer, l) =>
          layer.h.every((v, i) => Object.is(v, b[l].h0[i])) && layer.c.every((v, i) => Object.is(v, b[l].c0[i])),
      );
    };
    for (let epoch = 0; epoch < epochs; epoch++) {
      const ofEpoch = batches.filter((b) => b.epoch === epoch);
      const lastTrain = ofEpoch.filter((b) => b.phase === 'train').at(-1)!;
      const firstValidate = ofEpoch.find((b) => b.phase === 'validate')!;
      expect(firstValidate.carriedFrom).toBe(lastTrain.step);
      expect(continues(lastTrain, firstValidate), `epoch ${epoch + 1}: validation starts from training's state`).toBe(
        true,
      );
      if (epoch === 0) continue;
      const lastValidateBefore = batches.filter((b) => b.epoch === epoch - 1 && b.phase === 'validate').at(-1)!;
      const firstTrain = ofEpoch.find((b) => b.phase === 'train')!;
      expect(firstTrain.carriedFrom).toBe(lastValidateBefore.step);
      expect(continues(lastValidateBefore, firstTrain), `epoch ${epoch + 1} starts from validation's state`).toBe(true);
    }
    expect(Math.max(...batches.map((b) => b.epoch)) + 1).toBe(epochs);
  });
});
