import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, StandardValues, Template } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

/** Defects found by the generated-charts property test (test/synth/generated-charts.property.test.ts), each with its shrunk case. */

const withHelm = Testing.ifHelm(test);

function newChart(): HelmChart {
  return new HelmChart(Testing.app(), 'demo', { version: '1.0.0', appVersion: '1.0.0' });
}

describe('Testing.render passes values to Helm unchanged', () => {
  withHelm.each(['\u0085@', 'a\u2028b', 'a\u2029b', '\u007f\u0080\u009f', '\ufeffx', 'tab\tcr\r'])(
    'a string holding %j (Go’s YAML reader reads U+0085, U+2028, U+2029 as line breaks)',
    (text) => {
      const chart = newChart();
      const value = chart.values.enum('app.mode', { values: [text, 'other'], default: 'other', description: 'Mode.' });
      new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { mode: value.asString() } });
      expect(Testing.render(chart, { values: { app: { mode: text } } }).find('ConfigMap').data.mode).toBe(text);
    },
  );
});

describe('rendered output is read as Go’s YAML reader reads it', () => {
  const PLAIN = [
    '.', '._5', '-.', '._', '.5', '+.5', '.5e3', '0o17', '0O17', '017', '08', '1_0', '0x_1F', '+0x1F', '0b101', '-0b101', '1e3', '1.e3',
    '1:20', '1:20.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '0x1p-2', '1__2', '12e', '_1', '+',
    '99999999999999999999', '-0', 'yes', 'Off', '~', 'null', '0', '-12', '3.25', '1e-7',
  ]; // prettier-ignore

  withHelm('plain scalars: numbers, octal and sexagesimal forms, dots, timestamps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'helm-synth-review17-'));
    try {
      const body = PLAIN.map((text, i) => `k${i}: ${text}`).join('\n');
      mkdirSync(join(dir, 'templates'));
      writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: plain\nversion: 1.0.0\n');
      writeFileSync(join(dir, 'values.yaml'), '{}\n');
      writeFileSync(join(dir, 'body.yaml'), `${body}\n`);
      writeFileSync(
        join(dir, 'templates', 'plain.yaml'),
        [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          '  name: plain',
          'data:',
          `  {{- .Files.Get "body.yaml" | nindent 2 }}`,
          '---',
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          '  name: go',
          'data:',
          `  json: {{ .Files.Get "body.yaml" | fromYaml | toJson | quote }}`,
          '',
        ].join('\n'),
      );
      const rendered = Testing.render(dir);
      const go = JSON.parse(rendered.find('ConfigMap', 'go').data.json) as Record<string, unknown>;
      const ours = rendered.find('ConfigMap', 'plain').data as Record<string, unknown>;
      const finite = (x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x);
      const differing = PLAIN.map((text, i) => ({ text, go: go[`k${i}`], ours: finite(ours[`k${i}`]) })).filter(
        (d) => d.go !== undefined && !Object.is(d.go, d.ours) && !(d.go === 0 && d.ours === 0),
      );
      expect(differing).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a string the construct writes stays a string when it is all one number token', () => {
  withHelm('`${n}` of a number or integer value, in a field of unknown type and in a list', () => {
    const chart = newChart();
    const ratio = chart.values.number('ratio', { default: 0.5, description: 'Ratio.' });
    const count = chart.values.integer('count', { default: 7, description: 'Count.' });
    new ApiObject(chart, 'W', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { ratioText: `${ratio.asNumber()}`, countText: `${count.asNumber()}`, list: [`${ratio.asNumber()}`], ratio: ratio.asNumber() },
    });
    expect(Testing.render(chart).find('Widget').spec).toEqual({ ratioText: '0.5', countText: '7', list: ['0.5'], ratio: 0.5 });
    expect(Testing.render(chart, { values: { ratio: -4.3e-89, count: -2 } }).find('Widget').spec).toEqual({
      ratioText: '-4.3e-89',
      countText: '-2',
      list: ['-4.3e-89'],
      ratio: -4.3e-89,
    });
  });
});

describe('a document ending with a value block keeps the trailing line breaks of its last string', () => {
  withHelm('a values map merged last into a Widget spec and into a raw ConfigMap data, a list set last', () => {
    const chart = newChart();
    const extra = chart.values.object('extra', { default: { z: '\n' }, description: 'Extra.' });
    const files = chart.values.object('files', { default: { 'app.conf': 'a=1\n\n' }, description: 'Files.' });
    const items = chart.values.list('items', { default: ['a', 'b\n\n'], description: 'Items.' });
    const on = chart.values.boolean('on', { default: false, description: 'On.' });
    Template.of(new ApiObject(chart, 'W', { apiVersion: 'example.com/v1', kind: 'Widget', spec: { a: 'k' } }))
      .merge('spec', extra.asObject())
      .setIf('spec.after', on, 'x');
    Template.of(new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } })).merge('data', files.asObject());
    Template.of(new ApiObject(chart, 'L', { apiVersion: 'example.com/v1', kind: 'Listing', spec: { a: 'k' } })).set(
      'spec.items',
      items.asList(),
    );
    const rendered = Testing.render(chart);
    expect(rendered.find('Widget').spec).toEqual({ a: 'k', z: '\n' });
    expect(rendered.find('ConfigMap').data).toEqual({ a: 'b', 'app.conf': 'a=1\n\n' });
    expect(rendered.find('Listing').spec).toEqual({ a: 'k', items: ['a', 'b\n\n'] });
    expect(Testing.render(chart, { values: { extra: { z: 'x\n\n\n' }, on: true } }).find('Widget').spec).toEqual({
      a: 'k',
      z: 'x\n\n\n',
      after: 'x',
    });
  });
});

