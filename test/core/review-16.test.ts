import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Condition, EnvironmentValues, HelmChart, HelmSynthError, Release, StandardValues, Template } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

const withHelm = Testing.ifHelm(test);

function newChart(): HelmChart {
  return new HelmChart(Testing.app(), 'demo', { version: '1.0.0', appVersion: '1.0.0' });
}

const BAD_DATA_KEYS = ['bad key', 'a/b', '.', '..', '..hidden', 'cfg\\.json', 'k'.repeat(254), 'é'];

describe('a ConfigMap or Secret data key written by an override is checked like one the construct writes', () => {
  test.each(
    BAD_DATA_KEYS.flatMap((key) =>
      ['set', 'setIf'].flatMap((op) => [
        ['ConfigMap', 'data', op, key],
        ['Secret', 'stringData', op, key],
      ]),
    ),
  )('%s %s via %s: %j', (kind, field, op, key) => {
    const chart = newChart();
    const on = chart.values.boolean('on', { default: true, description: 'On.' });
    const object =
      kind === 'ConfigMap'
        ? new kplus.ConfigMap(chart, 'Obj', { data: { a: 'b' } })
        : new kplus.Secret(chart, 'Obj', { stringData: { a: 'b' } });
    if (op === 'set') Template.of(object).set([field, key], 'v');
    else Template.of(object).setIf([field, key], on, 'v');
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Obj', `${field}.${key}`, `${kind} key ${JSON.stringify(key)} must be`);
  });

  test('good keys pass: dots, dashes, a leading single dot', () => {
    const chart = newChart();
    const cm = new kplus.ConfigMap(chart, 'Obj', { data: { a: 'b' } });
    Template.of(cm).set('data.app.properties', 'x').set(['data', '.env'], 'y').set('data["a-b_c"]', 'z');
    expect(Testing.file(chart, 'templates/obj-config-map.yaml')).toContain('app.properties: x');
  });

  test.each(BAD_DATA_KEYS)('a merged map whose default holds %j is refused', (key) => {
    const chart = newChart();
    const cm = new kplus.ConfigMap(chart, 'Obj', { data: { a: 'b' } });
    Template.of(cm).merge('data', chart.values.object('extra', { default: { [key]: 'v' }, description: 'Extra.' }).asObject());
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Obj',
      'value extra',
      JSON.stringify(key).slice(0, 20),
      'cannot be used as ConfigMap data',
    );
  });

  withHelm('a merged map given such a key at install is refused by the values schema', () => {
    const chart = newChart();
    const cm = new kplus.Secret(chart, 'Obj', { stringData: { a: 'b' } });
    Template.of(cm).merge('stringData', chart.values.object('extra', { default: { 'ok.key': 'v' }, description: 'Extra.' }).asObject());
    expect(Testing.render(chart, { values: { extra: { '.x': 'y' } } }).find('Secret').stringData).toEqual({
      a: 'b',
      'ok.key': 'v',
      '.x': 'y',
    });
    for (const key of ['bad key', '..x', '.']) expect(() => Testing.render(chart, { values: { extra: { [key]: 'v' } } })).toThrow(/extra/);
  });
});

describe('set and setIf take JSON data', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  test.each<[string, (chart: HelmChart) => unknown, string]>([
    [
      'a chart value instead of its asString()',
      (c) => c.values.string('team', { default: 'a', description: 'T.' }),
      'the value is a StringValue object',
    ],
    ['a cdk8s Duration', () => Duration.seconds(5), 'the value is a Duration object'],
    ['a map holding itself', () => cyclic, 'self of the value holds itself'],
    ['a class object in a list', () => ({ items: [1, new Map()] }), 'items[1] of the value is a Map object'],
    ['a function', () => ({ f: () => 1 }), 'f of the value is a function'],
  ])('%s is an error naming the construct and the path (was a stack overflow or a silent map)', (_, value, fragment) => {
    for (const op of ['set', 'setIf'] as const) {
      const chart = newChart();
      const on = chart.values.boolean('on', { default: true, description: 'On.' });
      const cm = new kplus.ConfigMap(chart, 'Obj', { data: { a: 'b' } });
      const given = value(chart);
      expectHelmSynthError(
        () =>
          op === 'set' ? Template.of(cm).set('metadata.labels.team', given) : Template.of(cm).setIf('metadata.labels.team', on, given),
        'demo/Obj',
        `${op}("metadata.labels.team")`,
        fragment,
        'asString()',
      );
    }
  });

  test('maps without a prototype and shared (not cyclic) maps are data', () => {
    const chart = newChart();
    const widget = new ApiObject(chart, 'Obj', { apiVersion: 'example.com/v1', kind: 'Widget' });
    const shared = { x: '1' };
    Template.of(widget)
      .set('metadata.annotations', Object.assign(Object.create(null), { n: 'v' }))
      .set('spec', { one: shared, two: shared });
    const text = Testing.file(chart, 'templates/obj-widget.yaml');
    expect(text).toContain('"n": v');
    expect(text).toMatch(/one:\n +x: "1"\n +two:\n +x: "1"/);
  });
});

