import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kplus from 'cdk8s-plus-27';
import { parse } from 'yaml';
import { HelmApp, HelmChart, Values, ValuesOf } from '../../src';
import { buildDependencies, packageCharts, valuesTypesOfChart } from '../../src/release';
import { ChartCache } from '../../src/release/chart-cache';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { typeCheck, typeProblemLines } from '../support/typecheck';

const ROOT = join(__dirname, '..', '..');

/** The values of the orders service, as a tree. */
const ORDERS = {
  replicaCount: Values.integer({ default: 1, minimum: 0, description: 'Replicas.' }),
  image: {
    repository: Values.string({ default: 'example/orders', description: 'Image repository.' }),
    tag: Values.string({ default: '1.0.0', description: 'Image tag.' }),
  },
  logLevel: Values.enum({ values: ['debug', 'info'], default: 'info', description: 'Log level.' }),
};

/** A chart of the app: a Deployment reading a typed values tree. */
function serviceChart(app: HelmApp, name: string) {
  const chart = new HelmChart(app, name, { version: '1.2.0' });
  const v = chart.values.define(ORDERS);
  new kplus.Deployment(chart, 'Server', {
    replicas: v.replicaCount.asNumber(),
    containers: [
      {
        image: `${v.image.repository}:${v.image.tag}`,
        portNumber: 8080,
        envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue(v.logLevel.asString()) },
      },
    ],
  });
  return chart.typed(v);
}

/** An umbrella chart of two charts of the app: orders, and orders again as `audit` behind a condition. */
function umbrellaApp(outdir: string) {
  const app = new HelmApp({ outdir });
  const orders = serviceChart(app, 'orders');
  const umbrella = new HelmChart(app, 'shop', { version: '0.3.0' });
  const audit = umbrella.values.boolean('auditEnabled', { default: false, description: 'Install the audit copy of orders.' });
  umbrella.addChartDependency(orders, { replicaCount: 2, image: { tag: '1.1.0' } });
  umbrella.addChartDependency(orders, { logLevel: 'debug' }, { alias: 'audit', condition: audit });
  umbrella.environment('prod', { orders: { replicaCount: 5 }, auditEnabled: true });
  return { app, orders, umbrella };
}

