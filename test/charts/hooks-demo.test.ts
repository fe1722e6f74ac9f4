import { HooksDemoChart } from '../../charts/hooks-demo';
import { lifecyclePlan } from '../../src/plan/lifecycle-plan';
import { renderPlanText } from '../../src/plan/plan-text';
import { ChartFileText, chartSnapshotSerializer, expectChartSnapshot, Testing } from '../../src/testing';

expect.addSnapshotSerializer(chartSnapshotSerializer);

const files = Testing.synth(new HooksDemoChart(Testing.app(), 'hooks-demo'));

test('hooks-demo chart files', () => {
  expectChartSnapshot(files);
});

test('hooks-demo lifecycle plan (what `npm run plan -- hooks-demo` prints)', () => {
  expect(new ChartFileText(renderPlanText(lifecyclePlan(files.name, files.objects)))).toMatchSnapshot();
});
