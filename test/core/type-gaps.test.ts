import { join } from 'node:path';
import { HelmSynthError } from '../../src';
import { Testing } from '../../src/testing';
import { typeCheck, typeProblemLines } from '../support/typecheck';
import { typeGapCharts } from '../support/type-gaps-charts';

const ROOT = join(__dirname, '..', '..');

/**
 * Environment values, each with whether it must be accepted; `helm` says whether Helm's verdict at
 * install (secrets given with --set) is the same (a secret in a values file is ours to refuse: Helm
 * takes it).
 */
const CASES: ReadonlyArray<{ chart: 'orders' | 'shop'; values: string; accepted: boolean; helm: boolean }> = [
  { chart: 'orders', values: '{ replicaCount: 3, labels: { team: "b" } }', accepted: true, helm: true },
  { chart: 'orders', values: '{ labels: { tier: null } }', accepted: true, helm: true },
  { chart: 'orders', values: '{ labels: { tier: null, zone: "eu" } }', accepted: true, helm: true },
  { chart: 'orders', values: '{ owner: null }', accepted: false, helm: false },
  { chart: 'orders', values: '{ replicaCount: null }', accepted: false, helm: true },
  { chart: 'orders', values: '{ labels: null }', accepted: false, helm: true },
  { chart: 'orders', values: '{ hosts: null }', accepted: false, helm: true },
  { chart: 'orders', values: '{ image: { tag: null } }', accepted: false, helm: true },
  { chart: 'orders', values: '{ image: null }', accepted: false, helm: true },
  { chart: 'orders', values: '{ labels: { tier: 1 } }', accepted: false, helm: true },
  { chart: 'orders', values: '{ database: { password: "hunter2" } }', accepted: false, helm: false },
  { chart: 'orders', values: '{ global: { region: null } }', accepted: true, helm: true },
  { chart: 'shop', values: '{ debug: true, orders: { replicaCount: 3, image: { tag: "2.0.0" } } }', accepted: true, helm: false },
  { chart: 'shop', values: '{ orders: { labels: { team: null } } }', accepted: true, helm: false },
  { chart: 'shop', values: '{ orders: { replicaCount: "3" } }', accepted: false, helm: false },
  { chart: 'shop', values: '{ orders: { replicas: 3 } }', accepted: false, helm: false },
  { chart: 'shop', values: '{ orders: { database: { password: "hunter2" } } }', accepted: false, helm: false },
  { chart: 'shop', values: '{ legacy: { replicaCount: 2 } }', accepted: true, helm: false },
];

/** Whether tsc accepts each case, from one program holding them one a line. */
function tscVerdicts(): boolean[] {
  const dir = join(ROOT, 'type-gaps-snippets');
  const lines = CASES.map(({ chart, values }) => `charts.${chart}.environment('e', ${values});`);
  const files = new Map([
    [
      join(dir, 'cases.ts'),
      `import { HelmApp } from 'helm-synth';\nimport { typeGapCharts } from '../test/support/type-gaps-charts';\nconst charts = typeGapCharts(new HelmApp());\n${lines.join('\n')}\n`,
    ],
  ]);
  const problems = typeCheck(files);
  const outside = problems.filter((p) => !p.file.endsWith('cases.ts') || p.line <= 3);
  expect(typeProblemLines(outside)).toEqual([]);
  const refused = new Set(problems.map((p) => p.line - 4));
  return CASES.map((_, i) => !refused.has(i));
}

/** Whether synthesis accepts each case. */
function synthVerdicts(): boolean[] {
  return CASES.map(({ chart, values }) => {
    const charts = typeGapCharts(Testing.app());
    try {
      charts[chart].environment('e', new Function(`return (${values});`)());
      Testing.synth(charts[chart]);
      return true;
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      return false;
    }
  });
}

describe('typed environments: tsc accepts exactly what synthesis accepts', () => {
  test('dependency keys of an umbrella, null where Helm removes a key, secrets left out: each verdict as expected', () => {
    const expected = CASES.map((c) => c.accepted);
    const tsc = tscVerdicts();
    const synth = synthVerdicts();
    expect(CASES.map((c, i) => [c.chart, c.values, tsc[i]])).toEqual(CASES.map((c, i) => [c.chart, c.values, expected[i]]));
    expect(CASES.map((c, i) => [c.chart, c.values, synth[i]])).toEqual(CASES.map((c, i) => [c.chart, c.values, expected[i]]));
  });

  Testing.ifHelm(test)('Helm at install (required values and secrets given with --set) agrees with each verdict', () => {
    const dir = Testing.writeChart(typeGapCharts(Testing.app()).orders);
    try {
      const verdicts = CASES.filter((c) => c.helm).map(({ values }) => {
        try {
          Testing.render(dir, { values: new Function(`return (${values});`)(), set: { owner: 'team-a', 'database.password': 'p' } });
          return [values, true];
        } catch (error) {
          if (!HelmSynthError.isHelmSynthError(error)) throw error;
          return [values, false];
        }
      });
      expect(verdicts).toEqual(CASES.filter((c) => c.helm).map((c) => [c.values, c.accepted]));
    } finally {
      Testing.removeChart(dir);
    }
  });
});
