// `npm run bench`: trainer figures (capture overhead, ms/epoch per backend), the extension host's
// longest stall while a config naming a big CSV is edited and while a 100k-batch run is exported,
// then webview figures, the extension host's memory in the real workbench, then the PyTorch
// recorder's overhead.
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist/bench/benchTrainer.js');
await esbuild.build({
  entryPoints: [path.join(root, 'scripts/benchTrainer.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  external: ['@tensorflow/tfjs-node'],
  logLevel: 'warning',
  mainFields: ['module', 'main'], // as in esbuild.js: jsonc-parser's ESM build
});
// The wasm backend loads its binaries from beside the bundle.
for (const file of fs.readdirSync(path.join(root, 'dist')).filter((f) => f.endsWith('.wasm'))) {
  fs.copyFileSync(path.join(root, 'dist', file), path.join(path.dirname(outfile), file));
}
let failed = spawnSync(process.execPath, ['--expose-gc', outfile], { stdio: 'inherit', cwd: root }).status !== 0;

/** Bundles and runs one extension-host benchmark (`vscode`, where used, is the test shim); true when it failed. */
async function hostBench(name, { nodeArgs = [], workers = {} } = {}) {
  const outfile = path.join(root, `dist/bench/${name}.js`);
  await esbuild.build({
    entryPoints: { [name]: path.join(root, `scripts/${name}.ts`), ...workers },
    outdir: path.join(root, 'dist/bench'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    mainFields: ['module', 'main'],
    alias: { vscode: path.join(root, 'test/shims/vscode.ts') },
  });
  console.log('');
  return spawnSync(process.execPath, [...nodeArgs, outfile], { stdio: 'inherit', cwd: root }).status !== 0;
}
// The host's diagnostics, their worker the built dist/configCheck.js; then Export Run… through the built dist/runJobs.js.
failed = (await hostBench('benchConfigCheck')) || failed;
failed = (await hostBench('benchRunJobs')) || failed;
// The host at a million batches: memory (after gc), the Runs tree, per-batch cost, a live run's stalls.
failed = (await hostBench('benchHost', { nodeArgs: ['--expose-gc'] })) || failed;
// Pause, Reset States Now and Stop on a real trainer at full speed (dist/trainer.js), with a worker that tails the log.
failed =
  (await hostBench('benchControls', {
    workers: { benchControlsTail: path.join(root, 'scripts/benchControls/logTail.ts') },
  })) || failed;
const webviewBench = path.join(root, 'scripts/benchWebview.mjs');
if (fs.existsSync(webviewBench)) {
  console.log('');
  failed = spawnSync(process.execPath, [webviewBench], { stdio: 'inherit', cwd: root }).status !== 0 || failed;
}
// The extension host's memory in the real workbench: code-server in chromium, the e2e harness's
// `hostMemory` step (a live 100k-batch run with its panel open); its own lines, or all of it when it fails.
{
  const e2e = spawnSync(
    'npx',
    [
      'playwright',
      'test',
      '--config',
      'test/e2e/playwright.config.ts',
      '--project',
      'hostMemory',
      '--reporter',
      'list',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const output = `${e2e.stdout ?? ''}${e2e.stderr ?? ''}`;
  const lines = output
    .split('\n')
    .filter((line) => /^host memory in the workbench|^ {2}\(idle before the run/.test(line));
  console.log(`\nextension host in the workbench (test/e2e/hostMemory.spec.ts):`);
  console.log(e2e.status === 0 && lines.length ? lines.map((line) => `  ${line.trim()}`).join('\n') : output);
  if (e2e.status !== 0) failed = true;
}
// The PyTorch recorder on the seed config (python/bench_overhead.py): recording ÷ not recording, median of paired ratios.
const pytorch = spawnSync('/usr/bin/python3', [path.join(root, 'python/bench_overhead.py'), '--json'], {
  cwd: root,
  encoding: 'utf8',
});
// Its --json line comes whether or not the target is met (exit 1 when it is not): only a missing line means no figure.
const jsonLine = (pytorch.stdout ?? '').trim().split('\n').at(-1) ?? '';
const bench = jsonLine.startsWith('{') ? JSON.parse(jsonLine) : undefined;
if (bench && !bench.ok) failed = true;
console.log(
  bench
    ? `\nPyTorch recorder on the seed config (tbptt_correct.py, ${bench.reps} paired runs): recording / not recording ${bench.ratio.toFixed(3)} (CPU time ${bench.cpuRatio.toFixed(3)})  target <= ${bench.target}  ${bench.ratio <= bench.target ? 'ok' : 'OVER TARGET'}`
    : `\nPyTorch recorder: not measured (/usr/bin/python3 python/bench_overhead.py failed: ${(pytorch.stderr || pytorch.error?.message || '').trim().split('\n').at(-1)}; it needs torch: sudo apt install python3-torch)`,
);
process.exit(failed ? 1 : 0);
