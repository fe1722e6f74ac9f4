import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Hook, HookEvent, ServiceConnectionTest } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

function chartWithService() {
  const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
  const port = chart.values.integer('service.port', { default: 80, description: 'Port.' });
  const server = new kplus.Deployment(chart, 'Server', { containers: [{ image: 'nginx', portNumber: 8080 }] });
  const service = server.exposeViaService({ ports: [{ port: port.asNumber(), targetPort: 8080 }] });
  return { chart, service };
}

test("a TCP connection test against the Service's first port, in templates/tests/", () => {
  const { chart, service } = chartWithService();
  const test = new ServiceConnectionTest(chart, 'Connect', { service });
  const text = Testing.synth(chart).files.get('templates/tests/connect-pod.yaml')!;
  expect(test.hook.events).toEqual([HookEvent.TEST]);
  expect(Hook.find(test)).toBe(test.hook);
  expect(text).toContain(
    '    helm.sh/hook: test\n    helm.sh/hook-weight: "0"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded',
  );
  expect(text).toContain('elif nc -z -w "$TIMEOUT_SECONDS" "$TARGET_HOST" "$TARGET_PORT"; then');
  expect(text).toContain('- name: TARGET_HOST\n          value: {{ include "demo.resourceName" (list . "server-service") | quote }}');
  expect(text).toContain('- name: TARGET_PORT\n          value: {{ .Values.service.port | int64 | toString | quote }}');
  expect(text).toContain('- name: ATTEMPTS\n          value: "5"');
  expect(text).not.toContain('HTTP_PATH\n');
  expect(text).toContain('  restartPolicy: Never');
  expect(text).toContain('      image: busybox:1.36');
});

test('an HTTP test with its own port, image, attempts, timeout and weight', () => {
  const { chart, service } = chartWithService();
  new ServiceConnectionTest(chart, 'Http', {
    service,
    port: 9090,
    httpPath: '/healthz',
    image: 'busybox:1.37',
    attempts: 3,
    timeoutSeconds: 2,
    weight: 4,
  });
  const text = Testing.synth(chart).files.get('templates/tests/http-pod.yaml')!;
  expect(text).toContain('if wget -q -O /dev/null -T "$TIMEOUT_SECONDS" "$target"; then');
  expect(text).toContain('- name: HTTP_PATH\n          value: /healthz');
  expect(text).toContain('- name: TARGET_PORT\n          value: "9090"');
  expect(text).toContain('- name: ATTEMPTS\n          value: "3"');
  expect(text).toContain('- name: TIMEOUT_SECONDS\n          value: "2"');
  expect(text).toContain('helm.sh/hook-weight: "4"');
  expect(text).toContain('image: busybox:1.37');
});

test('a raw ApiObject Service works, its port read from the spec', () => {
  const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
  const service = new ApiObject(chart, 'Db', { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 5432 }] } });
  new ServiceConnectionTest(chart, 'Db Test', { service });
  expect(Testing.synth(chart).files.get('templates/tests/db-test-pod.yaml')).toContain('- name: TARGET_PORT\n          value: "5432"');
});

test('errors name the construct and the value', () => {
  const { chart, service } = chartWithService();
  const notService = new kplus.ConfigMap(chart, 'Map');
  expectHelmSynthError(() => new ServiceConnectionTest(chart, 'A', { service: notService }), 'demo/A', 'service demo/Map is not a Service');
  expectHelmSynthError(
    () => new ServiceConnectionTest(chart, 'B', { service, httpPath: 'healthz' }),
    'demo/B',
    'httpPath "healthz" must start with /',
  );
  expectHelmSynthError(() => new ServiceConnectionTest(chart, 'B2', { service, httpPath: '/a b' }), 'demo/B2', 'hold no spaces');
  expectHelmSynthError(
    () => new ServiceConnectionTest(chart, 'C', { service, port: 70000 }),
    'demo/C',
    'port 70000 must be an integer from 1 to 65535',
  );
  expectHelmSynthError(
    () => new ServiceConnectionTest(chart, 'D', { service, attempts: 0 }),
    'demo/D',
    'attempts 0 must be an integer from 1',
  );
  const other = new HelmChart(Testing.app(), 'other', { version: '1.0.0' });
  expectHelmSynthError(
    () => new ServiceConnectionTest(other, 'E', { service }),
    'demo/Server/Service',
    'is not a Kubernetes object of chart other',
  );
  const bare = new ApiObject(chart, 'Bare', { apiVersion: 'v1', kind: 'Service', spec: {} });
  expectHelmSynthError(
    () => new ServiceConnectionTest(chart, 'F', { service: bare }),
    'demo/F',
    'service demo/Bare has no port; give port',
  );
});
