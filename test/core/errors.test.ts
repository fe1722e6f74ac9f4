import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Template } from '../../src';
import { expectHelmSynthError as expectError } from '../support/errors';
import { Testing } from '../../src/testing';

const chart = () => new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });

describe('chart metadata', () => {
  test.each([
    ['Web_App', 'must be a DNS-1123 label'],
    ['-web', 'must be a DNS-1123 label'],
    ['a'.repeat(54), 'at most 53 characters'],
  ])('chart name %j is rejected', (name, message) => {
    expectError(() => new HelmChart(Testing.app(), 'x', { name, version: '1.0.0' }), 'x', JSON.stringify(name), message);
  });

  test.each(['1.0', 'v1.0.0', '1.0.0-', '01.0.0', '1.0.0+'])('version %j is rejected', (version) => {
    expectError(() => new HelmChart(Testing.app(), 'x', { version }), 'x', `chart version ${JSON.stringify(version)} is not a SemVer 2`);
  });

  test('bad urls, maintainers, type and annotations are rejected', () => {
    expectError(() => new HelmChart(Testing.app(), 'x', { version: '1.0.0', home: 'not a url' }), 'x', 'home "not a url"');
    expectError(
      () => new HelmChart(Testing.app(), 'x', { version: '1.0.0', maintainers: [{ name: 'a', email: 'nope' }] }),
      'x',
      'maintainer email "nope"',
    );
    expectError(() => new HelmChart(Testing.app(), 'x', { version: '1.0.0', type: 'app' as never }), 'x', 'chart type "app"');
    expectError(() => new HelmChart(Testing.app(), 'x', { version: '1.0.0', annotations: { a: 1 as never } }), 'x', 'annotation a=1');
  });

  test('two charts with one name', () => {
    const app = Testing.app();
    new HelmChart(app, 'a', { name: 'same', version: '1.0.0' });
    new HelmChart(app, 'b', { name: 'same', version: '1.0.0' });
    expectError(() => app.synthCharts(), 'b', 'chart name same is also used by a');
  });

  test('bad dependencies', () => {
    expectError(
      () => chart().addChartDependency({ name: 'pg', version: '1.0.0', repository: 'charts.example.com' }),
      'demo',
      'repository "charts.example.com"',
    );
    const c = chart();
    c.addChartDependency({ name: 'pg', version: '1.0.0', repository: 'https://charts.example.com' });
    expectError(
      () => c.addChartDependency({ name: 'pg', version: '2.0.0', repository: 'https://charts.example.com' }),
      'demo',
      'added twice',
    );
  });
});

