import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, StandardValues, Template } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

const withHelm = Testing.ifHelm(test);
const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });
const kinds = (docs: ReadonlyArray<Record<string, any>>) => docs.map((d) => d.kind).sort();

describe('autoscale follows the condition of its target', () => {
  function gatedWorker(gateAfterAutoscale: boolean) {
    const chart = newChart();
    const enabled = chart.values.boolean('worker.enabled', { default: false, description: 'Run the worker.' });
    const worker = new kplus.Deployment(chart, 'Worker', { containers: [{ image: 'worker:1' }] });
    const standard = StandardValues.for(chart);
    standard.applyTo(worker);
    if (!gateAfterAutoscale) Template.of(worker).enableWhen(enabled);
    standard.autoscale(worker, { enabled: true });
    if (gateAfterAutoscale) Template.of(worker).enableWhen(enabled);
    return chart;
  }

  test.each([false, true])('the HPA is rendered only with its workload (gated after autoscale: %p)', (late) => {
    const files = Testing.synth(gatedWorker(late)).files;
    expect(files.get('templates/worker-horizontal-pod-autoscaler.yaml')).toMatch(
      /^\{\{- if and \.Values\.autoscaling\.enabled \.Values\.worker\.enabled \}\}\n/,
    );
  });

  withHelm.each([
    [{}, ['ServiceAccount']],
    [{ worker: { enabled: true } }, ['Deployment', 'HorizontalPodAutoscaler', 'ServiceAccount']],
    [{ worker: { enabled: true }, autoscaling: { enabled: false } }, ['Deployment', 'ServiceAccount']],
  ])('values %j render %j: never an HPA without its target', (values, expected) => {
    expect(kinds(Testing.render(gatedWorker(false), { values }).manifests)).toEqual(expected);
  });

  test('enableWith follows every condition of the object, through scopes and chains; a cycle is an error', () => {
    const chart = newChart();
    const a = chart.values.boolean('a', { default: true, description: 'A.' });
    const b = chart.values.boolean('b', { default: true, description: 'B.' });
    const secret = chart.values.string('existing', { default: '', description: 'Existing Secret.' });
    const base = new kplus.Secret(chart, 'Base', { stringData: { k: 'v' } });
    Template.of(base).enableWhen(a).replaceableBy(secret);
    const middle = new ApiObject(chart, 'Middle', { apiVersion: 'v1', kind: 'ConfigMap' });
    Template.of(middle).enableWith(base).enableWhen(b);
    const last = new ApiObject(chart, 'Last', { apiVersion: 'v1', kind: 'ConfigMap' });
    Template.of(last).enableWith(middle);
    const files = Testing.synth(chart).files;
    expect(files.get('templates/last-config-map.yaml')).toMatch(
      /^\{\{- if and \.Values\.b \(and \.Values\.a \(eq \(\.Values\.existing \| toString\) ""\)\) \}\}\n/,
    );

    const cyclic = newChart('cyclic');
    const x = new ApiObject(cyclic, 'X', { apiVersion: 'v1', kind: 'ConfigMap' });
    const y = new ApiObject(cyclic, 'Y', { apiVersion: 'v1', kind: 'ConfigMap' });
    Template.of(x).enableWith(y);
    Template.of(y).enableWith(x);
    expectHelmSynthError(() => Testing.synth(cyclic), '', 'enableWith makes a cycle: cyclic/X → cyclic/Y → cyclic/X');
    expectHelmSynthError(() => Template.of(x).enableWith('y' as never), 'cyclic/X', 'enableWith takes a Kubernetes object, got "y"');
  });
});

