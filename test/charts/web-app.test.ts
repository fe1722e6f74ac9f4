import { WebAppChart } from '../../charts/web-app';
import { expectChartSnapshot, Testing } from '../../src/testing';

test('web-app chart files', () => {
  expectChartSnapshot(Testing.synth(new WebAppChart(Testing.app(), 'web-app')));
});