describe('a name suffix is literal', () => {
  test.each<[string, (chart: HelmChart) => string]>([
    ['a string value', (c) => `x-${c.values.string('s', { default: 'a', description: 'S.' })}`],
    ['a string value alone', (c) => c.values.string('s', { default: 'a', description: 'S.' }).asString()],
    ['an integer value', (c) => `x${c.values.integer('n', { default: 1, description: 'N.' }).asNumber()}`],
    ['the release name', () => `x-${Release.name}`],
  ])('%s in nameSuffix is an error naming it (was rendered as marker text)', (_, suffix) => {
    const chart = newChart();
    const cm = new kplus.ConfigMap(chart, 'Obj', { data: { a: 'b' } });
    const given = suffix(chart);
    expectHelmSynthError(() => Template.of(cm).nameSuffix(given), 'demo/Obj', 'name suffix', 'holds a value', 'must be literal');
  });
});

describe('text written into values.yaml, the schema, README.md or Chart.yaml is literal', () => {
  const token = (c: HelmChart) => c.values.string('t', { default: 'a', description: 'T.' }).asString();
  test.each<[string, (c: HelmChart, t: string) => unknown, string]>([
    [
      'a value description',
      (c, t) => c.values.string('u', { default: 'a', description: `U ${t}` }),
      'value u: description "U ${value t}" must be literal text',
    ],
    ['a group description', (c, t) => c.values.describe('g', `G ${t}`), 'description of group g "G ${value t}" must be literal text'],
    [
      'a passthrough description',
      (c, t) => c.values.allowPassthrough('sub', `S ${t}`),
      'description of sub "S ${value t}" must be literal text',
    ],
    ['a value path', (c, t) => c.values.string(`a.${t}`, { default: 'x', description: 'X.' }), 'value path "a.${value t}" holds a token'],
    ['a README section', (c, t) => c.addReadmeSection(`see ${t}`), 'README section "see ${value t}" must be literal text'],
    [
      'a dependency condition',
      (c, t) => c.addChartDependency({ name: 'redis', version: '1.0.0', repository: 'https://charts.example.com', condition: t }),
      'dependency condition "${value t}" must be a non-empty literal string',
    ],
    [
      'a dependency alias',
      (c, t) => c.addChartDependency({ name: 'redis', version: '1.0.0', repository: 'https://charts.example.com', alias: t }),
      'dependency alias "${value t}" must be',
    ],
    [
      'a dependency tag',
      (c) =>
        c.addChartDependency({ name: 'redis', version: '1.0.0', repository: 'https://charts.example.com', tags: [`x${Release.name}`] }),
      'dependency tag "x${release name}" must be',
    ],
  ])('%s holding a token is an error (its marker text was written)', (_, act, fragment) => {
    const chart = newChart();
    const t = token(chart);
    expectHelmSynthError(() => act(chart, t), 'demo', fragment);
  });

  test.each([
    ['the name prop', { version: '1.0.0', name: Release.name }, 'web'],
    ['the id', { version: '1.0.0' }, `web-${Release.namespace}`],
  ])('a chart name from %s holding a token is an error (its marker was the chart name)', (_, props, id) => {
    expect(() => new HelmChart(Testing.app(), id, props)).toThrow(
      /chart name "(web-)?\$\{release (name|namespace)\}" must be literal text/,
    );
  });

  test("a fixed name holding a value reads as the value's reference in README.md, the same in every run", () => {
    const chart = newChart();
    const cm = new kplus.ConfigMap(chart, 'Obj', { metadata: { name: `x-${token(chart)}` }, data: { a: 'b' } });
    Template.of(cm).fixedName();
    const readme = Testing.file(chart, 'README.md');
    expect(readme).toContain('`x-.Values.t`');
    expect(readme).not.toMatch(/helmsynth/);
  });
});

