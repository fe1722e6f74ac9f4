import * as kplus from 'cdk8s-plus-27';
import { Cron, Duration, Size } from 'cdk8s';
import { HelmChart } from '../../src';
import { readableMessage } from '../../src/errors';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { templateWithHelpersInline } from '../support/named-helpers';

// Every cdk8s-plus-27 check that reads a numeric prop a number token can reach: each one either
// passes and the field renders the value's expression, or fails loudly naming the value.

const withHelm = Testing.ifHelm(test);
const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });
const container = { image: 'nginx', resources: { cpu: { request: kplus.Cpu.millis(100) } } };

/** The message of what `action` throws, as users read it (the CLI and HelmApp rewrite markers the same way). */
function thrown(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return readableMessage((error as Error).message);
  }
  throw new Error('nothing was thrown');
}

function expectNoMarker(text: string): void {
  expect(text).not.toMatch(/helmsynth|e\+289/);
}

describe('HorizontalPodAutoscaler minReplicas > maxReplicas', () => {
  test('a literal minReplicas and a token maxReplicas pass and render', () => {
    const c = newChart();
    const max = c.values.integer('max', { default: 5, description: 'Max.' });
    const target = new kplus.Deployment(c, 'D', { containers: [container] });
    new kplus.HorizontalPodAutoscaler(c, 'Hpa', { target, minReplicas: 2, maxReplicas: max.asNumber() });
    const hpa = templateWithHelpersInline(Testing.synth(c).files, 'templates/hpa-horizontal-pod-autoscaler.yaml');
    expect(hpa).toContain('maxReplicas: {{ .Values.max | int64 }}');
    expect(hpa).toContain(
      'minReplicas: {{ required (printf "minReplicas (%v) is greater than max (%v)" (2 | int64) (.Values.max | int64)) (ternary "" 2 (gt (2 | int64) (.Values.max | int64))) | int64 }}',
    );
  });

  test('a token minReplicas and a literal maxReplicas fail at construction, naming the value', () => {
    const c = newChart();
    const min = c.values.integer('min', { default: 1, description: 'Min.' });
    const target = new kplus.Deployment(c, 'D', { containers: [container] });
    const message = thrown(() => new kplus.HorizontalPodAutoscaler(c, 'Hpa', { target, minReplicas: min.asNumber(), maxReplicas: 10 }));
    expect(message).toContain("'minReplicas' (.Values.min) must be less than or equal to 'maxReplicas' (10)");
  });

  test('two tokens compare in the order they were handed out: minReplicas first passes (the bound is checked at render, below)', () => {
    const c = newChart();
    const min = c.values.integer('min', { default: 1, description: 'Min.' });
    const max = c.values.integer('max', { default: 5, description: 'Max.' });
    const target = new kplus.Deployment(c, 'D', { containers: [container] });
    new kplus.HorizontalPodAutoscaler(c, 'Hpa', { target, minReplicas: min.asNumber(), maxReplicas: max.asNumber() });
    const hpa = templateWithHelpersInline(Testing.synth(c).files, 'templates/hpa-horizontal-pod-autoscaler.yaml');
    expect(hpa).toContain('maxReplicas: {{ .Values.max | int64 }}');
    expect(hpa).toContain(
      'minReplicas: {{ required (printf "min (%v) is greater than max (%v)" (.Values.min | int64) (.Values.max | int64))',
    );
    // cdk8s-plus's default scale-down policy is Replicas.absolute(minReplicas): the token again.
    expect(hpa).toContain('value: {{ .Values.min | int64 }}');
  });

  Testing.ifHelm(test)('minReplicas greater than maxReplicas fails the render naming both, whichever is the value', () => {
    const c = newChart();
    const min = c.values.integer('min', { default: 1, description: 'Min.' });
    const max = c.values.integer('max', { default: 5, description: 'Max.' });
    new kplus.HorizontalPodAutoscaler(c, 'Hpa', {
      target: new kplus.Deployment(c, 'D', { containers: [container] }),
      minReplicas: min.asNumber(),
      maxReplicas: max.asNumber(),
    });
    new kplus.HorizontalPodAutoscaler(c, 'Literal', {
      target: new kplus.Deployment(c, 'E', { containers: [container] }),
      minReplicas: 3,
      maxReplicas: max.asNumber(),
    });
    const rendered = Testing.render(c, { values: { min: 2, max: 3 } });
    expect(rendered.all('HorizontalPodAutoscaler').map((h) => [h.spec.minReplicas, h.spec.maxReplicas])).toEqual([
      [2, 3],
      [3, 3],
    ]);
    expect(() => Testing.render(c, { values: { min: 4, max: 3 } })).toThrow('min (4) is greater than max (3)');
    expect(() => Testing.render(c, { values: { min: 1, max: 2 } })).toThrow('minReplicas (3) is greater than max (2)');
  });

  test('two tokens with maxReplicas handed out first fail, naming both values', () => {
    const c = newChart();
    const min = c.values.integer('min', { default: 1, description: 'Min.' });
    const max = c.values.integer('max', { default: 5, description: 'Max.' });
    const maxReplicas = max.asNumber();
    const target = new kplus.Deployment(c, 'D', { containers: [container] });
    const message = thrown(() => new kplus.HorizontalPodAutoscaler(c, 'Hpa', { target, minReplicas: min.asNumber(), maxReplicas }));
    expect(message).toContain("'minReplicas' (.Values.min) must be less than or equal to 'maxReplicas' (.Values.max)");
  });

  test('a target with a token replica count is refused at synthesis, naming the value', () => {
    const c = newChart();
    const replicas = c.values.integer('replicaCount', { default: 1, description: 'R.' });
    const target = new kplus.Deployment(c, 'D', { replicas: replicas.asNumber(), containers: [container] });
    new kplus.HorizontalPodAutoscaler(c, 'Hpa', { target, maxReplicas: 3 });
    const error = expectHelmSynthError(
      () => Testing.synth(c),
      'demo/Hpa',
      'HorizontalPodAutoscaler target cannot have a fixed number of replicas (.Values.replicaCount)',
    );
    expectNoMarker(error.message);
  });

  test.each([
    ['scaleUp.stabilizationWindow', (d: Duration) => ({ scaleUp: { stabilizationWindow: d } })],
    [
      'scaleDown.policies duration',
      (d: Duration) => ({ scaleDown: { policies: [{ replicas: kplus.Replicas.absolute(1), duration: d }] } }),
    ],
  ])('a token duration for %s fails at construction (its upper bound)', (what, props) => {
    const c = newChart();
    const seconds = c.values.integer('seconds', { default: 60, description: 'S.' });
    const target = new kplus.Deployment(c, 'D', { containers: [container] });
    const message = thrown(
      () => new kplus.HorizontalPodAutoscaler(c, 'Hpa', { target, maxReplicas: 3, ...props(Duration.seconds(seconds.asNumber())) }),
    );
    expect(message).toContain(what.split(' ')[0]);
    expect(message).toContain('(computed from a number token)');
  });
});