describe("addChartDependency(otherChart, values): an umbrella chart of this app's charts", () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'helm-synth-umbrella-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  test('Chart.yaml names each at its version from the folder beside it (file://../<name>), with alias and condition; values go under its key', () => {
    const { umbrella } = umbrellaApp(join(work, 'dist'));
    const files = Testing.synth(umbrella).files;
    expect(parse(files.get('Chart.yaml')!).dependencies).toEqual([
      { name: 'orders', version: '1.2.0', repository: 'file://../orders' },
      { name: 'orders', version: '1.2.0', repository: 'file://../orders', alias: 'audit', condition: 'auditEnabled' },
    ]);
    const values = parse(files.get('values.yaml')!);
    expect(values.orders).toEqual({ replicaCount: 2, image: { tag: '1.1.0' } });
    expect(values.audit).toEqual({ logLevel: 'debug' });
    expect(files.get('README.md')).toContain('| orders (as audit) | 1.2.0 | file://../orders | `auditEnabled` |');
    expect(files.get('README.md')).toContain('helm dependency build ./shop');
  });

  test.each([
    [{ replicaCount: -2 }, 'dependency orders: orders.replicaCount must be >= 0 (the value is -2)'],
    [{ image: { tga: 'x' } }, 'dependency orders: orders.image.tga is not a value of this chart (did you mean tag?)'],
    [{ logLevel: 'loud' }, 'dependency orders: orders.logLevel must be equal to one of the allowed values'],
  ])("values the dependency's schema refuses fail synthesis of the parent, naming the value path: %j", (values, message) => {
    const app = new HelmApp({ outdir: join(work, 'dist') });
    const orders = serviceChart(app, 'orders');
    const parent = new HelmChart(app, 'shop', { version: '0.1.0' });
    parent.addChartDependency(orders, values as never);
    expectHelmSynthError(() => Testing.synth(parent), parent.node.path, message);
  });

  test("an environment of the parent is checked against the dependency's schema under its key", () => {
    const app = new HelmApp({ outdir: join(work, 'dist') });
    const orders = serviceChart(app, 'orders');
    const parent = new HelmChart(app, 'shop', { version: '0.1.0' });
    parent.addChartDependency(orders, { replicaCount: 2 });
    parent.environment('prod', { orders: { replicaCount: 'many' } });
    expectHelmSynthError(
      () => Testing.synth(parent),
      parent.node.path,
      'environment prod (values-prod.yaml): orders.replicaCount must be integer (the value is "many")',
    );
  });

  test('itself, a cycle, a chart of another app, a condition that is no boolean value of the parent, a tree of another chart: errors', () => {
    const app = new HelmApp({ outdir: join(work, 'dist') });
    const orders = serviceChart(app, 'orders');
    const parent = new HelmChart(app, 'shop', { version: '0.1.0' });
    expectHelmSynthError(() => parent.addChartDependency(parent), parent.node.path, 'a chart cannot depend on itself');
    parent.addChartDependency(orders);
    expectHelmSynthError(() => orders.addChartDependency(parent), orders.node.path, 'dependency cycle: orders -> shop -> orders');
    const other = serviceChart(new HelmApp({ outdir: join(work, 'other') }), 'billing');
    expectHelmSynthError(() => parent.addChartDependency(other), parent.node.path, 'belongs to another app');
    const foreign = orders.values.boolean('enabled', { default: true, description: 'On.' });
    expectHelmSynthError(
      () => parent.addChartDependency(orders, {}, { alias: 'second', condition: foreign }),
      parent.node.path,
      'condition',
      'must be a boolean value of this chart',
    );
    const v = new HelmChart(app, 'x', { version: '0.1.0' }).values.define(ORDERS);
    expectHelmSynthError(() => parent.typed(v), parent.node.path, "typed(tree) takes what this chart's values.define returned");
  });

  test('helm-synth types of the built umbrella types each subchart under its key from its own schema', async () => {
    const outdir = join(work, 'dist');
    umbrellaApp(outdir).app.synth();
    const shop = join(outdir, 'shop');
    await buildDependencies([shop], { cache: new ChartCache(join(work, 'cache')), generated: '2024-01-01T00:00:00Z' });
    const files = new Map([[join(ROOT, 'umbrella-types', 'shop.ts'), valuesTypesOfChart(shop, { name: 'ShopValues' })]]);
    files.set(
      join(ROOT, 'umbrella-types', 'use.ts'),
      [
        "import type { ShopValues } from './shop';",
        "export const right: ShopValues = { orders: { replicaCount: 2, logLevel: 'debug' }, audit: { image: { tag: 'x' } }, auditEnabled: true };",
        "export const wrong: ShopValues = { orders: { logLevel: 'loud' } };",
      ].join('\n'),
    );
    const problems = typeCheck(files);
    expect(problems.map((p) => [p.file.split('/').pop(), p.line, p.code])).toEqual([['use.ts', 3, 2322]]);
  });

  Testing.ifHelm(test)(
    'synthesized, `dependency build` and rendered by Helm: each subchart with the values the umbrella gives it, per environment',
    async () => {
      const outdir = join(work, 'dist');
      const { app } = umbrellaApp(outdir);
      app.synth();
      const shop = join(outdir, 'shop');
      await buildDependencies([shop], { cache: new ChartCache(join(work, 'cache')), generated: '2024-01-01T00:00:00Z' });
      expect(readdirSync(join(shop, 'charts'))).toEqual(['orders-1.2.0.tgz']);
      const packaged = packageCharts([shop], { destination: join(work, 'repo') });
      const unpacked = join(work, 'unpacked');
      mkdirSync(unpacked);
      execFileSync('tar', ['-xzf', packaged.charts[0].file, '-C', unpacked]);
      expect(readdirSync(join(unpacked, 'shop', 'charts'))).toEqual(['orders']);
      const servers = (environment?: string) =>
        Testing.render(join(unpacked, 'shop'), { environment, releaseName: 'shop' })
          .all('Deployment')
          .map((d) => [d.metadata.name, d.spec.replicas, d.spec.template.spec.containers[0].image, d.spec.template.spec.containers[0].env]);
      expect(servers()).toEqual([['shop-orders-server', 2, 'example/orders:1.1.0', [{ name: 'LOG_LEVEL', value: 'info' }]]]);
      expect(servers('prod')).toEqual([
        ['shop-audit-server', 1, 'example/orders:1.0.0', [{ name: 'LOG_LEVEL', value: 'debug' }]],
        ['shop-orders-server', 5, 'example/orders:1.1.0', [{ name: 'LOG_LEVEL', value: 'info' }]],
      ]);
    },
  );
});

