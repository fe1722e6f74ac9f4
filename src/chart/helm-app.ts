import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { App } from 'cdk8s';
import { HelmSynthError } from '../errors';
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

const SYNTHESIZED = Symbol.for('helm-synth.synthesized');
type Registry = { [SYNTHESIZED]?: Array<{ app: HelmApp; charts: ChartFiles[] }> };

/**
 * The root of a helm-synth program. `synth()` builds every HelmChart in memory first, so a bad
 * input fails before anything is written, then replaces the output folder in one swap: the
 * previous output stays as it was when synthesis fails.
 */
export class HelmApp extends App {
  /** Every synthesis run in this process, for the CLI's summary and plan. */
  public static get synthesized(): ReadonlyArray<{ app: HelmApp; charts: ChartFiles[] }> {
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

  /** Synthesizes every chart and replaces the output folder with them. */
  public override synth(): void {
    const charts = this.synthCharts();
    ((globalThis as Registry)[SYNTHESIZED] ??= []).push({ app: this, charts });
    if (process.env.HELM_SYNTH_DRY_RUN === '1') return;
    writeOutput(resolve(this.chartsOutdir), charts);
  }
}

function writeOutput(outdir: string, charts: readonly ChartFiles[]): void {
  const staging = `${outdir}.tmp-${process.pid}`;
  const previous = `${outdir}.old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const made = new Set<string>();
    for (const chart of charts) {
      for (const [path, content] of chart.files) {
        const file = join(staging, chart.name, path);
        const folder = dirname(file);
        if (!made.has(folder)) {
          mkdirSync(folder, { recursive: true });
          made.add(folder);
        }
        writeFileSync(file, content);
      }
    }
    mkdirSync(staging, { recursive: true });
    rmSync(previous, { recursive: true, force: true });
    let moved = false;
    try {
      renameSync(outdir, previous);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    renameSync(staging, outdir);
    if (moved) rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
