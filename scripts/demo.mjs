// `npm run demo`: trains both seed configs headless with the CLI and prints both answers side by side,
// then writes a standalone HTML report of each run, one line on what validation does to the state, and
// records one PyTorch example (when torch is there).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { counts, lastJson, root, runCli as run, wrap } from './demoOutput.mjs';
import { demoPytorch } from './demoPytorch.mjs';
import { demoValidation } from './demoValidation.mjs';

const configs = ['seed-stateless', 'seed-stateful'];

function sideBySide(rows, width = 52) {
  const out = [];
  for (const [label, left, right] of rows) {
    const a = wrap(left, width);
    const b = wrap(right, width);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      out.push(`${(i === 0 ? label : '').padEnd(16)}${(a[i] ?? '').padEnd(width)} │ ${b[i] ?? ''}`);
    }
    out.push(`${''.padEnd(16)}${''.padEnd(width, '─')}─┼─${''.padEnd(width, '─')}`);
  }
  return out.join('\n');
}

const results = [];
for (const name of configs) {
  console.log(`training examples/${name}.lstm.json …`);
  const out = await run(['train', `examples/${name}.lstm.json`, '--json']);
  results.push(lastJson(out));
}

const reportsDir = path.join(root, 'examples/.lstm-runs/reports');
fs.mkdirSync(reportsDir, { recursive: true });
const reports = [];
for (const [i, result] of results.entries()) {
  const file = path.join(reportsDir, `${configs[i]}.html`);
  await run(['report', result.runDir, '-o', file]);
  reports.push(path.relative(root, file));
}

console.log(`\nWhen is the LSTM's state reset? X has shape (1000, 20, 1), batch size 200, 15 epochs.\n`);
console.log(
  sideBySide([
    ['', configs[0], configs[1]],
    ['backend', results[0].backend, results[1].backend],
    [
      'batches',
      `${results[0].batches} (${results[0].batchesPerEpoch} per epoch)`,
      `${results[1].batches} (${results[1].batchesPerEpoch} per epoch)`,
    ],
    ['initial states', counts(results[0].resets), counts(results[1].resets)],
    ['answer', results[0].answer, results[1].answer],
    ['run folder', path.relative(root, results[0].runDir), path.relative(root, results[1].runDir)],
    ['report', reports[0], reports[1]],
  ]),
);

// Validation through the same stateful layers, Keras's default ("shared"): one more run, one line.
await demoValidation();

// The PyTorch recorder: one example recorded without code changes (when a Python with torch is there).
await demoPytorch();
