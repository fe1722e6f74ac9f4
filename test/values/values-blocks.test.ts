import { HelmChart, Values } from '../../src';
import { Testing } from '../../src/testing';
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

  test('the README lists each mount under its key', () => {
    const readme = Testing.file(shopChart(), 'README.md');
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
});
