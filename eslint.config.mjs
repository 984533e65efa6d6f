// Lint: typescript-eslint's recommended rules, no import cycles, and the house's boundaries
// (README, "Architecture"): which part may import which. Formatting is prettier's (npm run format).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

/** Each part of the project and the parts it must not import. */
const boundaries = [
  // The extension host never runs training code: config checks live in src/config.
  {
    target: './src/extension',
    from: ['./src/trainer', './src/cli', './webview'],
    message: 'the extension host does not import training, CLI or webview code',
  },
  // The webview bundle is a browser page: only shared types and helpers.
  { target: './webview', from: './src', except: ['./shared'], message: 'the webview imports only src/shared' },
  // Shared code is imported by every process: it imports nothing of the project.
  {
    target: './src/shared',
    from: [
      './src/config',
      './src/runStore',
      './src/trainer',
      './src/extension',
      './src/cli',
      './src/report',
      './src/jobs',
      './webview',
    ],
    message: 'src/shared imports nothing of the project',
  },
  // The run store reads and writes run folders without training, config or editor code.
  {
    target: './src/runStore',
    from: ['./src/config', './src/trainer', './src/extension', './src/cli', './src/report', './src/jobs', './webview'],
    message: 'src/runStore needs no training, config or editor code',
  },
  // The config layer is pure checking: no training, no editor.
  {
    target: './src/config',
    from: [
      './src/trainer',
      './src/extension',
      './src/cli',
      './src/report',
      './src/runStore',
      './src/jobs',
      './webview',
    ],
    message: 'src/config needs no training, editor or run-store code',
  },
  {
    target: './src/trainer',
    from: ['./src/extension', './src/cli', './src/report', './src/jobs', './webview'],
    message: 'the trainer does not import editor, CLI or report code',
  },
  {
    target: './src/report',
    from: ['./src/trainer', './src/extension', './src/cli', './src/jobs'],
    message: 'the report renders a run folder: no training, editor or CLI code',
  },
  // The editor's run jobs (export, report) run in a worker thread of the host: no training, no editor.
  {
    target: './src/jobs',
    from: ['./src/trainer', './src/extension', './src/cli', './src/config', './webview'],
    message: 'run jobs read run folders for the editor: no training, editor, CLI or config code',
  },
];

const noVscode = { group: ['vscode'], message: 'only src/extension talks to VS Code' };
const noTfjs = { group: ['@tensorflow/*'], message: 'only the trainer loads tfjs' };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-artifacts/**',
      'examples/**',
      'python/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'webview/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'webview/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  // Playwright fixtures that use no other fixture are declared `async ({}, use) => …`.
  { files: ['test/e2e/**/*.ts'], rules: { 'no-empty-pattern': 'off' } },
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: boundaries }] },
  },
  // Only the host talks to VS Code, and only the trainer loads tfjs.
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/extension/**', 'src/trainer/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noVscode, noTfjs] }] },
  },
  { files: ['src/extension/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noTfjs] }] } },
  { files: ['src/trainer/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noVscode] }] } },
  prettier,
);
