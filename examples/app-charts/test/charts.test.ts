import { expectChartSnapshot, Testing } from 'helm-synth/testing';
import { ReportsChart, ReportsValues } from '../charts/reports';
import { ShopChart, ShopValues } from '../charts/shop';

const shop = () => new ShopChart(Testing.app(), 'shop');
const reports = () => new ReportsChart(Testing.app(), 'reports');

test('every chart file, as a snapshot', () => {
  expectChartSnapshot(shop());
  expectChartSnapshot(reports());
});

test('values.yaml of the shop holds one block per WebService', () => {
  const values = Testing.file(shop(), 'values.yaml');
  expect(values).toMatch(/^backend:$/m);
  expect(values).toMatch(/^frontend:$/m);
});

Testing.ifHelm(test)('each WebService of the shop reads its own values', () => {
  const values: ShopValues = { frontend: { image: { tag: '1.27.4-alpine' }, replicaCount: 5 }, backend: { image: { tag: '1.1' } } };
  const rendered = Testing.render(shop(), { releaseName: 'web', values });
  const frontend = rendered.find('Deployment', 'web-shop-frontend');
  const backend = rendered.find('Deployment', 'web-shop-backend');
  expect(frontend.spec.replicas).toBe(5);
  expect(frontend.spec.template.spec.containers[0].image).toBe('nginxinc/nginx-unprivileged:1.27.4-alpine');
  expect(backend.spec.replicas).toBe(3);
  expect(backend.spec.template.spec.containers[0].image).toBe('hashicorp/http-echo:1.1');
  expect(frontend.spec.template.spec.containers[0].env).toEqual([{ name: 'BACKEND_URL', value: 'http://web-shop-backend:80' }]);
  expect(rendered.find('Ingress', 'web-shop-frontend').spec).toMatchObject({
    ingressClassName: 'traefik',
    rules: [{ host: 'shop.example.com' }],
  });
});

Testing.ifHelm(test)('reports renders its API and nightly CronJob; helm lint passes both charts', () => {
  const values: ReportsValues = { nightly: { suspend: true } };
  const rendered = Testing.render(reports(), { releaseName: 'sales', values });
  expect(rendered.find('Deployment', 'sales-reports-api').spec.replicas).toBe(1);
  expect(rendered.find('CronJob', 'sales-reports-nightly').spec).toMatchObject({ schedule: '15 1 * * *', suspend: true });
  Testing.lint(shop());
  Testing.lint(reports());
});

Testing.ifHelm(test)(
  'the schema checks each block: a misspelt key or a wrongly typed value in one block fails the render, naming it (Helm 3 and 4 word it differently)',
  () => {
    expect(() => Testing.render(shop(), { values: { frontend: { imag: { tag: '1.0' } } } })).toThrow(/frontend\W.*\bimag\b/);
    expect(() => Testing.render(shop(), { values: { backend: { replicaCount: 'three' } } })).toThrow(/backend\W+replicaCount\W.*integer/);
  },
);
