import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmChart, ValueType } from '../../src';
import { buildApp } from '../../charts/app';
import { Testing } from '../../src/testing';
import { reportMissingTool } from '../support/tools';
import { sharedDependencies } from '../support/dependencies';
import { stringify as stringifyYaml } from 'yaml';
import { validateManifests } from '../support/kube-schema';

const HOSTILE = 'He said "hi" \\ back\\slash\nsecond line: colon # hash {{ .Values.x }} }} {{ ünïcødé ☃ 🚀 \'single\' %s %v';
const BIG_INTEGER = 1000000;

const charts = buildApp(Testing.app()).helmCharts.filter((chart) => {
  const { missing } = sharedDependencies(chart);
  if (missing.length) reportMissingTool(`chart ${chart.chartName} under helm: ${missing.join(', ')} not in ../shared/charts`);
  return !missing.length;
});

Testing.ifHelm(describe).each(charts.map((chart) => [chart.chartName, chart] as const))(
  'chart %s under helm',
  (_name, chart: HelmChart) => {
    let dir: string;
    const required = Object.fromEntries(
      chart.values.all.filter((v) => v.required && v.default === undefined).map((v) => [v.path, 'required-value']),
    );
    const allOn = {
      ...required,
      ...Object.fromEntries(chart.values.all.filter((v) => v.type === ValueType.BOOLEAN).map((v) => [v.path, 'true'])),
    };

    beforeAll(() => {
      dir = Testing.writeChart(chart, { dependencies: sharedDependencies(chart).found });
    });
    afterAll(() => Testing.removeChart(dir));

    test('lints clean', () => {
      expect(Testing.lint(dir)).toContain('0 chart(s) failed');
    });

    test.each([
      ['default values (and the required ones)', required],
      ['every switch on', allOn],
    ])('renders valid Kubernetes 1.27 objects with %s', (_label, set) => {
      const docs = Testing.render(dir, { releaseName: 'first', namespace: 'team-a', set }).manifests;
      expect(docs.length).toBeGreaterThan(0);
      expect(validateManifests(docs)).toEqual([]);
      for (const doc of docs.filter((d) => !isSubchartObject(d, chart))) {
        if (doc.metadata.namespace !== undefined) expect(doc.metadata.namespace).toBe('team-a');
        expect(doc.metadata.labels['app.kubernetes.io/instance']).toBe('first');
      }
    });

    test('two releases in one namespace share no object name and no selector', () => {
      const render = (release: string) => Testing.render(dir, { releaseName: release, namespace: 'shared', set: allOn }).manifests;
      const first = render('first');
      const second = render('second');
      const ids = (docs: ReadonlyArray<Record<string, any>>) => docs.map((d) => `${d.kind}/${d.metadata.name}`);
      expect(ids(first).filter((id) => ids(second).includes(id))).toEqual([]);
      for (const [release, docs] of [
        ['first', first],
        ['second', second],
      ] as const) {
        for (const selector of selectorsOf(docs)) expect(selector['app.kubernetes.io/instance']).toBe(release);
      }
    });

    test('hostile strings and big integers render intact', () => {
      const values: Record<string, unknown> = {};
      const expectedStrings: string[] = [];
      for (const value of chart.values.all) {
        const schema = value.schema as { pattern?: string; maximum?: number; minimum?: number };
        if (
          (value.type === ValueType.STRING || value.type === ValueType.SECRET) &&
          schema.pattern === undefined &&
          !/Override$/.test(value.path)
        ) {
          setPath(values, value.path, `${HOSTILE} (${value.path})`);
          expectedStrings.push(`${HOSTILE} (${value.path})`);
        } else if (
          value.type === ValueType.INTEGER &&
          (schema.maximum ?? Infinity) >= BIG_INTEGER &&
          (schema.minimum ?? 0) <= BIG_INTEGER
        ) {
          setPath(values, value.path, BIG_INTEGER);
        } else if (value.type === ValueType.BOOLEAN) {
          setPath(values, value.path, true);
        }
      }
      const file = join(dir, '..', 'hostile-values.yaml');
      writeFileSync(file, stringifyYaml(values));
      const rendered = Testing.render(dir, { releaseName: 'hostile', valuesFiles: [file] });
      expect(rendered.text).not.toMatch(/1e\+0?6/);
      const docs = rendered.manifests;
      const strings = collect(docs, (x): x is string => typeof x === 'string');
      for (const expected of expectedStrings) {
        expect(strings.some((s) => s.includes(expected))).toBe(true);
      }
      const integerPaths = chart.values.all.filter((v) => v.type === ValueType.INTEGER && getPath(values, v.path) === BIG_INTEGER);
      if (integerPaths.length) expect(collect(docs, (x): x is number => x === BIG_INTEGER).length).toBeGreaterThan(0);
    });
  },
);

function isSubchartObject(doc: Record<string, any>, chart: HelmChart): boolean {
  return (
    doc.metadata?.labels?.['helm.sh/chart'] !== undefined && !String(doc.metadata.labels['helm.sh/chart']).startsWith(`${chart.chartName}-`)
  );
}

function selectorsOf(docs: ReadonlyArray<Record<string, any>>): Array<Record<string, string>> {
  return collect(docs, (x): x is Record<string, string> => typeof x === 'object' && x !== null && 'cdk8s.io/metadata.addr' in x);
}

function collect<T>(node: unknown, match: (x: unknown) => x is T, found: T[] = []): T[] {
  if (match(node)) found.push(node);
  if (node && typeof node === 'object') for (const child of Object.values(node)) collect(child, match, found);
  return found;
}

function setPath(target: Record<string, any>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
}

function getPath(target: Record<string, any>, path: string): unknown {
  return path.split('.').reduce<any>((node, key) => node?.[key], target);
}
