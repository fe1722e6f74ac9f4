import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Release, Template } from '../../src';
import { Testing } from '../../src/testing';

function newChart(): HelmChart {
  return new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
}

describe('references render as the right expression for their use', () => {
  test('string, integer, number, boolean and a composite string', () => {
    const chart = newChart();
    const host = chart.values.string('db.host', { default: 'db', description: 'Host.' });
    const port = chart.values.integer('db.port', { default: 5432, description: 'Port.' });
    const ratio = chart.values.number('ratio', { default: 0.5, description: 'Ratio.' });
    const debug = chart.values.boolean('debug', { default: false, description: 'Debug.' });
    new ApiObject(chart, 'Thing', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { host: host.asString(), url: `postgres://${host}:${port.asString()}/app?x=100%` },
      spec: { port: port.asNumber(), ratio: ratio.asNumber(), debug: debug.asBoolean() },
    } as never);
    const text = Testing.file(chart, 'templates/thing-config-map.yaml');
    expect(text).toContain('host: {{ .Values.db.host | quote }}');
    expect(text).toContain('url: {{ printf "postgres://%v:%v/app?x=100%%" .Values.db.host (.Values.db.port | int64 | toString) | quote }}');
    expect(text).toContain('port: {{ .Values.db.port | int64 }}');
    expect(text).toContain('ratio: {{ .Values.ratio | toJson }}');
    expect(text).toContain('debug: {{ .Values.debug }}');
  });

  test('objects and lists render with toYaml at the key column, omitted when empty', () => {
    const chart = newChart();
    const labels = chart.values.object('extraLabels', { default: {}, description: 'Labels.' });
    const env = chart.values.list('extraEnv', { default: [], description: 'Env.' });
    new ApiObject(chart, 'Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { nodeSelector: labels.asObject(), containers: [{ name: 'c', image: 'i', env: [{ name: 'A', value: 'a' }, env.asList()] }] },
    });
    const text = Testing.file(chart, 'templates/pod-pod.yaml');
    expect(text).toContain(
      ['  {{- with .Values.extraLabels }}', '  nodeSelector:', '    {{- toYaml . | nindent 4 }}', '  {{- end }}'].join('\n'),
    );
    expect(text).toContain(['        {{- $listKeys1 := list "A" }}', '        {{- range .Values.extraEnv }}'].join('\n'));
    expect(text).toContain(
      [
        '        - name: A',
        '          value: a',
        '        {{- with .Values.extraEnv }}',
        '        {{- toYaml . | nindent 8 }}',
        '        {{- end }}',
      ].join('\n'),
    );
  });

  test('required values without a default fail the render with the key named', () => {
    const chart = newChart();
    const image = chart.values.string('image', { required: true, description: 'Image to run.' });
    new kplus.Pod(chart, 'Runner', { containers: [{ image: image.asString() }] });
    expect(Testing.file(chart, 'templates/runner-pod.yaml')).toContain(
      'image: {{ required "value image is required: Image to run." .Values.image | quote }}',
    );
  });

  test('release fields and resource names compose into strings', () => {
    const chart = newChart();
    const service = new kplus.Service(chart, 'Api', {
      ports: [{ port: 80 }],
      selector: kplus.Pods.select(chart, 'P', { labels: { app: 'x' } }),
    });
    new ApiObject(chart, 'Info', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { url: `http://${chart.resourceName(service)}.${Release.namespace}.svc:80` },
    } as never);
    expect(Testing.file(chart, 'templates/info-config-map.yaml')).toContain(
      'url: {{ printf "http://%v.%v.svc:80" (include "demo.resourceName" (list . "api")) .Release.Namespace | quote }}',
    );
  });
});

describe('literal text is never executed', () => {
  const literal = 'alert: {{ $labels.instance }} is down }} {{{ x }}}\n  {{- "keep" -}}';
  const chart = newChart();
  new kplus.ConfigMap(chart, 'Rules', { data: { 'rules.yaml': literal }, metadata: { annotations: { note: '{{ not a template }}' } } });

  test('braces are escaped in the template', () => {
    expect(Testing.file(chart, 'templates/rules-config-map.yaml')).toContain('{{ "{{" }} $labels.instance }}');
  });

  Testing.ifHelm(test)('and render back byte-identical', () => {
    const doc = Testing.render(chart).find('ConfigMap');
    expect(doc.data['rules.yaml']).toBe(literal);
    expect(doc.metadata.annotations.note).toBe('{{ not a template }}');
  });
});

describe('conditionals', () => {
  test('a resource enabled by a value is wrapped in if', () => {
    const chart = newChart();
    const enabled = chart.values.boolean('extra.enabled', { default: false, description: 'Extra.' });
    const cm = new kplus.ConfigMap(chart, 'Extra', { data: { a: 'b' } });
    Template.of(cm).enableWhen(enabled);
    const text = Testing.file(chart, 'templates/extra-config-map.yaml');
    expect(text.startsWith('{{- if .Values.extra.enabled }}\n')).toBe(true);
    expect(text.endsWith('{{- end }}\n')).toBe(true);
  });

  test('a field can be conditional', () => {
    const chart = newChart();
    const sa = chart.values.boolean('serviceAccount.create', { default: true, description: 'Create.' });
    const pod = new kplus.Pod(chart, 'Worker', { containers: [{ image: 'busybox' }] });
    Template.of(pod).setIf('spec.serviceAccountName', sa, 'worker');
    const text = Testing.file(chart, 'templates/worker-pod.yaml');
    expect(text).toMatch(/\n {2}\{\{- if \.Values\.serviceAccount\.create \}\}\n {2}serviceAccountName: worker\n {2}\{\{- end \}\}\n/);
  });
});

describe('release-scoped names and labels', () => {
  test('names, namespace, labels and selectors', () => {
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'WebServer', { containers: [{ image: 'nginx', portNumber: 80 }] });
    deployment.exposeViaService();
    const files = Testing.synth(chart).files;
    const text = files.get('templates/web-server-deployment.yaml')!;
    expect(text).toContain('name: {{ include "demo.resourceName" (list . "web-server") | quote }}');
    expect(text).toContain('namespace: {{ .Release.Namespace | quote }}');
    expect(text).toContain('{{- include "demo.labels" . | nindent 4 }}');
    expect(text).toContain('{{- include "demo.selectorLabels" . | nindent 6 }}');
    expect(files.get('templates/web-server-service-service.yaml')).toContain('{{- include "demo.selectorLabels" . | nindent 4 }}');
  });

  test('output is deterministic', () => {
    const build = () => {
      const chart = newChart();
      new kplus.Deployment(chart, 'A', { containers: [{ image: 'nginx' }] });
      return [...Testing.synth(chart).files];
    };
    expect(build()).toEqual(build());
  });
});
