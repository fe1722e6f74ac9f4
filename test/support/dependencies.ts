import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HelmChart } from '../../src';
import { Testing } from '../../src/testing';

/** The unmodified third-party charts in ../shared/charts, when present. */
export const SHARED_CHARTS = join(__dirname, '..', '..', '..', 'shared', 'charts');

/** The chart folders in ../shared/charts for a chart's dependencies (name → folder), and those that are not there. */
export function sharedDependencies(chart: HelmChart): { readonly found: Record<string, string>; readonly missing: string[] } {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const dependency of chart.dependencies) {
    const source = join(SHARED_CHARTS, 'bitnami', `${dependency.name}-${dependency.version.replace(/^[~^=]/, '')}`);
    if (existsSync(source)) found[dependency.name] = source;
    else missing.push(`${dependency.name} ${dependency.version}`);
  }
  return { found, missing };
}

/** True when ../shared/charts holds the bitnami/postgresql versions helm-synth pins (10.8.0 and 17.1.0). */
export function sharedPostgresChartsPresent(): boolean {
  return ['10.8.0', '17.1.0'].every((version) => existsSync(join(SHARED_CHARTS, 'bitnami', `postgresql-${version}`)));
}

/**
 * Writes a chart with its dependencies from ../shared/charts in `charts/` (Testing.writeChart) and
 * runs `fn` with the chart directory; removes it after. Fails when a dependency is not there.
 */
export function withDependencies<T>(chart: HelmChart, fn: (dir: string) => T): T {
  const { found, missing } = sharedDependencies(chart);
  if (missing.length) throw new Error(`dependencies missing from ${SHARED_CHARTS}: ${missing.join(', ')}`);
  const dir = Testing.writeChart(chart, { dependencies: found });
  try {
    return fn(dir);
  } finally {
    Testing.removeChart(dir);
  }
}
