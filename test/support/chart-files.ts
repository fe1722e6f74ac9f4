import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ChartFiles, HelmApp, HelmChart, synthesizeChart } from '../../src';

/** Synthesizes one chart in memory. */
export function chartFiles(chart: HelmChart): ChartFiles {
  return synthesizeChart(chart);
}

/** One file of a synthesized chart; fails listing the files when it is missing. */
export function chartFile(chart: HelmChart, path: string): string {
  const files = synthesizeChart(chart).files;
  const text = files.get(path);
  if (text === undefined) throw new Error(`no ${path} in ${[...files.keys()].join(', ')}`);
  return text;
}

/**
 * Snapshots every file of a synthesized chart as raw text, one snapshot per file named by its
 * path, so a pull request's snapshot diff reads like a diff of the chart.
 */
export function expectChartSnapshot(chart: ChartFiles): void {
  for (const [path, content] of [...chart.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    expect(new RawText(content)).toMatchSnapshot(`${chart.name}/${path}`);
  }
}

/** Writes a synthesized chart to a fresh temporary folder; returns the chart directory. */
export function writeChart(chart: ChartFiles, parent = mkdtempSync(join(tmpdir(), 'helm-synth-'))): string {
  const root = join(parent, chart.name);
  for (const [path, content] of chart.files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Removes a folder made by writeChart. */
export function removeChart(chartDir: string): void {
  rmSync(dirname(chartDir), { recursive: true, force: true });
}

/** A fresh app that writes nowhere unless asked. */
export function testApp(): HelmApp {
  return new HelmApp({ outdir: join(tmpdir(), 'helm-synth-unused') });
}

/** Wraps text so the snapshot serializer prints it raw (no quotes, no escaping). */
export class RawText {
  constructor(public readonly text: string) {}
}

expect.addSnapshotSerializer({
  test: (value: unknown) => value instanceof RawText,
  serialize: (value: RawText) => value.text,
});