describe('values', () => {
  test('same path twice with different types', () => {
    const c = chart();
    c.values.string('image.tag', { default: 'latest', description: 'Tag.' });
    expectError(
      () => c.values.integer('image.tag', { default: 1, description: 'Tag.' }),
      'demo',
      'value image.tag is declared twice: as string (default "latest") and as integer (default 1)',
    );
  });

  test('same declaration twice returns the first', () => {
    const c = chart();
    const a = c.values.string('x', { default: 'a', description: 'X.' });
    expect(c.values.string('x', { default: 'a', description: 'X.' })).toBe(a);
  });

  test('a value under a scalar, and a scalar over a group', () => {
    const c = chart();
    c.values.string('image', { default: 'nginx', description: 'Image.' });
    expectError(
      () => c.values.string('image.tag', { default: 'x', description: 'Tag.' }),
      'demo',
      'value image.tag is declared under image, which is a string value',
    );
    c.values.integer('db.port', { default: 1, description: 'Port.' });
    expectError(
      () => c.values.object('db', { default: {}, description: 'DB.' }),
      'demo',
      'value db (object) would replace the group that holds db.port',
    );
  });

  test.each(['a-b', 'a..b', '1a', '', 'global.x'])('path %j is rejected', (path) => {
    expectError(() => chart().values.string(path, { default: '', description: 'x' }), 'demo', JSON.stringify(path));
  });

  test('defaults must match type and constraints', () => {
    const v = chart().values;
    expectError(() => v.integer('n', { default: 1.5, description: 'N.' }), 'demo', 'value n: default 1.5 is not an integer');
    expectError(() => v.integer('m', { default: 10, maximum: 5, description: 'M.' }), 'demo', 'value m: default 10 is outside');
    expectError(() => v.integer('k', { minimum: 5, maximum: 1, description: 'K.' }), 'demo', 'minimum 5 is greater than maximum 1');
    expectError(() => v.boolean('b', { default: 'yes' as never, description: 'B.' }), 'demo', 'value b: default "yes" is not a boolean');
    expectError(() => v.enum('e', { values: ['a', 'b'], default: 'c', description: 'E.' }), 'demo', 'default "c" is not one of ["a","b"]');
    expectError(() => v.enum('f', { values: [], description: 'F.' }), 'demo', 'at least one allowed literal string');
    expectError(
      () => v.string('s', { default: 'UP', pattern: '^[a-z]+$', description: 'S.' }),
      'demo',
      'default "UP" does not match pattern',
    );
    expectError(() => v.string('p', { pattern: '([', description: 'P.' }), 'demo', 'pattern "([" is not a valid regular expression');
    expectError(() => v.list('l', { default: {} as never, description: 'L.' }), 'demo', 'value l: default {} is not a list');
    expectError(() => v.object('o', { default: [] as never, description: 'O.' }), 'demo', 'value o: default [] is not a map');
    expectError(() => v.secret('pw', { default: 'hunter2', description: 'PW.' } as never), 'demo', 'a secret value cannot have a default');
  });
});

describe('synthesis', () => {
  test('a token in a construct id stands for its literal id text', () => {
    const c = chart();
    const name = c.values.string('name', { default: 'x', description: 'N.' });
    new kplus.ConfigMap(c, `cm-${name}`);
    expect([...Testing.synth(c).files.keys()]).toContain('templates/cm-name-config-map.yaml');
  });

  test('an object value inside a string', () => {
    const c = chart();
    const labels = c.values.object('labels', { default: {}, description: 'L.' });
    new ApiObject(c, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: `x-${labels.asObject()}` } } as never);
    expectError(() => Testing.synth(c), 'demo/Cm', 'data.a', 'value labels is a map and cannot be part of the string');
  });

  test("a secret value outside a Secret's stringData", () => {
    const c = chart();
    const password = c.values.secret('password', { description: 'PW.' });
    new kplus.ConfigMap(c, 'Cm', { data: { pw: password.asString() } });
    expectError(() => Testing.synth(c), 'demo/Cm', "data.pw: value password is a secret: use it only in a Secret's stringData");
  });

  test('a token used as a map key', () => {
    const c = chart();
    const key = c.values.string('key', { default: 'x', description: 'K.' });
    new ApiObject(c, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { [key.asString()]: 'v' } } as never);
    expectError(() => Testing.synth(c), 'demo/Cm', 'data.', '("${value key}") cannot be used as a map key');
  });

  test('two objects with the same template file', () => {
    const c = chart();
    const scope = new kplus.ConfigMap(c, 'Settings');
    Template.of(new kplus.ConfigMap(c, 'Other')).nameSuffix('settings');
    void scope;
    expectError(
      () => Testing.synth(c),
      'demo/Other',
      'two objects would be written to templates/settings-config-map.yaml',
      'demo/Settings',
    );
  });

  test('standard labels set by hand', () => {
    const c = chart();
    new kplus.ConfigMap(c, 'Cm', { metadata: { labels: { 'app.kubernetes.io/instance': 'mine' } } });
    expectError(() => Testing.synth(c), 'demo/Cm', 'metadata.labels.app.kubernetes.io/instance: "mine" is set by the chart');
  });

  test('bad name suffix and field path', () => {
    const c = chart();
    const cm = new kplus.ConfigMap(c, 'Cm');
    expectError(() => Template.of(cm).nameSuffix('Bad_Suffix'), 'demo/Cm', 'name suffix "Bad_Suffix"');
    expectError(() => Template.of(cm).set('a..b', 1), 'demo/Cm', 'field path "a..b" is invalid');
  });
});