describe('a message names the value at fault even when text follows its token directly', () => {
  test('a number token printed with a unit, and a string token inside an id, read as the value, not a longer path', () => {
    const chart = newChart();
    const minReady = chart.values.integer('a', { default: 10, description: 'A.' }).asNumber();
    const name = chart.values.string('b', { default: 'x', description: 'B.' }).asString();
    const error = new HelmSynthError('demo', `'minReady' (${minReady}s) and ${name}PVC and ${name}-pvc and ${name}`);
    expect(error.message).toBe("demo: 'minReady' ((.Values.a)s) and (.Values.b)PVC and .Values.b-pvc and .Values.b");
  });
});

describe('label and annotation keys and label values are checked where written', () => {
  const BAD_KEYS = ['bad key', 'example.com/a:b', 'a/b/c', 'Example.COM/x', '-x', 'x-', `${'k'.repeat(64)}`, 'example.com/', '/x', ''];
  const BAD_VALUES = ['has space', '-x', 'x.', 'v'.repeat(64), 'a/b'];

  test.each(BAD_KEYS.flatMap((key) => ['labels', 'annotations'].map((field) => [field, key])))(
    '%s key %j in the construct',
    (field, key) => {
      const chart = newChart();
      new kplus.ConfigMap(chart, 'Obj', { metadata: { [field]: { [key]: 'v' } }, data: { a: 'b' } });
      expectHelmSynthError(
        () => Testing.synth(chart),
        'demo/Obj',
        `${field === 'labels' ? 'label' : 'annotation'} key ${JSON.stringify(key)} must be a qualified name`,
      );
    },
  );

  test.each(BAD_KEYS.filter(Boolean).flatMap((key) => ['set', 'setIf'].map((op) => [op, key])))(
    '%s of a pod template annotation key %j',
    (op, key) => {
      const chart = newChart();
      const on = chart.values.boolean('on', { default: true, description: 'On.' });
      const deployment = new kplus.Deployment(chart, 'Obj', { containers: [{ image: 'nginx' }] });
      const path = ['spec', 'template', 'metadata', 'annotations', key];
      if (op === 'set') Template.of(deployment).set(path, 'v');
      else Template.of(deployment).setIf(path, on, 'v');
      expectHelmSynthError(() => Testing.synth(chart), 'demo/Obj', `annotation key ${JSON.stringify(key)} must be a qualified name`);
    },
  );

  test.each(BAD_VALUES)('label value %j, in the construct and by set', (value) => {
    const chart = newChart();
    new kplus.ConfigMap(chart, 'Obj', { metadata: { labels: { team: value } }, data: { a: 'b' } });
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Obj', `metadata.labels.team: label value ${JSON.stringify(value)} must be`);
    const other = newChart();
    Template.of(new kplus.Deployment(other, 'Obj', { containers: [{ image: 'nginx' }] })).set('spec.template.metadata.labels.team', value);
    expectHelmSynthError(
      () => Testing.synth(other),
      'demo/Obj',
      `spec.template.metadata.labels.team: label value ${JSON.stringify(value)} must be`,
    );
  });

  test('valid keys and values pass; maps that are not object metadata are not label maps', () => {
    const chart = newChart();
    const key63 = `example.com/${'k'.repeat(63)}`;
    new kplus.ConfigMap(chart, 'Obj', {
      metadata: { labels: { 'a.b_c-d': '', team: 'v'.repeat(63) }, annotations: { [key63]: 'any text: {}', Upper_Case: 'x' } },
      data: { a: 'b' },
    });
    new ApiObject(chart, 'Widget', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { metadata: { labels: { 'bad key': 'has space' } } },
    });
    const files = Testing.synth(chart);
    expect(files.files.get('templates/obj-config-map.yaml')).toContain(key63);
    expect(files.files.get('templates/widget-widget.yaml')).toContain('bad key: has space');
  });
});

