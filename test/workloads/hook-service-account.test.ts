import * as kplus from 'cdk8s-plus-27';
import {
  HelmChart,
  Hook,
  HookDeletePolicy,
  HookEvent,
  HookJob,
  HookStep,
  LifecycleOperation,
  PreInstallJob,
  StandardValues,
} from '../../src';
import { lifecyclePlan } from '../../src/plan/lifecycle-plan';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { templateWithHelpersInline } from '../support/named-helpers';

const withHelm = Testing.ifHelm(test);
const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });

/** A chart whose pre-install Job and Deployment both take the standard values. */
function chartWithHookJob(events: HookEvent[] = [HookEvent.PRE_INSTALL]) {
  const chart = newChart();
  const standard = StandardValues.for(chart, { serviceAccount: { annotations: { 'example.com/role': 'app' } } });
  const server = new kplus.Deployment(chart, 'Server', { containers: [{ image: 'server:1' }] });
  standard.applyTo(server);
  const job = new HookJob(chart, 'Migrate', { events, image: 'migrate:1', weight: 3 });
  standard.applyTo(job.job);
  return { chart, standard, job };
}

describe('a hook given the standard values runs as a ServiceAccount that exists when it runs', () => {
  test('pre-install: the hook ServiceAccount <fullname>-hooks, a hook owned by the Job, gated by serviceAccount.create', () => {
    const { chart, standard, job } = chartWithHookJob();
    const files = Testing.synth(chart).files;
    expect(templateWithHelpersInline(files, 'templates/migrate-job.yaml')).toContain(
      'serviceAccountName: {{ ternary (include "demo.resourceName" (list . "hooks")) (include "demo.serviceAccountName" .) .Values.serviceAccount.create | quote }}',
    );
    expect(files.get('templates/server-deployment.yaml')).toContain(
      'serviceAccountName: {{ include "demo.serviceAccountName" . | quote }}',
    );
    const account = files.get('templates/hooks-service-account.yaml')!;
    expect(account).toMatch(/^\{\{- if \.Values\.serviceAccount\.create \}\}\n/);
    expect(account).toContain('helm.sh/hook: pre-install\n');
    expect(account).toContain('helm.sh/hook-weight: "2"');
    expect(account).toContain('helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded');
    expect(Hook.find(standard.hookServiceAccount!)!.dependents).toEqual([job.hook]);
  });

  test('the lifecycle plan creates the hook ServiceAccount just before the Job and deletes it with it', () => {
    const { chart } = chartWithHookJob([HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE]);
    const files = Testing.synth(chart);
    const plan = lifecyclePlan(files.name, files.objects);
    for (const [operation, event] of [
      [LifecycleOperation.INSTALL, HookEvent.PRE_INSTALL],
      [LifecycleOperation.UPGRADE, HookEvent.PRE_UPGRADE],
    ] as const) {
      const step = plan.operations.find((o) => o.operation === operation)!.steps.find((s): s is HookStep => s.step === 'hooks')!;
      expect(step.event).toBe(event);
      expect(step.hooks.map((h) => `${h.kind} ${h.name} ${h.weight} (${h.onlyWhen ?? 'always'})`)).toEqual([
        'ServiceAccount <fullname>-hooks 2 (serviceAccount.create)',
        'Job <fullname>-migrate 3 (always)',
      ]);
      expect(step.deletedAfterSuccess.map((o) => o.name)).toEqual(['<fullname>-migrate', '<fullname>-hooks']);
    }
    const install = plan.operations.find((o) => o.operation === LifecycleOperation.INSTALL)!;
    expect(install.leftInCluster).toEqual([]);
  });

  test('several hooks share one hook ServiceAccount, below the lowest of them, at all their events', () => {
    const { chart, standard } = chartWithHookJob();
    const cleanup = new HookJob(chart, 'Cleanup', { events: [HookEvent.POST_DELETE], image: 'c:1', weight: -4 });
    standard.applyTo(cleanup.job);
    Testing.synth(chart);
    const hook = Hook.find(standard.hookServiceAccount!)!;
    expect(hook.events).toEqual([HookEvent.PRE_INSTALL, HookEvent.POST_DELETE]);
    expect(hook.weight).toBe(-5);
    expect(chart.node.findAll().filter((c) => c.node.id === 'HookServiceAccount')).toHaveLength(1);
  });

  test.each([HookEvent.POST_INSTALL, HookEvent.POST_UPGRADE, HookEvent.PRE_DELETE, HookEvent.TEST])(
    "a %s hook runs as the chart's ServiceAccount (it exists then): no hook ServiceAccount",
    (event) => {
      const { chart, standard } = chartWithHookJob([event]);
      const files = Testing.synth(chart).files;
      expect([...files.values()].join('\n')).not.toContain('"hooks"');
      expect(standard.hookServiceAccount).toBeUndefined();
    },
  );

  test('applyTo before the object became a pre-install hook is an error naming the fix', () => {
    const chart = newChart();
    const standard = StandardValues.for(chart);
    const job = new kplus.Job(chart, 'Seed', { containers: [{ image: 'seed:1' }] });
    standard.applyTo(job);
    Hook.apply(job, { events: [HookEvent.PRE_UPGRADE] });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/StandardValues',
      "StandardValues.applyTo(demo/Seed/Resource) made it run as the chart's ServiceAccount, which may not exist at pre-upgrade",
      'Call applyTo after making it a hook (Hook.apply, or a HookJob)',
    );
  });

  test('without a chart ServiceAccount (serviceAccount: false) hooks keep the namespace default', () => {
    const chart = newChart();
    const standard = StandardValues.for(chart, { serviceAccount: false });
    const job = new PreInstallJob(chart, 'Migrate', { image: 'm:1' });
    standard.applyTo(job.job);
    expect(Testing.synth(chart).files.get('templates/migrate-job.yaml')).not.toContain('serviceAccountName');
    expect(standard.hookServiceAccount).toBeUndefined();
  });

  withHelm.each([
    [{}, 'hooks'],
    [{ serviceAccount: { create: false, name: 'existing' } }, 'existing'],
    [{ serviceAccount: { create: false } }, 'default'],
    [{ serviceAccount: { create: true, name: 'mine' } }, 'hooks'],
  ])('values %j: the Job runs as %s, rendered as a pre-install hook before it when the chart creates it', (values, expected) => {
    const { chart } = chartWithHookJob();
    const manifests = Testing.render(chart, { values }).manifests;
    const job = manifests.find((d) => d.kind === 'Job')!;
    const accountName: string = job.spec.template.spec.serviceAccountName;
    const accounts = manifests.filter((d) => d.kind === 'ServiceAccount');
    if (expected === 'hooks') {
      expect(accountName).toMatch(/-demo-hooks$/);
      const hookAccount = accounts.find((d) => d.metadata.name === accountName)!;
      expect(hookAccount.metadata.annotations).toMatchObject({
        'helm.sh/hook': 'pre-install',
        'helm.sh/hook-weight': '2',
        'example.com/role': 'app',
      });
      expect(hookAccount.automountServiceAccountToken).toBe(false);
      expect(Number(hookAccount.metadata.annotations['helm.sh/hook-weight'])).toBeLessThan(
        Number(job.metadata.annotations['helm.sh/hook-weight']),
      );
    } else {
      expect(accountName).toBe(expected);
      expect(accounts).toEqual([]);
    }
  });

  test('the hook ServiceAccount takes the Job delete policies (deleted once it succeeded)', () => {
    const chart = newChart();
    const standard = StandardValues.for(chart);
    const job = new PreInstallJob(chart, 'Keep', { image: 'k:1', deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION] });
    standard.applyTo(job.job);
    expect(Hook.find(standard.hookServiceAccount!)!.deletePolicies).toEqual([HookDeletePolicy.BEFORE_HOOK_CREATION]);
  });
});
