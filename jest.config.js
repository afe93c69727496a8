// Two suites: `unit` (pure code and workflow tests with injected activities, next to the code)
// and `integration` (test/, against the real local stack brought up by `npm test`).
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest'] };
const common = { transform, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  // Generous: the machine is small and shared; timings belong in benchmarks, not tests.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{domain,strategies,lib,workflows,activities,api,db,workers,infra}/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
      slowTestThreshold: 30,
    },
  ],
};