describe('maps merged into labels or annotations get the key and label value rules in the values schema', () => {
  withHelm('StandardValues podLabels and podAnnotations refuse keys and label values the API server refuses', () => {
    const chart = newChart();
    StandardValues.for(chart).applyTo(new kplus.Deployment(chart, 'Obj', { containers: [{ image: 'nginx' }] }));
    const ok = Testing.render(chart, {
      values: { podLabels: { 'example.com/team': 'a.b', tier: '' }, podAnnotations: { 'x.io/note': 'any: text {}' } },
    });
    expect(ok.find('Deployment').spec.template.metadata.labels).toMatchObject({ 'example.com/team': 'a.b', tier: '' });
    expect(ok.find('Deployment').spec.template.metadata.annotations).toEqual({ 'x.io/note': 'any: text {}' });
    const wrong: EnvironmentValues[] = [
      { podLabels: { team: 'has space' } },
      { podLabels: { 'bad key': 'x' } },
      { podLabels: { team: 'v'.repeat(64) } },
      { podAnnotations: { 'example.com/a:b': 'x' } },
      { podAnnotations: { 'a/b/c': 'x' } },
    ];
    for (const values of wrong) expect(() => Testing.render(chart, { values })).toThrow(/values don't meet the specifications/);
  });

  test('a default the rules refuse is an error at synthesis naming the value', () => {
    const chart = newChart();
    const cm = new kplus.ConfigMap(chart, 'Obj', { data: { a: 'b' } });
    Template.of(cm).merge(
      'metadata.labels',
      chart.values.object('extraLabels', { default: { team: 'has space' }, description: 'L.' }).asObject(),
    );
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Obj', 'value extraLabels', 'labels (keys and values Kubernetes checks)');
  });
});

describe('a string value used whole as a name gets the name rule in values.schema.json', () => {
  function chartWithNames(defaults: { container?: string; env?: string; label?: string } = {}) {
    const chart = newChart();
    const container = chart.values.string('containerName', { default: defaults.container ?? 'app', description: 'C.' });
    const env = chart.values.string('envName', { default: defaults.env ?? 'MODE', description: 'E.' });
    const label = chart.values.string('team', { default: defaults.label ?? 'core', description: 'T.' });
    const deployment = new kplus.Deployment(chart, 'Obj', { containers: [{ image: 'nginx', name: container.asString() }] });
    Template.of(deployment)
      .set('spec.template.spec.containers[0].env', [{ name: env.asString(), value: 'x' }])
      .set('metadata.labels.team', label.asString());
    return chart;
  }

  test.each<[{ container?: string; env?: string; label?: string }, string, string]>([
    [{ container: 'Bad Name' }, 'value containerName', 'container name (a name Kubernetes checks)'],
    [{ env: '1bad' }, 'value envName', 'environment variable name (a name Kubernetes checks)'],
    [{ label: 'has space' }, 'value team', 'label value (a name Kubernetes checks)'],
  ])('a default that breaks the rule, %j, is an error at synthesis', (defaults, ...fragments) => {
    expectHelmSynthError(() => Testing.synth(chartWithNames(defaults)), 'demo/Obj', ...fragments);
  });

  withHelm('a value given at install that breaks the rule is refused by the schema', () => {
    const chart = chartWithNames();
    expect(
      Testing.render(chart, { values: { containerName: 'web', envName: 'X_Y', team: '' } }).find('Deployment').metadata.labels.team,
    ).toBe('');
    const wrong: EnvironmentValues[] = [
      { containerName: 'Bad Name' },
      { containerName: 'x'.repeat(64) },
      { envName: '1 bad' },
      { team: 'has space' },
    ];
    for (const values of wrong) expect(() => Testing.render(chart, { values })).toThrow(/Does not match pattern|String length must be/);
  });
});

describe('two objects of one kind kept under one fixed name', () => {
  test('rendering together is an error naming both (helm lint refused the chart after exit 0)', () => {
    const chart = newChart();
    for (const id of ['A', 'B']) Template.of(new kplus.ConfigMap(chart, id, { metadata: { name: 'same' }, data: { a: 'b' } })).fixedName();
    expectHelmSynthError(() => Testing.synth(chart), 'demo/B', 'fixedName() keeps the ConfigMap name "same", which demo/A keeps too');
  });

  withHelm('under exclusive conditions, or of different kinds, they are fine', () => {
    const chart = newChart();
    const on = chart.values.boolean('on', { default: true, description: 'On.' });
    const a = new kplus.ConfigMap(chart, 'A', { metadata: { name: 'same' }, data: { v: 'a' } });
    const b = new kplus.ConfigMap(chart, 'B', { metadata: { name: 'same' }, data: { v: 'b' } });
    const secret = new kplus.Secret(chart, 'C', { metadata: { name: 'same' }, stringData: { v: 'c' } });
    Template.of(a).fixedName().enableWhen(on);
    Template.of(b).fixedName().enableWhen(Condition.from(on).not());
    Template.of(secret).fixedName();
    expect(Testing.lint(chart)).toContain('0 chart(s) failed');
    expect(Testing.render(chart, { values: { on: false } }).find('ConfigMap', 'same').data).toEqual({ v: 'b' });
  });
});

describe("a Secret's data and a ConfigMap's binaryData hold base64", () => {
  test.each([
    ['Secret', 'data', 'plain text!'],
    ['Secret', 'data', 'YQ='],
    ['ConfigMap', 'binaryData', 'not base64'],
  ])('%s %s %j is an error at synthesis (the API server refused it at install)', (kind, field, text) => {
    const chart = newChart();
    new ApiObject(chart, 'Obj', { apiVersion: 'v1', kind, [field]: { key: text } });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Obj',
      `${field}.key: ${kind} ${field} value ${JSON.stringify(text)} must be base64`,
    );
    const other = newChart();
    Template.of(new ApiObject(other, 'Obj', { apiVersion: 'v1', kind })).set([field, 'key'], text);
    expectHelmSynthError(() => Testing.synth(other), 'demo/Obj', 'must be base64');
  });

  test('padded base64, also wrapped in lines, and an empty value pass', () => {
    const chart = newChart();
    new ApiObject(chart, 'Obj', { apiVersion: 'v1', kind: 'Secret', data: { a: 'YQ==', b: 'YWJj\nZGVm', c: '' } });
    expect(Testing.file(chart, 'templates/obj-secret.yaml')).toContain('a: YQ==');
  });
});

