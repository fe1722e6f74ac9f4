import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { HelmChart } from '../../src';
import { chartFiles, removeChart, writeChart } from './chart-files';

/** The unmodified third-party charts in ../shared/charts, when present. */
export const SHARED_CHARTS = join(__dirname, '..', '..', '..', 'shared', 'charts');

/**
 * Places each dependency of a chart in its `charts/` folder from ../shared/charts (Helm needs them
 * there to render). Returns the dependencies it could not find.
 */
export function prepareDependencies(chart: HelmChart, chartDir: string): string[] {
  const missing: string[] = [];
  for (const dependency of chart.dependencies) {
    const source = join(SHARED_CHARTS, 'bitnami', `${dependency.name}-${dependency.version.replace(/^[~^=]/, '')}`);
    if (!existsSync(source)) {
      missing.push(`${dependency.name} ${dependency.version}`);
      continue;
    }
    cpSync(source, join(chartDir, 'charts', dependency.name), { recursive: true });
  }
  return missing;
}

/** True when ../shared/charts holds the bitnami/postgresql versions helm-synth pins (10.8.0 and 17.1.0). */
export function sharedPostgresChartsPresent(): boolean {
  return ['10.8.0', '17.1.0'].every((version) => existsSync(join(SHARED_CHARTS, 'bitnami', `postgresql-${version}`)));
}

/**
 * Synthesizes a chart into a temporary folder, places its dependencies in `charts/` and runs `fn`
 * with the folder; removes it after. Fails when a dependency is not in ../shared/charts.
 */
export function withDependencies<T>(chart: HelmChart, fn: (dir: string) => T): T {
  const dir = writeChart(chartFiles(chart));
  try {
    const missing = prepareDependencies(chart, dir);
    if (missing.length) throw new Error(`dependencies missing from ${SHARED_CHARTS}: ${missing.join(', ')}`);
    return fn(dir);
  } finally {
    removeChart(dir);
  }
}
