// Lint: eslint's and typescript-eslint's recommended rules, plus the import rules that keep the layers apart.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node built-ins that touch the disk or start processes: not in the pure shared core. */
const DISK_AND_PROCESS = ['fs', 'fs/promises', 'child_process', 'worker_threads', 'net', 'http', 'https'].flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'media/**', 'sample-workspace/**', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_` prefixes mark parameters kept for an interface's shape
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // build and test scripts run on Node
    files: ['**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
      },
    },
  },
  {
    // tests and the bench load package files by path (nsfwjs' UMD weight modules, package.json of dependencies)
    files: ['test/**/*.ts', 'test/**/*.mts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // webviews run in the browser: they import the shared core and protocol types, never the Node sides
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Webviews talk to the extension by messages (src/protocol/webview.ts).' }],
          patterns: [
            {
              group: ['@tensorflow/*', '**/src/engine/**', '**/src/extension/**', '**/src/host/**', '**/src/cli/**', 'node:*'],
              message: 'Webviews import src/shared and src/protocol only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/shared is imported by webviews, the CLI and the engine: no vscode here.' },
            ...DISK_AND_PROCESS.map((name) => ({
              name,
              message: 'src/shared is pure: read and write files in the engine or the extension, and pass the data in.',
            })),
          ],
          patterns: [
            { group: ['@tensorflow/*'], message: 'src/shared must load without TensorFlow (the extension and webviews import it).' },
            {
              group: ['**/engine/**', '**/extension/**', '**/host/**', '**/cli/**', '**/webview/**'],
              message: 'src/shared is the bottom layer: it imports only src/protocol types and itself.',
            },
          ],
        },
      ],
    },
  },
);
