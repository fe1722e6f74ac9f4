import * as kplus from 'cdk8s-plus-27';
import { HelmChart } from '../../src';
import { Testing } from '../../src/testing';

function demoChart(): HelmChart {
  const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
  const v = chart.values;
  v.describe('image', 'Container image.');
  const repo = v.string('image.repository', { default: 'nginx', description: 'Repository.' });
  const tag = v.string('image.tag', { default: '1.0', description: 'Tag.', pattern: '^[\\w.-]+$' });
  const replicas = v.integer('replicas', { default: 1, minimum: 0, maximum: 10, description: 'Replicas.' });
  const mode = v.enum('mode', { values: ['fast', 'safe'], default: 'safe', description: 'Mode.' });
  v.boolean('on', { default: true, description: 'A key YAML 1.1 reads as a boolean.' });
  const token = v.secret('auth.token', { description: 'API token.' });
  const owner = v.string('owner', { required: true, description: 'Team that owns it.' });
  v.object('extra', { default: { a: { b: 'yes' } }, description: 'Extra settings.' });
  const secret = new kplus.Secret(chart, 'Auth', { stringData: { token: token.asString() } });
  new kplus.Deployment(chart, 'App', {
    replicas: replicas.asNumber(),
    containers: [
      {
        image: `${repo}:${tag}`,
        envVariables: {
          MODE: kplus.EnvValue.fromValue(mode.asString()),
          OWNER: kplus.EnvValue.fromValue(owner.asString()),
          TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }),
        },
      },
    ],
  });
  return chart;
}

test('values.yaml lists keys in declaration order with their descriptions', () => {
  const text = Testing.synth(demoChart()).files.get('values.yaml')!;
  expect(text).toContain(['# Container image.', 'image:', '  # Repository.', '  repository: nginx', '  # Tag.', '  tag: "1.0"'].join('\n'));
  expect(text.indexOf('replicas:')).toBeLessThan(text.indexOf('mode:'));
  expect(text).toContain('"on": true');
  expect(text).toContain('# API token.\n  # token: ""  # secret: pass it at install time, never commit it');
  expect(text).toContain('# Team that owns it.\n# (required)\n# owner: ""  # no default');
  expect(text).toContain('extra:\n  a:\n    b: "yes"');
});

test('values.schema.json is draft-07, typed, bounded and closed', () => {
  const schema = JSON.parse(Testing.synth(demoChart()).files.get('values.schema.json')!);
  expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  expect(schema.additionalProperties).toBe(false);
  expect(schema.properties.image.additionalProperties).toBe(false);
  expect(schema.properties.image.properties.tag).toEqual({ type: 'string', pattern: '^[\\w.-]+$', description: 'Tag.', default: '1.0' });
  expect(schema.properties.replicas).toMatchObject({ type: 'integer', minimum: 0, maximum: 10, default: 1 });
  expect(schema.properties.mode).toMatchObject({ type: 'string', enum: ['fast', 'safe'] });
  expect(schema.properties.auth.properties.token).toMatchObject({ type: 'string', writeOnly: true });
  expect(schema.properties.auth.properties.token.default).toBeUndefined();
  expect(schema.properties.owner).toMatchObject({ type: 'string', minLength: 1 });
  expect(schema.properties.global).toEqual({ type: 'object', description: 'Values shared with every subchart.' });
});

test('README has a parameters table with secrets masked', () => {
  const readme = Testing.synth(demoChart()).files.get('README.md')!;
  expect(readme).toContain('| `image.tag` | string | `"1.0"` | Tag. |');
  expect(readme).toContain('| `auth.token` | secret | *(secret)* | API token. |');
  expect(readme).toContain('| `owner` | string | *(none)* | Team that owns it. **Required.** |');
  expect(readme).toContain('| `mode` | enum (fast, safe) | `"safe"` | Mode. |');
});

Testing.ifHelm(describe)('under helm', () => {
  let dir: string;
  beforeAll(() => {
    dir = Testing.writeChart(demoChart());
  });
  afterAll(() => Testing.removeChart(dir));
  const render = (set: Record<string, string>) => () => Testing.render(dir, { set: { owner: 'team-a', 'auth.token': 't', ...set } }).text;

  test('the chart lints with its defaults', () => {
    expect(Testing.lint(dir)).toContain('0 chart(s) failed');
  });
  test('a typo in a key fails the install', () => {
    expect(render({ 'imgae.tag': '2' })).toThrow(/imgae|Additional property/);
  });
  test('a wrong type, an out-of-range number and a value outside the enum fail', () => {
    expect(render({ replicas: 'many' })).toThrow(/replicas/);
    expect(render({ replicas: '11' })).toThrow(/replicas/);
    expect(render({ mode: 'slow' })).toThrow(/mode/);
    expect(render({ 'image.tag': 'bad tag!' })).toThrow(/image\.tag|tag/);
  });
  test('a required value without a default fails naming the key', () => {
    expect(() => Testing.render(dir, { set: { 'auth.token': 't' } })).toThrow('value owner is required: Team that owns it.');
  });
  test('the defaults plus required values render', () => {
    expect(render({})()).toContain('value: "team-a"');
  });
});
