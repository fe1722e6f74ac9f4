import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmApp, HelmChart, Hook, HookEvent, Release, ServiceConnectionTest, Template } from '../../src';
import { RenderOptions, Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { validateManifests } from '../support/kube-schema';

const withHelm = Testing.ifHelm(test);

function newChart(id = 'demo', app: App = Testing.app()): HelmChart {
  return new HelmChart(app, id, { version: '1.0.0', appVersion: '1.0.0' });
}

/** Lints (--strict), renders with the given values and validates every object against Kubernetes 1.27. */
function renderValid(chart: HelmChart, options: RenderOptions = {}) {
  expect(Testing.lint(chart)).toContain('0 chart(s) failed');
  const rendered = Testing.render(chart, { releaseName: 'rel', namespace: 'ns', ...options });
  expect(validateManifests(rendered.manifests)).toEqual([]);
  return rendered;
}

describe('class 1: scalars render with the type Kubernetes expects and the exact value', () => {
  function scalarChart() {
    const chart = newChart();
    const port = chart.values.integer('port', { default: 8080, minimum: 1, maximum: 65535, description: 'Port.' });
    const big = chart.values.integer('big', { default: 1500000, description: 'A large integer.' });
    const ratio = chart.values.number('ratio', { default: 1500000.5, description: 'A large number.' });
    const flag = chart.values.boolean('flag', { default: true, description: 'A flag.' });
    const octal = chart.values.string('octal', { default: '0o17', description: 'Looks like a number to Go.' });
    const script = chart.values.string('script', { default: 'line one\n  line: two\nthree # four\n', description: 'Multi-line.' });
    new kplus.ConfigMap(chart, 'Data', {
      metadata: { annotations: { port: port.asNumber() as unknown as string, flag: flag.asBoolean() as unknown as string } },
      data: {
        port: port.asNumber() as unknown as string,
        big: big.asString(),
        bigInText: `n=${big}`,
        ratio: ratio.asString(),
        ratioInText: `r=${ratio.asNumber()}`,
        flag: flag.asBoolean() as unknown as string,
        octal: octal.asString(),
        literalOctal: '0o17',
        literals: '0b101 0x_1F 1_0 +0o17',
        script: script.asString(),
      },
    });
    new kplus.Pod(chart, 'Runner', {
      containers: [
        {
          image: 'busybox',
          args: [port.asNumber() as unknown as string, '1_0', '0x_1F', '+0o17', '0b101'],
          envVariables: {
            PORT: kplus.EnvValue.fromValue(port.asNumber() as unknown as string),
            BIG: kplus.EnvValue.fromValue(String(big.asNumber())),
          },
        },
      ],
    });
    return chart;
  }

  withHelm('numbers and booleans in string fields are strings, large numbers have no exponent, Go-numeric strings stay strings', () => {
    const rendered = renderValid(scalarChart(), { set: { big: '1000000' } });
    const data = rendered.find('ConfigMap').data;
    expect(data).toEqual({
      port: '8080',
      big: '1000000',
      bigInText: 'n=1000000',
      ratio: '1500000.5',
      ratioInText: 'r=1500000.5',
      flag: 'true',
      octal: '0o17',
      literalOctal: '0o17',
      literals: '0b101 0x_1F 1_0 +0o17',
      script: 'line one\n  line: two\nthree # four\n',
    });
    expect(rendered.find('ConfigMap').metadata.annotations).toEqual({ port: '8080', flag: 'true' });
    const container = rendered.find('Pod').spec.containers[0];
    expect(container.args).toEqual(['8080', '1_0', '0x_1F', '+0o17', '0b101']);
    expect(container.env).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'BIG', value: '1000000' },
    ]);
  });

  test('values.yaml quotes what Go would read as a number and writes multi-line defaults as blocks', () => {
    const values = Testing.file(scalarChart(), 'values.yaml');
    expect(values).toContain('octal: "0o17"');
    expect(values).toContain('script: |\n  line one\n    line: two\n  three # four\n');
  });
});

