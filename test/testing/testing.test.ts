import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart } from '../../src';
import { ChartFileText, chartSnapshotSerializer, expectChartSnapshot, RenderedChart, Testing } from '../../src/testing';
import jestTransform = require('../../src/testing/jest-transform');
import { expectHelmSynthError } from '../support/errors';

/** A chart with one value and one ConfigMap. */
function demo(id = 'demo'): HelmChart {
  const chart = Testing.chart(id, { version: '1.2.3' });
  const greeting = chart.values.string('greeting', { default: 'hello', description: 'Greeting.' });
  new kplus.ConfigMap(chart, 'Config', { data: { greeting: greeting.asString() } });
  return chart;
}

/**
 * A stand-in for helm that records how it was called: prints one ConfigMap whose data holds its
 * arguments, the values files it was given and the charts/ folder's entries.
 */
function recordingHelm(dir: string): string {
  const bin = join(dir, 'recording-helm');
  writeFileSync(
    bin,
    [
      '#!/usr/bin/env node',
      "const fs = require('fs'), path = require('path');",
      'const args = process.argv.slice(2);',
      "const files = args.flatMap((a, i) => (args[i - 1] === '-f' ? [fs.readFileSync(a, 'utf8')] : []));",
      'const chart = args[2];',
      "const charts = fs.existsSync(path.join(chart, 'charts')) ? fs.readdirSync(path.join(chart, 'charts')).sort() : [];",
      "const doc = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'recorded' }, data: { args: JSON.stringify(args), files: JSON.stringify(files), charts: JSON.stringify(charts) } };",
      "process.stdout.write('---\\n# Source: x/templates/recorded.yaml\\n' + JSON.stringify(doc) + '\\n');",
    ].join('\n'),
  );
  chmodSync(bin, 0o755);
  return bin;
}

