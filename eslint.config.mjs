import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no drivers,
// no configuration or environment, nothing that does I/O. strategies/ and domain/ are pure
// too, because workflows import them.
const nodeBuiltins = [
  'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'worker_threads',
  'node:*', 'process', 'events', 'timers', 'dns', 'tls', 'zlib', 'util',
];
const drivers = ['pg', 'pg-*', 'kysely', 'ioredis', 'kafkajs', '@elastic/*', 'express', 'pino', 'dotenv'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.stack/**', 'infra/elasticsearch/plugin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'Workflow code must be deterministic: no Node built-ins.' },
            { group: drivers, message: 'Workflow code must not touch drivers: call an activity.' },
            { group: ['@temporalio/activity', '@temporalio/worker', '@temporalio/client'], message: 'Workflows import only @temporalio/workflow.' },
            { group: ['**/lib/*', '**/lib/**', '**/db/**', '**/workers/**', '**/api/**'], message: 'Workflows may not import lib/, db/, workers/ or api/.' },
            { group: ['**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'Use `import type` for activities; call them through proxyActivities.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No process.env in workflows: pass values as input.' }],
    },
  },
  {
    files: ['strategies/**/*.ts', 'domain/**/*.ts'],
    ignores: ['**/*.test.ts', 'strategies/cli/**', 'strategies/book-forecast*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'strategies/ and domain/ are pure: no I/O.' },
            { group: [...drivers, '@temporalio/*'], message: 'strategies/ and domain/ are pure: no drivers, no Temporal.' },
            { group: ['**/lib/*', '**/lib/**', '**/db/**', '**/activities/**', '**/workers/**', '**/api/**'], message: 'strategies/ and domain/ import only pure code.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass `now` in.' },
        { object: 'Math', property: 'random', message: 'Pass a seeded generator in.' },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@temporalio/workflow'], message: 'Activities never import @temporalio/workflow.' }] }],
    },
  },
  {
    files: ['api/**/*.ts'],
    ignores: ['api/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/activities/**', '**/workers/**'], message: 'The API talks to workflows through the Temporal client, not activities or workers.' }] }],
    },
  },
);
