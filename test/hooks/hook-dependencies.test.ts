import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmChart, Hook, HookDeletePolicy, HookEvent, HookJob, HookStep, PreInstallJob, ResourceStep } from '../../src';
import { lifecyclePlan } from '../../src/plan/lifecycle-plan';
import { podReferences } from '../../src/synth/hook-dependencies';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

const newChart = () => new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });

describe('podReferences', () => {
  const podSpec = {
    serviceAccountName: 'sa',
    imagePullSecrets: [{ name: 'pull' }],
    initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'init-env' } }] }],
    containers: [
      {
        name: 'main',
        env: [
          { name: 'A', value: 'literal' },
          { name: 'B', valueFrom: { secretKeyRef: { name: 'secret-b', key: 'k' } } },
          { name: 'C', valueFrom: { configMapKeyRef: { name: 'map-c', key: 'k' } } },
          { name: 'D', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
        envFrom: [{ secretRef: { name: 'secret-env' } }],
      },
    ],
    volumes: [
      { name: 'v1', secret: { secretName: 'secret-vol' } },
      { name: 'v2', configMap: { name: 'map-vol' } },
      { name: 'v3', persistentVolumeClaim: { claimName: 'data' } },
      {
        name: 'v4',
        projected: {
          sources: [{ secret: { name: 'proj-secret' } }, { configMap: { name: 'proj-map' } }, { serviceAccountToken: { path: 't' } }],
        },
      },
      { name: 'v5', emptyDir: {} },
    ],
  };

  test('finds every Secret, ConfigMap, ServiceAccount and PVC a pod reads, with the field', () => {
    expect(podReferences({ kind: 'Job', spec: { template: { spec: podSpec } } })).toEqual(
      [
        { kind: 'ServiceAccount', name: 'sa', field: 'spec.template.spec.serviceAccountName' },
        { kind: 'Secret', name: 'pull', field: 'spec.template.spec.imagePullSecrets[0]' },
        { kind: 'ConfigMap', name: 'init-env', field: 'spec.template.spec.initContainers[0].envFrom[0].configMapRef' },
        { kind: 'Secret', name: 'secret-b', field: 'spec.template.spec.containers[0].env[1] (B).valueFrom.secretKeyRef' },
        { kind: 'ConfigMap', name: 'map-c', field: 'spec.template.spec.containers[0].env[2] (C).valueFrom.configMapKeyRef' },
        { kind: 'Secret', name: 'secret-env', field: 'spec.template.spec.containers[0].envFrom[0].secretRef' },
        { kind: 'Secret', name: 'secret-vol', field: 'spec.template.spec.volumes[0] (v1).secret' },
        { kind: 'ConfigMap', name: 'map-vol', field: 'spec.template.spec.volumes[1] (v2).configMap' },
        { kind: 'PersistentVolumeClaim', name: 'data', field: 'spec.template.spec.volumes[2] (v3).persistentVolumeClaim' },
        { kind: 'Secret', name: 'proj-secret', field: 'spec.template.spec.volumes[3] (v4).projected.sources[0].secret' },
        { kind: 'ConfigMap', name: 'proj-map', field: 'spec.template.spec.volumes[3] (v4).projected.sources[1].configMap' },
      ].map((reference) => ({ ...reference, optional: false })),
    );
  });

  test('marks the references a pod starts without (optional: true)', () => {
    const optional = { optional: true };
    const spec = {
      containers: [
        {
          env: [
            { name: 'A', valueFrom: { secretKeyRef: { name: 'a', key: 'k', ...optional } } },
            { name: 'B', valueFrom: { configMapKeyRef: { name: 'b', key: 'k', optional: false } } },
          ],
          envFrom: [{ secretRef: { name: 'c', ...optional } }, { configMapRef: { name: 'd', ...optional } }],
        },
      ],
      volumes: [
        { name: 'e', secret: { secretName: 'e', ...optional } },
        { name: 'f', configMap: { name: 'f', ...optional } },
        { name: 'g', projected: { sources: [{ secret: { name: 'g', ...optional } }, { configMap: { name: 'h' } }] } },
      ],
    };
    expect(podReferences({ kind: 'Pod', spec }).map((r) => `${r.name}:${r.optional}`)).toEqual([
      'a:true',
      'b:false',
      'c:true',
      'd:true',
      'e:true',
      'f:true',
      'g:true',
      'h:false',
    ]);
  });

  test('reads the pod spec of Pods and CronJobs; other kinds read nothing', () => {
    expect(podReferences({ kind: 'Pod', spec: { serviceAccountName: 'x' } })).toEqual([
      { kind: 'ServiceAccount', name: 'x', field: 'spec.serviceAccountName', optional: false },
    ]);
    expect(
      podReferences({ kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: { serviceAccountName: 'y' } } } } } })[0].field,
    ).toBe('spec.jobTemplate.spec.template.spec.serviceAccountName');
    expect(podReferences({ kind: 'ConfigMap', data: { serviceAccountName: 'z' } })).toEqual([]);
  });
});

