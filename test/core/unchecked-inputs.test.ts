import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Template } from '../../src';
import { Testing } from '../../src/testing';
import {
  DNS_1035_LABEL_RULE,
  DNS_SUBDOMAIN_RULE,
  isDns1035Label,
  isDnsLabel,
  isDnsSubdomain,
  isIanaServiceName,
  isPathSegmentName,
} from '../../src/tokens/checks';
import { WebAppChart } from '../../charts/web-app';
import { expectHelmSynthError } from '../support/errors';

const JS_INTERNALS = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

describe('value paths and keys that are JavaScript object internals are refused', () => {
  test.each(JS_INTERNALS.flatMap((name) => [[name], [`a.${name}`], [`${name}.b`]]))('value path %s', (path) => {
    const chart = Testing.chart();
    expectHelmSynthError(() => chart.values.string(path, { description: 'x' }), 'test', JSON.stringify(path), "every object's internals");
  });

  test.each(JS_INTERNALS)('describe, passthrough and default keys %s', (name) => {
    const chart = Testing.chart();
    expectHelmSynthError(() => chart.values.describe(name, 'x'), 'test', JSON.stringify(name));
    expectHelmSynthError(() => chart.values.allowPassthrough(name, 'x'), 'test', JSON.stringify(name));
    const defaults = JSON.parse(`{"ok": {${JSON.stringify(name)}: 1}}`);
    expectHelmSynthError(() => chart.values.object('map', { description: 'x', default: defaults }), 'test', JSON.stringify(name));
  });

  test('ordinary paths that only contain such names are fine', () => {
    const chart = Testing.chart();
    chart.values.string('protoName.constructorArgs', { description: 'x', default: '' });
    chart.values.string('to_string', { description: 'x', default: '' });
  });
});

describe('eq/ne of an enum value take one of its values', () => {
  test.each([
    ['z', true],
    ['z', false],
    ['Fast', true],
    ['', false],
  ] as const)('%j (eq: %s) is an error naming the value and the enum', (literal, equal) => {
    const chart = Testing.chart();
    const mode = chart.values.enum('mode', { values: ['fast', 'safe'], default: 'safe', description: 'Mode.' });
    expectHelmSynthError(
      () => (equal ? mode.eq(literal) : mode.ne(literal)),
      'test',
      'value mode (enum)',
      JSON.stringify(literal),
      '["fast","safe"]',
      equal ? 'always false' : 'always true',
    );
  });

  test('every allowed value compares', () => {
    const chart = Testing.chart();
    const mode = chart.values.enum('mode', { values: ['fast', 'safe'], default: 'safe', description: 'Mode.' });
    expect(mode.eq('fast').expression).toBe('(eq (.Values.mode | toString) "fast")');
    expect(mode.ne('safe').expression).toBe('(ne (.Values.mode | toString) "safe")');
  });
});

describe('a value declared twice must be declared the same way', () => {
  test('the same declaration twice is one value', () => {
    const chart = Testing.chart();
    const first = chart.values.integer('port', { description: 'Port.', default: 80, minimum: 1 });
    expect(chart.values.integer('port', { description: 'Port.', default: 80, minimum: 1 })).toBe(first);
  });

  test.each<[string, (chart: ReturnType<typeof Testing.chart>) => unknown, string[]]>([
    [
      'required',
      (c) => {
        c.values.string('host', { description: 'Host.' });
        c.values.string('host', { description: 'Host.', required: true });
      },
      ['different required (false, then true)'],
    ],
    [
      'description',
      (c) => {
        c.values.boolean('on', { description: 'On.', default: false });
        c.values.boolean('on', { description: 'Switch.', default: false });
      },
      ['different descriptions ("On.", then "Switch.")'],
    ],
    [
      'bounds',
      (c) => {
        c.values.integer('n', { description: 'N.', default: 1, minimum: 0 });
        c.values.integer('n', { description: 'N.', default: 1, minimum: 1 });
      },
      ['different constraints', '"minimum":0', '"minimum":1'],
    ],
    [
      'required and description together',
      (c) => {
        c.values.secret('password', { description: 'Password.' });
        c.values.secret('password', { description: 'The password.', required: true });
      },
      ['different required (false, then true), descriptions ("Password.", then "The password.")'],
    ],
  ])('differing %s is an error naming what differs', (_name, declare, fragments) => {
    const chart = Testing.chart();
    expectHelmSynthError(() => declare(chart), 'test', 'declared twice', ...fragments);
  });
});

