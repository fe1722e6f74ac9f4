import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmChart } from '../../src';
import { chartFiles, removeChart, writeChart } from './chart-files';
import { findHelm, helmLint, helmTemplate, parseManifests, RenderOptions } from './helm';

/** The helm (or stand-in) tests render with, if any. */
export const helm = findHelm();

/** What rendering a chart gave. */
export interface Rendered {
  /** helm template's output. */
  readonly text: string;
  /** Its documents, parsed. */
  readonly docs: Array<Record<string, any>>;
}

/** Synthesizes a chart, writes it to a temporary folder and runs `fn` with the folder; removes it after. */
export function withChartDir<T>(chart: HelmChart, fn: (dir: string) => T): T {
  const dir = writeChart(chartFiles(chart));
  try {
    return fn(dir);
  } finally {
    removeChart(dir);
  }
}

/** Renders a chart with `helm template` (values given as a JSON values file, which is YAML). */
export function renderChart(chart: HelmChart, options: RenderOptions & { readonly values?: unknown } = {}): Rendered {
  return withChartDir(chart, (dir) => renderDir(dir, options));
}

/** Renders a chart folder. */
export function renderDir(dir: string, options: RenderOptions & { readonly values?: unknown } = {}): Rendered {
  const valuesFiles = [...(options.valuesFiles ?? [])];
  if (options.values !== undefined) {
    const file = join(dir, '..', 'test-values.yaml');
    writeFileSync(file, JSON.stringify(options.values));
    valuesFiles.push(file);
  }
  const text = helmTemplate(helm!, dir, { ...options, valuesFiles });
  return { text, docs: parseManifests(text) };
}

/** `helm lint --strict` of a chart; returns its output (throws on failure). */
export function lintChart(chart: HelmChart): string {
  return withChartDir(chart, (dir) => helmLint(helm!, dir));
}

/** The document of a kind (and name suffix) in a render. */
export function docOf(rendered: Rendered, kind: string, name?: string): Record<string, any> {
  const doc = rendered.docs.find((d) => d.kind === kind && (name === undefined || d.metadata?.name === name));
  if (!doc) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in ${rendered.docs.map((d) => `${d.kind}/${d.metadata?.name}`).join(', ')}`);
  return doc;
}