describe('a pre-install Job that reads a normal Secret', () => {
  function chartWithJob() {
    const chart = newChart();
    const secret = new kplus.Secret(chart, 'DbSecret', { stringData: { password: 'x' } });
    const job = new PreInstallJob(chart, 'Migrate', {
      image: 'migrate:1',
      weight: -5,
      deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION],
      env: { PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
    });
    return { chart, secret, job };
  }

  test('fails synthesis naming the Job, the Secret and the fix', () => {
    const { chart } = chartWithJob();
    const error = expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Migrate',
      'the pre-install hook Job demo/Migrate reads Secret demo/DbSecret',
      'spec.template.spec.containers[0].env[0] (PASSWORD).valueFrom.secretKeyRef',
      'Helm creates normal resources only after the pre-install hooks',
      'Fix: declare the dependency, Hook.find(hook).dependsOn(resource) with hook demo/Migrate and resource demo/DbSecret (on a HookJob: addDependency(resource))',
      'install and upgrade both, with a lower weight and before-hook-creation',
      'or run the hook at post-install instead',
      'or read a Secret created outside the chart',
    );
    expect(error.message.startsWith('demo/Migrate: ')).toBe(true);
  });

  test('with the dependency declared it synthesizes, and the plan shows the Secret before the Job at install and upgrade', () => {
    const { chart, secret, job } = chartWithJob();
    job.addDependency(secret);
    const files = Testing.synth(chart);
    expect(files.files.get('templates/db-secret-secret.yaml')).toContain(
      [
        '    helm.sh/hook: pre-install,pre-upgrade',
        '    helm.sh/hook-weight: "-6"',
        '    helm.sh/hook-delete-policy: before-hook-creation',
      ].join('\n'),
    );
    const plan = lifecyclePlan(files.name, files.objects);
    const hooksAt = (operation: string, event: HookEvent) =>
      plan.operations
        .find((o) => o.operation === operation)!
        .steps.find((s): s is HookStep => s.step === 'hooks' && s.event === event)!
        .hooks.map((h) => `${h.kind} ${h.name} ${h.weight}`);
    expect(hooksAt('install', HookEvent.PRE_INSTALL)).toEqual(['Secret <fullname>-db-secret -6', 'Job <fullname>-migrate -5']);
    expect(hooksAt('upgrade', HookEvent.PRE_UPGRADE)).toEqual(['Secret <fullname>-db-secret -6']);
    const applied = plan.operations[0].steps.find((s): s is ResourceStep => s.step === 'apply')!;
    expect(applied.objects).toEqual([]);
  });
});

