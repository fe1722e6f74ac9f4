import { ApiObject } from 'cdk8s';
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
    const standard = StandardValues.of(chart);
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