describe("a keyed list whose entries repeat a key with the chart's default values fails synthesis, not the render", () => {
  function chartWithExtraEnv(defaults: unknown[], twice = false): HelmChart {
    const chart = newChart();
    const extra = chart.values.list('extraEnv', { default: defaults as never[], description: 'More env vars.' });
    const server = new kplus.Deployment(chart, 'Server', {
      containers: [{ image: 'nginx:1.27', envVariables: { MODE: kplus.EnvValue.fromValue('a') } }],
    });
    const template = Template.of(server).append('spec.template.spec.containers[0].env', extra.asList());
    if (twice) template.append('spec.template.spec.containers[0].env', extra.asList());
    return chart;
  }

  test('a default entry named like the construct’s env var', () => {
    expectHelmSynthError(
      () => Testing.synth(chartWithExtraEnv([{ name: 'MODE', value: 'x' }])),
      'demo/Server',
      'spec.template.spec.containers[0].env',
      'entries [0] and [1] both have name "MODE"',
      'value extraEnv',
    );
  });

  test('one values list appended twice', () => {
    expectHelmSynthError(() => Testing.synth(chartWithExtraEnv([{ name: 'EXTRA', value: 'x' }], true)), 'demo/Server', 'name "EXTRA"');
  });

  withHelm('distinct defaults synthesize, and a repeat given at install still fails the render naming the value', () => {
    const chart = chartWithExtraEnv([{ name: 'EXTRA', value: 'x' }]);
    expect(Testing.render(chart).find('Deployment').spec.template.spec.containers[0].env).toEqual([
      { name: 'MODE', value: 'a' },
      { name: 'EXTRA', value: 'x' },
    ]);
    expect(() => Testing.render(chart, { values: { extraEnv: [{ name: 'MODE', value: 'y' }] } })).toThrow(
      /value extraEnv: an entry with name MODE/,
    );
  });
});

describe('a value printed into a template whose default holds "<no value>" is refused (Helm deletes that text from output)', () => {
  test.each([
    ['a whole string', (v: string) => ({ a: v })],
    ['text around it', (v: string) => ({ a: `x-${v}-y` })],
  ])('%s', (_, data) => {
    const chart = newChart();
    const note = chart.values.string('note', { default: 'a<no value>b', description: 'Note.' });
    new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', data: data(note.asString()) });
    expectHelmSynthError(() => Testing.synth(chart), 'demo', 'value note', '"<no value>", which Helm deletes');
  });

  test('a map value merged into data, and a value only declared, are checked where printed', () => {
    const chart = newChart();
    chart.values.string('unused', { default: '<no value>', description: 'Only in values.yaml.' });
    const extra = chart.values.object('extra', { default: { k: '<no value>' }, description: 'Extra.' });
    const cm = new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });
    Template.of(cm).merge('data', extra.asObject());
    expectHelmSynthError(() => Testing.synth(chart), 'demo', 'value extra');
  });
});