describe('what a hook may read at each event', () => {
  type Reader = (scope: Construct, id: string, reads: kplus.Secret) => HookJob;
  const readerAt =
    (events: HookEvent[], weight = 0, deletePolicies?: HookDeletePolicy[]): Reader =>
    (scope, id, reads) =>
      new HookJob(scope, id, {
        events,
        weight,
        deletePolicies,
        image: 'busybox',
        env: { S: kplus.EnvValue.fromSecretValue({ secret: reads, key: 'k' }) },
      });

  test.each([
    [HookEvent.PRE_INSTALL, 'Helm creates normal resources only after the pre-install hooks', 'post-install'],
    [HookEvent.PRE_UPGRADE, "would read the previous revision's object, or none when this revision adds it", 'post-upgrade'],
    [HookEvent.POST_DELETE, 'helm uninstall deletes normal resources before the post-delete hooks run', 'pre-delete'],
  ])('a normal resource read at %s fails', (event, why, instead) => {
    const chart = newChart();
    readerAt([event])(chart, 'Job', new kplus.Secret(chart, 'Secret'));
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Job',
      `the ${event} hook Job demo/Job reads Secret demo/Secret`,
      why,
      `run the hook at ${instead} instead`,
    );
  });

  test.each([
    HookEvent.POST_INSTALL,
    HookEvent.POST_UPGRADE,
    HookEvent.PRE_DELETE,
    HookEvent.PRE_ROLLBACK,
    HookEvent.POST_ROLLBACK,
    HookEvent.TEST,
  ])('a normal resource read at %s is fine', (event) => {
    const chart = newChart();
    readerAt([event])(chart, 'Job', new kplus.Secret(chart, 'Secret'));
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a hook dependency with an equal or higher weight at that event fails', () => {
    const chart = newChart();
    const secret = new kplus.Secret(chart, 'Secret');
    Hook.apply(secret, { events: [HookEvent.PRE_INSTALL], weight: 0 });
    readerAt([HookEvent.PRE_INSTALL])(chart, 'Job', secret);
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Job',
      "which is a pre-install hook with weight 0, not lower than this hook's weight 0",
    );
  });

  test('a pre-install-only dependency read at pre-upgrade fails: not pre-install alone', () => {
    const chart = newChart();
    const secret = new kplus.Secret(chart, 'Secret');
    Hook.apply(secret, { events: [HookEvent.PRE_INSTALL], weight: -1 });
    readerAt([HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE])(chart, 'Job', secret);
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Job',
      'the pre-upgrade hook',
      'a hook that does not run at pre-upgrade (it runs at pre-install)',
    );
  });

  test('a dependency deleted once it succeeded is gone for a later event', () => {
    const chart = newChart();
    const secret = new kplus.Secret(chart, 'Secret');
    Hook.apply(secret, { events: [HookEvent.PRE_INSTALL], deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED] });
    readerAt([HookEvent.POST_INSTALL])(chart, 'Job', secret);
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Job', 'it runs at pre-install and is deleted once it succeeded');
  });

  test('a dependency that stays after install and upgrade may be read by tests, rollback and delete hooks', () => {
    const chart = newChart();
    const secret = new kplus.Secret(chart, 'Secret');
    readerAt([HookEvent.PRE_INSTALL], 0)(chart, 'Setup', secret).addDependency(secret);
    readerAt([HookEvent.TEST, HookEvent.PRE_ROLLBACK, HookEvent.POST_DELETE, HookEvent.POST_INSTALL])(chart, 'Later', secret);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('ServiceAccount, ConfigMap (envFrom, volume), image pull Secret and PVC of the chart are dependencies too', () => {
    const chart = newChart();
    const account = new kplus.ServiceAccount(chart, 'Account');
    const job = new HookJob(chart, 'Job', { events: [HookEvent.PRE_UPGRADE], image: 'busybox', serviceAccount: account });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Job',
      'reads ServiceAccount demo/Account (spec.template.spec.serviceAccountName)',
    );
    job.addDependency(account);
    const map = new kplus.ConfigMap(chart, 'Settings');
    job.container.env.copyFrom(kplus.Env.fromConfigMap(map));
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Job',
      'reads ConfigMap demo/Settings (spec.template.spec.containers[0].envFrom[0].configMapRef)',
    );
    job.addDependency(map);
    const claim = new kplus.PersistentVolumeClaim(chart, 'Data', {});
    job.container.mount('/data', kplus.Volume.fromPersistentVolumeClaim(chart, 'DataVolume', claim));
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Job', 'reads PersistentVolumeClaim demo/Data');
    job.addDependency(claim);
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('names written with chart.resourceName() are matched; names from outside the chart are not', () => {
    const chart = newChart();
    const secret = new kplus.Secret(chart, 'Secret');
    const pod = new ApiObject(chart, 'Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      spec: {
        containers: [
          { name: 'c', image: 'i', envFrom: [{ secretRef: { name: chart.resourceName(secret) } }, { secretRef: { name: 'external' } }] },
        ],
      },
    });
    Hook.apply(pod, { events: [HookEvent.PRE_INSTALL] });
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Pod', 'reads Secret demo/Secret (spec.containers[0].envFrom[0].secretRef)');
    Hook.find(pod)!.dependsOn(secret);
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});