describe('workload numbers', () => {
  test('replicas, ports, probe timings and resources render the values', () => {
    const c = newChart();
    const n = (path: string, value: number) => c.values.integer(path, { default: value, description: `${path}.` }).asNumber();
    const port = n('port', 8080);
    const deployment = new kplus.Deployment(c, 'D', {
      replicas: n('replicas', 2),
      progressDeadline: Duration.seconds(n('progressDeadline', 900)),
      containers: [
        {
          image: 'nginx',
          portNumber: port,
          liveness: kplus.Probe.fromHttpGet('/healthz', {
            port: n('probePort', 8080),
            initialDelaySeconds: Duration.seconds(n('initialDelay', 5)),
            periodSeconds: Duration.seconds(n('period', 10)),
            timeoutSeconds: Duration.seconds(n('timeout', 2)),
            failureThreshold: n('failures', 3),
            successThreshold: n('successes', 1),
          }),
          readiness: kplus.Probe.fromTcpSocket({ port: n('tcpPort', 8080) }),
          resources: { cpu: { request: kplus.Cpu.millis(n('cpuMillis', 250)) }, memory: { limit: Size.mebibytes(n('memoryMi', 256)) } },
        },
      ],
    });
    deployment.exposeViaService({ ports: [{ port: n('servicePort', 80), targetPort: port }] });
    const files = Testing.synth(c).files;
    const text = files.get('templates/d-deployment.yaml')!;
    for (const [field, value] of [
      ['replicas', 'replicas'],
      ['progressDeadlineSeconds', 'progressDeadline'],
      ['containerPort', 'port'],
      ['initialDelaySeconds', 'initialDelay'],
      ['periodSeconds', 'period'],
      ['timeoutSeconds', 'timeout'],
      ['failureThreshold', 'failures'],
      ['successThreshold', 'successes'],
    ]) {
      expect(text).toContain(`${field}: {{ .Values.${value} | int64 }}`);
    }
    expect(text).toContain('port: {{ .Values.probePort | int64 }}');
    expect(text).toContain('port: {{ .Values.tcpPort | int64 }}');
    expect(text).toContain('cpu: {{ printf "%vm" (.Values.cpuMillis | int64) | quote }}');
    expect(text).toContain('memory: {{ printf "%vMi" (.Values.memoryMi | int64) | quote }}');
    expect([...files.values()].find((f) => f.includes('kind: Service'))).toContain('port: {{ .Values.servicePort | int64 }}');
    expectNoMarker([...files.values()].join(''));
  });

  test('exposing a port no container declares fails at construction, naming the workload and not a marker', () => {
    const c = newChart();
    const port = c.values.integer('port', { default: 8080, description: 'P.' });
    const deployment = new kplus.Deployment(c, 'D', { containers: [{ image: 'nginx', portNumber: port.asNumber() }] });
    const message = thrown(() => deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] }));
    expect(message).toBe('Unable to expose deployment name of demo/D via a service: Port 8080 is not exposed by any container');
  });

  withHelm('rendered, the numbers are the values given', () => {
    const c = newChart();
    const replicas = c.values.integer('replicas', { default: 2, description: 'R.' });
    const period = c.values.integer('period', { default: 10, description: 'P.' });
    new kplus.Deployment(c, 'D', {
      replicas: replicas.asNumber(),
      containers: [{ image: 'nginx', liveness: kplus.Probe.fromCommand(['true'], { periodSeconds: Duration.seconds(period.asNumber()) }) }],
    });
    const rendered = Testing.render(c, { set: { replicas: '7', period: '31' } });
    const spec = rendered.find('Deployment').spec;
    expect(spec.replicas).toBe(7);
    expect(spec.template.spec.containers[0].livenessProbe.periodSeconds).toBe(31);
  });

  test('a token minReady with a literal progressDeadline fails at construction, naming the value', () => {
    const c = newChart();
    const minReady = c.values.integer('minReady', { default: 5, description: 'M.' });
    const message = thrown(
      () => new kplus.Deployment(c, 'D', { minReady: Duration.seconds(minReady.asNumber()), containers: [container] }),
    );
    expect(message).toContain("'progressDeadline' (600s) must be greater than 'minReady' ((.Values.minReady)s)");
  });

  test('a token minReady handed out before a token progressDeadline passes', () => {
    const c = newChart();
    const minReady = c.values.integer('minReady', { default: 5, description: 'M.' }).asNumber();
    const deadline = c.values.integer('deadline', { default: 600, description: 'D.' }).asNumber();
    new kplus.Deployment(c, 'D', {
      minReady: Duration.seconds(minReady),
      progressDeadline: Duration.seconds(deadline),
      containers: [container],
    });
    const text = Testing.file(c, 'templates/d-deployment.yaml');
    expect(text).toContain('minReadySeconds: {{ .Values.minReady | int64 }}');
    expect(text).toContain('progressDeadlineSeconds: {{ .Values.deadline | int64 }}');
  });

  test('a StatefulSet with token replicas and a token minReady renders', () => {
    const c = newChart();
    const replicas = c.values.integer('replicas', { default: 3, description: 'R.' });
    const minReady = c.values.integer('minReady', { default: 5, description: 'M.' });
    const service = new kplus.Service(c, 'Svc', { ports: [{ port: 80 }] });
    new kplus.StatefulSet(c, 'S', {
      service,
      replicas: replicas.asNumber(),
      minReady: Duration.seconds(minReady.asNumber()),
      containers: [container],
    });
    const text = Testing.file(c, 'templates/s-stateful-set.yaml');
    expect(text).toContain('replicas: {{ .Values.replicas | int64 }}');
    expect(text).toContain('minReadySeconds: {{ .Values.minReady | int64 }}');
  });

  test('a token node-affinity weight fails at construction (1 to 100), naming the value', () => {
    const c = newChart();
    const weight = c.values.integer('weight', { default: 50, description: 'W.' });
    const d = new kplus.Deployment(c, 'D', { containers: [container] });
    const message = thrown(() =>
      d.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('zone', 'a')), { weight: weight.asNumber() }),
    );
    expect(message).toContain('.Values.weight');
    expectNoMarker(message);
  });

  test('a duration in minutes of a token is refused at synthesis: the conversion multiplies it', () => {
    const c = newChart();
    const minutes = c.values.integer('minutes', { default: 5, description: 'M.' });
    new kplus.Deployment(c, 'D', { progressDeadline: Duration.minutes(minutes.asNumber()), containers: [container] });
    expectHelmSynthError(
      () => Testing.synth(c),
      'demo/D',
      'spec.progressDeadlineSeconds: ',
      'is no number Kubernetes takes',
      'Duration.seconds',
    );
  });
});

