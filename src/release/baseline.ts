import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareBuild } from 'semver';
import { HelmSynthError } from '../errors';
import { unpackChart } from './chart-archive';
import { CHART_FILE, ChartContent, byteOrder, readChartDirectory } from './chart-content';
import { helmVersion } from '../policy/versions';

/**
 * Reads the charts of a baseline: the last released state to compare a build with. A baseline is
 * a chart archive (`.tgz`), a chart directory (it holds Chart.yaml), or a folder of those (a chart
 * repository folder of archives, a GitOps folder, or a previous `dist/`): its `*.tgz` files and
 * chart subdirectories, one level deep.
 */
export function readBaseline(path: string): ChartContent[] {
  if (!existsSync(path)) throw new HelmSynthError(path, 'baseline not found: give a chart archive, a chart directory or a folder of them');
  if (!statSync(path).isDirectory()) return [unpackChart(readFileSync(path), path)];
  if (existsSync(join(path, CHART_FILE))) return [readChartDirectory(path)];
  const charts: ChartContent[] = [];
  for (const entry of readdirSync(path).sort(byteOrder)) {
    const full = join(path, entry);
    if (entry.endsWith('.tgz') && statSync(full).isFile()) charts.push(unpackChart(readFileSync(full), full));
    else if (statSync(full).isDirectory() && existsSync(join(full, CHART_FILE))) charts.push(readChartDirectory(full));
  }
  if (charts.length === 0) throw new HelmSynthError(path, 'baseline holds no chart: no *.tgz archive and no folder with a Chart.yaml');
  return charts;
}

/** The baseline chart a build of `name` upgrades from: the highest version of that name; undefined when there is none. */
export function latestRelease(baseline: readonly ChartContent[], name: string): ChartContent | undefined {
  return baseline.filter((chart) => chart.name === name).sort((a, b) => compareChartVersions(b.version, a.version))[0];
}

/**
 * Orders chart versions like Helm's Masterminds/semver: `v` prefix and missing minor/patch allowed,
 * build metadata last; versions that do not parse sort as plain strings, as Helm's index does.
 */
export function compareChartVersions(a: string, b: string): number {
  const left = helmVersion(a);
  const right = helmVersion(b);
  if (left && right) return compareBuild(left, right);
  return byteOrder(a, b);
}
