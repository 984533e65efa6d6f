/** The built bundles load as the editor loads them: every module resolved at build time (no stray runtime require). */
import Module from 'module';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import * as vscodeShim from '../shims/vscode';

const dist = path.resolve(__dirname, '../../dist');

describe('dist bundles', () => {
  it('dist/extension.js loads with only `vscode` provided by the host', () => {
    const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const original = loader._load;
    loader._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? vscodeShim : original.call(this, request, ...rest);
    };
    try {
      const extension = Module.createRequire(__filename)(path.join(dist, 'extension.js')) as {
        activate?: unknown;
        deactivate?: unknown;
      };
      expect(typeof extension.activate).toBe('function');
      expect(typeof extension.deactivate).toBe('function');
    } finally {
      loader._load = original;
    }
  });
});
