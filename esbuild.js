// One bundle per process or thread: extension host, its config-check and run-job workers, trainer (forked child), CLI, webview.
// `--production` minifies without sourcemaps; `--watch` rebuilds on change.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of VS Code's `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** The wasm backend loads its .wasm files from beside the bundle at run time. */
const copyWasm = {
  name: 'copy-wasm',
  setup(build) {
    build.onEnd(() => {
      const from = path.join(__dirname, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
      for (const file of fs.readdirSync(from).filter((f) => f.endsWith('.wasm'))) {
        fs.copyFileSync(path.join(from, file), path.join(__dirname, 'dist', file));
      }
    });
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  // tfjs-node is optional (native, not installable everywhere): resolved at run time if present.
  external: ['vscode', '@tensorflow/tfjs-node'],
  // jsonc-parser's UMD main loads its parts with a dynamic require that esbuild cannot follow; its ESM build bundles.
  mainFields: ['module', 'main'],
  plugins: [problemMatcher],
};

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  // A worker thread of the extension host: reads a config's CSV file off the host's thread.
  { ...node, entryPoints: ['src/config/check/checkWorker.ts'], outfile: 'dist/configCheck.js' },
  // A worker thread of the extension host: NumPy exports and HTML reports of whole runs, off the host's thread.
  { ...node, entryPoints: ['src/jobs/jobWorker.ts'], outfile: 'dist/runJobs.js' },
  { ...node, entryPoints: ['src/trainer/main.ts'], outfile: 'dist/trainer.js', plugins: [problemMatcher, copyWasm] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // Always minified: HTML reports inline this bundle (the sourcemap still maps it back for debugging).
    minify: true,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    loader: { '.css': 'css', '.ttf': 'file' },
    plugins: [problemMatcher],
  },
];

async function main() {
  fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    return;
  }
  await Promise.all(contexts.map((ctx) => ctx.rebuild()));
  await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
