import { HelmChart } from 'helm-synth';
import { expectChartSnapshot, Testing } from 'helm-synth/testing';
import { CronTask } from '../src';

/** A chart with one CronTask under `cleanup`. */
function cleanupChart(): HelmChart {
  const chart = new HelmChart(Testing.app(), 'cleanup', { version: '1.0.0', description: 'A CronTask.' });
  const v = chart.values.define({
    cleanup: CronTask.values({
      description: 'Deletes expired sessions.',
      imageRepository: 'busybox',
      imageTag: '1.36',
      schedule: '30 2 * * *',
    }),
  });
  new CronTask(chart, 'Cleanup', { values: v.cleanup, command: ['sh', '-c', 'echo cleaning up'] });
  return chart;
}

test('every chart file, as a snapshot', () => {
  expectChartSnapshot(cleanupChart());
});

test('the schema holds the schedule to cron syntax: five fields or a macro', () => {
  const schema = JSON.parse(Testing.file(cleanupChart(), 'values.schema.json'));
  const schedule = schema.properties.cleanup.properties.schedule;
  expect(schedule).toMatchObject({ type: 'string', default: '30 2 * * *' });
  const cron = new RegExp(schedule.pattern);
  for (const valid of ['@hourly', '@daily', '*/15 * * * *', '0 3 * * 1-5', '5,35 1 1 1 0']) expect(valid).toMatch(cron);
  for (const invalid of ['every night', '* * * *', '0 3 * * * *', '@often', '0 3 * * *\n', ' 0 3 * * *']) expect(invalid).not.toMatch(cron);
});

Testing.ifHelm(test)('renders its schedule, suspension and image from its values', () => {
  const rendered = Testing.render(cleanupChart(), {
    releaseName: 'ops',
    values: { cleanup: { schedule: '@hourly', suspend: true, image: { tag: '1.37' } } },
  });
  const cronJob = rendered.find('CronJob', 'ops-cleanup-cleanup');
  expect(cronJob.spec).toMatchObject({ schedule: '@hourly', suspend: true, concurrencyPolicy: 'Forbid' });
  expect(cronJob.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('busybox:1.37');
});

Testing.ifHelm(test)('a schedule that is not cron syntax fails the schema at render', () => {
  expect(() => Testing.render(cleanupChart(), { values: { cleanup: { schedule: 'every night' } } })).toThrow(
    /cleanup\W+schedule\W.*pattern/,
  );
});
