import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Hook, HookDeletePolicy, HookEvent, HookJob, HookJobProps, PreInstallJob, ValueType } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

const newChart = () => new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
const base: HookJobProps = { events: [HookEvent.POST_INSTALL], image: 'busybox:1.36' };

describe('HookJob defaults', () => {
  test('one retry, a 300 s deadline, Never, IfNotPresent, modest resources, non-root and restricted, cleaned up once it succeeded', () => {
    const chart = newChart();
    const job = new HookJob(chart, 'Migrate', { ...base, command: ['migrate', 'up'] });
    const text = Testing.file(chart, 'templates/migrate-job.yaml');
    expect(text).toContain(
      [
        '  annotations:',
        '    helm.sh/hook: post-install',
        '    helm.sh/hook-weight: "0"',
        '    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded',
      ].join('\n'),
    );
    for (const line of [
      '  backoffLimit: 1',
      '  activeDeadlineSeconds: 300',
      '      restartPolicy: Never',
      '      automountServiceAccountToken: false',
      '          imagePullPolicy: IfNotPresent',
      '            - migrate',
      '            cpu: 50m',
      '            memory: 256Mi',
      '            runAsUser: 65534',
      '            readOnlyRootFilesystem: true',
      '            allowPrivilegeEscalation: false',
      '                - ALL',
      '          type: RuntimeDefault',
      '            - mountPath: /tmp',
    ])
      expect(text).toContain(line);
    expect(text).not.toContain('ttlSecondsAfterFinished');
    expect(text).not.toContain('1500m');
    expect(job.hook).toBe(Hook.find(job));
    expect(job.container.name).toBe('main');
    expect(job.scriptConfigMap).toBeUndefined();
  });

  test('restrictedPodSecurity: false leaves capabilities and seccomp alone; security settings merge over the defaults', () => {
    const chart = newChart();
    new HookJob(chart, 'Root', {
      ...base,
      restrictedPodSecurity: false,
      securityContext: { ensureNonRoot: false, user: 0, readOnlyRootFilesystem: false },
      podSecurityContext: { ensureNonRoot: false, user: 0 },
    });
    const text = Testing.file(chart, 'templates/root-job.yaml');
    expect(text).not.toContain('RuntimeDefault');
    expect(text).not.toContain('capabilities');
    expect(text).toContain('            runAsUser: 0');
    expect(text).toContain('            allowPrivilegeEscalation: false');
  });
});

