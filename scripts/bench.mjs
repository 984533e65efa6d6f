// `npm run bench`: trainer figures (capture overhead, ms/epoch per backend), the extension host's
// longest stall while a config naming a big CSV is edited, then webview figures.
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

// The host's diagnostics with `vscode` stood in for by the test shim; the worker is the built dist/configCheck.js.
const hostBench = path.join(root, 'dist/bench/benchConfigCheck.js');
await esbuild.build({
  entryPoints: [path.join(root, 'scripts/benchConfigCheck.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: hostBench,
  logLevel: 'warning',
  mainFields: ['module', 'main'],
  alias: { vscode: path.join(root, 'test/shims/vscode.ts') },
});
console.log('');
failed = spawnSync(process.execPath, [hostBench], { stdio: 'inherit', cwd: root }).status !== 0 || failed;
const webviewBench = path.join(root, 'scripts/benchWebview.mjs');
if (fs.existsSync(webviewBench)) {
  console.log('');
  failed = spawnSync(process.execPath, [webviewBench], { stdio: 'inherit', cwd: root }).status !== 0 || failed;
}
process.exit(failed ? 1 : 0);
