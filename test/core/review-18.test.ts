import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kplus from 'cdk8s-plus-27';
import { HelmApp, HelmChart, JsonValue, PostgresRelease, Values, ValueSpec } from '../../src';
import { buildDependencies, packageCharts } from '../../src/release';
import { ChartCache } from '../../src/release/chart-cache';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

/** Three charts of one app: api <- backend <- shop (an umbrella of an umbrella). */
function threeLevels(outdir?: string) {
  const app = new HelmApp(outdir === undefined ? {} : { outdir });
  const api = new HelmChart(app, 'api', { version: '1.0.0' });
  const v = api.values.define({
    replicas: Values.integer({ default: 1, minimum: 0, description: 'Replicas.' }),
    password: Values.secret({ description: 'Password.', requiredUnless: 'existingSecret' }),
    existingSecret: Values.string({ default: 'api-secret', description: 'A Secret with key password.' }),
  });
  new kplus.Deployment(api, 'Server', { replicas: v.replicas.asNumber(), containers: [{ image: 'example/api:1', portNumber: 8080 }] });
  const backend = new HelmChart(app, 'backend', { version: '1.0.0' });
  backend.values.define({ tier: Values.string({ default: 'b', description: 'Tier.' }) });
  backend.addChartDependency(api, { replicas: 2 });
  const shop = new HelmChart(app, 'shop', { version: '1.0.0' });
  shop.values.define({ team: Values.string({ default: 't', description: 'Team.' }) });
  return { app, api, backend, shop };
}

describe('an umbrella of three levels: values for the innermost chart are checked against its schema', () => {
  test.each<[string, (c: ReturnType<typeof threeLevels>) => void, string]>([
    [
      'an environment giving a wrongly typed value',
      ({ shop, backend }) => {
        shop.addChartDependency(backend, {});
        shop.environment('prod', { backend: { api: { replicas: 'three' } } });
      },
      'environment prod (values-prod.yaml): backend.api.replicas must be integer',
    ],
    [
      'dependency values with an unknown key',
      ({ shop, backend }) => shop.addChartDependency(backend, { api: { replicaz: 2 } }),
      'dependency backend: backend.api.replicaz is not a value of this chart (did you mean replicas?)',
    ],
    [
      'an environment committing a secret',
      ({ shop, backend }) => {
        shop.addChartDependency(backend, {});
        shop.environment('prod', { backend: { api: { password: 'hunter2' } } });
      },
      'backend.api.password is a secret',
    ],
  ])('%s is refused (was synthesized: Helm refuses it at install)', (_, build, message) => {
    const charts = threeLevels();
    build(charts);
    expectHelmSynthError(() => Testing.synth(charts.shop), 'shop', message);
  });

  test('right values pass', () => {
    const charts = threeLevels();
    charts.shop.addChartDependency(charts.backend, { api: { replicas: 3 } });
    charts.shop.environment('prod', { backend: { api: { replicas: 4 } } });
    expect(Testing.synth(charts.shop).files.get('values-prod.yaml')).toContain('replicas: 4');
  });

  Testing.ifHelm(test)(
    'Helm renders the three levels with the values given at each level, and refuses what synthesis refuses',
    async () => {
      const work = mkdtempSync(join(tmpdir(), 'helm-synth-review18-'));
      try {
        const outdir = join(work, 'dist');
        const { app, shop, backend } = threeLevels(outdir);
        shop.addChartDependency(backend, { api: { replicas: 3 } });
        shop.environment('prod', { backend: { api: { replicas: 4 } } });
        app.synth();
        const cache = new ChartCache(join(work, 'cache'));
        await buildDependencies([join(outdir, 'backend')], { cache, generated: '2024-01-01T00:00:00Z' });
        await buildDependencies([join(outdir, 'shop')], { cache, generated: '2024-01-01T00:00:00Z' });
        const packaged = packageCharts([join(outdir, 'shop')], { destination: join(work, 'repo') });
        const unpacked = join(work, 'unpacked');
        mkdirSync(unpacked);
        execFileSync('tar', ['-xzf', packaged.charts[0].file, '-C', unpacked]);
        const shopDir = join(unpacked, 'shop');
        const replicas = (environment?: string) =>
          Testing.render(shopDir, { environment, releaseName: 'r' })
            .all('Deployment')
            .map((d) => d.spec.replicas);
        expect(replicas()).toEqual([3]);
        expect(replicas('prod')).toEqual([4]);
        const wrong = join(work, 'wrong.yaml');
        writeFileSync(wrong, 'backend:\n  api:\n    replicas: three\n');
        expect(() => Testing.render(shopDir, { valuesFiles: [wrong] })).toThrow(/replicas/);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    },
  );
});

describe("a values tree's key is one key of values.yaml", () => {
  test.each<[string, Record<string, any>, string]>([
    ['at the top', { 'a.b': Values.string({ default: 'x', description: 'S.' }) }, '"a.b"'],
    ['in a plain group', { g: { 'image.tag': Values.string({ default: 'x', description: 'S.' }) } }, '"image.tag" at g'],
    [
      'in a described group, holding a group',
      { g: Values.group('G.', { 'x.y': { z: Values.integer({ default: 1, description: 'Z.' }) } }) },
      '"x.y" at g',
    ],
  ])('a dotted key is refused (was declared nested, a.b: {...}, while ValuesOf typed it as the key "a.b"): %s', (_, tree, named) => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    expectHelmSynthError(() => chart.values.define(tree), 'demo', `values tree key ${named} holds a dot`);
  });
});