describe('a workload reading a gated object gets the check hooks get', () => {
  type Read = 'env' | 'envFrom' | 'volume';
  function chartReading(read: Read, options: { gateWorkload?: 'same' | 'other' | 'with'; optional?: boolean } = {}) {
    const chart = newChart();
    const feature = chart.values.boolean('feature.enabled', { default: false, description: 'The feature.' });
    const other = chart.values.boolean('other.enabled', { default: true, description: 'Something else.' });
    const config = new kplus.ConfigMap(chart, 'FeatureConfig', { data: { mode: 'on' } });
    Template.of(config).enableWhen(feature);
    const container = { image: 'app:1' };
    const app = new kplus.Deployment(chart, 'App', { containers: [container] });
    const main = app.containers[0];
    const optional = options.optional;
    if (read === 'env') main.env.addVariable('MODE', kplus.EnvValue.fromConfigMap(config, 'mode', { optional }));
    if (read === 'envFrom') main.env.copyFrom(kplus.Env.fromConfigMap(config));
    if (read === 'volume') main.mount('/config', kplus.Volume.fromConfigMap(chart, 'ConfigVolume', config, { optional }));
    if (options.gateWorkload === 'same') Template.of(app).enableWhen(feature);
    if (options.gateWorkload === 'other') Template.of(app).enableWhen(other);
    if (options.gateWorkload === 'with') Template.of(app).enableWith(config);
    return chart;
  }

  test.each<[Read, string]>([
    ['env', 'CreateContainerConfigError'],
    ['envFrom', 'CreateContainerConfigError'],
    ['volume', 'ContainerCreating'],
  ])('reading it through %s while always rendered is an error naming both and the fixes (%s)', (read, waiting) => {
    const error = expectHelmSynthError(
      () => Testing.synth(chartReading(read)),
      'demo/App',
      'the Deployment demo/App reads ConfigMap demo/FeatureConfig',
      'which is only rendered when feature.enabled, while the Deployment is rendered always',
      `its pods would wait for the missing object (${waiting})`,
      'Template.of(workload).enableWhen(...) or enableWith(resource)), or render the resource always',
      'or mark the reference optional (optional: true)',
    );
    expect(error.message).not.toMatch(/helmsynth/i);
  });

  test('a workload gated by an unrelated condition is an error too', () => {
    expectHelmSynthError(
      () => Testing.synth(chartReading('env', { gateWorkload: 'other' })),
      'demo/App',
      'while the Deployment is rendered when other.enabled',
    );
  });

  test.each<[string, Read, Parameters<typeof chartReading>[1]]>([
    ['the same condition', 'volume', { gateWorkload: 'same' }],
    ['enableWith the object', 'volume', { gateWorkload: 'with' }],
    ['an optional env reference', 'env', { optional: true }],
  ])('%s synthesizes', (_, read, options) => {
    expect(() => Testing.synth(chartReading(read, options))).not.toThrow();
  });

  test('a gated ServiceAccount or PersistentVolumeClaim read by an ungated workload is an error without the optional hint', () => {
    const chart = newChart();
    const on = chart.values.boolean('extra.enabled', { default: false, description: 'Extra.' });
    const account = new kplus.ServiceAccount(chart, 'Runner');
    const claim = new kplus.PersistentVolumeClaim(chart, 'Data', { storage: Size.gibibytes(1) });
    Template.of(account).enableWhen(on);
    Template.of(claim).enableWhen(on);
    const app = new kplus.Deployment(chart, 'App', { containers: [{ image: 'app:1' }], serviceAccount: account });
    app.containers[0].mount('/data', kplus.Volume.fromPersistentVolumeClaim(chart, 'DataVolume', claim));
    const error = expectHelmSynthError(
      () => Testing.synth(chart),
      '',
      'demo/App: the Deployment demo/App reads ServiceAccount demo/Runner (spec.template.spec.serviceAccountName)',
      'its pods would not be created (serviceaccount not found)',
      'demo/App: the Deployment demo/App reads PersistentVolumeClaim demo/Data',
      'its pods would stay Pending',
    );
    expect(error.message).not.toContain('optional');
  });

  test('an optional volume synthesizes', () => {
    expect(() => Testing.synth(chartReading('volume', { optional: true }))).not.toThrow();
  });

  withHelm('the fixed chart renders the workload and its ConfigMap together, or neither', () => {
    const chart = () => chartReading('volume', { gateWorkload: 'with' });
    expect(kinds(Testing.render(chart()).manifests)).toEqual([]);
    expect(kinds(Testing.render(chart(), { values: { feature: { enabled: true } } }).manifests)).toEqual(['ConfigMap', 'Deployment']);
  });
});
