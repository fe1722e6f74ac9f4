/**
 * Jest runs the TypeScript sources directly through helm-synth's own jest transform (esbuild, no
 * type-checking; `npm run typecheck` does that), built into lib/ by `npm test` first.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/lib/src/testing/jest-transform.js' },
  setupFiles: ['<rootDir>/test/support/helm-setup.ts'],
  testTimeout: 120000,
};
