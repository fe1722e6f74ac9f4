import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Hook, HookDeletePolicy, HookEvent, HookStep, LifecycleOperation, ResourceStep, Template } from '../../src';
import { renderPlanText } from '../../src/plan/plan-text';
import {
  documentedHookOrder,
  HELM_INSTALL_ORDER,
  HELM_UNINSTALL_ORDER,
  helmHookOrder,
  lifecyclePlan,
  sortByKind,
} from '../../src/plan/lifecycle-plan';
import { Testing } from '../../src/testing';

const hook = (kind: string, name: string, weight = 0, file = `templates/${name}-${kind}.yaml`) => ({ kind, name, weight, file });
const names = (list: Array<{ kind: string; name: string }>) => list.map((h) => `${h.kind}/${h.name}`);

describe('Helm 3 hook order', () => {
  test('by weight first, negative before positive', () => {
    expect(names(helmHookOrder([hook('Job', 'a', 5), hook('Job', 'b', -5), hook('Job', 'c', 0)]))).toEqual(['Job/b', 'Job/c', 'Job/a']);
  });

  test('equal weights with different kinds run in name order, not kind order', () => {
    const ordered = helmHookOrder([
      hook('ServiceAccount', 'x-runner'),
      hook('Job', 'x-migrate'),
      hook('Secret', 'x-z-secret'),
      hook('ConfigMap', 'x-a-config'),
    ]);
    expect(names(ordered)).toEqual(['ConfigMap/x-a-config', 'Job/x-migrate', 'ServiceAccount/x-runner', 'Secret/x-z-secret']);
    expect(names(documentedHookOrder(ordered))).toEqual([
      'ServiceAccount/x-runner',
      'Secret/x-z-secret',
      'ConfigMap/x-a-config',
      'Job/x-migrate',
    ]);
  });

  test('kind order survives only among equal names (and equal weights)', () => {
    const ordered = helmHookOrder([
      hook('Job', 'same'),
      hook('ConfigMap', 'same'),
      hook('ServiceAccount', 'same'),
      hook('Secret', 'same', -1),
    ]);
    expect(names(ordered)).toEqual(['Secret/same', 'ServiceAccount/same', 'ConfigMap/same', 'Job/same']);
  });

  test('unknown kinds go after known ones, sorted by kind; equal names and kinds keep file order', () => {
    const ordered = helmHookOrder([
      hook('Widget', 'n', 0, 'templates/a.yaml'),
      hook('Gadget', 'n'),
      hook('Job', 'n'),
      hook('Widget', 'n', 0, 'templates/0.yaml'),
    ]);
    expect(ordered.map((h) => `${h.kind}/${h.file}`)).toEqual([
      'Job/templates/n-Job.yaml',
      'Gadget/templates/n-Gadget.yaml',
      'Widget/templates/0.yaml',
      'Widget/templates/a.yaml',
    ]);
  });

  test('names compare byte-wise: the bare full name sorts before any suffixed one', () => {
    expect(names(helmHookOrder([hook('Job', '<fullname>-a'), hook('Job', '<fullname>')]))).toEqual(['Job/<fullname>', 'Job/<fullname>-a']);
  });
});

describe('kind orders for normal resources', () => {
  test("install order follows Helm (PriorityClass first since 3.13), uninstall order is Helm's, not a plain reverse", () => {
    const kinds = [
      'Deployment',
      'Service',
      'Secret',
      'ConfigMap',
      'ServiceAccount',
      'Namespace',
      'Job',
      'Ingress',
      'PriorityClass',
      'Thing',
    ];
    const objects = kinds.map((kind) => ({ kind, file: `templates/${kind}.yaml` }));
    expect(sortByKind(objects, HELM_INSTALL_ORDER).map((o) => o.kind)).toEqual([
      'PriorityClass',
      'Namespace',
      'ServiceAccount',
      'Secret',
      'ConfigMap',
      'Service',
      'Deployment',
      'Job',
      'Ingress',
      'Thing',
    ]);
    expect(sortByKind(objects, HELM_UNINSTALL_ORDER).map((o) => o.kind)).toEqual([
      'Ingress',
      'Service',
      'Job',
      'Deployment',
      'ConfigMap',
      'Secret',
      'ServiceAccount',
      'Namespace',
      'PriorityClass',
      'Thing',
    ]);
  });

  test('the install order is the list Helm ships', () => {
    expect(HELM_INSTALL_ORDER.slice(1)).toEqual([
      'Namespace',
      'NetworkPolicy',
      'ResourceQuota',
      'LimitRange',
      'PodSecurityPolicy',
      'PodDisruptionBudget',
      'ServiceAccount',
      'Secret',
      'SecretList',
      'ConfigMap',
      'StorageClass',
      'PersistentVolume',
      'PersistentVolumeClaim',
      'CustomResourceDefinition',
      'ClusterRole',
      'ClusterRoleList',
      'ClusterRoleBinding',
      'ClusterRoleBindingList',
      'Role',
      'RoleList',
      'RoleBinding',
      'RoleBindingList',
      'Service',
      'DaemonSet',
      'Pod',
      'ReplicationController',
      'ReplicaSet',
      'Deployment',
      'HorizontalPodAutoscaler',
      'StatefulSet',
      'Job',
      'CronJob',
      'IngressClass',
      'Ingress',
      'APIService',
    ]);
    expect([...HELM_UNINSTALL_ORDER].sort()).toEqual([...HELM_INSTALL_ORDER].sort());
  });
});

