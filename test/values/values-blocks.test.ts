import { HelmChart, Values } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { validateManifests } from '../support/kube-schema';
import { WebService } from '../support/web-service';

/** A chart with one reusable construct mounted twice, each mount with its own defaults. */
function shopChart(): HelmChart {
  const chart = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
  const v = chart.values.define({
    frontend: WebService.values(),
    backend: WebService.values({ port: 9090, replicaCount: 2, image: { repository: 'example/orders' } }),
  });
  new WebService(chart, 'frontend', { values: v.frontend });
  new WebService(chart, 'backend', { values: v.backend });
  return chart;
}

/** Another chart using the same construct once, its block nested in a group of the chart. */
function adminChart(): HelmChart {
  const chart = new HelmChart(Testing.app(), 'admin', { version: '0.2.0' });
  const v = chart.values.define({
    apps: Values.group('The applications of the admin chart.', { console: WebService.values({ port: 9000 }) }),
    replicaCount: Values.integer({ description: 'A key of the chart itself, beside the block.', default: 1 }),
  });
  new WebService(chart, 'console', { values: v.apps.console });
  return chart;
}

const SERVICE_BLOCK = (port: number, replicas: number, repository: string, indent: string): string[] =>
  [
    '# A web service: a Deployment and its Service.',
    '# Container image.',
    'image:',
    '  # Image repository.',
    `  repository: ${repository}`,
    '  # Image tag.',
    '  tag: 1.27.3-alpine',
    '# Pods of the service.',
    `replicaCount: ${replicas}`,
    '# Port the container listens on and the Service exposes.',
    `port: ${port}`,
    '# Log level.',
    'logLevel: info',
    '# Labels added to the pods.',
    'extraLabels: {}',
  ].map((line, i) => (i === 0 ? `${indent.slice(2)}${line}` : `${indent}${line}`));