describe('literal numbers and booleans in fields Kubernetes types as strings are written as strings', () => {
  withHelm('annotations, labels, ConfigMap data, env values and args render as strings, like number tokens there', () => {
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'Obj', {
      containers: [{ image: 'nginx', envVariables: { A: kplus.EnvValue.fromValue('1') } }],
    });
    Template.of(deployment)
      .set('metadata.annotations.port', 8080)
      .set('metadata.labels.enabled', true)
      .set('spec.template.spec.containers[0].env[0].value', 5)
      .set('spec.template.spec.containers[0].args', [1, false]);
    const cm = new kplus.ConfigMap(chart, 'Cfg');
    Template.of(cm).set('data.port', 8080).set('data.flag', true);
    const rendered = Testing.render(chart);
    const d = rendered.find('Deployment');
    expect(d.metadata.annotations).toEqual({ port: '8080' });
    expect(d.metadata.labels.enabled).toBe('true');
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '5' }]);
    expect(d.spec.template.spec.containers[0].args).toEqual(['1', 'false']);
    expect(rendered.find('ConfigMap').data).toEqual({ port: '8080', flag: 'true' });
  });
});

describe('a number value used in an int32 field must be an integer', () => {
  test('a default with a fraction is an error naming the value and the field', () => {
    const chart = newChart();
    const replicas = chart.values.number('replicas', { default: 1.5, description: 'R.' });
    new kplus.Deployment(chart, 'Obj', { replicas: replicas.asNumber(), containers: [{ image: 'nginx' }] });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Obj',
      'value replicas: default 1.5 cannot be used as replicas (a 32-bit integer in Kubernetes)',
    );
  });

  withHelm('a fraction given at install is refused by the schema', () => {
    const chart = newChart();
    const replicas = chart.values.number('replicas', { default: 2, description: 'R.' });
    new kplus.Deployment(chart, 'Obj', { replicas: replicas.asNumber(), containers: [{ image: 'nginx' }] });
    expect(Testing.render(chart, { values: { replicas: 3 } }).find('Deployment').spec.replicas).toBe(3);
    expect(() => Testing.render(chart, { values: { replicas: 1.5 } })).toThrow(/replicas/);
  });
});

describe('a container and an init container of one pod share no name', () => {
  test.each([
    ['the construct', (d: kplus.Deployment) => d.addInitContainer({ image: 'busybox', name: 'main' })],
    ['set', (d: kplus.Deployment) => Template.of(d).set('spec.template.spec.initContainers', [{ name: 'main', image: 'busybox' }])],
  ])('written by %s, it is an error naming the name', (_, write) => {
    const chart = newChart();
    write(new kplus.Deployment(chart, 'Obj', { containers: [{ image: 'nginx', name: 'main' }] }));
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Obj',
      'spec.template.spec.initContainers: init container name "main" is also a container\'s name',
    );
  });

  test('different names pass', () => {
    const chart = newChart();
    const d = new kplus.Deployment(chart, 'Obj', { containers: [{ image: 'nginx', name: 'main' }] });
    d.addInitContainer({ image: 'busybox', name: 'init' });
    expect(Testing.file(chart, 'templates/obj-deployment.yaml')).toContain('name: init');
  });
});