describe('sameNameAs chains', () => {
  const KINDS = ['ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'Service', 'PersistentVolumeClaim', 'LimitRange'];
  function objects(chart: HelmChart, count: number): ApiObject[] {
    return KINDS.slice(0, count).map((kind) => new ApiObject(chart, kind, { apiVersion: 'v1', kind }));
  }

  test.each([2, 3, 7])('a cycle of %i objects is an error naming the cycle, not a stack overflow', (length) => {
    const chart = Testing.chart();
    const made = objects(chart, length + 1);
    for (let i = 0; i < length; i++) Template.of(made[i]).sameNameAs(made[(i + 1) % length]);
    Template.of(made[length]).sameNameAs(made[0]);
    let caught: unknown;
    try {
      Testing.synth(chart);
    } catch (error) {
      caught = error;
    }
    expect(caught).not.toBeInstanceOf(RangeError);
    const cycle = [...made.slice(0, length), made[0]].map((o) => o.node.path).join(' -> ');
    expectHelmSynthError(() => Testing.synth(chart), '', 'sameNameAs makes a cycle', cycle, 'test/ConfigMap:');
  });

  test('an object naming itself keeps its own name', () => {
    const chart = Testing.chart();
    const [a] = objects(chart, 1);
    Template.of(a).sameNameAs(a);
    expect(Testing.synth(chart).objects.map((o) => o.suffix)).toEqual(['config-map']);
  });

  test('a chain ending at a name suffix, or at an object without sameNameAs, takes its name', () => {
    const chart = Testing.chart();
    const [a, b, c, d, e, f] = objects(chart, 6);
    Template.of(a).sameNameAs(b);
    Template.of(b).sameNameAs(c);
    Template.of(c).nameSuffix('shared');
    Template.of(d).sameNameAs(b);
    Template.of(e).sameNameAs(f);
    const suffixes = Object.fromEntries(Testing.synth(chart).objects.map((o) => [o.kind, o.suffix]));
    expect(suffixes).toEqual({
      ConfigMap: 'shared',
      Secret: 'shared',
      ServiceAccount: 'shared',
      Role: 'shared',
      RoleBinding: 'service',
      Service: 'service',
    });
  });
});

describe('a field that must be a map but holds something else is a HelmSynthError with the construct path', () => {
  test.each<[string, unknown, string]>([
    ['a literal', 'text', '"text"'],
    ['a list', ['a'], 'a list'],
    ['a number', 3, '3'],
  ])('pod template annotations set to %s, where checksums go', (_name, value, shown) => {
    const chart = Testing.chart();
    const config = new kplus.ConfigMap(chart, 'Config', { data: { a: 'b' } });
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx' }] });
    web.containers[0].mount('/config', kplus.Volume.fromConfigMap(chart, 'Vol', config, { name: 'config' }));
    Template.of(web).set('spec.template.metadata.annotations', value);
    expectHelmSynthError(
      () => Testing.synth(chart),
      'test/Web',
      `spec.template.metadata.annotations holds ${shown}, not a map`,
      'checksum',
    );
  });

  test('a list value token there names the value', () => {
    const chart = Testing.chart();
    const list = chart.values.list('extra', { description: 'Extra.', default: [] });
    const config = new kplus.ConfigMap(chart, 'Config', { data: { a: 'b' } });
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx' }] });
    web.containers[0].mount('/config', kplus.Volume.fromConfigMap(chart, 'Vol', config, { name: 'config' }));
    Template.of(web).set('spec.template.metadata', list.asList());
    expectHelmSynthError(() => Testing.synth(chart), 'test/Web', 'spec.template.metadata holds value extra (a list), not a map');
  });
});

describe('autoscaling.minReplicas greater than maxReplicas fails the render', () => {
  const withHelm = Testing.ifHelm(test);
  const web = () => new WebAppChart(Testing.app(), 'web-app');
  const render = (set: Record<string, string>) => () => Testing.render(web(), { set: { 'autoscaling.enabled': 'true', ...set } });

  withHelm.each([
    [5, 2],
    [2, 1],
    [101, 100],
  ])('min %i > max %i: an error naming both values', (min, max) => {
    const run = render({ 'autoscaling.minReplicas': String(min), 'autoscaling.maxReplicas': String(max) });
    expect(run).toThrow(`autoscaling.minReplicas (${min}) is greater than autoscaling.maxReplicas (${max})`);
  });

  withHelm.each([
    [1, 1],
    [3, 7],
    [1, 100],
  ])('min %i <= max %i renders both as integers', (min, max) => {
    const hpa = render({ 'autoscaling.minReplicas': String(min), 'autoscaling.maxReplicas': String(max) })().find(
      'HorizontalPodAutoscaler',
    );
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([min, max]);
  });

  withHelm('a values file with min > max fails too; autoscaling off renders no HPA and no error', () => {
    expect(() => Testing.render(web(), { values: { autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 3 } } })).toThrow(
      'autoscaling.minReplicas (4) is greater than autoscaling.maxReplicas (3)',
    );
    const off = Testing.render(web(), { values: { autoscaling: { enabled: false, minReplicas: 4, maxReplicas: 3 } } });
    expect(off.manifests.some((d) => d.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });
});

describe('integer values are bounded to int64 in the schema, int32 where Kubernetes takes int32', () => {
  const withHelm = Testing.ifHelm(test);
  const Ajv = require('ajv').default;

  function countChart(options: { minimum?: number; maximum?: number } = {}) {
    const chart = Testing.chart();
    const count = chart.values.integer('count', { description: 'Count.', default: 1, ...options });
    new ApiObject(chart, 'Map', { apiVersion: 'v1', kind: 'ConfigMap', data: { n: count.asString() } });
    return chart;
  }

  test('an integer without bounds gets the int64 bounds, written with their exact digits', () => {
    const text = Testing.synth(countChart()).files.get('values.schema.json')!;
    expect(text).toContain('"minimum": -9223372036854775808,\n      "maximum": 9223372036854775807,');
    // JSON.parse reads the bound 9223372036854775807 as 2^63, so ajv admits 2^63; Helm reads it exactly (test below)
    const validate = new Ajv({ strict: false }).compile(JSON.parse(text));
    for (const [count, valid] of [
      [1e20, false],
      [-1e20, false],
      [9223372036854774784, true],
      [-(2 ** 63), true],
      [0, true],
    ] as const) {
      expect([count, validate({ nameOverride: '', fullnameOverride: '', count })]).toEqual([count, valid]);
    }
  });

  test.each([
    [{ minimum: -1e19 }, 'minimum -10000000000000000000'],
    [{ maximum: 1e19 }, 'maximum 10000000000000000000'],
  ])('a declared bound outside int64 is an error: %j', (bounds, shown) => {
    expectHelmSynthError(() => countChart(bounds), 'test', 'value count', shown, 'outside the 64-bit integers');
  });

  withHelm.each([
    [{ count: 1e20 }, 'less than or equal to 9.223372036854775807e+18'],
    [{ count: -1e20 }, 'greater than or equal to -9.223372036854775808e+18'],
    [{ count: 2 ** 63 }, 'less than or equal to 9.223372036854775807e+18'],
  ])('helm refuses %j instead of rendering a wrapped int64', (values, message) => {
    expect(() => Testing.render(countChart(), { values })).toThrow(message);
  });

  withHelm('the int64 extremes render exactly (--set gives int64)', () => {
    for (const count of ['9223372036854775807', '-9223372036854775808']) {
      expect(Testing.render(countChart(), { set: { count } }).find('ConfigMap').data.n).toBe(count);
    }
  });

  const INT32_USES: Array<[string, (chart: HelmChart, n: number) => void]> = [
    ['Deployment spec.replicas', (c, n) => new kplus.Deployment(c, 'Web', { replicas: n, containers: [{ image: 'nginx' }] })],
    ['Service port', (c, n) => new kplus.Service(c, 'Svc', { ports: [{ port: n }] })],
    ['container port', (c, n) => new kplus.Deployment(c, 'Web', { containers: [{ image: 'nginx', ports: [{ number: n }] }] })],
    [
      'a Template.set of a probe field',
      (c, n) => {
        const d = new kplus.Deployment(c, 'Web', { containers: [{ image: 'nginx' }] });
        Template.of(d).set('spec.template.spec.containers[0].readinessProbe', { tcpSocket: { port: 80 }, periodSeconds: n });
      },
    ],
  ];

  test.each(INT32_USES)('an integer in %s gets int32 bounds in the schema', (_name, use) => {
    const chart = Testing.chart();
    const n = chart.values.integer('n', { description: 'N.', default: 1, minimum: 1 });
    use(chart, n.asNumber());
    const schema = JSON.parse(Testing.synth(chart).files.get('values.schema.json')!);
    expect(schema.properties.n).toMatchObject({ type: 'integer', minimum: 1, maximum: 2147483647 });
  });

  test.each(INT32_USES)('an integer declared with a bound outside int32 used in %s is an error', (_name, use) => {
    const chart = Testing.chart();
    const n = chart.values.integer('n', { description: 'N.', default: 1, maximum: 2 ** 40 });
    use(chart, n.asNumber());
    expect(() => Testing.synth(chart)).toThrow(
      /^test\/(Web|Svc): spec\..*: value n has maximum 1099511627776, outside the 32-bit integers/,
    );
  });

  test.each(INT32_USES)('an integer whose default is outside int32 used in %s is an error naming the default', (_name, use) => {
    const chart = Testing.chart();
    const n = chart.values.integer('n', { description: 'N.', default: 2 ** 40 });
    use(chart, n.asNumber());
    expect(() => Testing.synth(chart)).toThrow(/value n: default 1099511627776 cannot be used as \w+ \(a 32-bit integer in Kubernetes\)/);
  });

  test('a tighter declared bound stays; an integer in a custom resource keeps int64', () => {
    const chart = Testing.chart();
    const port = chart.values.integer('port', { description: 'Port.', default: 80, minimum: 1, maximum: 65535 });
    const size = chart.values.integer('size', { description: 'Size.', default: 80 });
    new kplus.Service(chart, 'Svc', { ports: [{ port: port.asNumber() }] });
    new ApiObject(chart, 'Thing', { apiVersion: 'example.com/v1', kind: 'Thing', spec: { replicas: size.asNumber() } });
    const schema = JSON.parse(Testing.synth(chart).files.get('values.schema.json')!);
    expect(schema.properties.port).toMatchObject({ minimum: 1, maximum: 65535 });
    expect(schema.properties.size).toMatchObject({ maximum: 2 ** 63 });
  });
});

describe('a map value in annotations or labels holds strings only', () => {
  const withHelm = Testing.ifHelm(test);

  function annotated(defaults: Record<string, unknown>, place: 'merge' | 'whole' = 'merge') {
    const chart = Testing.chart();
    const extra = chart.values.object('extraAnnotations', { description: 'Extra.', default: defaults as never });
    const config = new kplus.ConfigMap(chart, 'Config', { data: { a: 'b' } });
    if (place === 'merge') Template.of(config).merge('metadata.annotations', extra.asObject());
    else Template.of(config).set('metadata.labels', extra.asObject());
    return chart;
  }

  test.each(['merge', 'whole'] as const)('%s: the schema takes only strings as entries', (place) => {
    const schema = JSON.parse(Testing.synth(annotated({}, place)).files.get('values.schema.json')!);
    expect(schema.properties.extraAnnotations).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
  });

  test("a map merged into a ConfigMap's data holds strings too", () => {
    const chart = Testing.chart();
    const extra = chart.values.object('extraData', { description: 'Extra.', default: { a: 1 } as never });
    Template.of(new kplus.ConfigMap(chart, 'Config', { data: { a: 'b' } })).merge('data', extra.asObject());
    expectHelmSynthError(
      () => Testing.synth(chart),
      'test/Config',
      'value extraData: default {"a":1} cannot be used as data (a map of strings in Kubernetes)',
    );
  });

  test.each([[{ a: 1 }], [{ a: true }], [{ a: null }], [{ a: { b: 'c' } }], [{ a: 'ok', b: ['x'] }]])(
    'a default with a non-string entry %j is an error naming the value',
    (defaults) => {
      expectHelmSynthError(
        () => Testing.synth(annotated(defaults)),
        'test/Config',
        'value extraAnnotations: default',
        'cannot be used as annotations (a map of strings in Kubernetes)',
      );
    },
  );

  withHelm('a number given at install is refused by the schema; strings render', () => {
    expect(() => Testing.render(annotated({}), { values: { extraAnnotations: { replicas: 3 } } })).toThrow(
      /extraAnnotations.replicas: Invalid type. Expected: string, given: integer/,
    );
    const rendered = Testing.render(annotated({}), { values: { extraAnnotations: { replicas: '3' } } });
    expect(rendered.find('ConfigMap').metadata.annotations).toEqual({ replicas: '3' });
  });
});

describe('a list or map value where one scalar goes is refused', () => {
  test.each(['list', 'object'] as const)('%s value as a string', (type) => {
    const chart = Testing.chart();
    const value =
      type === 'list'
        ? chart.values.list('v', { description: 'V.', default: [] })
        : chart.values.object('v', { description: 'V.', default: {} });
    expectHelmSynthError(() => value.asString(), 'test', `value v is a ${type} and cannot be used as a string`);
    expectHelmSynthError(() => `${value}`, 'test', `value v is a ${type}`);
  });

  test.each<[string, (chart: HelmChart, token: unknown) => void, string]>([
    [
      'container image',
      (c, t) => new kplus.Deployment(c, 'Web', { containers: [{ image: t as string }] }),
      'spec.template.spec.containers[0].image',
    ],
    [
      'an env value',
      (c, t) =>
        new kplus.Deployment(c, 'Web', { containers: [{ image: 'nginx', envVariables: { A: kplus.EnvValue.fromValue(t as string) } }] }),
      'spec.template.spec.containers[0].env[0].value',
    ],
    ['ConfigMap data', (c, t) => new kplus.ConfigMap(c, 'Web', { data: { key: t as string } }), 'data.key'],
    ['a label', (c, t) => new kplus.ConfigMap(c, 'Web', { metadata: { labels: { tier: t as string } } }), 'metadata.labels.tier'],
    [
      'Template.set of spec.replicas',
      (c, t) => {
        const d = new kplus.Deployment(c, 'Web', { containers: [{ image: 'nginx' }] });
        Template.of(d).set('spec.replicas', t);
      },
      'spec.replicas',
    ],
    [
      'Template.set of a Service type',
      (c, t) => {
        const s = new kplus.Service(c, 'Web', { ports: [{ port: 80 }] });
        Template.of(s).set('spec.type', t);
      },
      'spec.type',
    ],
  ])('in %s', (_name, place, field) => {
    for (const type of ['list', 'object'] as const) {
      const chart = Testing.chart();
      const token =
        type === 'list'
          ? chart.values.list('v', { description: 'V.', default: [] }).asList()
          : chart.values.object('v', { description: 'V.', default: {} }).asObject();
      place(chart, token);
      expectHelmSynthError(
        () => Testing.synth(chart),
        'test/Web',
        `${field}: value v is a ${type === 'list' ? 'list' : 'map'}, but this field holds one`,
      );
    }
  });

  test('whole lists and maps where Kubernetes takes them still render', () => {
    const chart = Testing.chart();
    const tolerations = chart.values.list('tolerations', { description: 'T.', default: [] });
    const resources = chart.values.object('resources', { description: 'R.', default: {} });
    const d = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx' }] });
    Template.of(d)
      .set('spec.template.spec.tolerations', tolerations.asList())
      .set('spec.template.spec.containers[0].resources', resources.asObject());
    const backendPort = chart.values.object('backendPort', { description: 'P.', default: { number: 80 } });
    const ingress = new ApiObject(chart, 'Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      spec: {
        rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    });
    Template.of(ingress).set('spec.rules[0].http.paths[0].backend.service.port', backendPort.asObject());
    const files = Testing.synth(chart).files;
    expect(files.get('templates/web-deployment.yaml')).toContain('toYaml');
    expect(files.get('templates/ingress-ingress.yaml')).toContain('toYaml');
  });
});

/** Generated names: every character class at every position, and lengths around each limit. */
function generatedNames(): string[] {
  const pieces = ['a', 'z', '0', '9', '-', '.', '_', 'A', '/', '%', ' ', 'é', ':'];
  const names = new Set<string>(['', '.', '..', '-', 'a', '0', '1a', 'a1', 'a-b', 'a--b', 'a.b', 'a..b', '.a', 'a.', '-a', 'a-']);
  for (const first of pieces) for (const middle of pieces) for (const last of pieces) names.add(`${first}x${middle}y${last}`);
  for (const length of [14, 15, 16, 62, 63, 64, 252, 253, 254]) {
    names.add('a'.repeat(length));
    names.add(`x${'-'.repeat(Math.max(0, length - 2))}y`.slice(0, length));
    names.add(
      Array.from({ length }, (_, i) => (i % 4 === 3 ? '.' : 'b'))
        .join('')
        .replace(/\.$/, 'c'),
    );
  }
  return [...names];
}

/** Kubernetes' rules, written independently of src/ (apimachinery's validation regexes). */
const KUBE = {
  dnsLabel: (t: string) => t.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(t),
  dns1035: (t: string) => t.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(t),
  subdomain: (t: string) => t.length <= 253 && t.split('.').every((label) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(label)),
  iana: (t: string) => t.length >= 1 && t.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(t) && !t.includes('--') && /[a-z]/.test(t),
  pathSegment: (t: string) => t !== '' && t !== '.' && t !== '..' && !t.includes('/') && !t.includes('%'),
};

describe('every name written is checked with the rule Kubernetes applies', () => {
  const NAMES = generatedNames();
  /** The names synthesized (a chart each): every eighth generated name, and every long one. */
  const SYNTH_NAMES = NAMES.filter((n, i) => n !== '' && n.length < 80 && (i % 8 === 0 || n.length >= 14 || n.length <= 2));

  test(`the name checks agree with apimachinery's rules on ${NAMES.length} generated names`, () => {
    for (const name of NAMES) {
      expect([name, isDnsLabel(name)]).toEqual([name, KUBE.dnsLabel(name)]);
      expect([name, isDns1035Label(name)]).toEqual([name, KUBE.dns1035(name)]);
      expect([name, isDnsSubdomain(name)]).toEqual([name, KUBE.subdomain(name)]);
      expect([name, isIanaServiceName(name)]).toEqual([name, KUBE.iana(name)]);
      expect([name, isPathSegmentName(name)]).toEqual([name, KUBE.pathSegment(name)]);
    }
  });

  const FIXED_NAME_KINDS: Array<[string, string, (t: string) => boolean]> = [
    ['v1', 'ConfigMap', KUBE.subdomain],
    ['v1', 'Service', KUBE.dns1035],
    ['v1', 'Namespace', KUBE.dnsLabel],
    ['rbac.authorization.k8s.io/v1', 'Role', KUBE.pathSegment],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', KUBE.pathSegment],
  ];

  test.each(FIXED_NAME_KINDS)('fixedName of a %s %s: accepted exactly when Kubernetes accepts it', (apiVersion, kind, valid) => {
    let refused = 0;
    for (const name of SYNTH_NAMES) {
      const chart = Testing.chart();
      const object = new ApiObject(chart, 'Fixed', { apiVersion, kind, metadata: { name } });
      Template.of(object).fixedName();
      if (valid(name)) {
        expect(Testing.synth(chart).objects).toHaveLength(1);
      } else {
        expectHelmSynthError(
          () => Testing.synth(chart),
          'test/Fixed',
          `metadata.name: fixedName() keeps ${JSON.stringify(name)}, but a ${kind} name must be`,
        );
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(10);
  });

  test.each<[string, (chart: HelmChart, name: string) => void, string, (t: string) => boolean, string]>([
    [
      'container names',
      (c, name) => new kplus.Deployment(c, 'Web', { containers: [{ image: 'nginx', name }] }),
      'spec.template.spec.containers[0].name',
      KUBE.dnsLabel,
      'container name',
    ],
    [
      'container port names',
      (c, name) => new kplus.Deployment(c, 'Web', { containers: [{ image: 'nginx', ports: [{ number: 80, name }] }] }),
      'spec.template.spec.containers[0].ports[0].name',
      KUBE.iana,
      'container port name',
    ],
    [
      'Service port names',
      (c, name) => new kplus.Service(c, 'Web', { ports: [{ port: 80, name }] }),
      'spec.ports[0].name',
      KUBE.dnsLabel,
      'Service port name',
    ],
  ])('%s', (_what, place, field, valid, what) => {
    for (const name of SYNTH_NAMES) {
      const chart = Testing.chart();
      place(chart, name);
      if (valid(name)) Testing.synth(chart);
      else expectHelmSynthError(() => Testing.synth(chart), 'test/Web', `${field}: ${what} ${JSON.stringify(name)} must be`);
    }
  });

  test('a literal name or namespace written by Template.set or given explicitly', () => {
    const named = Testing.chart();
    Template.of(new kplus.ConfigMap(named, 'Web', { data: { a: 'b' } })).set('metadata.name', 'Bad_Name');
    expectHelmSynthError(() => Testing.synth(named), 'test/Web', 'metadata.name: ConfigMap name "Bad_Name" must be a DNS-1123 subdomain');
    const spaced = Testing.chart();
    new ApiObject(spaced, 'Web', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'my.team' } });
    expectHelmSynthError(
      () => Testing.synth(spaced),
      'test/Web',
      'metadata.namespace: ConfigMap namespace "my.team" must be a DNS-1123 label',
    );
    const fine = Testing.chart();
    new ApiObject(fine, 'Web', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'team-a' } });
    expect(Testing.synth(fine).files.get('templates/web-config-map.yaml')).toContain('namespace: team-a');
  });

  test('environment variable names and ConfigMap keys', () => {
    for (const [name, valid] of [
      ['MODE', true],
      ['my.var-1', true],
      ['1ABC', false],
      ['A B', false],
      ['A=B', false],
    ] as const) {
      const chart = Testing.chart();
      Template.of(new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx' }] })).set('spec.template.spec.containers[0].env', [
        { name, value: 'x' },
      ]);
      if (valid) Testing.synth(chart);
      else expectHelmSynthError(() => Testing.synth(chart), 'test/Web', `environment variable name ${JSON.stringify(name)} must be`);
    }
    for (const [key, valid] of [
      ['config.json', true],
      ['.env', true],
      ['.', false],
      ['..data', false],
      ['a/b', false],
      ['a b', false],
      ['k'.repeat(254), false],
    ] as const) {
      const chart = Testing.chart();
      new ApiObject(chart, 'Web', { apiVersion: 'v1', kind: 'ConfigMap', data: { [key]: 'x' } });
      if (valid) Testing.synth(chart);
      else expectHelmSynthError(() => Testing.synth(chart), 'test/Web', `data.${key}: ConfigMap key ${JSON.stringify(key)} must be`);
    }
  });

  function crd(name: unknown, group: unknown, plural: unknown) {
    const chart = Testing.chart();
    new ApiObject(chart, 'Crd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: name as string },
      spec: { group, names: { kind: 'Widget', plural }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true }] },
    });
    return chart;
  }

  test.each<[unknown, unknown, unknown, string]>([
    ['widgets.example.com', 'example.com', 'widgets', ''],
    ['widget.example.com', 'example.com', 'widgets', 'must be <spec.names.plural>.<spec.group>: "widgets.example.com"'],
    ['widgets.example.org', 'example.com', 'widgets', 'must be <spec.names.plural>.<spec.group>'],
    ['widgets.example', 'example', 'widgets', 'spec.group "example" must be a DNS-1123 subdomain with at least one dot'],
    ['Widgets.example.com', 'example.com', 'Widgets', 'spec.names.plural "Widgets" must be a lower-case DNS-1123 label'],
    ['widgets.Example.com', 'Example.com', 'widgets', 'spec.group "Example.com"'],
    [undefined, 'example.com', 'widgets', 'metadata.name undefined must be'],
    ['widgets.example.com', 'example.com', undefined, 'spec.names.plural undefined'],
    [
      `widgets.${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com`,
      `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com`,
      'widgets',
      'is longer than the 253 characters of a DNS-1123 subdomain',
    ],
  ])('a CRD named %j (group %j, plural %j)', (name, group, plural, problem) => {
    if (problem === '') expect(Testing.synth(crd(name, group, plural)).files.has(`crds/${name}.yaml`)).toBe(true);
    else expectHelmSynthError(() => Testing.synth(crd(name, group, plural)), 'test/Crd', problem);
  });
});

