import { join } from 'node:path';
import { typeCheck, typeProblemLines } from '../support/typecheck';

// Values a user gives a public API (`Testing.render`'s `values`, `chart.environment`) are typed by the
// chart's values type where the chart has one (`HelmChart<V>`, `chart.typed(tree)`), any JSON otherwise;
// a value typed `ChartValuesOf<...>` or `ValuesOf<...>` is accepted by both.
const ROOT = join(__dirname, '..', '..');
const CHARTS = `import { ChartValuesOf, HelmApp, HelmChart, Values, ValuesOf } from 'helm-synth';
import { Testing } from 'helm-synth/testing';
const shape = {
  replicaCount: Values.integer({ default: 1, description: 'Replicas.' }),
  image: { tag: Values.string({ default: '1.0.0', description: 'Image tag.' }) },
  hosts: Values.list({ default: [], description: 'Hosts.', items: { type: 'string' } }),
};
const app = new HelmApp();
export class OrdersChart extends HelmChart<ValuesOf<typeof shape>> {
  public readonly v = this.values.define(shape);
}
export const orders = new OrdersChart(app, 'orders', { version: '1.0.0' });
const inline = new HelmChart(app, 'billing', { version: '1.0.0' });
export const billing = inline.typed(inline.values.define(shape));
export const untyped = new HelmChart(app, 'legacy', { version: '1.0.0' });
export const files = Testing.synth(untyped);
export const full: ChartValuesOf<typeof shape> = { replicaCount: 2, image: { tag: '2' }, hosts: ['a'], nameOverride: 'o' };
export const own: ValuesOf<typeof shape> = { image: { tag: '3' } };
export { Testing };
`;
const RIGHT = [
  'Testing.render(orders, { values: full });',
  'Testing.render(orders, { values: own });',
  "Testing.render(orders, { values: { image: { tag: '2' }, global: { x: 1 } } });",
  'Testing.render(billing, { values: full });',
  "Testing.render(billing, { releaseName: 'b', values: { replicaCount: 4 } });",
  'Testing.render(untyped, { values: full });',
  'Testing.render(untyped, { values: own });',
  "Testing.render(untyped, { values: { anything: [1, { a: null, b: 'x' }] } });",
  'Testing.render(files, { values: full });',
  "Testing.render('/charts/legacy', { values: { a: { b: [true] } } });",
  'Testing.render(untyped, { values: {} as Record<string, unknown> });',
  "untyped.environment('prod', full);",
  "orders.environment('prod', full);",
];
const WRONG: ReadonlyArray<[string, string]> = [
  ["Testing.render(orders, { values: { replicaCount: 'three' } });", "Type 'string' is not assignable to type 'number'"],
  ['Testing.render(orders, { values: { replicas: 3 } });', "'replicas' does not exist in type"],
  ["Testing.render(billing, { values: { image: { tga: 'x' } } });", "'tga' does not exist in type"],
  ['Testing.render(billing, { values: { hosts: [1] } });', "Type 'number' is not assignable to type 'string'"],
];

test('right values compile for typed and untyped charts; each wrong one fails at its line with the message tsc gives', () => {
  const dir = join(ROOT, 'typed-inputs');
  const sources = new Map([[join(dir, 'charts.ts'), CHARTS]]);
  const imports = "import { orders, billing, untyped, files, full, own, Testing } from './charts';";
  sources.set(join(dir, 'right.ts'), `${imports}\n${RIGHT.join('\n')}\nexport {};\n`);
  sources.set(join(dir, 'wrong.ts'), `${imports}\n${WRONG.map(([line]) => line).join('\n')}\nexport { full, own };\n`);
  const problems = typeCheck(sources);
  expect(typeProblemLines(problems.filter((p) => !p.file.endsWith('wrong.ts')))).toEqual([]);
  const wrong = problems.filter((p) => p.file.endsWith('wrong.ts'));
  expect(typeProblemLines(wrong).map((line) => line.split(' ')[0])).toEqual(WRONG.map((_, i) => `typed-inputs/wrong.ts:${i + 2}`));
  wrong.forEach((problem, i) => expect(problem.message).toContain(WRONG[i][1]));
});
