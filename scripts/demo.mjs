// `npm run demo`: trains both seed configs headless with the CLI and prints both answers side by side,
// then writes a standalone HTML report of each run, one line on what validation does to the state, and
// records one PyTorch example (when torch is there).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const configs = ['seed-stateless', 'seed-stateful'];

function run(args, { quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let log = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    // The CLI's progress goes to stderr with --json; keep only its lint warnings, or all of it on failure.
    child.stderr.on('data', (chunk) => (log += chunk));
    child.on('exit', (code) => {
      if (code !== 0) {
        process.stderr.write(log);
        reject(new Error(`lstm-state-timeline ${args.join(' ')} exited with ${code}`));
        return;
      }
      if (!quiet) for (const line of log.split('\n').filter((l) => l.startsWith('warning '))) console.log(`  ${line}`);
      resolve(out);
    });
  });
}

function wrap(text, width) {
  const lines = [''];
  for (const word of String(text).split(/\s+/)) {
    if (lines.at(-1) && (lines.at(-1) + ' ' + word).length > width) lines.push(word);
    else lines[lines.length - 1] = (lines.at(-1) + ' ' + word).trim();
  }
  return lines;
}

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

const counts = (resets) =>
  Object.entries(resets)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${cause} ${n}`)
    .join(', ');

const results = [];
for (const name of configs) {
  console.log(`training examples/${name}.lstm.json …`);
  const out = await run(['train', `examples/${name}.lstm.json`, '--json']);
  results.push(JSON.parse(out.trim().split('\n').at(-1)));
}

// Validation through the same stateful layers, Keras's default ("shared"): one more run, one line.
const validationConfig = 'examples/validation-shared.lstm.json';
console.log(`training ${validationConfig} …`);
const validation = JSON.parse(
  (await run(['train', validationConfig, '--json'], { quiet: true })).trim().split('\n').at(-1),
);

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

// The answer's clause on validation, e.g. "validation (15 batches) starts from the state training left, and …".
const validationClause = validation.answer.split('; ').find((part) => part.startsWith('validation ('));
console.log(
  `\nWith validation (${validationConfig}, Keras's default "shared"): ${validationClause}. ` +
    'See validation-isolated and validation-reset for the other modes.',
);

// ---- The PyTorch recorder: one example recorded without code changes (needs torch for /usr/bin/python3;
// LSTM_DEMO_PYTHON names another interpreter).
{
  const python = process.env.LSTM_DEMO_PYTHON || '/usr/bin/python3';
  const example = 'examples/pytorch/missing_detach.py';
  const hasTorch = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (!hasTorch) {
    console.log(
      `\nPyTorch example skipped: ${python} cannot import torch. Install it (Debian/Ubuntu: sudo apt install python3-torch;` +
        ` elsewhere: pip install torch), then run npm run demo again.`,
    );
  } else {
    console.log(`\nrecording ${example} with the PyTorch recorder (no code changes) …`);
    const out = await run(['record', '--runs-dir', 'examples/.lstm-runs', '--json', '--', python, example]);
    const result = JSON.parse(out.trim().split('\n').at(-1));
    console.log(`\nYour own PyTorch loop, ${example}: it carries the state but forgets .detach().`);
    const rows = [
      ['batches', `${result.batches} (${result.batchesPerEpoch} per epoch)`],
      ['initial states', counts(result.resets)],
      ['flags', counts(result.flags) || 'none'],
      ['answer', result.answer],
      ['run folder', path.relative(root, result.runDir)],
    ];
    for (const [label, text] of rows)
      wrap(text, 100).forEach((line, i) => console.log(`${(i ? '' : label).padEnd(16)}${line}`));
  }
}
