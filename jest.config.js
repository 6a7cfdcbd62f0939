/**
 * One run: unit tests beside the code (*.spec.ts) and end-to-end tests in test/ (*.e2e-spec.ts).
 * globalSetup starts one embedded PostgreSQL for the whole run (or uses TEST_DATABASE_URL);
 * each e2e file creates its own database in it.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  // The console is a browser app with its own build and node_modules; its screens are tested
  // through the hub in test/console*.e2e-spec.ts.
  modulePathIgnorePatterns: ['<rootDir>/apps/console/node_modules/'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleNameMapper: {
    '^@renkei/platform$': '<rootDir>/libs/platform/src/index.ts',
    // Client instants without Nest, for pure modules and their unit tests (Nest is ESM-only).
    '^@renkei/platform/time$': '<rootDir>/libs/platform/src/time/client-instant.ts',
    '^@renkei/platform/errors$': '<rootDir>/libs/platform/src/errors/hub-errors.ts',
    '^@renkei/platform/csv$': '<rootDir>/libs/platform/src/text/csv-cell.ts',
    '^@renkei/identity$': '<rootDir>/libs/identity/src/index.ts',
    '^@renkei/sharing$': '<rootDir>/libs/sharing/src/index.ts',
    '^@renkei/sharing/tlp$': '<rootDir>/libs/sharing/src/tlp.ts',
    '^@renkei/reports$': '<rootDir>/libs/reports/src/index.ts',
    '^@renkei/indicators$': '<rootDir>/libs/indicators/src/index.ts',
    '^@renkei/taxii$': '<rootDir>/libs/taxii/src/index.ts',
    '^@renkei/push$': '<rootDir>/libs/push/src/index.ts',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60000,
};
