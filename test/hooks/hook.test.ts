import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmChart, Hook, HookDeletePolicy, HookEvent, HookOutputLogPolicy } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });
const configMap = (scope: Construct, id: string) => new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });

function annotationsOf(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('helm.sh/hook'))
    .map((line) => line.trim());
}

describe('events', () => {
  test.each(Object.values(HookEvent))('%s renders as helm.sh/hook', (event) => {
    const chart = newChart();
    Hook.apply(configMap(chart, 'Thing'), { events: [event] });
    expect(
      annotationsOf(
        Testing.synth(chart).files.get(
          event === HookEvent.TEST ? 'templates/tests/thing-config-map.yaml' : 'templates/thing-config-map.yaml',
        )!,
      ),
    ).toEqual([`helm.sh/hook: ${event}`, 'helm.sh/hook-weight: "0"', 'helm.sh/hook-delete-policy: before-hook-creation']);
  });

  test("several events render comma-separated in Helm's order, duplicates once", () => {
    const hook = Hook.apply(configMap(newChart(), 'Thing'), {
      events: [HookEvent.POST_UPGRADE, HookEvent.PRE_INSTALL, HookEvent.POST_UPGRADE, HookEvent.PRE_UPGRADE],
    });
    expect(hook.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade,post-upgrade');
  });

  test.each([
    ['crd-install', "Helm 3 removed the crd-install hook: put CustomResourceDefinitions in the chart's crds/ folder"],
    ['test-success', 'test-success is the Helm 2 name of HookEvent.TEST: use HookEvent.TEST'],
    ['test-failure', 'Helm 3 removed test-failure (Helm 3 skips the whole object)'],
  ])('Helm 2 event %s is rejected with what replaced it', (event, replacement) => {
    const chart = newChart();
    expectHelmSynthError(
      () => Hook.apply(configMap(chart, 'Thing'), { events: [event as HookEvent] }),
      'demo/Thing',
      `hook event "${event}" is not a Helm 3 event`,
      replacement,
    );
  });

  test.each(['preinstall', 'post_install', 'Pre-Install', '', 7, null])(
    'unknown event %j is rejected, saying Helm would skip the object',
    (event) => {
      const chart = newChart();
      expectHelmSynthError(
        () => Hook.apply(configMap(chart, 'Thing'), { events: [event as never] }),
        'demo/Thing',
        'is not a Helm 3 event',
        'silently skip the whole object',
        'pre-install, post-install',
      );
    },
  );

  test.each([[[]], [undefined], ['pre-install']])('events %j are rejected: a hook needs at least one', (events) => {
    const chart = newChart();
    expectHelmSynthError(
      () => Hook.apply(configMap(chart, 'Thing'), { events: events as never }),
      'demo/Thing',
      'a hook needs at least one event',
    );
  });
});

describe('weights', () => {
  test.each([-5, 0, 7, -(2 ** 31), 2 ** 31 - 1])('weight %d renders as a quoted string', (weight) => {
    const chart = newChart();
    Hook.apply(configMap(chart, 'Thing'), { events: [HookEvent.PRE_INSTALL], weight });
    expect(Testing.synth(chart).files.get('templates/thing-config-map.yaml')).toContain(`helm.sh/hook-weight: "${weight}"`);
  });

  test.each([1.5, '5', Number.NaN, Number.POSITIVE_INFINITY])('weight %p is rejected: Helm would silently use 0', (weight) => {
    const chart = newChart();
    expectHelmSynthError(
      () => Hook.apply(configMap(chart, 'Thing'), { events: [HookEvent.PRE_INSTALL], weight: weight as never }),
      'demo/Thing',
      'is not an integer (Helm would silently use 0)',
    );
  });

  test.each([2 ** 31, -(2 ** 31) - 1, 99999999999, 2 ** 53])('integer weight %p is out of range', (weight) => {
    const chart = newChart();
    expectHelmSynthError(
      () => Hook.apply(configMap(chart, 'Thing'), { events: [HookEvent.PRE_INSTALL], weight }),
      'demo/Thing',
      `hook weight ${weight} is out of range: use -2147483648 to 2147483647`,
    );
  });
});

describe('delete and output-log policies', () => {
  test("policies render comma-separated in Helm's order; none given means before-hook-creation written out", () => {
    const chart = newChart();
    const hook = Hook.apply(configMap(chart, 'A'), {
      events: [HookEvent.POST_INSTALL],
      deletePolicies: [HookDeletePolicy.HOOK_FAILED, HookDeletePolicy.HOOK_SUCCEEDED],
      outputLogPolicies: [HookOutputLogPolicy.HOOK_FAILED],
    });
    expect(hook.annotations).toEqual({
      'helm.sh/hook': 'post-install',
      'helm.sh/hook-weight': '0',
      'helm.sh/hook-delete-policy': 'hook-succeeded,hook-failed',
      'helm.sh/hook-output-log-policy': 'hook-failed',
    });
    expect(
      Hook.apply(configMap(chart, 'B'), { events: [HookEvent.POST_INSTALL], deletePolicies: [] }).annotations['helm.sh/hook-delete-policy'],
    ).toBeUndefined();
    expect(Hook.apply(configMap(chart, 'C'), { events: [HookEvent.POST_INSTALL] }).annotations['helm.sh/hook-delete-policy']).toBe(
      'before-hook-creation',
    );
  });

  test.each(['hook-success', 'before-hook-create', 'succeeded', 'Hook-Failed'])(
    'delete policy %j is rejected: Helm would ignore it',
    (policy) => {
      const chart = newChart();
      expectHelmSynthError(
        () => Hook.apply(configMap(chart, 'Thing'), { events: [HookEvent.PRE_INSTALL], deletePolicies: [policy as never] }),
        'demo/Thing',
        `hook delete policy "${policy}" is unknown (Helm would silently ignore it)`,
        'before-hook-creation, hook-succeeded, hook-failed',
      );
    },
  );

  test('a delete policy that is not a list is rejected', () => {
    const chart = newChart();
    expectHelmSynthError(
      () => Hook.apply(configMap(chart, 'Thing'), { events: [HookEvent.PRE_INSTALL], deletePolicies: 'hook-succeeded' as never }),
      'demo/Thing',
      'hook delete policies must be a list',
    );
  });

  test.each(['always', 'before-hook-creation'])('output-log policy %j is rejected', (policy) => {
    const chart = newChart();
    expectHelmSynthError(
      () => Hook.apply(configMap(chart, 'Thing'), { events: [HookEvent.PRE_INSTALL], outputLogPolicies: [policy as never] }),
      'demo/Thing',
      `hook output-log policy "${policy}" is unknown`,
    );
  });

  test('hook annotations written by hand clash with the hook', () => {
    const chart = newChart();
    const thing = new ApiObject(chart, 'Thing', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { annotations: { 'helm.sh/hook-weight': '3' } },
    });
    Hook.apply(thing, { events: [HookEvent.PRE_INSTALL] });
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Thing', 'metadata.annotations.helm.sh/hook-weight: is written by Hook');
  });
});

