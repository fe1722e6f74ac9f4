import { buildApp } from '../../charts/app';
import { HelmChart, ValueType } from '../../src';
import { checkPodSecurityAll } from '../../src/policy/pod-security';
import { chartFiles, removeChart, testApp, writeChart } from '../support/chart-files';
import { prepareDependencies } from '../support/dependencies';
import { findHelm, helmTemplate, NO_HELM_MESSAGE, parseManifests } from '../support/helm';
import { expectRestrictedPods } from '../support/pod-security';
import { reportMissingTool } from '../support/tools';

/** The hook Jobs and test pods of each example chart (release `first`). */
const HOOK_PODS: Readonly<Record<string, readonly string[]>> = {
  'web-app': [],
  'hooks-demo': [
    ...['post-delete', 'post-install', 'post-rollback', 'post-upgrade', 'pre-delete', 'pre-install', 'pre-rollback', 'pre-upgrade']
      .map((event) => `Job/first-hooks-demo-${event}`),
    'Pod/first-hooks-demo-connection-test',
    'Job/first-hooks-demo-token-test',
  ],
  'decapod-db': [],
  'tks-contract': ['Job/first-tks-contract-db-bootstrap'],
  'tks-contract-with-db': ['Job/first-tks-contract-with-db-db-bootstrap'],
};

const helm = findHelm();
if (!helm) reportMissingTool(NO_HELM_MESSAGE);
const describeWithHelm = helm ? describe : describe.skip;
const charts = buildApp(testApp()).helmCharts;

/**
 * Issue 13's bar: every pod spec of every example chart, dependency pods included, passes the Pod
 * Security Standard "restricted" with default values and with every switch on.
 */
describeWithHelm.each(charts.map((chart) => [chart.chartName, chart] as const))('chart %s', (name, chart: HelmChart) => {
  let dir: string;
  let missing: string[];
  const required = Object.fromEntries(chart.values.all.filter((v) => v.required && v.default === undefined).map((v) => [v.path, 'required-value']));
  const allOn = { ...required, ...Object.fromEntries(chart.values.all.filter((v) => v.type === ValueType.BOOLEAN).map((v) => [v.path, 'true'])) };

  beforeAll(() => {
    dir = writeChart(chartFiles(chart));
    missing = prepareDependencies(chart, dir);
  });
  afterAll(() => removeChart(dir));

  const render = (set: Record<string, string>): Array<Record<string, any>> | undefined => {
    if (missing.length) {
      reportMissingTool(`chart ${name} needs ${missing.join(', ')} in ../shared/charts`);
      return undefined;
    }
    return parseManifests(helmTemplate(helm!, dir, { release: 'first', namespace: 'team-a', set }));
  };

  test.each([['default values', required], ['every switch on', allOn]])('every pod spec passes restricted with %s', (_label, set) => {
    const docs = render(set);
    if (!docs) return;
    expect(checkPodSecurityAll(docs).length).toBeGreaterThan(0);
    expectRestrictedPods(docs);
  });

  test('its hook Jobs and test pods are the expected ones', () => {
    const docs = render(required);
    if (!docs) return;
    const hooks = docs.filter((doc) => doc.metadata?.annotations?.['helm.sh/hook'] !== undefined);
    expect(checkPodSecurityAll(hooks).map((r) => `${r.kind}/${r.name}`)).toEqual(HOOK_PODS[name]);
  });
});

test('every example chart has its entry in the list of hook pods', () => {
  expect(Object.keys(HOOK_PODS).sort()).toEqual(charts.map((chart) => chart.chartName).sort());
});