describe('class 2: a value removed at install (null, ~) fails the schema instead of rendering <nil> or 0', () => {
  function chart() {
    const c = newChart();
    const replicas = c.values.integer('replicaCount', { default: 2, minimum: 0, description: 'Replicas.' });
    const tag = c.values.string('image.tag', { default: '1.0', description: 'Tag.' });
    new kplus.Deployment(c, 'Web', { replicas: replicas.asNumber(), containers: [{ image: `nginx:${tag}`, portNumber: 80 }] });
    return c;
  }

  test('every key values.yaml holds is required by the schema', () => {
    const schema = JSON.parse(Testing.file(chart(), 'values.schema.json'));
    expect(schema.required).toEqual(['nameOverride', 'fullnameOverride', 'replicaCount', 'image']);
    expect(schema.properties.image.required).toEqual(['tag']);
  });

  withHelm.each([
    ['--set replicaCount=null', { set: { replicaCount: 'null' } }, 'replicaCount'],
    ['--set image.tag=null', { set: { 'image.tag': 'null' } }, 'tag'],
    ['a values file with replicaCount: ~', { values: { replicaCount: null } }, 'replicaCount'],
    ['a values file with image: null', { values: { image: null } }, 'image'],
  ])('%s', (_label, options, key) => {
    expect(() => Testing.render(chart(), options)).toThrow(new RegExp(`${key}.*(required|null)|(required|null).*${key}`, 's'));
  });
});

describe('class 3: text written as comments and Markdown cannot inject keys or headings', () => {
  const injections = ['a\rb: evil', 'a\u2028b: evil', 'a\u0085b: evil', 'a\r\nb: evil', 'a\nb: evil'];

  withHelm.each(injections.map((d) => [JSON.stringify(d), d]))('description %s stays a comment', (_label, description) => {
    const chart = newChart();
    const b = chart.values.string('b', { default: 'good', description: 'B.' });
    chart.values.string('a', { default: 'x', description });
    chart.values.describe('group', description);
    chart.values.string('group.c', { default: 'y', description: 'C.' });
    new kplus.ConfigMap(chart, 'Cm', { data: { b: b.asString() } });
    const values = Testing.file(chart, 'values.yaml');
    expect(values).not.toMatch(/^b: evil$/m);
    expect(renderValid(chart).find('ConfigMap').data.b).toBe('good');
  });

  test('README tables and paragraphs survive |, newlines and Markdown syntax', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0', description: '# Not a heading | pipe' });
    chart.values.string('x', { default: 'a|b', description: 'one | two\n## three\r\n<script>' });
    const readme = Testing.file(chart, 'README.md');
    expect(readme).toContain('\\# Not a heading \\| pipe');
    const row = readme.split('\n').find((line) => line.startsWith('| `x`'))!;
    expect(row.split(/(?<!\\)\|/).length).toBe(6);
    expect(readme).not.toMatch(/^## three/m);
    expect(readme).not.toContain('<script>');
  });

  test.each([[''], ['   '], [undefined], [42]])('a description %j is an error', (description) => {
    expectHelmSynthError(() => newChart().values.string('x', { default: 'a', description } as never), 'demo', 'value x: description');
  });
});

