import { spawnSync } from 'node:child_process';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { buildApp } from '../../charts/app';
import {
  HelmChart,
  Hook,
  HookDeletePolicy,
  HookEvent,
  HookJob,
  HookOutputLogPolicy,
  PreInstallJob,
  ServiceConnectionTest,
  ValueType,
} from '../../src';
import { Testing } from '../../src/testing';
import { HelmRunner, parseManifests } from '../../src/helm';
import { sharedDependencies } from '../support/dependencies';
import { validateManifests } from '../support/kube-schema';
import { reportMissingTool } from '../support/tools';

const HELM_EVENTS = new Set(Object.values(HookEvent) as string[]);
const HELM_DELETE_POLICIES = new Set(Object.values(HookDeletePolicy) as string[]);

/** One chart with every kind of hook the SDK makes. */
function everyHookChart(): HelmChart {
  const chart = new HelmChart(Testing.app(), 'all-hooks', { version: '1.0.0' });
  const secret = new kplus.Secret(chart, 'Secret', { stringData: { token: 'x' } });
  const account = new kplus.ServiceAccount(chart, 'Account');
  const server = new kplus.Deployment(chart, 'Server', { containers: [{ image: 'nginx', portNumber: 8080 }] });
  const service = server.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
  new PreInstallJob(chart, 'Prepare', {
    image: 'busybox:1.36',
    weight: -5,
    serviceAccount: account,
    script: 'echo "{{ literal }}" "$TOKEN"\n',
    valuesPath: 'prepare',
    env: { TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }) },
    outputLogPolicies: [HookOutputLogPolicy.HOOK_FAILED],
  }).addDependency(secret, account);
  new HookJob(chart, 'Every', {
    events: Object.values(HookEvent).filter((e) => e !== HookEvent.TEST),
    image: 'busybox:1.36',
    command: ['true'],
    ttlSecondsAfterFinished: 300,
  });
  Hook.apply(new kplus.Pod(chart, 'Pod', { containers: [{ image: 'busybox:1.36' }] }), { events: [HookEvent.POST_UPGRADE], weight: 2 });
  Hook.apply(new kplus.ConfigMap(chart, 'Map', { data: { a: '{{ b }}' } }), {
    events: [HookEvent.PRE_ROLLBACK],
    deletePolicies: [HookDeletePolicy.HOOK_FAILED],
  });
  Hook.apply(new ApiObject(chart, 'Raw', { apiVersion: 'v1', kind: 'ConfigMap', data: { x: 'y' } }), {
    events: [HookEvent.POST_DELETE],
    weight: -(2 ** 31),
  });
  const group = new Construct(chart, 'Group');
  new kplus.ConfigMap(group, 'One');
  new kplus.Secret(group, 'Two');
  Hook.apply(group, {
    events: [HookEvent.PRE_DELETE, HookEvent.POST_ROLLBACK],
    weight: 2 ** 31 - 1,
    deletePolicies: Object.values(HookDeletePolicy),
  });
  new ServiceConnectionTest(chart, 'Connect', { service, httpPath: '/' });
  return chart;
}

/** A value for every required value without a default, as a user must give them. */
function requiredValues(chart: HelmChart): Record<string, string> {
  return Object.fromEntries(
    chart.values.all
      .filter((v) => v.required && v.default === undefined)
      .map((v) => {
        const schema = v.schema as { enum?: string[]; minimum?: number };
        if (v.type === ValueType.ENUM) return [v.path, schema.enum![0]];
        if (v.type === ValueType.INTEGER || v.type === ValueType.NUMBER) return [v.path, String(schema.minimum ?? 1)];
        if (v.type === ValueType.BOOLEAN) return [v.path, 'true'];
        return [v.path, 'required-value'];
      }),
  );
}

const helm = HelmRunner.find()?.binary;

const charts = [...buildApp(Testing.app()).helmCharts, everyHookChart()].filter((chart) => {
  if (!Testing.synth(chart).objects.some((o) => o.hook)) return false;
  const { missing } = sharedDependencies(chart);
  if (missing.length) reportMissingTool(`hooks of chart ${chart.chartName} under helm: ${missing.join(', ')} not in ../shared/charts`);
  return !missing.length;
});

Testing.ifHelm(describe).each(charts.map((chart) => [chart.chartName, chart] as const))(
  'hooks of chart %s under helm',
  (name, chart: HelmChart) => {
    const files = Testing.synth(chart);
    const hookFiles = files.objects.filter((o) => o.hook).map((o) => o.file);
    const allOn = {
      ...requiredValues(chart),
      ...Object.fromEntries(chart.values.all.filter((v) => v.type === ValueType.BOOLEAN).map((v) => [v.path, 'true'])),
    };
    const setArgs = Object.entries(allOn).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
    const own = (doc: Record<string, any>) => String(doc.metadata?.labels?.['helm.sh/chart']).startsWith(`${name}-`);
    let dir: string;
    beforeAll(() => {
      dir = Testing.writeChart(files, { dependencies: sharedDependencies(chart).found });
    });
    afterAll(() => Testing.removeChart(dir));

    test('lints clean with --strict', () => {
      expect(Testing.lint(dir)).toContain('1 chart(s) linted, 0 chart(s) failed');
    });

    test.each([
      ['install', false],
      ['upgrade', true],
    ])('every hook renders at %s with annotations Helm accepts, as a valid Kubernetes 1.27 object', (_label, isUpgrade) => {
      const docs = Testing.render(dir, { releaseName: 'rel', namespace: 'ns', isUpgrade, set: allOn }).manifests;
      expect(validateManifests(docs)).toEqual([]);
      const hooks = docs.filter((d) => own(d) && d.metadata.annotations?.['helm.sh/hook'] !== undefined);
      expect(hooks.length).toBe(hookFiles.length);
      for (const doc of hooks) {
        const annotations = doc.metadata.annotations as Record<string, unknown>;
        for (const event of String(annotations['helm.sh/hook']).split(',')) expect(HELM_EVENTS).toContain(event);
        expect(annotations['helm.sh/hook-weight']).toMatch(/^-?\d+$/);
        expect(Number.isSafeInteger(Number(annotations['helm.sh/hook-weight']))).toBe(true);
        for (const policy of String(annotations['helm.sh/hook-delete-policy'] ?? 'before-hook-creation').split(','))
          expect(HELM_DELETE_POLICIES).toContain(policy);
        expect(doc.metadata.name).toMatch(/^rel-/);
      }
    });

    test('--no-hooks leaves exactly the normal resources', () => {
      const result = spawnSync(helm!, ['template', 'rel', dir, '--no-hooks', ...setArgs], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      const docs = parseManifests(result.stdout).filter(own);
      expect(docs.length).toBe(files.objects.length - hookFiles.length);
    });

    test.each(hookFiles)('%s renders alone (--show-only)', (file) => {
      const docs = parseManifests(spawnSync(helm!, ['template', 'rel', dir, '--show-only', file, ...setArgs], { encoding: 'utf8' }).stdout);
      expect(docs).toHaveLength(1);
    });
  },
);
