import { HelmSynthError } from '../errors';
import { unpackChart } from './chart-archive';
import { CHART_FILE, ChartContent, chartContent } from './chart-content';
import { ChartDependency, chartDependencies } from './chart-lock';
import { VersionRange } from './version-range';

const CHARTS_DIR = 'charts/';

/** A subchart vendored in a chart's `charts/` folder, as Helm's loader finds it. */
export interface VendoredChart {
  /** Its path in the chart: `charts/<file>.tgz` or `charts/<folder>`. */
  readonly path: string;
  /** Its files, read from the archive or the folder. */
  readonly content: ChartContent;
}

/** A Chart.yaml dependency that no vendored chart satisfies. */
export interface MissingDependency {
  /** The dependency. */
  readonly dependency: ChartDependency;
  /** Versions of a chart of that name that are vendored but outside the range. */
  readonly otherVersions: readonly string[];
}

/**
 * The subcharts in a chart's `charts/` folder, the way Helm's loader groups them: each
 * `charts/*.tgz` archive and each `charts/<folder>/` is one chart (`.prov` files are kept as files).
 */
export function vendoredCharts(chart: ChartContent): VendoredChart[] {
  const groups = new Map<string, Map<string, Buffer>>();
  for (const [path, data] of chart.files) {
    if (!path.startsWith(CHARTS_DIR) || path.endsWith('.prov')) continue;
    const rest = path.slice(CHARTS_DIR.length);
    const top = rest.split('/')[0];
    if (!groups.has(top)) groups.set(top, new Map());
    groups.get(top)!.set(rest.slice(top.length + 1), data);
  }
  return [...groups].map(([top, files]) => {
    const path = `${CHARTS_DIR}${top}`;
    const origin = `${chart.origin}/${path}`;
    if (files.size === 1 && files.has('') && top.endsWith('.tgz')) return { path, content: unpackChart(files.get('')!, origin) };
    if (!files.has(CHART_FILE))
      throw new HelmSynthError(origin, `is in charts/ but is not a chart: no ${CHART_FILE} (Helm fails to load it)`);
    return { path, content: chartContent(files, origin) };
  });
}

/**
 * The Chart.yaml dependencies that no vendored chart satisfies: Helm renders a dependency from
 * the chart in `charts/` of its name whose version is in its range, and `helm package` refuses a
 * chart whose dependencies are missing. Dependencies without a repository are the chart's own
 * folders in `charts/` and count the same way.
 */
export function missingDependencies(chart: ChartContent): MissingDependency[] {
  const vendored = vendoredCharts(chart);
  return chartDependencies(chart).flatMap((dependency) => {
    const sameName = vendored.filter((v) => v.content.name === dependency.name);
    const range = VersionRange.parse(dependency.version, `${chart.origin}/Chart.yaml dependency ${dependency.name}`);
    if (sameName.some((v) => range.matches(v.content.version))) return [];
    return [{ dependency, otherVersions: sameName.map((v) => v.content.version) }];
  });
}

/**
 * Refuses a chart whose dependencies are not all vendored, in one line naming each and the
 * command that fetches them.
 */
export function assertDependenciesVendored(chart: ChartContent): void {
  const missing = missingDependencies(chart);
  if (missing.length === 0) return;
  const list = missing
    .map(({ dependency: d, otherVersions }) => {
      const found = otherVersions.length ? `; charts/ has ${otherVersions.join(', ')}` : '';
      return `${d.name} ${d.version}${d.repository ? ` from ${d.repository}` : ''}${found}`;
    })
    .join(', ');
  throw new HelmSynthError(chart.name, `dependencies missing from charts/: ${list}; run helm-synth dependency build ${chart.name}`);
}

/**
 * The chart as `helm package` writes it: every vendored archive `charts/<file>.tgz` unpacked into
 * `charts/<its chart name>/`, at every depth (Helm loads subcharts and saves each as a folder).
 * Two vendored charts of one name are refused: Helm would write both into one folder.
 */
export function withUnpackedSubcharts(chart: ChartContent): ChartContent {
  const vendored = vendoredCharts(chart);
  if (!vendored.some((v) => v.path.endsWith('.tgz')) && vendored.every((v) => !hasArchives(v.content))) return chart;
  const files = new Map<string, Buffer>();
  for (const [path, data] of chart.files) {
    if (!path.startsWith(CHARTS_DIR) || path.endsWith('.prov')) files.set(path, data);
  }
  const seen = new Map<string, string>();
  for (const subchart of vendored) {
    const name = subchart.content.name;
    if (seen.has(name)) {
      throw new HelmSynthError(
        chart.origin,
        `charts/ holds two charts named ${name} (${seen.get(name)}, ${subchart.path}): Helm would package both into charts/${name}/; remove one`,
      );
    }
    seen.set(name, subchart.path);
    for (const [path, data] of withUnpackedSubcharts(subchart.content).files) files.set(`${CHARTS_DIR}${name}/${path}`, data);
  }
  return chartContent(files, chart.origin);
}

function hasArchives(chart: ChartContent): boolean {
  return vendoredCharts(chart).some((v) => v.path.endsWith('.tgz') || hasArchives(v.content));
}
