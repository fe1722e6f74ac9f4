import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Condition, EnvironmentValues, HelmChart, Hook, HookEvent, HookJob, Release, StandardValues, Template } from '../../src';
import { WebAppChart } from '../../charts/web-app';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { validateManifests } from '../support/kube-schema';
import { templateWithHelpersInline } from '../support/named-helpers';

const withHelm = Testing.ifHelm(test);

const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });
const kinds = (docs: ReadonlyArray<Record<string, any>>) => docs.map((d) => `${d.kind}/${d.metadata.name}`);

describe('conditions: not, and, or, eq, ne as one Go-template expression', () => {
  function chart() {
    const c = newChart();
    const a = c.values.boolean('a', { default: true, description: 'A.' });
    const b = c.values.boolean('b', { default: false, description: 'B.' });
    const mode = c.values.enum('mode', { values: ['x', 'y'], default: 'x', description: 'Mode.' });
    const count = c.values.integer('count', { default: 3, description: 'Count.' });
    const ratio = c.values.number('ratio', { default: 0.5, description: 'Ratio.' });
    const cases: Array<[string, Condition]> = [
      ['not-b', b.not()],
      ['a-and-not-b', Condition.and(a, b.not())],
      ['a-or-b', Condition.or(a, b)],
      ['mode-x', mode.eq('x')],
      ['mode-not-y', mode.ne('y')],
      ['count-3', count.eq(3)],
      ['ratio-half', ratio.eq(0.5)],
      ['nested', Condition.or(Condition.and(b, a), Condition.from(a).not(), count.ne(3))],
    ];
    for (const [id, condition] of cases) Template.of(new kplus.ConfigMap(c, id, { data: { a: 'b' } })).enableWhen(condition);
    return c;
  }

  test('rendered as expressions with typed comparisons', () => {
    const files = Testing.synth(chart()).files;
    expect(files.get('templates/a-and-not-b-config-map.yaml')).toMatch(/^\{\{- if and \.Values\.a \(not \.Values\.b\) \}\}\n/);
    expect(files.get('templates/count-3-config-map.yaml')).toMatch(/^\{\{- if eq \(\.Values\.count \| int64\) 3 \}\}\n/);
    expect(files.get('templates/ratio-half-config-map.yaml')).toMatch(/^\{\{- if eq \(\.Values\.ratio \| float64\) 0\.5 \}\}\n/);
    expect(files.get('templates/mode-x-config-map.yaml')).toMatch(/^\{\{- if eq \(\.Values\.mode \| toString\) "x" \}\}\n/);
  });

  withHelm.each([
    [{}, ['not-b', 'a-and-not-b', 'a-or-b', 'mode-x', 'mode-not-y', 'count-3', 'ratio-half']],
    [{ a: false, b: true, mode: 'y', count: 4, ratio: 1 }, ['a-or-b', 'nested']],
    [{ a: false, b: false, count: 3 }, ['not-b', 'mode-x', 'mode-not-y', 'count-3', 'ratio-half', 'nested']],
  ])('values %j render exactly %j', (values, expected) => {
    const rendered = Testing.render(chart(), { values });
    expect(rendered.manifests.map((d) => d.metadata.name.replace('rel-demo-', '').replace('release-name-demo-', '')).sort()).toEqual(
      [...expected].sort(),
    );
  });

  test('type errors are caught when the condition is made', () => {
    const c = newChart();
    const count = c.values.integer('count', { default: 3, description: 'Count.' });
    const name = c.values.string('name', { default: 'x', description: 'Name.' });
    expectHelmSynthError(() => count.eq('3' as never), 'demo', 'cannot be compared with "3"');
    expectHelmSynthError(() => count.eq(1.5), 'demo', 'cannot be compared with 1.5');
    expectHelmSynthError(() => Condition.from(name as never), 'demo', 'is a string value, not a boolean');
    const other = newChart('other').values.boolean('x', { default: true, description: 'X.' });
    expectHelmSynthError(
      () => Condition.and(c.values.boolean('y', { default: true, description: 'Y.' }), other),
      'other',
      'combines values of different charts',
    );
  });
});