describe('the value given to replaceableBy names an existing object of the kind, or is empty', () => {
  const withHelm = Testing.ifHelm(test);

  function replaceable(kind: 'Secret' | 'Service', defaultName = '') {
    const chart = Testing.chart();
    const existing = chart.values.string('existing', { description: 'An existing object.', default: defaultName });
    const object =
      kind === 'Secret'
        ? new kplus.Secret(chart, 'Thing', { stringData: { a: 'b' } })
        : new kplus.Service(chart, 'Thing', { ports: [{ port: 80 }] });
    Template.of(object).replaceableBy(existing);
    return chart;
  }

  test.each([
    ['Secret', DNS_SUBDOMAIN_RULE.schema.pattern],
    ['Service', DNS_1035_LABEL_RULE.schema.pattern],
  ] as const)('a %s: the schema takes the kind name rule or ""', (kind, pattern) => {
    const schema = JSON.parse(Testing.synth(replaceable(kind)).files.get('values.schema.json')!);
    expect(schema.properties.existing.allOf).toEqual([
      { type: 'string', pattern: `^$|${pattern}`, maxLength: kind === 'Service' ? 63 : 253 },
    ]);
  });

  test.each([
    ['Secret', 'Bad_Name'],
    ['Secret', 'a/b'],
    ['Service', '1abc'],
    ['Service', 'a.b'],
  ] as const)('a %s with default %j is an error naming the value', (kind, name) => {
    expectHelmSynthError(
      () => Testing.synth(replaceable(kind, name)),
      'test/Thing',
      'replaceableBy(existing)',
      `default ${JSON.stringify(name)}`,
      `the name of an existing ${kind}`,
    );
  });

  withHelm('helm refuses an invalid name given at install; a valid one replaces the object', () => {
    expect(() => Testing.render(replaceable('Secret'), { set: { existing: 'Bad_Name' } })).toThrow(/existing/);
    const rendered = Testing.render(replaceable('Secret'), { set: { existing: 'mine' } });
    expect(rendered.manifests.some((d) => d.kind === 'Secret')).toBe(false);
  });
});
