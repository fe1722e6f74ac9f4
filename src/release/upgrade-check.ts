import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { HelmSynthError } from '../errors';
import { HelmRunner, parseRenderedDocuments } from '../helm';
import { latestRelease, readBaseline } from './baseline';
import { unpackChart } from './chart-archive';
import { byteOrder, ChartContent, readChartDirectory } from './chart-content';
import { compareRenders, FindingSeverity, UpgradeFinding } from './upgrade-rules';

/** Options of `checkUpgrade`. */
export interface UpgradeCheckOptions {
  /** The released state: a chart archive, a chart directory, or a folder of them (the highest version of each chart is used). */
  readonly baseline: string;
  /** Values files applied to both renders, in order (`-f`). @default [] */
  readonly valuesFiles?: readonly string[];
  /** `--set` arguments applied to both renders. @default [] */
  readonly set?: readonly string[];
  /** Release name of both renders. @default 'release-name' */
  readonly release?: string;
  /** Release namespace of both renders. @default 'default' */
  readonly namespace?: string;
  /** The Helm to render with. @default HelmRunner.require('check-upgrade') */
  readonly helm?: HelmRunner;
}

/** The upgrade check of one chart. */
export interface ChartUpgradeReport {
  /** Chart name. */
  readonly chart: string;
  /** The new chart's version. */
  readonly version: string;
  /** The baseline's version; undefined when the baseline has no chart of this name (nothing to check). */
  readonly baselineVersion?: string;
  /** Errors and warnings, by object and field. */
  readonly findings: readonly UpgradeFinding[];
}

/**
 * Checks that `helm upgrade` from the baseline to each chart directory works and loses nothing:
 * renders the baseline chart and the new chart with the same values (their defaults plus the
 * given files and `--set`s, both with `--is-upgrade`) and compares the objects (see
 * `compareRenders`). Both charts are rendered as they would be packaged (`.helmignore` applied)
 * from a temporary copy in which vendored `charts/*.tgz` are unpacked, so subchart objects are
 * compared too under a Helm stand-in that reads only unpacked subcharts.
 */
export function checkUpgrade(chartDirs: readonly string[], options: UpgradeCheckOptions): ChartUpgradeReport[] {
  const helm = options.helm ?? HelmRunner.require('check-upgrade');
  const baseline = readBaseline(options.baseline);
  const charts = chartDirs.map(readChartDirectory);
  if (baseline.length === 1 && !charts.some((chart) => chart.name === baseline[0].name)) {
    throw new HelmSynthError(
      options.baseline,
      `the baseline is chart ${baseline[0].name}, and no chart of that name is being checked (${charts.map((c) => c.name).join(', ')})`,
    );
  }
  const templateOptions = {
    release: options.release ?? 'release-name',
    namespace: options.namespace ?? 'default',
    valuesFiles: (options.valuesFiles ?? []).map((file) => {
      if (!existsSync(file)) throw new HelmSynthError(file, 'values file not found');
      return resolve(file);
    }),
    set: options.set ?? [],
    isUpgrade: true,
  };
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-upgrade-'));
  try {
    return charts.map((chart, i) => {
      const released = latestRelease(baseline, chart.name);
      if (!released) return { chart: chart.name, version: chart.version, findings: [] };
      const render = (content: ChartContent, side: string): ReturnType<typeof parseRenderedDocuments> => {
        const dir = stageChart(content, join(work, `${i}-${side}`));
        let rendered: string;
        try {
          rendered = helm.template(dir, templateOptions);
        } catch (error) {
          if (!HelmSynthError.isHelmSynthError(error)) throw error;
          throw new HelmSynthError(`${content.origin} (${side} render)`, error.message.slice(error.constructPath.length + 2));
        }
        return parseRenderedDocuments(rendered, `${content.origin} (${side} render)`);
      };
      const findings = compareRenders(render(released, 'baseline'), render(chart, 'new'), templateOptions.namespace);
      return { chart: chart.name, version: chart.version, baselineVersion: released.version, findings };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Whether any report holds an error. */
export function hasUpgradeErrors(reports: readonly ChartUpgradeReport[]): boolean {
  return reports.some((report) => report.findings.some((finding) => finding.severity === FindingSeverity.ERROR));
}

/**
 * The reports as text, one line per finding:
 * `error: <chart>: <Kind ns/name>: <path>: <before> -> <after>: <message>`, then a summary line per chart.
 */
export function formatUpgradeReports(reports: readonly ChartUpgradeReport[]): string {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.baselineVersion === undefined) {
      lines.push(`${report.chart} ${report.version}: not in the baseline, nothing to check`);
      continue;
    }
    for (const finding of report.findings) {
      const field = finding.path ? `: ${finding.path}: ${show(finding.before)} -> ${show(finding.after)}` : '';
      const source = finding.source ? ` (${finding.source})` : '';
      lines.push(`${finding.severity}: ${report.chart}: ${finding.object}${source}${field}: ${finding.message}`);
    }
    const count = (severity: FindingSeverity): number => report.findings.filter((finding) => finding.severity === severity).length;
    const counts = `${count(FindingSeverity.ERROR)} error(s), ${count(FindingSeverity.WARNING)} warning(s)`;
    lines.push(`${report.chart} ${report.baselineVersion} -> ${report.version}: ${counts}`);
  }
  return `${lines.join('\n')}\n`;
}

function show(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

/** Writes a chart's files to `<parent>/<name>` and unpacks its vendored `charts/*.tgz` (recursively); returns the chart directory. */
function stageChart(chart: ChartContent, parent: string): string {
  const root = join(parent, chart.name);
  for (const [path, data] of chart.files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
  }
  unpackSubchartArchives(root);
  return root;
}

function unpackSubchartArchives(chartDir: string): void {
  const chartsDir = join(chartDir, 'charts');
  if (!existsSync(chartsDir)) return;
  for (const entry of readdirSync(chartsDir).sort(byteOrder)) {
    const path = join(chartsDir, entry);
    if (entry.endsWith('.tgz') && statSync(path).isFile()) {
      const sub = unpackChart(readFileSync(path), path);
      rmSync(path);
      if (existsSync(join(chartsDir, sub.name))) continue;
      stageChart(sub, chartsDir);
    } else if (statSync(path).isDirectory()) {
      unpackSubchartArchives(path);
    }
  }
}