describe('requiredUnless names a value a user can leave unset', () => {
  test.each<[string, () => ValueSpec, string]>([
    [
      'an enum with a default and no empty value',
      () => Values.enum({ values: ['a', 'b'], default: 'a', description: 'E.' }),
      'none of its values ["a","b"] is \'\'',
    ],
    [
      'a required enum with no empty value',
      () => Values.enum({ values: ['a', 'b'], required: true, description: 'E.' }),
      'and it is required',
    ],
    [
      'a string with a default and minLength 1',
      () => Values.string({ default: 'x', minLength: 1, description: 'E.' }),
      'its minLength refuses an empty string',
    ],
  ])('%s is refused (the secret was never required: exit 0 with a chart that installs without it)', (_, other, message) => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    expectHelmSynthError(
      () => chart.values.define({ db: { password: Values.secret({ description: 'P.', requiredUnless: 'existing' }), existing: other() } }),
      'demo',
      'value db.password: requiredUnless names db.existing, which is always set',
      message,
    );
  });

  test.each<[string, () => ValueSpec]>([
    ['an enum holding the empty value', () => Values.enum({ values: ['', 'a'], default: 'a', description: 'E.' })],
    ['an enum with no default', () => Values.enum({ values: ['a', 'b'], description: 'E.' })],
    ['a boolean defaulting to true', () => Values.boolean({ default: true, description: 'E.' })],
    ['a string with a default', () => Values.string({ default: 'x', description: 'E.' })],
    ['a string with minLength 1 and no default', () => Values.string({ minLength: 1, description: 'E.' })],
  ])('%s is taken', (_, other) => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    const v = chart.values.define({
      db: { password: Values.secret({ description: 'P.', requiredUnless: 'existing' }), existing: other() },
    });
    expect(v.db.password.requiredUnless).toBe(v.db.existing);
  });
});