describe('any construct can be a hook', () => {
  test('cdk8s-plus Job, Pod, Secret, ConfigMap, ServiceAccount and a raw ApiObject', () => {
    const chart = newChart();
    const job = new kplus.Job(chart, 'Job', { containers: [{ image: 'busybox' }] });
    const pod = new kplus.Pod(chart, 'Pod', { containers: [{ image: 'busybox' }] });
    const secret = new kplus.Secret(chart, 'Secret', { stringData: { a: 'b' } });
    const map = new kplus.ConfigMap(chart, 'Map', { data: { a: 'b' } });
    const account = new kplus.ServiceAccount(chart, 'Account');
    const raw = configMap(chart, 'Raw');
    [job, pod, secret, map, account, raw].forEach((construct, i) => Hook.apply(construct, { events: [HookEvent.POST_INSTALL], weight: i }));
    const files = Testing.synth(chart).files;
    const expected = {
      'job-job': 0,
      'pod-pod': 1,
      'secret-secret': 2,
      'map-config-map': 3,
      'account-service-account': 4,
      'raw-config-map': 5,
    };
    for (const [file, weight] of Object.entries(expected)) {
      expect(annotationsOf(files.get(`templates/${file}.yaml`)!)).toEqual([
        'helm.sh/hook: post-install',
        `helm.sh/hook-weight: "${weight}"`,
        'helm.sh/hook-delete-policy: before-hook-creation',
      ]);
    }
  });

  test('a scope marks every object inside it; a nearer hook wins', () => {
    const chart = newChart();
    const scope = new Construct(chart, 'Group');
    configMap(scope, 'One');
    configMap(scope, 'Two');
    const three = configMap(scope, 'Three');
    Hook.apply(scope, { events: [HookEvent.PRE_DELETE], weight: 2 });
    Hook.apply(three, { events: [HookEvent.POST_DELETE] });
    const summary = Testing.synth(chart).objects.map((o) => [o.suffix, o.hook?.events.join(), o.hook?.weight]);
    expect(summary).toEqual([
      ['group-one', 'pre-delete', 2],
      ['group-three', 'post-delete', 0],
      ['group-two', 'pre-delete', 2],
    ]);
    expect(Hook.find(scope)?.construct).toBe(scope);
    expect(Hook.find(chart)).toBeUndefined();
  });

  test('test hooks are written to templates/tests/', () => {
    const chart = newChart();
    Hook.apply(new kplus.Pod(chart, 'Check', { containers: [{ image: 'busybox' }] }), { events: [HookEvent.TEST] });
    expect([...Testing.synth(chart).files.keys()]).toContain('templates/tests/check-pod.yaml');
  });

  test('a bare Pod carries the chart labels once (no duplicate selector keys)', () => {
    const chart = newChart();
    Hook.apply(new kplus.Pod(chart, 'Check', { containers: [{ image: 'busybox' }] }), { events: [HookEvent.TEST] });
    const text = Testing.synth(chart).files.get('templates/tests/check-pod.yaml')!;
    const metadata = text.slice(text.indexOf('metadata:'), text.indexOf('spec:'));
    expect(metadata).toContain('{{- include "demo.labels" . | nindent 4 }}');
    expect(metadata).not.toContain('demo.selectorLabels');
  });
});

