/** What `npm run package` puts in the .vsix: bundles (the config-check worker's too), media and example configs only (no sources, tests or saved runs). */
import { execFileSync } from 'child_process';
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
      /^(package\.json|README\.md|LICENSE|dist\/[^/]+\.(js|css|wasm)|media\/.+|examples\/[^/]+\.(lstm\.json|csv))$/;
    expect(files.filter((file) => !allowed.test(file))).toEqual([]);
    for (const needed of [
      'dist/extension.js',
      'dist/configCheck.js',
      'dist/trainer.js',
      'dist/webview.js',
      'dist/tfjs-backend-wasm.wasm',
      'media/lstm-config.schema.json',
      'examples/seed-stateless.lstm.json',
    ]) {
      expect(files).toContain(needed);
    }
  });
});