describe('autoscaling and standard values (the web-app example)', () => {
  const web = () => new WebAppChart(Testing.app(), 'web-app');

  withHelm('defaults: replicas from replicaCount, no HorizontalPodAutoscaler; a ServiceAccount named by the helper', () => {
    expect(Testing.lint(web())).toContain('0 chart(s) failed');
    const rendered = Testing.render(web(), { releaseName: 'rel', set: { replicaCount: '5' } });
    expect(validateManifests(rendered.manifests)).toEqual([]);
    expect(rendered.manifests.some((d) => d.kind === 'HorizontalPodAutoscaler')).toBe(false);
    const deployment = rendered.find('Deployment');
    expect(deployment.spec.replicas).toBe(5);
    expect(deployment.spec.template.spec.serviceAccountName).toBe('rel-web-app');
    expect(rendered.find('ServiceAccount').metadata.name).toBe('rel-web-app');
    expect(deployment.spec.template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 101,
      runAsGroup: 101,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  withHelm('autoscaling.enabled: an HPA on the Deployment and no spec.replicas; the memory metric only when set', () => {
    const rendered = Testing.render(web(), { releaseName: 'rel', set: { 'autoscaling.enabled': 'true', 'autoscaling.maxReplicas': '7' } });
    expect(validateManifests(rendered.manifests)).toEqual([]);
    const deployment = rendered.find('Deployment');
    expect('replicas' in deployment.spec).toBe(false);
    const hpa = rendered.find('HorizontalPodAutoscaler');
    expect(hpa.metadata.name).toBe(deployment.metadata.name);
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rel-web-app' },
      minReplicas: 1,
      maxReplicas: 7,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    const both = Testing.render(web(), { set: { 'autoscaling.enabled': 'true', 'autoscaling.targetMemoryUtilizationPercentage': '70' } });
    expect(both.find('HorizontalPodAutoscaler').spec.metrics.map((m: any) => m.resource.name)).toEqual(['cpu', 'memory']);
  });

  withHelm('serviceAccount.create=false: no ServiceAccount, pods run as "default" or the name given', () => {
    const off = Testing.render(web(), { set: { 'serviceAccount.create': 'false' } });
    expect(off.manifests.some((d) => d.kind === 'ServiceAccount')).toBe(false);
    expect(off.find('Deployment').spec.template.spec.serviceAccountName).toBe('default');
    const named = Testing.render(web(), { set: { 'serviceAccount.create': 'false', 'serviceAccount.name': 'shared' } });
    expect(named.find('Deployment').spec.template.spec.serviceAccountName).toBe('shared');
  });

  withHelm("podAnnotations and podLabels add to what the chart sets; the chart's labels and checksums win", () => {
    const rendered = Testing.render(web(), {
      releaseName: 'rel',
      values: {
        podAnnotations: { 'example.com/a': '1', 'checksum/config': 'mine' },
        podLabels: { team: 'web', 'app.kubernetes.io/instance': 'hijack', 'app.kubernetes.io/component': 'hijack' },
        imagePullSecrets: [{ name: 'registry' }],
        nodeSelector: { disk: 'ssd' },
      },
    });
    expect(validateManifests(rendered.manifests)).toEqual([]);
    const pod = rendered.find('Deployment').spec.template;
    expect(pod.metadata.labels).toEqual({
      'app.kubernetes.io/component': 'web-app',
      'app.kubernetes.io/name': 'web-app',
      'app.kubernetes.io/instance': 'rel',
      team: 'web',
    });
    expect(pod.metadata.annotations['example.com/a']).toBe('1');
    expect(pod.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(pod.spec.nodeSelector).toEqual({ disk: 'ssd' });
  });

  test('applyTo and autoscale refuse what they cannot wire', () => {
    const c = newChart();
    const standard = StandardValues.for(c);
    expectHelmSynthError(
      () => standard.applyTo(new kplus.ConfigMap(c, 'Cm')),
      'demo/StandardValues',
      'applyTo takes a workload of chart demo',
    );
    const job = new kplus.Job(c, 'Job', { containers: [{ image: 'x' }] });
    expectHelmSynthError(() => standard.autoscale(job), 'demo/Job', 'autoscale takes a Deployment or StatefulSet, not a Job');
    expect(StandardValues.for(c)).toBe(standard);
    expectHelmSynthError(() => StandardValues.for(c, { replicaCount: 3 }), 'demo', 'already called with other props');
  });
});

describe('checksum annotations roll pods when a ConfigMap or Secret they use changes', () => {
  function chart() {
    const c = newChart();
    const greeting = c.values.string('greeting', { default: 'hi', description: 'Greeting.' });
    const token = c.values.secret('token', { description: 'Token.' });
    const config = new kplus.ConfigMap(c, 'Config', { data: { greeting: greeting.asString() } });
    const secret = new kplus.Secret(c, 'Credentials', { stringData: { token: token.asString() } });
    const other = new kplus.ConfigMap(c, 'Other', { data: { a: 'b' } });
    const web = new kplus.Deployment(c, 'Web', {
      containers: [{ image: 'nginx', envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }) } }],
    });
    web.containers[0].mount('/config', kplus.Volume.fromConfigMap(c, 'Vol', config));
    web.containers[0].mount('/other', kplus.Volume.fromConfigMap(c, 'Vol2', other));
    new kplus.Job(c, 'Once', { containers: [{ image: 'busybox', envVariables: { G: kplus.EnvValue.fromConfigMap(config, 'greeting') } }] });
    return c;
  }

  test('one annotation per kind, listing every object read; none on a Job (its template is immutable)', () => {
    const files = Testing.synth(chart()).files;
    const web = templateWithHelpersInline(files, 'templates/web-deployment.yaml');
    expect(web).toContain(
      'checksum/config: {{ print (include (print $.Template.BasePath "/config-config-map.yaml") $) (include (print $.Template.BasePath "/other-config-map.yaml") $) | sha256sum | quote }}',
    );
    expect(web).toContain('checksum/secret: {{ (include (print $.Template.BasePath "/credentials-secret.yaml") $) | sha256sum | quote }}');
    expect(files.get('templates/once-job.yaml')).not.toContain('checksum/');
  });

  withHelm('a changed value changes the checksum; the same values give the same one', () => {
    const checksum = (values: EnvironmentValues) =>
      Testing.render(chart(), { values }).find('Deployment').spec.template.metadata.annotations;
    const base = checksum({ token: 't' });
    expect(checksum({ token: 't' })).toEqual(base);
    expect(checksum({ token: 't', greeting: 'hello' })['checksum/config']).not.toBe(base['checksum/config']);
    expect(checksum({ token: 't', greeting: 'hello' })['checksum/secret']).toBe(base['checksum/secret']);
    expect(checksum({ token: 'u' })['checksum/secret']).not.toBe(base['checksum/secret']);
  });
});

describe('selectors do not depend on the construct path', () => {
  class ServerA extends Construct {
    constructor(scope: Construct, id: string) {
      super(scope, id);
      const d = new kplus.Deployment(this, 'Server', { containers: [{ image: 'nginx', portNumber: 80 }] });
      Template.of(d).nameSuffix('server');
      Template.of(d.exposeViaService()).nameSuffix('server');
    }
  }
  class RenamedServerClass extends ServerA {}

  function selectors(build: (chart: HelmChart) => void): unknown {
    const chart = newChart();
    build(chart);
    const files = Testing.synth(chart).files;
    const deployment = files.get('templates/server-deployment.yaml')!;
    const service = files.get('templates/server-service.yaml')!;
    return [
      deployment.slice(deployment.indexOf('selector:'), deployment.indexOf('strategy:')),
      deployment.slice(deployment.indexOf('  template:')),
      service.slice(service.indexOf('selector:')),
    ];
  }

  test('renaming the construct class or moving it under another scope leaves every selector unchanged', () => {
    const base = selectors((c) => new ServerA(c, 'Web'));
    expect(selectors((c) => new RenamedServerClass(c, 'Web'))).toEqual(base);
    expect(selectors((c) => new ServerA(new Construct(c, 'Group'), 'Web'))).toEqual(base);
    expect(JSON.stringify(base)).not.toContain('cdk8s.io/metadata.addr');
    expect(JSON.stringify(base)).toContain('app.kubernetes.io/component: server');
  });

  withHelm('two workloads of one chart select only their own pods', () => {
    const c = newChart();
    const a = new kplus.Deployment(c, 'A', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const b = new kplus.Deployment(c, 'B', { containers: [{ image: 'nginx', portNumber: 80 }] });
    a.exposeViaService();
    b.exposeViaService();
    const rendered = Testing.render(c);
    const podLabels = (name: string) =>
      rendered.manifests.find((d) => d.kind === 'Deployment' && d.metadata.name.endsWith(name))!.spec.template.metadata.labels;
    for (const service of rendered.manifests.filter((d) => d.kind === 'Service')) {
      const selector = service.spec.selector;
      const matches = ['-a', '-b'].filter((n) => Object.entries(selector).every(([k, v]) => podLabels(n)[k] === v));
      expect(matches).toHaveLength(1);
    }
  });

  test('two workloads that would share a component label are an error', () => {
    const c = newChart();
    Template.of(new kplus.Deployment(c, 'A', { containers: [{ image: 'x' }] })).nameSuffix('');
    Template.of(
      new kplus.StatefulSet(c, 'B', { containers: [{ image: 'x' }], service: new kplus.Service(c, 'Svc', { ports: [{ port: 80 }] }) }),
    ).nameSuffix('');
    expectHelmSynthError(() => Testing.synth(c), 'demo/B', 'would carry the same selector labels');
  });
});

describe('NOTES.txt, existingSecret, hook checks, CRDs, merge and append', () => {
  test("NOTES.txt prints the chart's value and release references; literal braces stay literal; another chart's value is an error", () => {
    const app = Testing.app();
    const notesOf = (host: string) =>
      new HelmChart(app, `n${app.node.children.length}`, {
        version: '1.0.0',
        notes: `Open https://${host}/ ({{ not a template }}) in ${Release.namespace}.`,
      });
    const chart = new HelmChart(app, 'demo', { version: '1.0.0' });
    const host = chart.values.string('host', { default: 'web.example.com', description: 'Host.' });
    const own = new HelmChart(Testing.app(), 'own', { version: '1.0.0', notes: 'placeholder' });
    void own;
    const foreign = notesOf(host.asString());
    expectHelmSynthError(() => Testing.synth(foreign), foreign.node.path, 'value host belongs to chart demo');
  });

  withHelm('NOTES.txt renders under helm with the values it reads', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    const host = chart.values.string('host', { default: 'web.example.com', description: 'Host.' });
    const port = chart.values.integer('port', { default: 1500000, description: 'Port.' });
    chart.addNotes(`Open https://${host}:${port.asNumber()}/ ({{ not a template }}) in ${Release.namespace}.`);
    const notes = Testing.file(chart, 'templates/NOTES.txt');
    expect(notes).toContain(
      'Open https://{{ .Values.host }}:{{ .Values.port | int64 }}/ ({{ "{{" }} not a template }}) in {{ .Release.Namespace }}.',
    );
    expect(Testing.lint(chart)).toContain('0 chart(s) failed');
  });

  withHelm("existingSecret: the chart's Secret is skipped and every reference reads the given name", () => {
    const c = newChart();
    const existing = c.values.string('auth.existingSecret', { default: '', description: 'Existing Secret.' });
    const secret = new kplus.Secret(c, 'Credentials', { stringData: { token: 'x' } });
    Template.of(secret).replaceableBy(existing);
    new kplus.Deployment(c, 'Web', {
      containers: [{ image: 'nginx', envVariables: { T: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }) } }],
    });
    const own = Testing.render(c, { releaseName: 'rel' });
    expect(kinds(own.manifests)).toContain('Secret/rel-demo-credentials');
    expect(own.find('Deployment').spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name).toBe('rel-demo-credentials');
    const replaced = Testing.render(c, { releaseName: 'rel', set: { 'auth.existingSecret': 'team-secret' } });
    expect(replaced.manifests.some((d) => d.kind === 'Secret')).toBe(false);
    expect(replaced.find('Deployment').spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name).toBe('team-secret');
  });

  test('a hook that reads an object switched off by a value it does not share is an error', () => {
    const c = newChart();
    const on = c.values.boolean('extra.enabled', { default: false, description: 'Extra.' });
    const secret = new kplus.Secret(c, 'Extra', { stringData: { a: 'b' } });
    Template.of(secret).enableWhen(on);
    const job = new HookJob(c, 'Migrate', {
      events: [HookEvent.POST_INSTALL],
      image: 'x',
      env: { A: kplus.EnvValue.fromSecretValue({ secret, key: 'a' }) },
    });
    expectHelmSynthError(() => Testing.synth(c), 'demo/Migrate', 'only rendered when extra.enabled', 'runs always');
    Template.of(job).enableWhen(on);
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('a dependency that turns a normal Secret into a hook is a warning, not an error', () => {
    const c = newChart();
    const secret = new kplus.Secret(c, 'Creds', { stringData: { a: 'b' } });
    new HookJob(c, 'Migrate', {
      events: [HookEvent.PRE_INSTALL],
      image: 'x',
      env: { A: kplus.EnvValue.fromSecretValue({ secret, key: 'a' }) },
    }).addDependency(secret);
    const files = Testing.synth(c);
    expect(files.warnings.map((w) => `${w.constructPath}: ${w.message}`)).toEqual([
      expect.stringMatching(
        /^demo\/Creds: Secret is a hook \(pre-install,pre-upgrade\) because demo\/Migrate.*helm uninstall leaves it behind/,
      ),
    ]);
  });

  test('CustomResourceDefinitions go to crds/ as plain YAML; a templated one is an error', () => {
    const c = newChart();
    new ApiObject(c, 'Crd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', description: 'A {{ widget }}' } } },
        ],
      },
    });
    const files = Testing.synth(c).files;
    expect(files.get('crds/widgets.example.com.yaml')).toContain('description: A {{ widget }}');
    expect([...files.keys()].filter((f) => f.startsWith('templates/') && f.includes('custom'))).toEqual([]);
    const bad = newChart();
    new ApiObject(bad, 'Crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', spec: {} });
    expectHelmSynthError(() => Testing.synth(bad), 'demo/Crd', 'cannot hold value, release or name tokens');
  });

  withHelm('merge and append extend what the construct sets', () => {
    const c = newChart();
    const extraEnv = c.values.list('extraEnv', { default: [{ name: 'EXTRA', value: '1' }], description: 'Env.' });
    const annotations = c.values.object('extraAnnotations', {
      default: { 'example.com/x': 'y', owner: 'values' },
      description: 'Annotations.',
    });
    const pod = new kplus.Pod(c, 'Pod', {
      metadata: { annotations: { owner: 'construct' } },
      containers: [{ image: 'x', envVariables: { OWN: kplus.EnvValue.fromValue('1') } }],
    });
    Template.of(pod).append('spec.containers[0].env', extraEnv.asList()).merge('metadata.annotations', annotations.asObject());
    const doc = Testing.render(c).find('Pod');
    expect(doc.spec.containers[0].env).toEqual([
      { name: 'OWN', value: '1' },
      { name: 'EXTRA', value: '1' },
    ]);
    expect(doc.metadata.annotations).toEqual({ owner: 'construct', 'example.com/x': 'y' });
    expectHelmSynthError(
      () => {
        Template.of(pod).merge('metadata.labels', extraEnv.asList());
        Testing.synth(c);
      },
      'demo/Pod',
      'takes a map value token',
    );
  });

  test('Hook.apply on a CRD is an error', () => {
    const c = newChart();
    const crd = new ApiObject(c, 'Crd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'a.b.c' },
      spec: {},
    });
    Hook.apply(crd, { events: [HookEvent.PRE_INSTALL] });
    expectHelmSynthError(() => Testing.synth(c), 'demo/Crd', 'goes to crds/');
  });
});
