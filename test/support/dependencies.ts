import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { HelmChart } from '../../src';

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