describe('dependencies', () => {
  test('dependsOn makes the resource a hook of the same events, install and upgrade paired, lower weight, before-hook-creation', () => {
    const chart = newChart();
    const job = Hook.apply(configMap(chart, 'Job'), {
      events: [HookEvent.PRE_INSTALL, HookEvent.POST_DELETE],
      weight: -5,
      deletePolicies: [HookDeletePolicy.HOOK_SUCCEEDED],
    });
    const secret = new kplus.Secret(chart, 'Secret');
    job.dependsOn(secret);
    const hook = Hook.find(secret)!;
    expect(hook.derived).toBe(true);
    expect(hook.annotations).toEqual({
      'helm.sh/hook': 'pre-install,post-delete,pre-upgrade',
      'helm.sh/hook-weight': '-6',
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
    expect(hook.dependents).toEqual([job]);
  });

  test('several dependents: events unite and the weight goes below the lowest; chains stay ordered', () => {
    const chart = newChart();
    const a = Hook.apply(configMap(chart, 'A'), { events: [HookEvent.POST_INSTALL], weight: 3 });
    const b = Hook.apply(configMap(chart, 'B'), { events: [HookEvent.PRE_ROLLBACK], weight: -2 });
    const account = new kplus.ServiceAccount(chart, 'Account');
    const secret = new kplus.Secret(chart, 'Secret');
    a.dependsOn(account);
    b.dependsOn(account).dependsOn(account);
    Hook.find(account)!.dependsOn(secret);
    expect(Hook.find(account)!.events).toEqual([HookEvent.POST_INSTALL, HookEvent.POST_UPGRADE, HookEvent.PRE_ROLLBACK]);
    expect(Hook.find(account)!.weight).toBe(-3);
    expect(Hook.find(secret)!.weight).toBe(-4);
    expect(Hook.find(secret)!.events).toEqual(Hook.find(account)!.events);
  });

  test('an explicit hook is lowered and widened by a dependency; Hook.apply again keeps declared dependencies', () => {
    const chart = newChart();
    const job = Hook.apply(configMap(chart, 'Job'), { events: [HookEvent.PRE_UPGRADE], weight: 0 });
    const secret = new kplus.Secret(chart, 'Secret');
    Hook.apply(secret, { events: [HookEvent.POST_INSTALL], weight: 4, deletePolicies: [HookDeletePolicy.HOOK_FAILED] });
    job.dependsOn(secret);
    expect(Hook.find(secret)!.annotations).toEqual({
      'helm.sh/hook': 'pre-install,post-install,pre-upgrade',
      'helm.sh/hook-weight': '-1',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-failed',
    });
    Hook.apply(secret, { events: [HookEvent.TEST], weight: 9 });
    expect(Hook.find(secret)!.events).toEqual([HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE, HookEvent.TEST]);
    expect(Hook.find(secret)!.weight).toBe(-1);
  });

  test("owns: exactly the owner's events and its delete policies", () => {
    const chart = newChart();
    const job = Hook.apply(configMap(chart, 'Job'), {
      events: [HookEvent.POST_INSTALL],
      weight: 2,
      deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION, HookDeletePolicy.HOOK_SUCCEEDED],
    });
    const script = new kplus.ConfigMap(chart, 'Script');
    job.owns(script);
    expect(Hook.find(script)!.annotations).toEqual({
      'helm.sh/hook': 'post-install',
      'helm.sh/hook-weight': '1',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
  });

  test('bad dependencies are rejected at the boundary', () => {
    const chart = newChart();
    const jobObject = configMap(chart, 'Job');
    const job = Hook.apply(jobObject, { events: [HookEvent.PRE_INSTALL] });
    expectHelmSynthError(() => job.dependsOn(jobObject), 'demo/Job', 'a hook cannot depend on itself');
    expectHelmSynthError(() => job.dependsOn('secret' as never), 'demo/Job', 'dependsOn takes constructs', '"secret"');
    expectHelmSynthError(
      () => job.dependsOn(new Construct(chart, 'Empty')),
      'demo/Job',
      'dependency demo/Empty holds no Kubernetes object',
    );
    expectHelmSynthError(() => job.dependsOn(chart), 'demo/Job', 'dependency demo contains the hook itself');
    const other = new Chart(Testing.app(), 'other');
    expectHelmSynthError(
      () => job.dependsOn(new kplus.Secret(other, 'Secret')),
      'demo/Job',
      'dependency other/Secret belongs to another chart',
    );

    const secret = new kplus.Secret(chart, 'Secret');
    const account = new kplus.ServiceAccount(chart, 'Account');
    job.dependsOn(secret);
    Hook.find(secret)!.dependsOn(account);
    expectHelmSynthError(
      () => Hook.find(account)!.dependsOn(jobObject),
      'demo/Account',
      'dependency cycle: demo/Job already depends on demo/Account',
    );
  });
});
