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

// Checks against reference data kept outside the repository (RFC 8785 vectors);
// CI sets CHARITY_LEDGER_SHARED_DIR, see .ci/run.
const sharedDir = process.env.CHARITY_LEDGER_SHARED_DIR;
const reference = sharedDir
  ? [{ ...common, displayName: 'reference', testMatch: ['<rootDir>/test/reference/**/*.ref-spec.ts'] }]
  : [];
if (!sharedDir) {
  console.log('Reference checks (RFC 8785 vectors) not run: set CHARITY_LEDGER_SHARED_DIR to the shared reference data folder.');
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
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    ...reference,
  ],
};