describe('typed environments and dependencies: a wrongly typed value fails tsc', () => {
  const CHARTS = `import { HelmApp, HelmChart, StandardValues, Values, ValuesOf } from 'helm-synth';
const shape = {
  replicaCount: Values.integer({ default: 1, description: 'Replicas.' }),
  image: { tag: Values.string({ default: '1.0.0', description: 'Image tag.' }) },
  logLevel: Values.enum({ values: ['debug', 'info'], default: 'info', description: 'Log level.' }),
};
const app = new HelmApp();
export class OrdersChart extends HelmChart<ValuesOf<typeof shape>> {
  public readonly v = this.values.define(shape);
}
export const orders = new OrdersChart(app, 'orders', { version: '1.0.0' });
const inline = new HelmChart(app, 'billing', { version: '1.0.0' });
export const billing = inline.typed(inline.values.define(shape));
export const untyped = new HelmChart(app, 'legacy', { version: '1.0.0' });
export const shop = new HelmChart(app, 'shop', { version: '1.0.0' });
const web = new HelmChart(app, 'web', { version: '1.0.0' });
export const standard = web.typed(web.values.define({ ...StandardValues.values(), ...shape }));
`;
  const RIGHT = [
    "orders.environment('prod', { replicaCount: 3, image: { tag: '2' }, fullnameOverride: 'o' });",
    "billing.environment('prod', { logLevel: 'debug' });",
    "untyped.environment('prod', { anything: [1, { a: 'b' }] });",
    "shop.addChartDependency(orders, { image: { tag: '2' } }, { alias: 'o' });",
    'shop.addChartDependency(billing, { replicaCount: 2, global: { x: 1 } });',
    'shop.addChartDependency(untyped, { whatever: true });',
    "standard.environment('prod', { replicaCount: 3, resources: { limits: { memory: '1Gi' } }, image: { tag: '2' } });",
  ];
  const WRONG: ReadonlyArray<[string, string]> = [
    ["orders.environment('prod', { replicaCount: 'three' });", "Type 'string' is not assignable to type 'number'"],
    ["orders.environment('prod', { replicas: 3 });", "'replicas' does not exist in type"],
    ["billing.environment('prod', { logLevel: 'loud' });", `Type '"loud"' is not assignable to type '"debug" | "info" | undefined'`],
    ["billing.environment('prod', { image: { tga: 'x' } });", "'tga' does not exist in type"],
    ["shop.addChartDependency(orders, { replicaCount: '2' });", "Type 'string' is not assignable to type 'number'"],
    ["shop.addChartDependency(billing, { image: 'x:1' });", "Type 'string' has no properties in common with type"],
    ["standard.environment('prod', { replicaCount: '3' });", "Type 'string' is not assignable to type 'number'"],
  ];

  test('the right ones compile; each wrong one fails at its line with the message tsc gives', () => {
    const dir = join(ROOT, 'typed-consumers');
    const files = new Map([[join(dir, 'charts.ts'), CHARTS]]);
    files.set(join(dir, 'right.ts'), `import { orders, billing, untyped, shop, standard } from './charts';\n${RIGHT.join('\n')}\n`);
    files.set(
      join(dir, 'wrong.ts'),
      `import { orders, billing, shop, standard } from './charts';\n${WRONG.map(([line]) => line).join('\n')}\n`,
    );
    const problems = typeCheck(files);
    expect(typeProblemLines(problems.filter((p) => !p.file.endsWith('wrong.ts')))).toEqual([]);
    const wrong = problems.filter((p) => p.file.endsWith('wrong.ts'));
    expect(wrong.map((p) => p.line)).toEqual(WRONG.map((_, i) => i + 2));
    wrong.forEach((problem, i) => expect(problem.message).toContain(WRONG[i][1]));
  });

  test('ValuesOf of the tree is the environment type: a value of it is accepted as is', () => {
    const app = new HelmApp({ outdir: join(tmpdir(), 'unused') });
    const chart = serviceChart(app, 'orders');
    const prod: ValuesOf<typeof ORDERS> = { replicaCount: 3 };
    chart.environment('prod', prod);
    expect(Testing.synth(chart).files.get('values-prod.yaml')).toContain('replicaCount: 3');
  });
});