describe("class 4: constraints that contradict their default or Helm's validator fail at synthesis", () => {
  const v = () => newChart().values;
  test.each<[string, () => unknown, string]>([
    ['minLength above the default', () => v().string('s', { default: 'ab', minLength: 3, description: 'S.' }), 'outside [3, inf]'],
    ['maxLength below the default', () => v().string('s', { default: 'abcd', maxLength: 3, description: 'S.' }), 'outside [0, 3]'],
    [
      'minLength above maxLength',
      () => v().string('s', { minLength: 4, maxLength: 3, description: 'S.' }),
      'minLength 4 is greater than maxLength 3',
    ],
    ['a negative length', () => v().string('s', { maxLength: -1, description: 'S.' }), 'maxLength -1 must be a non-negative integer'],
    ['a lookahead pattern (not RE2)', () => v().string('s', { pattern: '^(?=a)', description: 'S.' }), "is not valid in Go's RE2"],
    ['a backreference pattern', () => v().string('s', { pattern: '(a)\\1', description: 'S.' }), "is not valid in Go's RE2"],
    ['a duplicate enum entry', () => v().enum('e', { values: ['a', 'b', 'a'], description: 'E.' }), 'enum value "a" is listed twice'],
    ['a NaN minimum', () => v().integer('n', { default: 1, minimum: NaN, description: 'N.' }), 'minimum NaN must be a finite number'],
    [
      'an infinite maximum',
      () => v().number('n', { default: 1, maximum: Infinity, description: 'N.' }),
      'maximum Infinity must be a finite number',
    ],
    ['an integer with neither default nor required', () => v().integer('n', { description: 'N.' }), 'needs a default or required'],
    [
      'an invalid items schema',
      () => v().list('l', { default: [], items: { type: 'nonsense' }, description: 'L.' }),
      'items is not a valid JSON Schema',
    ],
    [
      'a default item against its items schema',
      () => v().list('l', { default: [1], items: { type: 'string' }, description: 'L.' }),
      'default[0] 1 does not match its items schema',
    ],
    [
      'a default entry against its entries schema',
      () => v().object('o', { default: { a: 1 }, entries: { type: 'string' }, description: 'O.' }),
      'default.a 1 does not match its entries schema',
    ],
    [
      'a token in a default',
      () => {
        const values = v();
        return values.string('t', { default: `x-${values.string('u', { default: 'u', description: 'U.' })}`, description: 'T.' });
      },
      'holds a token',
    ],
  ])('%s', (_label, action, message) => {
    expectHelmSynthError(action, 'demo', message);
  });

  test.each([
    ['>= 1.27', true],
    ['>=1.27.0-0 <1.31.0-0', true],
    ['~1.27', true],
    ['!=1.27.0', false],
    ['>=1.2, <2', false],
    ['~>1.27', false],
    ['latest', false],
  ])('kubeVersion %j valid: %s', (kubeVersion, valid) => {
    const make = () => new HelmChart(Testing.app(), 'k', { version: '1.0.0', kubeVersion });
    if (valid) expect(make().metadata.kubeVersion).toBe(kubeVersion);
    else expectHelmSynthError(make, 'k', 'is not a SemVer range');
  });

  test('a maintainer needs a name', () => {
    expectHelmSynthError(
      () => new HelmChart(Testing.app(), 'm', { version: '1.0.0', maintainers: [{ email: 'a@b.c' } as never] }),
      'm',
      'needs a name',
    );
  });

  withHelm('an appVersion a label cannot hold becomes a valid label value', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0', appVersion: '1.0.0+build.7 (rc)' });
    new kplus.ConfigMap(chart, 'Cm', { data: { a: 'b' } });
    const doc = renderValid(chart).find('ConfigMap');
    expect(doc.metadata.labels['app.kubernetes.io/version']).toBe('1.0.0_build.7__rc');
  });
});

