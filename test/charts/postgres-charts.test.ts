import { decapodDb } from '../../charts/decapod-db';
import { TksContractChart } from '../../charts/tks-contract';
import { ChartFiles } from '../../src';
import { expectChartSnapshot, Testing } from '../../src/testing';

function expectSnapshotWithoutTokens(chart: ChartFiles): void {
  for (const [path, text] of chart.files) expect({ path, token: /helmsynth\d+z/i.exec(text)?.[0] }).toEqual({ path, token: undefined });
  expectChartSnapshot(chart);
}

test('decapod-db chart files', () => {
  expectSnapshotWithoutTokens(Testing.synth(decapodDb(Testing.app()).chart));
});

test('tks-contract chart files (database in another release: pre-install bootstrap)', () => {
  const app = Testing.app();
  expectSnapshotWithoutTokens(
    Testing.synth(new TksContractChart(app, 'tks-contract', { externalDatabase: decapodDb(app).externalConnection })),
  );
});

test('tks-contract-with-db chart files (database in the same release: post-install bootstrap)', () => {
  expectSnapshotWithoutTokens(
    Testing.synth(new TksContractChart(Testing.app(), 'tks-contract-with-db', { bundledDatabase: { chartVersion: '17.1.0' } })),
  );
});

test('tks-contract takes exactly one database', () => {
  expect(() => new TksContractChart(Testing.app(), 'tks-contract', {})).toThrow(
    'tks-contract: give exactly one of externalDatabase and bundledDatabase',
  );
});
