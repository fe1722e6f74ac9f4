import { WebAppChart } from '../../charts/web-app';
import { expectChartSnapshot, Testing } from '../../src/testing';

test('web-app chart files', () => {
  expectChartSnapshot(Testing.synth(new WebAppChart(Testing.app(), 'web-app')));
});

Testing.ifHelm(test)('web-app renders with its prod environment (values-prod.yaml)', () => {
  const rendered = Testing.render(new WebAppChart(Testing.app(), 'web-app'), { environment: 'prod', releaseName: 'web' });
  expect(rendered.find('Deployment').spec.replicas).toBe(3);
  expect(rendered.find('Ingress').spec.rules[0].host).toBe('www.example.com');
  expect(rendered.find('PodDisruptionBudget').spec.minAvailable).toBe(2);
});
