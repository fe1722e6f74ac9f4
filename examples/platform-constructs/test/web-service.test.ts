import { HelmChart } from 'helm-synth';
import { expectChartSnapshot, Testing } from 'helm-synth/testing';
import { WebService } from '../src';

/** A chart with one WebService under `web`, as an app team would write it. */
function webChart(): HelmChart {
  const chart = new HelmChart(Testing.app(), 'web', { version: '1.0.0', description: 'A WebService.' });
  const v = chart.values.define({
    web: WebService.values({ description: 'An echo server.', imageRepository: 'hashicorp/http-echo', imageTag: '1.0' }),
  });
  new WebService(chart, 'Web', { values: v.web, args: ['-listen=:8080', '-text=hello'] });
  return chart;
}

test('every chart file, as a snapshot', () => {
  expectChartSnapshot(webChart());
});

test('values.yaml holds the block under its key, described', () => {
  const values = Testing.file(webChart(), 'values.yaml');
  expect(values).toMatch(/^# An echo server\.\nweb:\n/m);
  expect(values).toContain('    repository: hashicorp/http-echo');
});

test('a block mounted under a camelCase key names its objects in kebab case', () => {
  const chart = Testing.chart('shop');
  const v = chart.values.define({ ordersApi: WebService.values({ description: 'Orders.', imageRepository: 'r', imageTag: '1' }) });
  new WebService(chart, 'Orders', { values: v.ordersApi });
  expect(Testing.file(chart, 'templates/orders-api-deployment.yaml')).toContain('(list . "orders-api")');
});

test('a block spread at the top of the values, under no key, is refused, naming the construct', () => {
  const chart = Testing.chart('web');
  const v = chart.values.define(WebService.values({ description: 'x', imageRepository: 'r', imageTag: '1' }).shape);
  expect(() => new WebService(chart, 'Web', { values: v })).toThrow(
    /web\/Web: values block at the top of the values \(replicaCount\): mount it under a key/,
  );
});

test.each([0, 65536, 80.5, Number.NaN])('containerPort %p is refused, naming the construct', (containerPort) => {
  const chart = Testing.chart('web');
  const v = chart.values.define({ web: WebService.values({ description: 'x', imageRepository: 'r', imageTag: '1' }) });
  expect(() => new WebService(chart, 'Web', { values: v.web, containerPort })).toThrow(
    `web/Web: containerPort ${containerPort} is not a port (1-65535)`,
  );
});

Testing.ifHelm(test)('renders with its values: replicas, or an autoscaler instead; an Ingress when enabled', () => {
  const plain = Testing.render(webChart(), { releaseName: 'shop', values: { web: { replicaCount: 3 } } });
  expect(plain.find('Deployment', 'shop-web-web').spec.replicas).toBe(3);
  expect(plain.find('Service', 'shop-web-web').spec.ports[0].port).toBe(80);
  expect(plain.all('Ingress')).toEqual([]);
  expect(plain.all('HorizontalPodAutoscaler')).toEqual([]);

  const scaled = Testing.render(webChart(), {
    releaseName: 'shop',
    values: { web: { autoscaling: { enabled: true, maxReplicas: 4 }, ingress: { enabled: true, host: 'shop.example.org' } } },
  });
  expect(scaled.find('Deployment', 'shop-web-web').spec.replicas).toBeUndefined();
  expect(scaled.find('HorizontalPodAutoscaler', 'shop-web-web').spec).toMatchObject({
    scaleTargetRef: { kind: 'Deployment', name: 'shop-web-web' },
    maxReplicas: 4,
  });
  expect(scaled.find('Ingress', 'shop-web-web').spec.rules[0].host).toBe('shop.example.org');
});
