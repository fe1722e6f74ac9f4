import { ApiObject, App } from 'cdk8s';
import { HelmSynthError, readableMessage } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { OutputReport, writeOutput } from '../output/output-writer';
import { ChartFiles, synthesizeChart, validateConstructs } from './chart-files';
import { Problem } from './collect';
import { checkPackageCopies } from './package-copies';

/** Settings of a HelmApp. */
export interface HelmAppProps {
  /**
   * Where chart directories are written, one per chart.
   * @default $HELM_SYNTH_OUTDIR, else `dist`
   */
  readonly outdir?: string;
}

/** One `HelmApp.synth()` of this process: the charts, and what writing them did (absent while writing, or when it failed). */
export interface SynthRun {
  readonly app: HelmApp;
  readonly charts: readonly ChartFiles[];
  output?: OutputReport;
}

const SYNTHESIZED = Symbol.for('helm-synth.synthesized');
type Registry = { [SYNTHESIZED]?: SynthRun[] };

const HELM_APP_BRAND = Symbol.for('helm-synth.HelmApp');

/**
 * The root of a helm-synth program. `synth()` runs every construct's validation and synthesizes
 * every HelmChart in memory, reporting all problems together before anything is written, then
 * writes the chart folders with `writeOutput` (src/output/): only files helm-synth wrote are ever
 * replaced or removed, and each file is replaced atomically.
 *
 * Environment: HELM_SYNTH_OUTDIR (output folder), HELM_SYNTH_IN_MEMORY=1 (synthesize only, for
 * `helm-synth plan`), HELM_SYNTH_DRY_RUN=1 (report, write nothing), HELM_SYNTH_PROJECT_DIR
 * (default: the working folder) and HELM_SYNTH_APP_FILE (default: the main module), which the
 * output may not hold.
 */
export class HelmApp extends App {
  /** True for a HelmApp of any copy of the library (a brand check, not `instanceof`). */
  public static isHelmApp(x: unknown): x is HelmApp {
    return typeof x === 'object' && x !== null && HELM_APP_BRAND in x;
  }

  /** Every synthesis run in this process, for the CLI's summary and plan. */
  public static get synthesized(): ReadonlyArray<SynthRun> {
    return ((globalThis as Registry)[SYNTHESIZED] ??= []);
  }

  /** The folder chart directories are written to. */
  public readonly chartsOutdir: string;

  constructor(props: HelmAppProps = {}) {
    const appFile = process.env.HELM_SYNTH_APP_FILE || require.main?.filename;
    if (appFile) checkPackageCopies(appFile);
    const outdir = props.outdir ?? process.env.HELM_SYNTH_OUTDIR ?? 'dist';
    super({ outdir });
    Object.defineProperty(this, HELM_APP_BRAND, { value: true });
    this.chartsOutdir = outdir;
  }

  /** Every HelmChart of the app, in construct order. */
  public get helmCharts(): HelmChart[] {
    return this.node.findAll().filter(HelmChart.isHelmChart);
  }

  /** Synthesizes every chart in memory, without writing anything; throws one HelmSynthError listing every problem. */
  public synthCharts(): ChartFiles[] {
    const problems: Problem[] = validateConstructs(this);
    for (const object of this.node.findAll().filter(ApiObject.isApiObject)) {
      if (!object.node.scopes.some(HelmChart.isHelmChart)) {
        problems.push({
          constructPath: object.node.path,
          message: 'is not inside a HelmChart: only objects of a HelmChart are synthesized',
        });
      }
    }
    const charts: ChartFiles[] = [];
    const seen = new Map<string, HelmChart>();
    for (const chart of this.helmCharts) {
      const other = seen.get(chart.chartName);
      if (other)
        problems.push({ constructPath: chart.node.path, message: `chart name ${chart.chartName} is also used by ${other.node.path}` });
      seen.set(chart.chartName, chart);
      try {
        charts.push(synthesizeChart(chart));
      } catch (error) {
        if (!HelmSynthError.isHelmSynthError(error)) {
          if (error instanceof Error) error.message = readableMessage(error.message);
          throw error;
        }
        problems.push(...error.problems);
      }
    }
    if (problems.length) throw HelmSynthError.fromProblems(problems);
    return charts;
  }

  /** Synthesizes every chart and writes the chart folders; prints a line to stderr if it repaired an interrupted run. */
  public override synth(): void {
    const charts = this.synthCharts();
    const run: SynthRun = { app: this, charts };
    ((globalThis as Registry)[SYNTHESIZED] ??= []).push(run);
    if (process.env.HELM_SYNTH_IN_MEMORY === '1') return;
    run.output = writeOutput(this.chartsOutdir, charts, {
      dryRun: process.env.HELM_SYNTH_DRY_RUN === '1',
      projectDir: process.env.HELM_SYNTH_PROJECT_DIR || process.cwd(),
      appFile: process.env.HELM_SYNTH_APP_FILE || require.main?.filename,
    });
    for (const line of run.output.recovered) process.stderr.write(`${line}\n`);
  }
}
