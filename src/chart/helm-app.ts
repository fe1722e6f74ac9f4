import { App } from 'cdk8s';
import { HelmSynthError } from '../errors';
import { OutputReport, writeOutput } from '../output/output-writer';
import { ChartFiles, synthesizeChart } from './chart-files';
import { HelmChart } from './helm-chart';

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
  readonly charts: ChartFiles[];
  output?: OutputReport;
}

const SYNTHESIZED = Symbol.for('helm-synth.synthesized');
type Registry = { [SYNTHESIZED]?: SynthRun[] };

/**
 * The root of a helm-synth program. `synth()` builds every HelmChart in memory first, so a bad
 * input fails before anything is written, then writes the chart folders with `writeOutput`
 * (src/output/): only files helm-synth wrote are ever replaced or removed, and each file is
 * replaced atomically. Environment: HELM_SYNTH_OUTDIR (output folder), HELM_SYNTH_DRY_RUN=1 (report,
 * write nothing), HELM_SYNTH_PROJECT_DIR (default: the working folder) and HELM_SYNTH_APP_FILE
 * (default: the main module), which the output may not hold.
 */
export class HelmApp extends App {
  /** Every synthesis run in this process, for the CLI's summary and plan. */
  public static get synthesized(): ReadonlyArray<SynthRun> {
    return ((globalThis as Registry)[SYNTHESIZED] ??= []);
  }

  /** The folder chart directories are written to. */
  public readonly chartsOutdir: string;

  constructor(props: HelmAppProps = {}) {
    const outdir = props.outdir ?? process.env.HELM_SYNTH_OUTDIR ?? 'dist';
    super({ outdir });
    this.chartsOutdir = outdir;
  }

  /** Every HelmChart of the app, in construct order. */
  public get helmCharts(): HelmChart[] {
    return this.node.findAll().filter(HelmChart.isHelmChart);
  }

  /** Synthesizes every chart in memory, without writing anything. */
  public synthCharts(): ChartFiles[] {
    const charts = this.helmCharts.map(synthesizeChart);
    const seen = new Map<string, HelmChart>();
    for (const chart of this.helmCharts) {
      const other = seen.get(chart.chartName);
      if (other) throw new HelmSynthError(chart.node.path, `chart name ${chart.chartName} is also used by ${other.node.path}`);
      seen.set(chart.chartName, chart);
    }
    return charts;
  }

  /** Synthesizes every chart and writes the chart folders; prints a line to stderr if it repaired an interrupted run. */
  public override synth(): void {
    const charts = this.synthCharts();
    const run: SynthRun = { app: this, charts };
    ((globalThis as Registry)[SYNTHESIZED] ??= []).push(run);
    run.output = writeOutput(this.chartsOutdir, charts, {
      dryRun: process.env.HELM_SYNTH_DRY_RUN === '1',
      projectDir: process.env.HELM_SYNTH_PROJECT_DIR || process.cwd(),
      appFile: process.env.HELM_SYNTH_APP_FILE || require.main?.filename,
    });
    for (const line of run.output.recovered) process.stderr.write(`${line}\n`);
  }
}