describe('an integer at the edge of int64 in an environment or dependency values', () => {
  function intChart(app = Testing.app()) {
    const chart = new HelmChart(app, 'demo', { version: '1.0.0' });
    const v = chart.values.define({ count: Values.integer({ default: 1, description: 'Count.' }) });
    new kplus.ConfigMap(chart, 'Cm', { data: { count: v.count.asString() } });
    return chart;
  }

  test.each([2 ** 63, -(2 ** 63), 2 ** 64])(
    '%d is refused (was written as 9223372036854776000-like digits, which Helm refuses against the schema bound)',
    (count) => {
      const chart = intChart();
      chart.environment('prod', { count });
      expectHelmSynthError(() => Testing.synth(chart), 'demo', 'environment prod (values-prod.yaml): count must be');
      const app = Testing.app();
      const parent = new HelmChart(app, 'parent', { version: '1.0.0' });
      parent.addChartDependency(intChart(app), { count });
      expectHelmSynthError(() => Testing.synth(parent), 'parent', 'dependency demo: demo.count must be');
    },
  );

  Testing.ifHelm(test)('Helm agrees: 2^63 and -2^63 as JavaScript writes them are refused, 2^62 and -(2^63 - 1024) are taken', () => {
    const work = mkdtempSync(join(tmpdir(), 'helm-synth-review18-'));
    try {
      for (const [count, taken] of [
        [2 ** 63, false],
        [-(2 ** 63), false],
        [2 ** 62, true],
        [-(2 ** 63 - 1024), true],
      ] as const) {
        const file = join(work, 'values.yaml');
        writeFileSync(file, `count: ${count}\n`);
        const render = () => Testing.render(intChart(), { valuesFiles: [file] });
        if (taken) expect(BigInt(render().find('ConfigMap').data.count)).toBe(BigInt(count));
        else expect(render).toThrow(/count/);
        const chart = intChart();
        chart.environment('prod', { count });
        if (taken) expect(Testing.synth(chart).files.get('values-prod.yaml')).toContain(`count: ${count}`);
        else expect(() => Testing.synth(chart)).toThrow(/count must be/);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("a dependency's values key", () => {
  test.each<[string, string | undefined, string]>([
    [
      'orders-api',
      undefined,
      'dependency orders-api: its values key "orders-api" (its name) must be letters, digits and \'_\' to be a key of this chart\'s values: give it an alias such as "ordersApi"',
    ],
    [
      'orders',
      'audit-copy',
      'dependency orders: its values key "audit-copy" (its alias) must be letters, digits and \'_\' to be a key of this chart\'s values: give it an alias such as "auditCopy"',
    ],
  ])('%s (alias %s) is refused with a message that says what to do (was: value path "orders-api" is invalid)', (name, alias, message) => {
    const app = Testing.app();
    const dependency = new HelmChart(app, name, { version: '1.0.0' });
    const parent = new HelmChart(app, 'shop', { version: '1.0.0' });
    expectHelmSynthError(() => parent.addChartDependency(dependency, {}, alias === undefined ? {} : { alias }), 'shop', message);
    expectHelmSynthError(
      () => parent.addChartDependency({ name, version: '1.0.0', repository: 'https://charts.example.com', ...(alias && { alias }) }),
      'shop',
      message,
    );
  });

  test('an alias of letters makes a dashed chart a dependency', () => {
    const app = Testing.app();
    const dependency = new HelmChart(app, 'orders-api', { version: '1.0.0' });
    const parent = new HelmChart(app, 'shop', { version: '1.0.0' });
    parent.addChartDependency(dependency, {}, { alias: 'ordersApi' });
    expect(Testing.synth(parent).files.get('Chart.yaml')).toContain('alias: ordersApi');
  });
});

test('an environment error inside a list shows the item at fault (was "the value is undefined")', () => {
  const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
  chart.values.define({ hosts: Values.list({ items: { type: 'string' }, default: ['a'], description: 'Hosts.' }) });
  chart.environment('prod', { hosts: ['a', 2] });
  expectHelmSynthError(() => Testing.synth(chart), 'demo', 'environment prod (values-prod.yaml): hosts.1 must be string (the value is 2)');
});

describe("an environment never commits a dependency's password the chart knows (writeOnly in its schema)", () => {
  test.each<[string, { [key: string]: JsonValue }, string]>([
    ['17.1.0', { postgresql: { auth: { postgresPassword: 'hunter2' } } }, 'postgresql.auth.postgresPassword is a secret'],
    ['17.1.0', { postgresql: { auth: { password: 'hunter2' } } }, 'postgresql.auth.password is a secret'],
    [
      '17.1.0',
      { postgresql: { global: { postgresql: { auth: { postgresPassword: 'x' } } } } },
      'postgresql.global.postgresql.auth.postgresPassword is a secret',
    ],
    ['10.8.0', { postgresql: { postgresqlPassword: 'hunter2' } }, 'postgresql.postgresqlPassword is a secret'],
    ['17.1.0', { global: { postgresql: { auth: { postgresPassword: 'x' } } } }, 'global.postgresql.auth.postgresPassword is a secret'],
  ])('bitnami/postgresql %s: %j is refused (was written to values-prod.yaml)', (chartVersion, values, message) => {
    const chart = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    new PostgresRelease(chart, 'Database', { chartVersion, user: 'app', database: 'app' });
    chart.environment('prod', values);
    expectHelmSynthError(() => Testing.synth(chart), 'shop', `environment prod (values-prod.yaml): ${message}`);
  });

  test('other values of the dependency are taken', () => {
    const chart = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    new PostgresRelease(chart, 'Database', { chartVersion: '17.1.0' });
    chart.environment('prod', { postgresql: { primary: { persistence: { size: '20Gi' } } } });
    expect(Testing.synth(chart).files.get('values-prod.yaml')).toContain('size: 20Gi');
  });
});

test('withDefaults changes the default of a required value that has one (was refused as "a value a user must give")', () => {
  const block = Values.group('Block.', { tag: Values.string({ required: true, default: '1.0', description: 'Tag.' }) });
  const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
  const v = chart.values.define({ a: block, b: Values.withDefaults(block, { tag: '2.0' }) });
  expect([v.a.tag.default, v.b.tag.default]).toEqual(['1.0', '2.0']);
  expect(() =>
    Values.withDefaults(Values.group('B.', { tag: Values.string({ required: true, description: 'T.' }) }), { tag: 'x' }),
  ).toThrow('tag is a value a user must give (required)');
});

describe("an environment's value against a pattern is judged as Helm judges it (Go's RE2), not by JavaScript's RegExp", () => {
  const CASES: ReadonlyArray<[string, string, boolean]> = [
    ['^\\s*$', '\u00a0', false],
    ['^\\s*$', '\u2028', false],
    ['^\\s*$', '\u000b', false],
    ['^\\s*$', ' \t', true],
    ['^\\S+$', 'a\u00a0b', true],
    ['^.{2}$', '😀😀', true],
    ['^.{4}$', '😀😀', false],
    ['^[^a]+$', '\n', true],
    ['^\\p{L}+$', 'é', true],
    ['^\\d+$', '٣', false],
  ];
  function patternChart(pattern: string) {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    const v = chart.values.define({ s: Values.string({ required: true, pattern, description: 'S.' }) });
    new kplus.ConfigMap(chart, 'Cm', { data: { s: v.s.asString() } });
    return chart;
  }
  const verdict = (pattern: string, value: string): boolean => {
    const chart = patternChart(pattern);
    chart.environment('prod', { s: value });
    try {
      Testing.synth(chart);
      return true;
    } catch (error) {
      expect((error as Error).message).toContain('environment prod (values-prod.yaml): s must match pattern');
      return false;
    }
  };

  test.each(CASES)('%j against %j: taken %s (\\s with U+00A0 was taken, then refused by Helm at install)', (pattern, value, taken) => {
    expect(verdict(pattern, value)).toBe(taken);
  });

  test('several patterns in one schema are each their own (ajv keys compiled patterns by their text)', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    chart.values.define({
      a: Values.string({ default: 'abc', pattern: '^[a-z]+$', description: 'A.' }),
      b: Values.string({ default: '123', pattern: '^[0-9]+$', description: 'B.' }),
    });
    chart.environment('ok', { a: 'xyz', b: '456' });
    chart.environment('bad', { b: 'xyz' });
    expectHelmSynthError(() => Testing.synth(chart), 'demo', 'environment bad (values-bad.yaml): b must match pattern "^[0-9]+$"');
  });

  Testing.ifHelm(test)('Helm gives the same verdicts', () => {
    const work = mkdtempSync(join(tmpdir(), 'helm-synth-review18-'));
    try {
      const file = join(work, 'values.yaml');
      for (const [pattern, value, taken] of CASES) {
        writeFileSync(file, JSON.stringify({ s: value }));
        let helmTook = true;
        try {
          Testing.render(patternChart(pattern), { valuesFiles: [file] });
        } catch {
          helmTook = false;
        }
        expect({ pattern, value, helmTook }).toEqual({ pattern, value, helmTook: taken });
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

test("a default is matched against its pattern as Helm matches it (was refused where JavaScript's \\S differs from Go's)", () => {
  const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
  expect(chart.values.define({ s: Values.string({ default: 'a\u00a0b', pattern: '^\\S+$', description: 'S.' }) }).s.default).toBe(
    'a\u00a0b',
  );
  expectHelmSynthError(
    () => chart.values.define({ t: Values.string({ default: '\u00a0', pattern: '^\\s*$', description: 'T.' }) }),
    'demo',
    'does not match pattern',
  );
});

test('typed(tree) refuses a tree whose keys are not the paths of its values (the type would admit what the schema refuses)', () => {
  const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
  const v = chart.values.define({
    frontend: { image: { tag: Values.string({ default: '1', description: 'Tag.' }) } },
    replicaCount: Values.integer({ default: 1, description: 'Pods.' }),
  });
  expectHelmSynthError(() => chart.typed(v.frontend), 'demo', 'key image.tag holds value frontend.image.tag');
  expectHelmSynthError(() => chart.typed({ replicas: v.replicaCount }), 'demo', 'key replicas holds value replicaCount');
  expect(chart.typed(v)).toBe(chart);
  expect(chart.typed({ replicaCount: v.replicaCount })).toBe(chart);
});
