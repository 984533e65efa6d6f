/** What `npm run package` puts in the .vsix: bundles (the config-check and run-job workers' too), media, example configs and the recorder's Python package only (no sources, tests or saved runs). */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

describe('vsix contents', () => {
  it('lists only the files the extension needs at run time', () => {
    const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
      .trim()
      .split('\n');
    const allowed =
      /^(package\.json|README\.md|LICENSE|dist\/[^/]+\.(js|css|wasm)|media\/.+|examples\/[^/]+\.(lstm\.json|csv)|python\/lstm_state_timeline\/[^/]+\.py)$/;
    expect(files.filter((file) => !allowed.test(file))).toEqual([]);
    for (const needed of [
      'dist/extension.js',
      'dist/configCheck.js',
      'dist/runJobs.js',
      'dist/trainer.js',
      'dist/webview.js',
      'dist/tfjs-backend-wasm.wasm',
      'media/lstm-config.schema.json',
      'examples/seed-stateless.lstm.json',
    ]) {
      expect(files).toContain(needed);
    }
    // The whole recorder package (it runs from the extension's folder), and no byte-code caches.
    const recorder = fs.readdirSync(path.join(root, 'python/lstm_state_timeline')).filter((f) => f.endsWith('.py'));
    expect(recorder).toContain('__main__.py');
    expect(files.filter((file) => file.startsWith('python/')).sort()).toEqual(
      recorder.map((file) => `python/lstm_state_timeline/${file}`).sort(),
    );
  });
});
