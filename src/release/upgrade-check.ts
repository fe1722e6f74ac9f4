import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { HelmSynthError } from '../errors';
import { HelmRunner, parseRenderedDocuments } from '../helm';
import { latestRelease, readBaseline } from './baseline';
import { unpackChart } from './chart-archive';
import { byteOrder, ChartContent, readChartDirectory } from './chart-content';
import { checkKubeApi, KubeApiSeverity } from '../policy/kube-api-versions';
import { applyAcknowledgements, UpgradeAcknowledgement } from './upgrade-acknowledgements';
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
  /** @internal The Helm to render with. @default HelmRunner.require('check-upgrade') */
  readonly helm?: HelmRunner;
  /** Settings of single charts, by chart name, applied after the ones above. @default none */
  readonly charts?: Readonly<Record<string, ChartUpgradeSettings>>;
  /**
   * The Kubernetes version to render for (`--kube-version`); objects of an API removed in it are
   * errors, deprecated ones warnings.
   * @default Helm's default version, and no API check
   */
  readonly kubeVersion?: string;
  /** Intended breaking changes: the errors they name become notes. @default none */
  readonly acknowledgements?: readonly UpgradeAcknowledgement[];
}

/** Upgrade-check settings of one chart (`--values CHART=FILE`, cdk8s.yaml `upgradeCheck.charts.<name>`). */
export interface ChartUpgradeSettings {
  /** Values files for this chart's renders, after the ones for every chart. @default [] */
  readonly valuesFiles?: readonly string[];
  /** `--set` arguments for this chart's renders, after the ones for every chart. @default [] */
  readonly set?: readonly string[];
  /** Leave the chart out of the check. @default false */
  readonly skip?: boolean;
}

/** The upgrade check of one chart. */
export interface ChartUpgradeReport {
  /** Chart name. */
  readonly chart: string;
  /** The new chart's version. */
  readonly version: string;
  /** The baseline's version; undefined when the baseline has no chart of this name (nothing to check). */
  readonly baselineVersion?: string;
  /** Errors, warnings and acknowledged errors (notes), by object and field. */
  readonly findings: readonly UpgradeFinding[];
  /** The acknowledgements that turned an error of this chart into a note. */
  readonly acknowledged: ReadonlySet<UpgradeAcknowledgement>;
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
  const known = new Set(charts.map((chart) => chart.name));
  const unknown = Object.keys(options.charts ?? {}).filter((name) => !known.has(name));
  if (unknown.length) {
    throw new HelmSynthError(
      'check-upgrade',
      `settings for chart ${unknown.join(', ')}, which is not being checked (${[...known].join(', ')})`,
    );
  }
  const files = (list: readonly string[] | undefined): string[] =>
    (list ?? []).map((file) => {
      if (!existsSync(file)) throw new HelmSynthError(file, 'values file not found');
      return resolve(file);
    });
  const common = {
    release: options.release ?? 'release-name',
    namespace: options.namespace ?? 'default',
    valuesFiles: files(options.valuesFiles),
    set: options.set ?? [],
    isUpgrade: true,
    kubeVersion: options.kubeVersion,
  };
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-upgrade-'));
  try {
    return charts.flatMap((chart, i): ChartUpgradeReport[] => {
      const own = options.charts?.[chart.name];
      if (own?.skip) return [];
      const templateOptions = {
        ...common,
        valuesFiles: [...common.valuesFiles, ...files(own?.valuesFiles)],
        set: [...common.set, ...(own?.set ?? [])],
      };
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
      const released = latestRelease(baseline, chart.name);
      if (!released && options.kubeVersion === undefined)
        return [{ chart: chart.name, version: chart.version, findings: [], acknowledged: new Set() }];
      const current = render(chart, 'new');
      const found = [
        ...(released ? compareRenders(render(released, 'baseline'), current, templateOptions.namespace) : []),
        ...(options.kubeVersion !== undefined ? apiFindings(current, options.kubeVersion, templateOptions.namespace) : []),
      ];
      const { findings, used } = applyAcknowledgements(chart.name, chart.version, found, options.acknowledgements ?? []);
      return [{ chart: chart.name, version: chart.version, baselineVersion: released?.version, findings, acknowledged: used }];
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Objects of the new render whose API version the target Kubernetes version no longer serves (errors) or deprecates (warnings). */
function apiFindings(documents: ReturnType<typeof parseRenderedDocuments>, kubeVersion: string, namespace: string): UpgradeFinding[] {
  const findings: UpgradeFinding[] = [];
  for (const { object, source } of documents) {
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') continue;
    const finding = checkKubeApi(object.apiVersion, object.kind, kubeVersion);
    if (!finding) continue;
    findings.push({
      severity: finding.severity === KubeApiSeverity.REMOVED ? FindingSeverity.ERROR : FindingSeverity.WARNING,
      object: `${object.kind} ${object.metadata?.namespace ?? namespace}/${object.metadata?.name}`,
      source,
      path: 'apiVersion',
      before: undefined,
      after: object.apiVersion,
      message: finding.message,
    });
  }
  return findings;
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
    if (report.baselineVersion === undefined && report.findings.length === 0) {
      lines.push(`${report.chart} ${report.version}: not in the baseline, nothing to check`);
      continue;
    }
    for (const finding of report.findings) {
      const field = finding.path ? `: ${finding.path}: ${show(finding.before)} -> ${show(finding.after)}` : '';
      const source = finding.source ? ` (${finding.source})` : '';
      lines.push(`${finding.severity}: ${report.chart}: ${finding.object}${source}${field}: ${finding.message}`);
    }
    const count = (severity: FindingSeverity): number => report.findings.filter((finding) => finding.severity === severity).length;
    const notes = count(FindingSeverity.NOTE);
    const counts = `${count(FindingSeverity.ERROR)} error(s), ${count(FindingSeverity.WARNING)} warning(s)${notes ? `, ${notes} acknowledged` : ''}`;
    lines.push(`${report.chart} ${report.baselineVersion ?? '(not in the baseline)'} -> ${report.version}: ${counts}`);
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
