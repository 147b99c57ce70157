// Jest runs in native ESM mode (NestJS 12 is ESM-only): see docs/development.md.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@charity-ledger/ledger-core$': '<rootDir>/libs/ledger-core/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

// Real PostgreSQL for the tests that start the service: TEST_DATABASE_URL, or a throwaway embedded one.
const database = {
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
};

// Checks against reference data kept outside the repository (RFC 8785 vectors, the IATI 2.03
// schema); CI sets CHARITY_LEDGER_SHARED_DIR, see .ci/run.
const sharedDir = process.env.CHARITY_LEDGER_SHARED_DIR;
const reference = sharedDir
  ? [{ ...common, ...database, displayName: 'reference', testMatch: ['<rootDir>/test/reference/**/*.ref-spec.ts'] }]
  : [];
if (!sharedDir) {
  console.log('Reference checks (RFC 8785 vectors, IATI 2.03 schema) not run: set CHARITY_LEDGER_SHARED_DIR to the shared reference data folder.');
}

export default {
  rootDir: '.',
  // end-to-end tests start real services and databases
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      ...database,
    },
    ...reference,
  ],
};
