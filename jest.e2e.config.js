/** `npm run e2e`: the end-to-end test of the packed package (test/e2e), run by .ci/run after `npm test`. */
module.exports = {
  ...require('./jest.config'),
  testMatch: ['**/test/e2e/*.e2e.ts'],
  testTimeout: 600000,
};
