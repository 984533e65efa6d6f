import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Trainer tests run real training; two cores, so keep parallelism modest.
    maxWorkers: 2,
    alias: { vscode: new URL('./test/shims/vscode.ts', import.meta.url).pathname },
  },
});