describe('a construct that brings its own values block', () => {
  test('values.yaml shows each mount grouped, described, with its own defaults', () => {
    const text = Testing.file(shopChart(), 'values.yaml');
    const frontend = SERVICE_BLOCK(8080, 1, 'nginxinc/nginx-unprivileged', '  ');
    const backend = SERVICE_BLOCK(9090, 2, 'example/orders', '  ');
    expect(text).toContain(
      [frontend[0], 'frontend:', ...frontend.slice(1), '', backend[0], 'backend:', ...backend.slice(1), ''].join('\n'),
    );
    const admin = Testing.file(adminChart(), 'values.yaml');
    const console = SERVICE_BLOCK(9000, 1, 'nginxinc/nginx-unprivileged', '    ');
    expect(admin).toContain(
      [
        '# The applications of the admin chart.',
        'apps:',
        console[0],
        '  console:',
        ...console.slice(1),
        '',
        '# A key of the chart itself, beside the block.',
        'replicaCount: 1',
      ].join('\n'),
    );
  });

  test('the schema describes and closes each mount, with its own defaults', () => {
    const schema = JSON.parse(Testing.file(shopChart(), 'values.schema.json'));
    for (const [key, port] of [
      ['frontend', 8080],
      ['backend', 9090],
    ] as const) {
      const block = schema.properties[key];
      expect(block).toMatchObject({
        type: 'object',
        description: 'A web service: a Deployment and its Service.',
        additionalProperties: false,
        required: ['image', 'replicaCount', 'port', 'logLevel', 'extraLabels'],
      });
      expect(block.properties.image).toMatchObject({ description: 'Container image.', additionalProperties: false });
      expect(block.properties.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535, default: port });
      expect(block.properties.logLevel).toMatchObject({ enum: ['debug', 'info', 'warn'], default: 'info' });
    }
    const admin = JSON.parse(Testing.file(adminChart(), 'values.schema.json'));
    expect(admin.properties.apps).toMatchObject({ description: 'The applications of the admin chart.', additionalProperties: false });
    expect(admin.properties.apps.properties.console.properties.port.default).toBe(9000);
  });

  test('the README lists each mount under its key, each described group as a row before its keys', () => {
    const readme = Testing.file(shopChart(), 'README.md');
    const rows = readme.split('\n').filter((line) => line.startsWith('| `backend'));
    expect(rows).toEqual([
      '| `backend` | group | | A web service: a Deployment and its Service. |',
      '| `backend.image` | group | | Container image. |',
      '| `backend.image.repository` | string | `"example/orders"` | Image repository. |',
      '| `backend.image.tag` | string | `"1.27.3-alpine"` | Image tag. |',
      '| `backend.replicaCount` | integer | `2` | Pods of the service. |',
      '| `backend.port` | integer | `9090` | Port the container listens on and the Service exposes. |',
      '| `backend.logLevel` | enum (debug, info, warn) | `"info"` | Log level. |',
      '| `backend.extraLabels` | object | `{}` | Labels added to the pods. |',
    ]);
    expect(readme).toContain('| `frontend.port` | integer | `8080` | Port the container listens on and the Service exposes. |');
    expect(readme).toContain('| `backend.port` | integer | `9090` | Port the container listens on and the Service exposes. |');
    expect(readme).toContain('| `backend.image.repository` | string | `"example/orders"` | Image repository. |');
    expect(Testing.file(adminChart(), 'README.md')).toContain(
      '| `apps.console.logLevel` | enum (debug, info, warn) | `"info"` | Log level. |',
    );
  });

  test('each mount reads its own values in its own objects', () => {
    const files = Testing.synth(shopChart()).files;
    const frontend = files.get('templates/frontend-server-deployment.yaml')!;
    const backend = files.get('templates/backend-server-deployment.yaml')!;
    expect(frontend).toContain('image: {{ printf "%v:%v" .Values.frontend.image.repository .Values.frontend.image.tag | quote }}');
    expect(frontend).not.toContain('.Values.backend');
    expect(backend).toContain('replicas: {{ .Values.backend.replicaCount | int64 }}');
    expect(backend).not.toContain('.Values.frontend');
  });

  Testing.ifHelm(test)('renders exact: defaults, and overrides of each mount reach only that mount', () => {
    const defaults = Testing.render(shopChart());
    expect(validateManifests(defaults.manifests)).toEqual([]);
    const image = (d: Record<string, any>) => d.spec.template.spec.containers[0].image;
    const port = (d: Record<string, any>) => d.spec.template.spec.containers[0].ports[0].containerPort;
    const env = (d: Record<string, any>) => d.spec.template.spec.containers[0].env;
    const f0 = defaults.find('Deployment', 'release-name-shop-frontend-server');
    const b0 = defaults.find('Deployment', 'release-name-shop-backend-server');
    expect([f0.spec.replicas, image(f0), port(f0)]).toEqual([1, 'nginxinc/nginx-unprivileged:1.27.3-alpine', 8080]);
    expect([b0.spec.replicas, image(b0), port(b0)]).toEqual([2, 'example/orders:1.27.3-alpine', 9090]);
    expect(defaults.find('Service', 'release-name-shop-backend-server-service').spec.ports[0]).toMatchObject({
      port: 9090,
      targetPort: 9090,
    });

    const rendered = Testing.render(shopChart(), {
      values: {
        frontend: { image: { tag: '1.28.0' }, port: 8081, logLevel: 'debug', extraLabels: { team: 'web' } },
        backend: { replicaCount: 5, image: { repository: 'example/orders-v2' } },
      },
    });
    expect(validateManifests(rendered.manifests)).toEqual([]);
    const f = rendered.find('Deployment', 'release-name-shop-frontend-server');
    const b = rendered.find('Deployment', 'release-name-shop-backend-server');
    expect([f.spec.replicas, image(f), port(f), env(f)]).toEqual([
      1,
      'nginxinc/nginx-unprivileged:1.28.0',
      8081,
      [{ name: 'LOG_LEVEL', value: 'debug' }],
    ]);
    expect(f.spec.template.metadata.labels.team).toBe('web');
    expect([b.spec.replicas, image(b), port(b), env(b)]).toEqual([
      5,
      'example/orders-v2:1.27.3-alpine',
      9090,
      [{ name: 'LOG_LEVEL', value: 'info' }],
    ]);
    expect(b.spec.template.metadata.labels.team).toBeUndefined();
    expect(rendered.find('Service', 'release-name-shop-frontend-server-service').spec.ports[0]).toMatchObject({
      port: 8081,
      targetPort: 8081,
    });
    expect(rendered.find('Service', 'release-name-shop-backend-server-service').spec.ports[0]).toMatchObject({
      port: 9090,
      targetPort: 9090,
    });

    const admin = Testing.render(adminChart(), { set: { 'apps.console.port': '9001', 'apps.console.image.tag': 'edge' } });
    const c = admin.find('Deployment', 'release-name-admin-console-server');
    expect([c.spec.replicas, image(c), port(c)]).toEqual([1, 'nginxinc/nginx-unprivileged:edge', 9001]);
  });

  Testing.ifHelm(test)('the schema refuses a typo under a mount and a value of the wrong type, naming the key', () => {
    expect(() => Testing.render(shopChart(), { values: { frontend: { imagee: { tag: 'x' } } } })).toThrow(/imagee/);
    expect(() => Testing.render(shopChart(), { values: { backend: { logLevel: 'loud' } } })).toThrow(/logLevel/);
  });

  test('Values.withDefaults: other defaults for one mount, checked as any default where it is mounted', () => {
    const chart = new HelmChart(Testing.app(), 'tuned', { version: '1.0.0' });
    const block = WebService.values();
    const v = chart.values.define({
      web: Values.withDefaults(block, { image: { tag: '1.28.0' }, logLevel: 'warn', port: undefined }),
      plain: block,
    });
    expect([v.web.image.tag.default, v.web.logLevel.default, v.web.port.default, v.web.image.repository.default]).toEqual([
      '1.28.0',
      'warn',
      8080,
      'nginxinc/nginx-unprivileged',
    ]);
    expect([v.plain.image.tag.default, v.plain.logLevel.default]).toEqual(['1.27.3-alpine', 'info']);
    expect(chart.values.groups.get('web')).toBe('A web service: a Deployment and its Service.');
    expectHelmSynthError(
      () => Values.withDefaults(block, { imagee: {} } as never),
      'Values.withDefaults',
      'the block has no key imagee (its keys: image, replicaCount, port, logLevel, extraLabels)',
    );
    expectHelmSynthError(
      () => Values.withDefaults(block, { image: 'x' } as never),
      'Values.withDefaults',
      'defaults of image "x" must be an object',
    );
    const required = Values.group('R.', { name: Values.string({ description: 'N.', required: true }) });
    expectHelmSynthError(
      () => Values.withDefaults(required, { name: 'x' }),
      'Values.withDefaults',
      'name is a value a user must give (required)',
    );
    expectHelmSynthError(
      () => chart.values.define({ bad: Values.withDefaults(block, { image: { tag: 'not a tag' }, port: 70000 }) }),
      'tuned',
      'value bad.image.tag: default "not a tag" does not match pattern',
    );
    expectHelmSynthError(
      () => chart.values.define({ bad2: Values.withDefaults(block, { port: 70000 }) }),
      'tuned',
      'value bad2.port: default 70000 is outside [1, 65535]',
    );
  });

  test('a mount of one chart handed to a construct of another fails at synthesis, naming the value and both charts', () => {
    const app = Testing.app();
    const a = new HelmChart(app, 'a', { version: '1.0.0' });
    const b = new HelmChart(app, 'b', { version: '1.0.0' });
    const v = a.values.define({ web: WebService.values() });
    new WebService(b, 'web', { values: v.web });
    expect(() => Testing.synth(b)).toThrow(
      'b/web/Server: spec.replicas: value web.replicaCount belongs to chart a; chart b can only use its own values',
    );
  });
});
