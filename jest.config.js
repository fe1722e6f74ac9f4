/**
 * Jest runs the TypeScript sources directly through helm-synth's own jest transform (esbuild, no
 * type-checking; `npm run typecheck` does that), built into lib/ by `npm test` first. The examples'
 * own tests (examples/*\/test) run here too, against src/ (`helm-synth` and `@acme/platform-constructs`
 * mapped to the sources); `npm run e2e` runs them again as a team would, from packed tarballs.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/lib/src/testing/jest-transform.js' },
  moduleNameMapper: {
    '^helm-synth$': '<rootDir>/src/index.ts',
    '^helm-synth/testing$': '<rootDir>/src/testing/index.ts',
    '^@acme/platform-constructs$': '<rootDir>/examples/platform-constructs/src/index.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/examples/[^/]+/(node_modules|lib|dist)/'],
  setupFiles: ['<rootDir>/test/support/helm-setup.ts'],
  testTimeout: 120000,
};