describe('Testing', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'helm-synth-testing-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('app() writes only when synth() is called, into a fresh temporary folder', () => {
    const app = Testing.app();
    const other = Testing.app();
    expect(app.chartsOutdir).not.toBe(other.chartsOutdir);
    expect(dirname(app.chartsOutdir)).toBe(tmpdir());
    expect(existsSync(app.chartsOutdir)).toBe(false);
    new HelmChart(app, 'web', { version: '0.1.0' });
    app.synth();
    expect(readFileSync(join(app.chartsOutdir, 'web', 'Chart.yaml'), 'utf8')).toContain('name: web');
    rmSync(app.chartsOutdir, { recursive: true, force: true });
  });

  test('chart() is a HelmChart in its own app; synth() and file() give the files in memory', () => {
    const chart = demo();
    const files = Testing.synth(chart);
    expect(files.name).toBe('demo');
    expect([...files.files.keys()]).toEqual(expect.arrayContaining(['Chart.yaml', 'values.yaml', 'templates/config-config-map.yaml']));
    expect(Testing.file(chart, 'values.yaml')).toContain('greeting: hello');
    expect(Testing.file(files, 'Chart.yaml')).toContain('version: 1.2.3');
    expectHelmSynthError(() => Testing.file(files, 'templates/nope.yaml'), 'demo', 'no file templates/nope.yaml; the chart has Chart.yaml');
  });

  test('writeChart() writes the chart and its dependencies to a temporary folder; removeChart() removes only what it wrote', () => {
    const subchart = join(work, 'sub');
    writeFileSync(join(work, 'sub.tgz'), 'archive');
    const sub = Testing.writeChart(Testing.chart('sub'));
    const dir = Testing.writeChart(demo(), { dependencies: { sub, archived: join(work, 'sub.tgz') } });
    expect(readFileSync(join(dir, 'Chart.yaml'), 'utf8')).toContain('name: demo');
    expect(readFileSync(join(dir, 'charts', 'sub', 'Chart.yaml'), 'utf8')).toContain('name: sub');
    expect(readFileSync(join(dir, 'charts', 'sub.tgz'), 'utf8')).toBe('archive');
    expectHelmSynthError(() => Testing.removeChart(work), work, 'was not written by Testing.writeChart');
    Testing.removeChart(dir);
    Testing.removeChart(sub);
    expect(existsSync(dirname(dir))).toBe(false);
    expectHelmSynthError(
      () => Testing.writeChart(demo(), { dependencies: { gone: subchart } }),
      'demo',
      `dependency gone: ${subchart} does not exist`,
    );
  });

  test('render() runs helm template with the release, namespace, values files, values, sets and --is-upgrade, in that order', () => {
    const helm = recordingHelm(work);
    const valuesFile = join(work, 'first.yaml');
    writeFileSync(valuesFile, 'greeting: from-file\n');
    const sub = Testing.writeChart(Testing.chart('sub'));
    const rendered = Testing.render(demo(), {
      helmBinary: helm,
      releaseName: 'shop',
      namespace: 'team-a',
      valuesFiles: [valuesFile],
      values: { greeting: 'from-values' },
      set: { 'a.b': '1' },
      isUpgrade: true,
      dependencies: { sub },
    });
    Testing.removeChart(sub);
    const data = rendered.find('ConfigMap', 'recorded').data;
    const args: string[] = JSON.parse(data.args);
    expect(args.slice(0, 2)).toEqual(['template', 'shop']);
    expect(args.slice(3)).toEqual([
      '--namespace',
      'team-a',
      '-f',
      valuesFile,
      '-f',
      expect.stringMatching(/test-values\.yaml$/),
      '--set',
      'a.b=1',
      '--is-upgrade',
    ]);
    expect(JSON.parse(data.files)).toEqual(['greeting: from-file\n', '{"greeting":"from-values"}']);
    expect(JSON.parse(data.charts)).toEqual(['sub']);
    expect(existsSync(args[2])).toBe(false);
    expect(rendered.documents[0].source).toBe('x/templates/recorded.yaml');
    expect(rendered.text).toContain('# Source: x/templates/recorded.yaml');
  });

  test('render() defaults: release-name in default; a chart directory is rendered where it is, and takes no dependencies', () => {
    const helm = recordingHelm(work);
    const args = (rendered: RenderedChart): string[] => JSON.parse(rendered.find('ConfigMap').data.args);
    expect(args(Testing.render(Testing.synth(demo()), { helmBinary: helm }))).toEqual([
      'template',
      'release-name',
      expect.any(String),
      '--namespace',
      'default',
    ]);
    const dir = Testing.writeChart(demo());
    expect(args(Testing.render(dir, { helmBinary: helm }))[2]).toBe(dir);
    expectHelmSynthError(
      () => Testing.render(dir, { helmBinary: helm, dependencies: { sub: dir } }),
      dir,
      'dependencies are placed only into a chart written for the test',
    );
    expectHelmSynthError(() => Testing.render(work, { helmBinary: helm }), work, 'is not a chart directory (no Chart.yaml)');
    Testing.removeChart(dir);
  });

  test('without a Helm, render() and lint() fail saying what to install; ifHelm() skips with a warning, or fails when tools are required', () => {
    const saved = { PATH: process.env.PATH, HELM_BIN: process.env.HELM_BIN, REQUIRE: process.env.HELM_SYNTH_REQUIRE_TOOLS };
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      process.env.PATH = '';
      delete process.env.HELM_BIN;
      delete process.env.HELM_SYNTH_REQUIRE_TOOLS;
      delete (globalThis as Record<symbol, unknown>)[Symbol.for('helm-synth.testing.helm-skip-reported')];
      expect(Testing.helmAvailable()).toBe(false);
      expectHelmSynthError(() => Testing.render(demo()), 'helm-synth/testing', 'needs Helm: no helm on PATH and no HELM_BIN');
      expectHelmSynthError(() => Testing.lint(demo()), 'helm-synth/testing', 'needs Helm');
      const block = Object.assign(() => 'run', { skip: () => 'skipped' });
      expect(Testing.ifHelm(block)).toBe(block.skip);
      expect(warn.mock.calls.flat().join('\n')).toMatch(/^SKIPPED: tests that render with Helm: no helm on PATH/m);
      process.env.HELM_SYNTH_REQUIRE_TOOLS = '1';
      expectHelmSynthError(() => Testing.ifHelm(block), 'helm-synth/testing', 'Helm required (HELM_SYNTH_REQUIRE_TOOLS=1)');
      process.env.HELM_BIN = recordingHelm(work);
      expect(Testing.helmAvailable()).toBe(true);
      expect(Testing.ifHelm(block)).toBe(block);
    } finally {
      warn.mockRestore();
      for (const [key, value] of [
        ['PATH', saved.PATH],
        ['HELM_BIN', saved.HELM_BIN],
        ['HELM_SYNTH_REQUIRE_TOOLS', saved.REQUIRE],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  Testing.ifHelm(test)('render() and lint() under helm: values reach the template, find() names what was rendered', () => {
    expect(Testing.lint(demo())).toContain('0 chart(s) failed');
    const rendered = Testing.render(demo(), { releaseName: 'rel', values: { greeting: 'hi' } });
    expect(rendered.find('ConfigMap').data.greeting).toBe('hi');
    expect(rendered.all('ConfigMap')).toHaveLength(1);
    expectHelmSynthError(() => rendered.find('Secret'), 'demo', 'no object Secret rendered; rendered: ConfigMap/rel-demo-config');
    expect(() => Testing.render(demo(), { values: { greeting: 5 } })).toThrow(/helm template failed/);
  });
});

describe('chart snapshots', () => {
  test('one raw snapshot per file, in path order, named <chart>/<path>', () => {
    const files = Testing.synth(demo());
    const hints: string[] = [];
    const saved = (globalThis as { expect?: unknown }).expect;
    const fake = Object.assign(
      (actual: unknown) => ({ toMatchSnapshot: (hint: string) => hints.push(`${hint} ${(actual as ChartFileText).text.length}`) }),
      {
        addSnapshotSerializer: jest.fn(),
      },
    );
    (globalThis as { expect?: unknown }).expect = fake;
    try {
      expectChartSnapshot(files);
      expectChartSnapshot(demo());
    } finally {
      (globalThis as { expect?: unknown }).expect = saved;
    }
    const paths = [...files.files.keys()].sort();
    expect(hints).toEqual([...paths, ...paths].map((path) => `demo/${path} ${files.files.get(path)!.length}`));
    expect(fake.addSnapshotSerializer).toHaveBeenCalledTimes(1);
    expect(fake.addSnapshotSerializer).toHaveBeenCalledWith(chartSnapshotSerializer);
  });

  test('the serializer prints a file as it is; jest is needed only when a snapshot is taken', () => {
    const text = 'a: "quoted" `tick` \\ ${x}\n';
    expect(chartSnapshotSerializer.test(new ChartFileText(text))).toBe(true);
    expect(chartSnapshotSerializer.test({ text })).toBe(false);
    expect(chartSnapshotSerializer.serialize(new ChartFileText(text))).toBe(text);
    expectHelmSynthError(
      () => {
        const g = globalThis as { expect?: unknown };
        const keep = g.expect;
        delete g.expect;
        try {
          expectChartSnapshot(demo());
        } finally {
          g.expect = keep;
        }
      },
      'expectChartSnapshot',
      "needs jest's global expect: call it from a jest test file",
    );
  });
});

describe('helm-synth/jest-transform', () => {
  test('compiles TypeScript to CommonJS with a source map, without type-checking', () => {
    const { code, map } = jestTransform.process('export const n: number = "not a number" as any;\nexport type T = string;\n', '/x/a.ts');
    const module = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', code)(module, module.exports);
    expect(module.exports.n).toBe('not a number');
    expect(JSON.parse(map).sources).toEqual(['/x/a.ts']);
  });

  test('a syntax error names the file, line and column', () => {
    expectHelmSynthError(
      () => jestTransform.process('const a = 1;\nconst b = = 2;\n', join(process.cwd(), 'x', 'b.ts')),
      'x/b.ts:2:11',
      'Unexpected "="',
    );
  });
});
