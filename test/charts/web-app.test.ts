import { WebAppChart } from '../../charts/web-app';
import { chartFiles, expectChartSnapshot, testApp } from '../support/chart-files';

test('web-app chart files', () => {
  expectChartSnapshot(chartFiles(new WebAppChart(testApp(), 'web-app')));
});