// Found by test/synth/generated-extras.property.test.ts.

describe('a CustomResourceDefinition holding a null in a list is refused, not written with the text "undefined" (crds/ is plain YAML)', () => {
  test.each([
    ['a list of null', [null], 'spec.versions[0].schema.openAPIV3Schema.x[0]'],
    ['a nested list', { n: [1, [null]] }, 'spec.versions[0].schema.openAPIV3Schema.x.n[1][0]'],
  ])('%s', (_, extra, at) => {
    const chart = newChart();
    new ApiObject(chart, 'Crd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', x: extra } } }],
      },
    });
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Crd', at, 'is not a JSON value');
  });
});

describe('a map value holding the key "<<" is refused (Helm’s toYaml writes it unquoted: a YAML merge key)', () => {
  test.each([
    ['merged silently', { '<<': { a: 'from-merge' }, b: 'x' }],
    ['failing helm template', { nested: { '<<': [1] } }],
  ])('a default %s', (_, value) => {
    const chart = newChart();
    expectHelmSynthError(() => chart.values.object('o', { default: value, description: 'O.' }), 'demo', 'value o', 'key "<<"', 'merge key');
  });

  test('a list default, a StandardValues default and an environment', () => {
    expectHelmSynthError(() => newChart().values.list('l', { default: [{ '<<': {} }], description: 'L.' }), 'demo', 'value l', 'key "<<"');
    expectHelmSynthError(() => StandardValues.for(newChart(), { podSecurityContext: { '<<': { runAsUser: 1 } } }), 'demo', 'key "<<"');
    const chart = newChart();
    chart.values.object('o', { default: {}, description: 'O.' });
    expectHelmSynthError(() => chart.environment('prod', { o: { '<<': { a: 'b' } } } as never), 'demo', 'environment prod', 'key "<<"');
  });

  withHelm('what it guards against: Helm’s toYaml renders "<<" as a merge key', () => {
    const chart = newChart();
    const o = chart.values.object('o', { default: {}, description: 'O.' });
    new ApiObject(chart, 'W', { apiVersion: 'example.com/v1', kind: 'Widget', spec: { o: o.asObject() } });
    expect(Testing.render(chart, { values: { o: { '<<': { a: 'from-merge' }, b: 'x' } } }).find('Widget').spec.o).toEqual({
      a: 'from-merge',
      b: 'x',
    });
  });
});

describe('an environment whose autoscaling bounds the HorizontalPodAutoscaler’s render refuses is refused at synthesis', () => {
  function autoscaled(): HelmChart {
    const chart = newChart();
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx' }] });
    StandardValues.for(chart).autoscale(web, { minReplicas: 1, maxReplicas: 3 });
    return chart;
  }

  test('minReplicas above maxReplicas with autoscaling enabled, by the environment or over the defaults', () => {
    for (const values of [
      { autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } },
      { autoscaling: { enabled: true, minReplicas: 4 } },
    ]) {
      const chart = autoscaled();
      chart.environment('prod', values as never);
      expectHelmSynthError(
        () => Testing.synth(chart),
        'demo',
        'environment prod',
        'autoscaling.minReplicas',
        'is greater than autoscaling.maxReplicas',
      );
    }
  });

  test('the same bounds with autoscaling off write the environment', () => {
    const chart = autoscaled();
    chart.environment('prod', { autoscaling: { enabled: false, minReplicas: 5, maxReplicas: 2 } } as never);
    expect(Testing.synth(chart).files.has('values-prod.yaml')).toBe(true);
  });

  withHelm('what it guards against: the render with that environment fails', () => {
    const chart = autoscaled();
    expect(() => Testing.render(chart, { values: { autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } } })).toThrow(
      /autoscaling.minReplicas \(5\) is greater than autoscaling.maxReplicas \(2\)/,
    );
  });
});