describe('other numeric props cdk8s-plus checks', () => {
  test('rolling update maxSurge (not both zero), termination grace period and a toleration evictAfter render the values', () => {
    const c = newChart();
    const n = (path: string, value: number) => c.values.integer(path, { default: value, description: `${path}.` }).asNumber();
    const d = new kplus.Deployment(c, 'D', {
      containers: [container],
      terminationGracePeriod: Duration.seconds(n('grace', 30)),
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(n('surge', 1)),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
    });
    d.scheduling.tolerate(
      kplus.Node.tainted(
        kplus.NodeTaintQuery.is('dedicated', 'db', { effect: kplus.TaintEffect.NO_EXECUTE, evictAfter: Duration.seconds(n('evict', 60)) }),
      ),
    );
    const text = Testing.file(c, 'templates/d-deployment.yaml');
    expect(text).toContain('terminationGracePeriodSeconds: {{ .Values.grace | int64 }}');
    expect(text).toContain('maxSurge: {{ .Values.surge | int64 }}');
    expect(text).toContain('tolerationSeconds: {{ .Values.evict | int64 }}');
  });

  test('an ingress backend port equal to the Service port token passes; a different literal fails naming the value', () => {
    const c = newChart();
    const port = c.values.integer('port', { default: 80, description: 'P.' });
    const service = new kplus.Service(c, 'Svc', { ports: [{ port: port.asNumber(), targetPort: 8080 }] });
    new kplus.Ingress(c, 'In', { defaultBackend: kplus.IngressBackend.fromService(service, { port: port.asNumber() }) });
    expect(Testing.file(c, 'templates/in-ingress.yaml')).toContain('number: {{ .Values.port | int64 }}');
    const message = thrown(() => kplus.IngressBackend.fromService(service, { port: 81 }));
    expect(message).toBe('backend defines port 81 but service exposes port .Values.port');
  });
});

