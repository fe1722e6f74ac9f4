import * as kplus from 'cdk8s-plus-27';
import { Cron } from 'cdk8s';
import { Condition, HelmChart, Template } from '../../src';
import { BooleanValue } from '../../src/values/value';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

// A boolean token is its marker cast to `boolean`: truthy whatever the value. cdk8s-plus writes
// most boolean props into the object as they are (the token reaches the template and renders the
// value); a few it branches on (`if (props.isolate)`), where the token never reaches a template.
// Synthesis refuses those, since each asBoolean() call hands out a token of its own.

const withHelm = Testing.ifHelm(test);
const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });
const image = 'nginx';

type Case = readonly [string, (c: HelmChart, flag: BooleanValue) => void, string, string];

const PASSED_THROUGH: readonly Case[] = [
  [
    'Deployment automountServiceAccountToken',
    (c, f) => new kplus.Deployment(c, 'W', { automountServiceAccountToken: f.asBoolean(), containers: [{ image }] }),
    'templates/w-deployment.yaml',
    'automountServiceAccountToken: {{ .Values.flag }}',
  ],
  [
    'Deployment hostNetwork',
    (c, f) => new kplus.Deployment(c, 'W', { hostNetwork: f.asBoolean(), containers: [{ image }] }),
    'templates/w-deployment.yaml',
    'hostNetwork: {{ .Values.flag }}',
  ],
  [
    'Deployment dns.hostnameAsFQDN',
    (c, f) => new kplus.Deployment(c, 'W', { dns: { hostnameAsFQDN: f.asBoolean() }, containers: [{ image }] }),
    'templates/w-deployment.yaml',
    'setHostnameAsFQDN: {{ .Values.flag }}',
  ],
  [
    'pod securityContext.ensureNonRoot',
    (c, f) => new kplus.Deployment(c, 'W', { securityContext: { ensureNonRoot: f.asBoolean() }, containers: [{ image }] }),
    'templates/w-deployment.yaml',
    'runAsNonRoot: {{ .Values.flag }}',
  ],
  [
    'container securityContext.readOnlyRootFilesystem',
    (c, f) => new kplus.Deployment(c, 'W', { containers: [{ image, securityContext: { readOnlyRootFilesystem: f.asBoolean() } }] }),
    'templates/w-deployment.yaml',
    'readOnlyRootFilesystem: {{ .Values.flag }}',
  ],
  [
    'container securityContext.privileged',
    (c, f) => new kplus.Deployment(c, 'W', { containers: [{ image, securityContext: { privileged: f.asBoolean() } }] }),
    'templates/w-deployment.yaml',
    'privileged: {{ .Values.flag }}',
  ],
  [
    'container securityContext.allowPrivilegeEscalation',
    (c, f) => new kplus.Deployment(c, 'W', { containers: [{ image, securityContext: { allowPrivilegeEscalation: f.asBoolean() } }] }),
    'templates/w-deployment.yaml',
    'allowPrivilegeEscalation: {{ .Values.flag }}',
  ],
  [
    'container securityContext.ensureNonRoot',
    (c, f) => new kplus.Deployment(c, 'W', { containers: [{ image, securityContext: { ensureNonRoot: f.asBoolean() } }] }),
    'templates/w-deployment.yaml',
    'runAsNonRoot: {{ .Values.flag }}',
  ],
  [
    'volume mount readOnly',
    (c, f) => {
      const d = new kplus.Deployment(c, 'W', { containers: [{ image }] });
      d.containers[0].mount('/data', kplus.Volume.fromEmptyDir(c, 'Vol', 'data'), { readOnly: f.asBoolean() });
    },
    'templates/w-deployment.yaml',
    'readOnly: {{ .Values.flag }}',
  ],
  [
    'env from a ConfigMap, optional',
    (c, f) => {
      const cm = new kplus.ConfigMap(c, 'Cm', { data: { k: 'v' } });
      new kplus.Deployment(c, 'W', {
        containers: [{ image, envVariables: { K: kplus.EnvValue.fromConfigMap(cm, 'k', { optional: f.asBoolean() }) } }],
      });
    },
    'templates/w-deployment.yaml',
    'optional: {{ .Values.flag }}',
  ],
  [
    'ConfigMap immutable',
    (c, f) => new kplus.ConfigMap(c, 'Cm', { immutable: f.asBoolean(), data: { k: 'v' } }),
    'templates/cm-config-map.yaml',
    'immutable: {{ .Values.flag }}',
  ],
  [
    'Secret immutable',
    (c, f) => new kplus.Secret(c, 'S', { immutable: f.asBoolean(), stringData: { k: 'v' } }),
    'templates/s-secret.yaml',
    'immutable: {{ .Values.flag }}',
  ],
  [
    'ServiceAccount automountToken',
    (c, f) => new kplus.ServiceAccount(c, 'Sa', { automountToken: f.asBoolean() }),
    'templates/sa-service-account.yaml',
    'automountServiceAccountToken: {{ .Values.flag }}',
  ],
  [
    'CronJob suspend',
    (c, f) => new kplus.CronJob(c, 'Cron', { schedule: Cron.daily(), suspend: f.asBoolean(), containers: [{ image }] }),
    'templates/cron-cron-job.yaml',
    'suspend: {{ .Values.flag }}',
  ],
];