describe('lifecyclePlan', () => {
  function planOf(build: (chart: HelmChart) => void) {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    build(chart);
    const files = Testing.synth(chart);
    return lifecyclePlan(files.name, files.objects);
  }
  const stepOf = (plan: ReturnType<typeof lifecyclePlan>, operation: LifecycleOperation, index: number) =>
    plan.operations.find((o) => o.operation === operation)!.steps[index];

  test('each command: hooks before and after, normal resources between, in the right order', () => {
    const plan = planOf((chart) => {
      new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx' }] });
      new kplus.ConfigMap(chart, 'Config');
      Hook.apply(new kplus.Job(chart, 'Migrate', { containers: [{ image: 'm' }] }), {
        events: [HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE],
        weight: 1,
      });
      Hook.apply(new kplus.Pod(chart, 'Check', { containers: [{ image: 'c' }] }), { events: [HookEvent.TEST] });
    });
    expect(plan.operations.map((o) => [o.operation, o.steps.map((s) => (s.step === 'hooks' ? s.event : s.step))])).toEqual([
      ['install', ['pre-install', 'apply', 'post-install']],
      ['upgrade', ['pre-upgrade', 'apply', 'post-upgrade']],
      ['rollback', ['pre-rollback', 'apply', 'post-rollback']],
      ['uninstall', ['pre-delete', 'delete', 'post-delete']],
      ['test', ['test']],
    ]);
    expect((stepOf(plan, LifecycleOperation.INSTALL, 0) as HookStep).hooks).toEqual([
      {
        kind: 'Job',
        name: '<fullname>-migrate',
        construct: 'demo/Migrate',
        file: 'templates/migrate-job.yaml',
        weight: 1,
        waitsFor: 'Complete',
        deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION],
      },
    ]);
    expect((stepOf(plan, LifecycleOperation.INSTALL, 1) as ResourceStep).objects.map((o) => o.kind)).toEqual(['ConfigMap', 'Deployment']);
    expect((stepOf(plan, LifecycleOperation.UNINSTALL, 1) as ResourceStep).objects.map((o) => o.kind)).toEqual(['Deployment', 'ConfigMap']);
    expect((stepOf(plan, LifecycleOperation.TEST, 0) as HookStep).hooks[0]).toMatchObject({ kind: 'Pod', waitsFor: 'Succeeded' });
    expect(plan.operations[0].leftInCluster.map((o) => o.name)).toEqual(['<fullname>-migrate']);
  });

  test('hook-succeeded deletes after the whole event, in reverse order; waits only for Jobs and Pods', () => {
    const plan = planOf((chart) => {
      const succeeded = [HookDeletePolicy.HOOK_SUCCEEDED];
      Hook.apply(new kplus.Secret(chart, 'A'), { events: [HookEvent.POST_INSTALL], weight: -1, deletePolicies: succeeded });
      Hook.apply(new kplus.Job(chart, 'B', { containers: [{ image: 'b' }] }), {
        events: [HookEvent.POST_INSTALL],
        deletePolicies: succeeded,
      });
      Hook.apply(new kplus.ConfigMap(chart, 'C'), {
        events: [HookEvent.POST_INSTALL],
        weight: 1,
        deletePolicies: [HookDeletePolicy.HOOK_FAILED],
      });
    });
    const step = stepOf(plan, LifecycleOperation.INSTALL, 2) as HookStep;
    expect(step.hooks.map((h) => [h.name, h.waitsFor])).toEqual([
      ['<fullname>-a', 'created'],
      ['<fullname>-b', 'Complete'],
      ['<fullname>-c', 'created'],
    ]);
    expect(step.deletedAfterSuccess.map((o) => o.name)).toEqual(['<fullname>-b', '<fullname>-a']);
    expect(step.notes).toEqual([
      'Secret <fullname>-a has no before-hook-creation: if the previous one is still there (a failed run), creating it fails with "already exists".',
      'Job <fullname>-b has no before-hook-creation: if the previous one is still there (a failed run), creating it fails with "already exists".',
      'ConfigMap <fullname>-c has no before-hook-creation: if the previous one is still there (a failed run), creating it fails with "already exists".',
    ]);
    expect(plan.operations[0].leftInCluster.map((o) => o.name)).toEqual(['<fullname>-c']);
  });

  test('equal weights: a Job named before the Secret it needs gets a note, objects that are merely created do not', () => {
    const plan = planOf((chart) => {
      Hook.apply(new kplus.Job(chart, 'A Job', { containers: [{ image: 'a' }] }), { events: [HookEvent.PRE_INSTALL] });
      Hook.apply(new kplus.Secret(chart, 'B Secret'), { events: [HookEvent.PRE_INSTALL] });
      Hook.apply(new kplus.ServiceAccount(chart, 'C Account'), { events: [HookEvent.PRE_INSTALL] });
    });
    const step = stepOf(plan, LifecycleOperation.INSTALL, 0) as HookStep;
    expect(step.hooks.map((h) => h.kind)).toEqual(['Job', 'Secret', 'ServiceAccount']);
    expect(step.notes).toEqual([
      "Job <fullname>-a-job runs before Secret <fullname>-b-secret (equal weights, name order); Helm's docs describe weight, kind, name, which would run them the other way round: give them different weights so that both agree.",
      "Job <fullname>-a-job runs before ServiceAccount <fullname>-c-account (equal weights, name order); Helm's docs describe weight, kind, name, which would run them the other way round: give them different weights so that both agree.",
    ]);
  });

  test('conditional objects are marked; resource-policy keep objects stay on uninstall', () => {
    const plan = planOf((chart) => {
      const on = chart.values.boolean('extra.enabled', { default: false, description: 'Extra.' });
      Template.of(new kplus.ConfigMap(chart, 'Extra')).enableWhen(on);
      const hookJob = new kplus.Job(chart, 'Hook', { containers: [{ image: 'h' }] });
      Hook.apply(hookJob, { events: [HookEvent.POST_INSTALL] });
      Template.of(hookJob).enableWhen(on);
      new ApiObject(chart, 'Data', {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { annotations: { 'helm.sh/resource-policy': 'keep' } },
        spec: {},
      });
    });
    expect((stepOf(plan, LifecycleOperation.INSTALL, 1) as ResourceStep).objects.map((o) => [o.kind, o.onlyWhen])).toEqual([
      ['ConfigMap', 'extra.enabled'],
      ['PersistentVolumeClaim', undefined],
    ]);
    expect((stepOf(plan, LifecycleOperation.INSTALL, 2) as HookStep).hooks[0].onlyWhen).toBe('extra.enabled');
    const uninstall = stepOf(plan, LifecycleOperation.UNINSTALL, 1) as ResourceStep;
    expect(uninstall.objects.map((o) => o.kind)).toEqual(['ConfigMap']);
    expect(uninstall.kept.map((o) => o.kind)).toEqual(['PersistentVolumeClaim']);
    expect(plan.operations[3].leftInCluster.map((o) => o.kind)).toEqual(['Job', 'PersistentVolumeClaim']);
    const text = renderPlanText(plan);
    expect(text).toContain('only when extra.enabled');
    expect(text).toContain('kept (helm.sh/resource-policy: keep): PersistentVolumeClaim <fullname>-data');
  });

  test('an event without hooks reads "none"', () => {
    const text = renderPlanText(planOf((chart) => new kplus.ConfigMap(chart, 'Only')));
    expect(text).toContain('  1. pre-install hooks: none\n  2. normal resources applied, kind by kind:');
    expect(text).toContain('  1. test hooks: none\n  left in the cluster afterwards: no hook object');
  });
});