describe('job numbers', () => {
  test('Job backoffLimit, activeDeadline and ttlAfterFinished render the values', () => {
    const c = newChart();
    const n = (path: string, value: number) => c.values.integer(path, { default: value, description: `${path}.` }).asNumber();
    new kplus.Job(c, 'J', {
      containers: [container],
      backoffLimit: n('backoffLimit', 4),
      activeDeadline: Duration.seconds(n('activeDeadline', 600)),
      ttlAfterFinished: Duration.seconds(n('ttl', 300)),
    });
    const text = Testing.file(c, 'templates/j-job.yaml');
    expect(text).toContain('backoffLimit: {{ .Values.backoffLimit | int64 }}');
    expect(text).toContain('activeDeadlineSeconds: {{ .Values.activeDeadline | int64 }}');
    expect(text).toContain('ttlSecondsAfterFinished: {{ .Values.ttl | int64 }}');
  });

  test('CronJob startingDeadline (at least 10 s) and the history limits render the values', () => {
    const c = newChart();
    const n = (path: string, value: number) => c.values.integer(path, { default: value, description: `${path}.` }).asNumber();
    new kplus.CronJob(c, 'Cron', {
      containers: [container],
      schedule: Cron.daily(),
      startingDeadline: Duration.seconds(n('startingDeadline', 60)),
      successfulJobsRetained: n('kept', 3),
      failedJobsRetained: n('failedKept', 1),
      backoffLimit: n('backoffLimit', 2),
    });
    const text = Testing.file(c, 'templates/cron-cron-job.yaml');
    expect(text).toContain('startingDeadlineSeconds: {{ .Values.startingDeadline | int64 }}');
    expect(text).toContain('successfulJobsHistoryLimit: {{ .Values.kept | int64 }}');
    expect(text).toContain('failedJobsHistoryLimit: {{ .Values.failedKept | int64 }}');
    expect(text).toContain('backoffLimit: {{ .Values.backoffLimit | int64 }}');
  });
});
