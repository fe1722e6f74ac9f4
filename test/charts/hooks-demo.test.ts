import { HooksDemoChart } from '../../charts/hooks-demo';
import { lifecyclePlan, renderPlanText } from '../../src';
import { chartFiles, expectChartSnapshot, RawText, testApp } from '../support/chart-files';

const files = chartFiles(new HooksDemoChart(testApp(), 'hooks-demo'));

test('hooks-demo chart files', () => {
  expectChartSnapshot(files);
});

test('hooks-demo lifecycle plan (what `npm run plan -- hooks-demo` prints)', () => {
  expect(new RawText(renderPlanText(lifecyclePlan(files.name, files.objects)))).toMatchSnapshot();
});
