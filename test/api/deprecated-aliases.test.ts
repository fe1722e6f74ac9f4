import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Autoscaling,
  AutoscalingOptions,
  ChartInstall,
  ChartInstallProps,
  Condition,
  HelmChart,
  HelmSynthError,
  Hook,
  HookEvent,
  HookJobBaseProps,
  HookJobOptions,
  HookOptions,
  HookProps,
  StandardServiceAccountDefaults,
  StandardServiceAccountProps,
  StandardValues,
} from '../../src';
import * as root from '../../src';
import * as postgres from '../../src/postgres';
import { Testing } from '../../src/testing';
import { join } from 'node:path';
import { deprecatedUses, exportedNames } from '../support/typecheck';

// The aliases kept for one minor version (CHANGELOG.md, "Deprecated") behave as their replacements.
const newChart = () => new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });

test('Hook.of is Hook.find', () => {
  const chart = newChart();
  const object = new ApiObject(chart, 'Thing', { apiVersion: 'v1', kind: 'ConfigMap' });
  expect(Hook.of(object)).toBeUndefined();
  const hook = Hook.apply(object, { events: [HookEvent.PRE_INSTALL] });
  expect(Hook.of(object)).toBe(hook);
  expect(Hook.find(object)).toBe(hook);
});

test('StandardValues.of is StandardValues.for', () => {
  const chart = newChart();
  const standard = StandardValues.for(chart, { replicaCount: 2 });
  expect(StandardValues.of(chart)).toBe(standard);
  expect(() => StandardValues.of(chart, { replicaCount: 3 })).toThrow(/StandardValues\.for\(chart\) was already called with other props/);
});

test('Condition.of is Condition.from', () => {
  const chart = newChart();
  const enabled = chart.values.boolean('feature.enabled', { default: false, description: 'Feature.' });
  expect(Condition.of(enabled).expression).toBe(Condition.from(enabled).expression);
  expect(() => Condition.of('yes' as never)).toThrow(/Condition\.from: "yes" is not a boolean value or a Condition/);
});

test('HelmChart.helmChartOf is HelmChart.of, which returns the HelmChart', () => {
  const chart = newChart();
  const object = new ApiObject(chart, 'Thing', { apiVersion: 'v1', kind: 'ConfigMap' });
  const found: HelmChart = HelmChart.of(object);
  expect(found).toBe(chart);
  expect(HelmChart.helmChartOf(object)).toBe(chart);
});

test('HelmSynthError.of is HelmSynthError.fromProblems', () => {
  const problems = [
    { constructPath: 'a', message: 'one' },
    { constructPath: 'b', message: 'two' },
  ];
  expect(HelmSynthError.of(problems).message).toBe(HelmSynthError.fromProblems(problems).message);
});

test('AutoscalingOptions is AutoscalingProps', () => {
  const chart = newChart();
  const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
  const props: AutoscalingOptions = { target: ApiObject.of(deployment), maxReplicas: 3 };
  expect(new Autoscaling(chart, 'Autoscaling', props).maxReplicas.default).toBe(3);
});

test('the PostgreSQL exports of helm-synth are those of helm-synth/postgres', () => {
  const runtime = Object.keys(postgres);
  expect(runtime).toEqual(expect.arrayContaining(['PostgresRelease', 'PostgresConnection', 'DbBootstrapHook', 'DatabasePlacement']));
  for (const name of runtime)
    expect({ name, same: (root as Record<string, unknown>)[name] === (postgres as Record<string, unknown>)[name] }).toEqual({
      name,
      same: true,
    });
});

test('the Props/Options names of before are aliases of the new ones', () => {
  const hook: HookProps = { events: [HookEvent.PRE_INSTALL] } satisfies HookOptions;
  const job: HookJobOptions = { image: 'busybox', command: ['true'] } satisfies HookJobBaseProps;
  const install: ChartInstallProps = { releaseName: 'demo', namespace: 'apps' } satisfies ChartInstall;
  const account: StandardServiceAccountProps = { create: false } satisfies StandardServiceAccountDefaults;
  const external: postgres.ExternalPostgresProps = {} as postgres.ExternalPostgresOptions;
  const scoped: postgres.ReleaseScopedPostgresProps = {} as postgres.ReleaseScopedPostgresOptions;
  expect([hook, job, install, account, external, scoped].length).toBe(6);
});

describe('the PostgreSQL names of helm-synth are marked @deprecated, each of them, and those of helm-synth/postgres are not', () => {
  const names = exportedNames(join(__dirname, '..', '..', 'src', 'postgres', 'index.ts')).sort();
  const use = (entry: string) => `import { ${names.join(', ')} } from '${entry}';`;
  const file = (name: string) => join(__dirname, `${name}.ts`);

  test('an editor strikes through every one imported from helm-synth', () => {
    expect(names).toEqual(
      expect.arrayContaining(['PostgresRelease', 'PostgresReleaseProps', 'DbBootstrapHook', 'BitnamiPostgresqlVersion']),
    );
    const uses = deprecatedUses(new Map([[file('from-root'), use('helm-synth')]]));
    expect(new Set(uses.map((line) => line.slice(line.lastIndexOf(' ') + 1)))).toEqual(new Set(names));
  });

  test('none imported from helm-synth/postgres but its own renamed Props', () => {
    const uses = deprecatedUses(new Map([[file('from-postgres'), use('helm-synth/postgres')]]));
    expect(uses.map((line) => line.slice(line.lastIndexOf(' ') + 1)).sort()).toEqual([
      'ExternalPostgresProps',
      'ReleaseScopedPostgresProps',
    ]);
  });
});
