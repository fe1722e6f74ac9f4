import { HelmChart } from '../chart/helm-chart';
import { ChartFiles, synthesizeChart } from '../synth/chart-files';
import { JestExpect, jestGlobal, SnapshotSerializer } from './jest-globals';

const CHART_FILE_TEXT = Symbol.for('helm-synth.ChartFileText');
const SERIALIZER_ADDED = Symbol.for('helm-synth.chart-snapshot-serializer');

/** The text of one chart file, which `chartSnapshotSerializer` stores as it is (no quotes, no escaping). */
export class ChartFileText {
  /** True for a ChartFileText of any copy of helm-synth (a brand check, not `instanceof`). */
  public static isChartFileText(x: unknown): x is ChartFileText {
    return typeof x === 'object' && x !== null && CHART_FILE_TEXT in x;
  }

  /** @param text the file's content */
  constructor(
    /** The file's content. */
    public readonly text: string,
  ) {
    Object.defineProperty(this, CHART_FILE_TEXT, { value: true });
  }
}

/**
 * Prints a `ChartFileText` raw, so a snapshot reads like the chart file and a pull request's
 * snapshot diff like a diff of the chart. `expectChartSnapshot` adds it; add it yourself
 * (`expect.addSnapshotSerializer`) only to snapshot a `ChartFileText` directly.
 */
export const chartSnapshotSerializer: SnapshotSerializer = {
  test: (value: unknown) => ChartFileText.isChartFileText(value),
  serialize: (value: ChartFileText) => value.text,
};

/**
 * Snapshots every file of a chart with jest's `toMatchSnapshot`, one raw snapshot per file named
 * `<chart>/<path>`, in path order. A chart is synthesized first (`Testing.synth`). Call it inside
 * a jest test: jest's global `expect` is looked up at call time, and jest is not a dependency of
 * helm-synth.
 */
export function expectChartSnapshot(chart: HelmChart | ChartFiles): void {
  const expect = jestGlobal<JestExpect>('expect', 'expectChartSnapshot');
  const marked = expect as unknown as { [SERIALIZER_ADDED]?: boolean };
  if (!marked[SERIALIZER_ADDED]) {
    expect.addSnapshotSerializer(chartSnapshotSerializer);
    Object.defineProperty(expect, SERIALIZER_ADDED, { value: true });
  }
  const files = HelmChart.isHelmChart(chart) ? synthesizeChart(chart) : chart;
  for (const [path, content] of [...files.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    expect(new ChartFileText(content)).toMatchSnapshot(`${files.name}/${path}`);
  }
}
