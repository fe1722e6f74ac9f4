import { buildApp } from '../../charts/app';
import { HelmChart } from '../../src';
import { checkPodSecurityAll } from '../../src/policy/pod-security';
import { chartFiles, removeChart, testApp, writeChart } from '../support/chart-files';
import { prepareDependencies } from '../support/dependencies';
import { findHelm, helmTemplate, NO_HELM_MESSAGE, parseManifests } from '../support/helm';
import { expectRestrictedPods, restrictedViolationIds } from '../support/pod-security';
import { reportMissingTool } from '../support/tools';

const CONTAINER = 'spec.template.spec.containers[0].securityContext';
const APP_DEPLOYMENT = [`restricted/seccompProfile ${CONTAINER}.seccompProfile`, `restricted/capabilities ${CONTAINER}.capabilities.drop`];

/**
 * The restricted violations each example chart has today under default values (release `first`).
 * Known, not wanted: cdk8s-plus's default container security context has no seccompProfile and no
 * `capabilities.drop: [ALL]`, and bitnami/postgresql 10.8.0 (decapod-db's dependency) sets neither
 * those nor runAsNonRoot / allowPrivilegeEscalation. The restricted-by-default work of issue 13
 * (another part) turns every list here into [] and this test into "no violations"; shrink the
 * list as each one is fixed — the test fails on any violation that is new or gone.
 */
const KNOWN_VIOLATIONS: Readonly<Record<string, readonly string[]>> = {
  'web-app': APP_DEPLOYMENT.map((v) => `Deployment/first-web-app ${v}`),
  'hooks-demo': APP_DEPLOYMENT.map((v) => `Deployment/first-hooks-demo ${v}`),
  'decapod-db': [],
  'tks-contract': APP_DEPLOYMENT.map((v) => `Deployment/first-tks-contract ${v}`),
  'tks-contract-with-db': APP_DEPLOYMENT.map((v) => `Deployment/first-tks-contract-with-db ${v}`),
};

/** The hook Jobs and test pods of each example chart (release `first`): all pass restricted today. */
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

describeWithHelm.each(charts.map((chart) => [chart.chartName, chart] as const))('chart %s under default values', (name, chart: HelmChart) => {
  let dir: string;
  let missing: string[];
  let docs: Array<Record<string, any>>;

  beforeAll(() => {
    dir = writeChart(chartFiles(chart));
    missing = prepareDependencies(chart, dir);
    if (missing.length > 0) return;
    const required = Object.fromEntries(chart.values.all.filter((v) => v.required && v.default === undefined).map((v) => [v.path, 'required-value']));
    docs = parseManifests(helmTemplate(helm!, dir, { release: 'first', namespace: 'team-a', set: required }));
  });
  afterAll(() => removeChart(dir));

  const rendered = (): boolean => {
    if (missing.length === 0) return true;
    reportMissingTool(`chart ${name} needs ${missing.join(', ')} in ../shared/charts`);
    return false;
  };

  test('hook Jobs and test pods pass restricted', () => {
    if (!rendered()) return;
    const hooks = docs.filter((doc) => doc.metadata?.annotations?.['helm.sh/hook'] !== undefined);
    expect(checkPodSecurityAll(hooks).map((r) => `${r.kind}/${r.name}`)).toEqual(HOOK_PODS[name]);
    expectRestrictedPods(hooks);
  });

  test('every other pod spec has exactly the known violations', () => {
    if (!rendered()) return;
    expect(checkPodSecurityAll(docs).length).toBeGreaterThan(0);
    expect(restrictedViolationIds(docs)).toEqual(KNOWN_VIOLATIONS[name]);
  });
});

test('every example chart has its entries in the known lists', () => {
  const names = charts.map((chart) => chart.chartName).sort();
  expect(Object.keys(KNOWN_VIOLATIONS).sort()).toEqual(names);
  expect(Object.keys(HOOK_PODS).sort()).toEqual(names);
});
