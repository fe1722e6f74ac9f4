import { buildApp } from '../../charts/app';
import { HelmChart, ValueType } from '../../src';
import { checkPodSecurityAll } from '../../src/policy/pod-security';
import { Testing } from '../../src/testing';
import { sharedDependencies } from '../support/dependencies';
import { expectRestrictedPods } from '../support/pod-security';
import { reportMissingTool } from '../support/tools';

/** The hook Jobs and test pods of each example chart (release `first`). */
const HOOK_PODS: Readonly<Record<string, readonly string[]>> = {
  'web-app': [],
  'hooks-demo': [
    ...['post-delete', 'post-install', 'post-rollback', 'post-upgrade', 'pre-delete', 'pre-install', 'pre-rollback', 'pre-upgrade'].map(
      (event) => `Job/first-hooks-demo-${event}`,
    ),
    'Pod/first-hooks-demo-connection-test',
    'Job/first-hooks-demo-token-test',
  ],
  'decapod-db': [],
  'tks-contract': ['Job/first-tks-contract-db-bootstrap'],
  'tks-contract-with-db': ['Job/first-tks-contract-with-db-db-bootstrap'],
};

const charts = buildApp(Testing.app()).helmCharts;

/**
 * Issue 13's bar: every pod spec of every example chart, dependency pods included, passes the Pod
 * Security Standard "restricted" with default values and with every switch on.
 */
Testing.ifHelm(describe).each(charts.map((chart) => [chart.chartName, chart] as const))('chart %s', (name, chart: HelmChart) => {
  let dir: string;
  let missing: string[];
  const required = Object.fromEntries(
    chart.values.all.filter((v) => v.required && v.default === undefined).map((v) => [v.path, 'required-value']),
  );
  const allOn = {
    ...required,
    ...Object.fromEntries(chart.values.all.filter((v) => v.type === ValueType.BOOLEAN).map((v) => [v.path, 'true'])),
  };

  beforeAll(() => {
    const dependencies = sharedDependencies(chart);
    missing = dependencies.missing;
    dir = Testing.writeChart(chart, { dependencies: dependencies.found });
  });
  afterAll(() => Testing.removeChart(dir));

  const render = (set: Record<string, string>): ReadonlyArray<Record<string, any>> | undefined => {
    if (missing.length) {
      reportMissingTool(`chart ${name} needs ${missing.join(', ')} in ../shared/charts`);
      return undefined;
    }
    return Testing.render(dir, { releaseName: 'first', namespace: 'team-a', set }).manifests;
  };

  test.each([
    ['default values', required],
    ['every switch on', allOn],
  ])('every pod spec passes restricted with %s', (_label, set) => {
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