const BRANCHED_ON: ReadonlyArray<readonly [string, (c: HelmChart, flag: boolean) => void]> = [
  ['Deployment isolate (adds a NetworkPolicy)', (c, f) => new kplus.Deployment(c, 'W', { isolate: f, containers: [{ image }] })],
  ['Pod isolate', (c, f) => new kplus.Pod(c, 'W', { isolate: f, containers: [{ image }] })],
  ['CronJob isolate', (c, f) => new kplus.CronJob(c, 'W', { schedule: Cron.daily(), isolate: f, containers: [{ image }] })],
  ['Deployment select (adds the selector)', (c, f) => new kplus.Deployment(c, 'W', { select: f, containers: [{ image }] })],
  ['Deployment spread (adds topology spread)', (c, f) => new kplus.Deployment(c, 'W', { spread: f, containers: [{ image }] })],
];

describe('boolean props cdk8s-plus writes as they are', () => {
  test.each(PASSED_THROUGH)('%s renders the value', (_name, build, file, expected) => {
    const c = newChart();
    build(c, c.values.boolean('flag', { default: false, description: 'F.' }));
    expect(Testing.file(c, file)).toContain(expected);
  });

  withHelm('rendered, they follow the value given', () => {
    for (const given of [true, false]) {
      const c = newChart();
      const flag = c.values.boolean('flag', { default: !given, description: 'F.' });
      new kplus.Deployment(c, 'W', { hostNetwork: flag.asBoolean(), containers: [{ image }] });
      new kplus.ConfigMap(c, 'Cm', { immutable: flag.asBoolean(), data: { k: 'v' } });
      const rendered = Testing.render(c, { set: { flag: String(given) } });
      expect(rendered.find('Deployment').spec.template.spec.hostNetwork).toBe(given);
      expect(rendered.find('ConfigMap').immutable).toBe(given);
    }
  });
});

describe('boolean props cdk8s-plus branches on', () => {
  test.each(BRANCHED_ON)('%s is refused, with a condition suggested', (_name, build) => {
    const c = newChart();
    build(c, c.values.boolean('flag', { default: false, description: 'F.' }).asBoolean());
    expectHelmSynthError(
      () => Testing.synth(c),
      'demo',
      'value flag was handed out as a boolean token (asBoolean()) that reached no template',
      'Template.of(x).enableWhen(value)',
    );
  });

  test('a condition as a boolean token is refused the same way', () => {
    const c = newChart();
    const a = c.values.boolean('a', { default: true, description: 'A.' });
    const b = c.values.boolean('b', { default: false, description: 'B.' });
    new kplus.Deployment(c, 'W', { isolate: Condition.and(a, b).asBoolean(), containers: [{ image }] });
    expectHelmSynthError(() => Testing.synth(c), 'demo', 'condition a and b was handed out as a boolean token');
  });

  test('the same value given to a written prop does not excuse a branched one (a token per call)', () => {
    const c = newChart();
    const flag = c.values.boolean('flag', { default: false, description: 'F.' });
    new kplus.Deployment(c, 'W', { hostNetwork: flag.asBoolean(), isolate: flag.asBoolean(), containers: [{ image }] });
    expectHelmSynthError(() => Testing.synth(c), 'demo', 'value flag was handed out as a boolean token');
  });

  test('what the message suggests works: the object switched by the value', () => {
    const c = newChart();
    const flag = c.values.boolean('isolate', { default: false, description: 'F.' });
    const d = new kplus.Deployment(c, 'W', { containers: [{ image }] });
    Template.of(new kplus.NetworkPolicy(c, 'Isolate', { selector: d })).enableWhen(flag);
    expect(Testing.file(c, 'templates/isolate-network-policy.yaml')).toMatch(/^\{\{- if \.Values\.isolate \}\}/);
  });
});