describe('HookJob props', () => {
  test('script: a ConfigMap it owns (same events, lower weight, same delete policies), run by the shell, text kept literal', () => {
    const chart = newChart();
    const job = new HookJob(chart, 'Setup', {
      ...base,
      weight: 3,
      script: 'echo "{{ not a template }}"\n',
      shell: '/bin/bash',
      args: ['one'],
    });
    const map = Testing.file(chart, 'templates/setup-script-config-map.yaml');
    expect(map).toContain(
      '    helm.sh/hook: post-install\n    helm.sh/hook-weight: "2"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded',
    );
    expect(map).toContain('run.sh: |\n    echo "{{ "{{" }} not a template }}"');
    const text = Testing.file(chart, 'templates/setup-job.yaml');
    expect(text).toContain('          command:\n            - /bin/bash\n            - /hook/run.sh');
    expect(text).toContain('        - args:\n            - one');
    expect(text).toContain('            name: {{ include "demo.resourceName" (list . "setup-script") | quote }}');
    expect(Hook.find(job.scriptConfigMap!)!.dependents).toEqual([job.hook]);
  });

  test('env from literals, value tokens and Secret keys', () => {
    const chart = newChart();
    const level = chart.values.string('logLevel', { default: 'info', description: 'Log level.' });
    const secret = new kplus.Secret(chart, 'Db', { stringData: { password: 'x' } });
    Hook.apply(secret, { events: [HookEvent.PRE_INSTALL] });
    new HookJob(chart, 'Job', {
      ...base,
      env: { MODE: 'once', LEVEL: level.asString(), PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
    });
    const text = Testing.file(chart, 'templates/job-job.yaml');
    expect(text).toContain('            - name: MODE\n              value: once');
    expect(text).toContain('            - name: LEVEL\n              value: {{ .Values.logLevel | quote }}');
    expect(text).toContain(
      '                  key: password\n                  name: {{ include "demo.resourceName" (list . "db") | quote }}',
    );
  });

  test('tunables take literals and value tokens: resources, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished', () => {
    const chart = newChart();
    const v = chart.values;
    new HookJob(chart, 'Job', {
      ...base,
      image: `${v.string('image.repository', { default: 'busybox', description: 'Repo.' })}:1.36`,
      resources: v.object('jobResources', { default: {}, description: 'Resources.' }),
      backoffLimit: v.integer('backoff', { default: 2, description: 'Retries.' }).asNumber(),
      activeDeadlineSeconds: 60,
      ttlSecondsAfterFinished: v.integer('ttl', { default: 600, description: 'TTL.' }).asNumber(),
    });
    const text = Testing.file(chart, 'templates/job-job.yaml');
    expect(text).toContain('  backoffLimit: {{ .Values.backoff | int64 }}');
    expect(text).toContain('  activeDeadlineSeconds: 60');
    expect(text).toContain('  ttlSecondsAfterFinished: {{ .Values.ttl | int64 }}');
    expect(text).toContain('          {{- with .Values.jobResources }}\n          resources:');
    expect(text).toContain('        - image: {{ printf "%v:1.36" .Values.image.repository | quote }}');
  });

  test('valuesPath declares the tunables as values defaulting to the props', () => {
    const chart = newChart();
    new HookJob(chart, 'Migrate', {
      ...base,
      valuesPath: 'migrate',
      backoffLimit: 0,
      ttlSecondsAfterFinished: 120,
      resources: { requests: { cpu: '10m' } },
    });
    expect(chart.values.all.filter((v) => v.path.startsWith('migrate.')).map((v) => [v.path, v.type, v.default])).toEqual([
      ['migrate.image', ValueType.STRING, 'busybox:1.36'],
      ['migrate.resources', ValueType.OBJECT, { requests: { cpu: '10m' } }],
      ['migrate.backoffLimit', ValueType.INTEGER, 0],
      ['migrate.activeDeadlineSeconds', ValueType.INTEGER, 300],
      ['migrate.ttlSecondsAfterFinished', ValueType.INTEGER, 120],
    ]);
    const text = Testing.file(chart, 'templates/migrate-job.yaml');
    expect(text).toContain('  backoffLimit: {{ .Values.migrate.backoffLimit | int64 }}');
    expect(text).toContain('  activeDeadlineSeconds: {{ .Values.migrate.activeDeadlineSeconds | int64 }}');
    expect(text).toContain('        - image: {{ .Values.migrate.image | quote }}');
    expect(Testing.file(chart, 'values.yaml')).toContain('migrate:');
  });

  test('a service account is used with its token mounted; OnFailure is allowed', () => {
    const chart = newChart();
    const account = new kplus.ServiceAccount(chart, 'Runner');
    Hook.apply(account, { events: [HookEvent.POST_INSTALL], weight: -1 });
    new HookJob(chart, 'Job', { ...base, serviceAccount: account, restartPolicy: kplus.RestartPolicy.ON_FAILURE });
    const text = Testing.file(chart, 'templates/job-job.yaml');
    expect(text).toContain('      serviceAccountName: {{ include "demo.resourceName" (list . "runner") | quote }}');
    expect(text).toContain('      automountServiceAccountToken: true');
    expect(text).toContain('      restartPolicy: OnFailure');
  });

  test("addDependency wires resources as hooks of the Job's events, install and upgrade both", () => {
    const chart = newChart();
    const secret = new kplus.Secret(chart, 'Secret');
    const job = new HookJob(chart, 'Job', {
      ...base,
      events: [HookEvent.PRE_INSTALL],
      weight: 2,
      deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED],
    });
    expect(job.addDependency(secret)).toBe(job);
    expect(Hook.find(secret)!.annotations).toEqual({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-weight': '1',
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
  });
});

describe('PreInstallJob', () => {
  test('runs at pre-install only; weight and delete policies as given', () => {
    const chart = newChart();
    const job = new PreInstallJob(chart, 'Prepare', {
      image: 'busybox',
      weight: -5,
      deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION],
    });
    expect(job.hook.annotations).toEqual({
      'helm.sh/hook': 'pre-install',
      'helm.sh/hook-weight': '-5',
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
    expect(job).toBeInstanceOf(HookJob);
  });

  test('events cannot be given', () => {
    const chart = newChart();
    expectHelmSynthError(
      () => new PreInstallJob(chart, 'Prepare', { image: 'busybox', events: [HookEvent.POST_INSTALL] } as never),
      'demo/Prepare',
      'PreInstallJob always runs at pre-install',
    );
  });
});

describe('HookJob errors name the construct and the value', () => {
  test.each<[string, Partial<HookJobProps>, string]>([
    ['command and script', { command: ['a'], script: 'b' }, 'give either command or script, not both'],
    ['restart policy Always', { restartPolicy: kplus.RestartPolicy.ALWAYS }, 'restartPolicy "Always" is not allowed for a Job'],
    ['negative backoffLimit', { backoffLimit: -1 }, 'backoffLimit -1 must be an integer from 0'],
    ['fractional backoffLimit', { backoffLimit: 1.5 }, 'backoffLimit 1.5 must be an integer'],
    ['zero deadline', { activeDeadlineSeconds: 0 }, 'activeDeadlineSeconds 0 must be an integer from 1'],
    ['string ttl', { ttlSecondsAfterFinished: '60' as never }, 'ttlSecondsAfterFinished "60" must be an integer'],
    ['bad quantity', { resources: { requests: { cpu: '1 core' } } }, 'resources.requests.cpu "1 core" is not a Kubernetes quantity'],
    ['unknown resource group', { resources: { request: {} } as never }, 'resources.request is unknown'],
    ['unknown resource', { resources: { limits: { gpu: '1' } } as never }, 'resources.limits.gpu is unknown'],
    ['empty image', { image: ' ' }, 'image " " must be a non-empty string'],
    ['empty script', { script: '' }, 'script "" must be a non-empty string'],
    ['command not a list', { command: 'run' as never }, 'command "run" must be a list of strings'],
    ['bad env name', { env: { 'A B': 'x' } }, 'env name "A B" is not a valid variable name'],
    ['bad env value', { env: { A: 5 as never } }, 'env A: 5 must be a string or a kplus.EnvValue'],
    ['bad event', { events: ['crd-install' as never] }, 'Helm 3 removed the crd-install hook'],
    ['bad weight', { weight: 0.5 }, 'hook weight 0.5 is not an integer'],
  ])('%s', (_label, props, message) => {
    const chart = newChart();
    expectHelmSynthError(() => new HookJob(chart, 'Job', { ...base, ...props }), 'demo/Job', message);
  });

  test('missing props', () => {
    const chart = newChart();
    expectHelmSynthError(() => new HookJob(chart, 'Job', undefined as never), 'demo/Job', 'HookJob needs props');
  });
});
