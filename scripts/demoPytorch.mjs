// The PyTorch part of `npm run demo`: records one example without code changes and prints its answer,
// or says how to install torch. Also runs alone (after `npm run build`):
//   node scripts/demoPytorch.mjs [--runs-dir DIR]      (LSTM_DEMO_PYTHON names the interpreter to use)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { counts, lastJson, root, runCli, wrap } from './demoOutput.mjs';

const EXAMPLE = 'examples/pytorch/missing_detach.py';
const INSTALL = 'Debian/Ubuntu: sudo apt install python3-torch; elsewhere: pip install torch';

/**
 * The interpreter to record with: LSTM_DEMO_PYTHON alone when set, else the first of python3 on
 * PATH and Debian's /usr/bin/python3 that imports torch. `tried` says why each other one was passed over.
 */
function findTorchPython() {
  const candidates = process.env.LSTM_DEMO_PYTHON ? [process.env.LSTM_DEMO_PYTHON] : ['python3', '/usr/bin/python3'];
  const tried = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status === 0) return { python, tried };
    tried.push(`${python} ${probe.error?.code === 'ENOENT' ? 'was not found' : 'cannot import torch'}`);
  }
  return { python: undefined, tried };
}

const inside = (dir, file) => !path.relative(dir, file).startsWith('..');

/** Records the example into `runsDir` (relative to the repository) and prints what it found. */
export async function demoPytorch(runsDir = 'examples/.lstm-runs') {
  const { python, tried } = findTorchPython();
  if (!python) {
    console.log(
      `\nPyTorch example skipped: ${tried.join('; ')}. Install torch (${INSTALL}),` +
        ' or set LSTM_DEMO_PYTHON to a Python that has it, then run npm run demo again.',
    );
    return;
  }
  console.log(`\nrecording ${EXAMPLE} with the PyTorch recorder (no code changes, ${python}) …`);
  const result = lastJson(await runCli(['record', '--runs-dir', runsDir, '--json', '--', python, EXAMPLE]));
  console.log(`\nYour own PyTorch loop, ${EXAMPLE}: it carries the state but forgets .detach().`);
  const rows = [
    ['batches', `${result.batches} (${result.batchesPerEpoch} per epoch)`],
    ['initial states', counts(result.resets)],
    ['flags', counts(result.flags) || 'none'],
    ['answer', result.answer],
    ['run folder', inside(root, result.runDir) ? path.relative(root, result.runDir) : result.runDir],
  ];
  for (const [label, text] of rows)
    wrap(text, 100).forEach((line, i) => console.log(`${(i ? '' : label).padEnd(16)}${line}`));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { 'runs-dir': { type: 'string' } } });
  await demoPytorch(values['runs-dir']);
}