describe('class 5: names are at most 63 characters, distinct across releases, from any construct path', () => {
  function longChart() {
    const chart = newChart('web');
    const scope = new Construct(chart, 'AVeryLongScopeNameForTheService');
    new kplus.ConfigMap(new Construct(scope, 'AndAnotherQuiteLongNestedScope'), 'WithAConfigMapWhoseIdIsLongToo', { data: { a: 'b' } });
    new kplus.ConfigMap(
      new Construct(scope, 'AndAnotherQuiteLongNestedScope'.replace('Another', 'Other')),
      'WithAConfigMapWhoseIdIsLongToo',
      { data: { a: 'b' } },
    );
    return chart;
  }

  test('long derived suffixes are cut to 40 characters with a hash, and stay distinct', () => {
    const files = [...Testing.synth(longChart()).files.keys()].filter((f) => f.endsWith('config-map.yaml'));
    expect(files).toHaveLength(2);
    for (const file of files) expect(file.replace('templates/', '').replace('-config-map.yaml', '').length).toBeLessThanOrEqual(40);
  });

  withHelm('two releases with long names that share a 63-character prefix get different names of at most 63 characters', () => {
    const release = (color: string) => `${'x'.repeat(40)}-${color}-web`;
    const names = ['blue', 'green'].map((color) =>
      renderValid(longChart(), { releaseName: release(color) }).manifests.map((d) => d.metadata.name as string),
    );
    for (const list of names) for (const name of list) expect(name.length).toBeLessThanOrEqual(63);
    expect(names[0].filter((n) => names[1].includes(n))).toEqual([]);
    for (const list of names) expect(new Set(list).size).toBe(list.length);
  });

  withHelm('a long fullnameOverride still gives distinct names per suffix', () => {
    const rendered = renderValid(longChart(), { set: { fullnameOverride: 'f'.repeat(70) } });
    const names = rendered.manifests.map((d) => d.metadata.name as string);
    expect(names.every((n) => n.length <= 63)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('class 6: nothing from a user or a value reaches a shell except as an environment variable', () => {
  const injection = "/';echo$IFS'INJECTED';'";

  withHelm.each([
    ['a literal httpPath', false],
    ['an httpPath from values', true],
  ])('%s is passed to wget as one argument, never run', (_label, fromValues) => {
    const chart = newChart();
    const path = chart.values.string('probe.path', { default: '/healthz', description: 'Path.' });
    const server = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const service = server.exposeViaService();
    new ServiceConnectionTest(chart, 'Probe', { service, httpPath: fromValues ? path.asString() : injection, attempts: 1 });
    const pod = renderValid(chart, fromValues ? { values: { probe: { path: injection } } } : {}).find('Pod');
    const container = pod.spec.containers[0];
    const bin = mkdtempSync(join(tmpdir(), 'helm-synth-shell-'));
    try {
      writeFileSync(join(bin, 'wget'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "$ARGS_FILE"\nexit 0\n');
      chmodSync(join(bin, 'wget'), 0o755);
      const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
      const result = spawnSync(container.command[0], container.command.slice(1), {
        encoding: 'utf8',
        env: { ...env, PATH: `${bin}:/usr/bin:/bin`, ARGS_FILE: join(bin, 'args') },
      });
      expect(result.stdout + result.stderr).not.toMatch(/^INJECTED$/m);
      expect(result.status).toBe(0);
      const args = require('node:fs').readFileSync(join(bin, 'args'), 'utf8').trim().split('\n');
      expect(args[args.length - 1]).toBe(`http://rel-demo-web-service:80${injection}`);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('class 7: leftovers apply or fail', () => {
  withHelm('a construct id with braces and line breaks stays in its comment', () => {
    const chart = newChart();
    new kplus.ConfigMap(chart, 'Odd {{ id }}\nx: y', { data: { a: 'b' } });
    const rendered = renderValid(chart);
    expect(rendered.manifests).toHaveLength(1);
    expect(rendered.text).toMatch(/^# ConfigMap demo\/Odd \{\{ id \}\}.*x: y\/Resource, written by helm-synth\.$/m);
  });

  test('a lone surrogate is an error naming the field', () => {
    const chart = newChart();
    new kplus.ConfigMap(chart, 'Cm', { data: { a: 'x\ud800y' } });
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Cm', 'data.a', 'lone UTF-16 surrogate');
  });

  test('set past the end of a list is an error; set at the end appends', () => {
    const chart = newChart();
    const pod = new kplus.Pod(chart, 'P', { containers: [{ image: 'a' }] });
    Template.of(pod).set('spec.containers[2].image', 'b');
    expectHelmSynthError(() => Testing.synth(chart), 'demo/P', 'spec.containers has 1 item(s), so there is no [2]');
    const other = newChart();
    const pod2 = new kplus.Pod(other, 'P', { containers: [{ image: 'a' }] });
    Template.of(pod2).set('spec.containers[1]', { name: 'second', image: 'b' });
    expect(Testing.file(other, 'templates/p-pod.yaml')).toContain('    - name: second\n      image: b\n');
  });

  test('removing a field that does not exist is an error', () => {
    const chart = newChart();
    Template.of(new kplus.ConfigMap(chart, 'Cm', { data: { a: 'b' } })).remove('data.missing');
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Cm', 'data.missing does not exist');
  });

  test('Hook.apply on a scope without objects fails', () => {
    const chart = newChart();
    Hook.apply(new Construct(chart, 'Empty'), { events: [HookEvent.PRE_INSTALL] });
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Empty', 'Hook.apply(demo/Empty) has no object to apply to');
  });

  test("Template.of a scope that is not an object's owner fails for per-object settings", () => {
    const chart = newChart();
    const scope = new Construct(chart, 'Scope');
    new kplus.ConfigMap(scope, 'Cm');
    Template.of(scope).nameSuffix('x').set('data.a', 'b');
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Scope', 'has no object to apply to', 'demo/Scope/Cm/Resource');
  });

  test('setIf with a key holding a colon and an object value', () => {
    const chart = newChart();
    const on = chart.values.boolean('on', { default: true, description: 'On.' });
    Template.of(new ApiObject(chart, 'Cm', { apiVersion: 'example.com/v1', kind: 'Widget' }))
      .setIf(['data', 'example.com/a:b'], on, 'x')
      .setIf('spec', on, { nested: { list: [1, 'two'] } });
    const text = Testing.file(chart, 'templates/cm-widget.yaml');
    expect(text).toContain('{{- if .Values.on }}\ndata:\n  example.com/a:b: x\n{{- end }}');
    expect(text).toContain('{{- if .Values.on }}\nspec:\n  nested:\n    list:\n      - 1\n      - two\n{{- end }}');
  });
});

describe('tokens belong to their chart and app', () => {
  test('a value of chart a used in chart b fails naming both', () => {
    const app = Testing.app();
    const a = newChart('a', app);
    const b = newChart('b', app);
    const tag = a.values.string('image.tag', { default: '1', description: 'Tag.' });
    new kplus.ConfigMap(b, 'Cm', { data: { tag: tag.asString() } });
    expectHelmSynthError(() => app.synthCharts(), 'b/Cm', 'value image.tag belongs to chart a', 'chart b can only use its own values');
  });

  test('a condition or replacing value of another chart fails', () => {
    const app = Testing.app();
    const a = newChart('a', app);
    const b = newChart('b', app);
    const on = a.values.boolean('on', { default: true, description: 'On.' });
    const name = a.values.string('existing', { default: '', description: 'Existing.' });
    Template.of(new kplus.ConfigMap(b, 'Gated', { data: { x: 'y' } })).enableWhen(on);
    Template.of(new kplus.ConfigMap(b, 'Field', { data: { x: 'y' } })).setIf('data.z', on, 'z');
    Template.of(new kplus.Secret(b, 'Replaced')).replaceableBy(name);
    const error = expectHelmSynthError(() => app.synthCharts(), '', '3 problems');
    expect(error.problems.map((p) => p.constructPath).sort()).toEqual(['b/Field', 'b/Gated', 'b/Replaced']);
    expect(error.message).toContain('reads values of chart a');
  });

  test('a token in kind or apiVersion fails', () => {
    const chart = newChart();
    const kind = chart.values.string('kind', { default: 'ConfigMap', description: 'Kind.' });
    new ApiObject(chart, 'Odd', { apiVersion: 'v1', kind: kind.asString() });
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Odd', 'kind "${value kind}" must be literal text');
  });

  test('two apps in one process: names and values stay with their own app', () => {
    const build = (name: string) => {
      const app = Testing.app();
      const chart = newChart(name, app);
      const cm = new kplus.ConfigMap(chart, 'Config', { data: { a: 'b' } });
      new kplus.ConfigMap(chart, 'Ref', { data: { ref: chart.resourceName(cm) } });
      return { app, chart };
    };
    const alpha = build('alpha');
    const beta = build('beta');
    expect(Testing.file(beta.chart, 'templates/ref-config-map.yaml')).toContain(
      'ref: {{ include "beta.resourceName" (list . "config") | quote }}',
    );
    expect(Testing.file(alpha.chart, 'templates/ref-config-map.yaml')).toContain(
      'ref: {{ include "alpha.resourceName" (list . "config") | quote }}',
    );
    const foreign = new kplus.ConfigMap(beta.chart, 'Foreign', {
      data: { ref: alpha.chart.resourceName(alpha.chart.node.findChild('Config')) },
    });
    void foreign;
    expectHelmSynthError(() => beta.app.synthCharts(), 'beta/Foreign', 'belongs to chart alpha of another app');
  });

  test('literal text that looks like a marker is kept as it is', () => {
    const chart = newChart();
    new kplus.ConfigMap(chart, 'Cm', { data: { a: 'helmsynth0z helmsynth0123456789012z zzhsp0zz \u0000include:x' } });
    expect(Testing.file(chart, 'templates/cm-config-map.yaml')).toContain(
      'a: "helmsynth0z helmsynth0123456789012z zzhsp0zz \\u0000include:x"',
    );
  });
});

describe('names, namespaces and nesting', () => {
  test('an explicit metadata.name is an error unless fixedName keeps it; a token name is templated', () => {
    const chart = newChart();
    new kplus.ConfigMap(chart, 'Fixed', { metadata: { name: 'fixed-name' } });
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Fixed', '"fixed-name" is given explicitly', 'fixedName()');
    const ok = newChart();
    Template.of(new kplus.ConfigMap(ok, 'Fixed', { metadata: { name: 'fixed-name' } })).fixedName();
    new kplus.ConfigMap(ok, 'Templated', { metadata: { name: `${Release.name}-templated` } });
    const files = Testing.synth(ok).files;
    expect(files.get('templates/fixed-config-map.yaml')).toContain('  name: fixed-name\n');
    expect(files.get('templates/templated-config-map.yaml')).toContain('  name: {{ printf "%v-templated" .Release.Name | quote }}');
  });

  test('an explicit namespace is kept; a cluster-scoped kind with one is an error', () => {
    const chart = newChart();
    new kplus.ConfigMap(chart, 'Cm', { metadata: { namespace: 'kube-system' } });
    expect(Testing.file(chart, 'templates/cm-config-map.yaml')).toContain('  namespace: kube-system\n');
    const bad = newChart();
    new ApiObject(bad, 'Class', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { namespace: 'x' }, value: 1 });
    expectHelmSynthError(() => Testing.synth(bad), 'demo/Class', 'PriorityClass is cluster-scoped');
  });

  test("a nested HelmChart's objects are written only into the nested chart", () => {
    const app = Testing.app();
    const outer = newChart('outer', app);
    const inner = newChart('inner', outer as unknown as App);
    new kplus.ConfigMap(inner, 'Cm', { data: { a: 'b' } });
    const charts = app.synthCharts();
    expect(
      [...charts.find((c) => c.name === 'outer')!.files.keys()].filter(
        (f) => f.startsWith('templates/') && !f.includes('_helpers') && !f.includes('NOTES'),
      ),
    ).toEqual([]);
    expect(charts.find((c) => c.name === 'inner')!.files.has('templates/cm-config-map.yaml')).toBe(true);
  });

  test('a plain cdk8s Chart inside a HelmChart, and objects outside any HelmChart, are errors', () => {
    const app = Testing.app();
    const chart = newChart('c', app);
    new kplus.ConfigMap(new Chart(chart, 'Plain'), 'Cm');
    new kplus.ConfigMap(new Chart(app, 'Loose'), 'Cm');
    const error = expectHelmSynthError(() => app.synthCharts(), '', 'problems');
    expect(error.problems.map((p) => p.constructPath)).toEqual(expect.arrayContaining(['c/Plain', 'Loose/Cm/Resource']));
  });
});

describe('HelmApp.synth runs cdk8s validation and reports every problem together', () => {
  test("an Ingress with no rules fails with cdk8s-plus's own message, with other problems", () => {
    const app = new HelmApp({ outdir: join(tmpdir(), 'helm-synth-unused') });
    const chart = newChart('c', app);
    new kplus.Ingress(chart, 'Ingress');
    new kplus.ConfigMap(chart, 'Cm', { data: { a: 'x\udfffy' } });
    const error = expectHelmSynthError(() => app.synthCharts(), '', '2 problems', 'c/Ingress', 'c/Cm');
    expect(error.problems).toHaveLength(2);
  });

  withHelm('a hook pod, rendered, lints under the stand-in as well', () => {
    const chart = newChart();
    Hook.apply(new kplus.ConfigMap(chart, 'Cm', { data: { a: 'b' } }), { events: [HookEvent.POST_INSTALL] });
    expect(Testing.render(chart).text).toContain('helm.sh/hook: post-install');
  });
});
