import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ApiObject, App } from 'cdk8s';
import { HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { ChartFiles, synthesizeChart, validateConstructs } from './chart-files';
import { Problem } from './collect';

/** Settings of a HelmApp. */
export interface HelmAppProps {
  /**
   * Where chart directories are written, one per chart.
   * @default $HELM_SYNTH_OUTDIR, else `dist`
   */
  readonly outdir?: string;
}

/** One `HelmApp.synth()` run: the app and what it synthesized. */
export interface SynthesisRun {
  readonly app: HelmApp;
  readonly charts: readonly ChartFiles[];
}

const SYNTHESIZED = Symbol.for('helm-synth.synthesized');
type Registry = { [SYNTHESIZED]?: SynthesisRun[] };

/**
 * The root of a helm-synth program. `synth()` runs every construct's validation, synthesizes
 * every HelmChart in memory and reports all problems together before anything is written.
 */
export class HelmApp extends App {
  /** Every synthesis run in this process, for the CLI's summary and plan. */
  public static get synthesized(): readonly SynthesisRun[] {
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

  /** Synthesizes every chart in memory, without writing anything; throws one HelmSynthError listing every problem. */
  public synthCharts(): ChartFiles[] {
    const problems: Problem[] = validateConstructs(this);
    for (const object of this.node.findAll().filter(ApiObject.isApiObject)) {
      if (!object.node.scopes.some(HelmChart.isHelmChart)) {
        problems.push({ constructPath: object.node.path, message: 'is not inside a HelmChart: only objects of a HelmChart are synthesized' });
      }
    }
    const charts: ChartFiles[] = [];
    const seen = new Map<string, HelmChart>();
    for (const chart of this.helmCharts) {
      const other = seen.get(chart.chartName);
      if (other) problems.push({ constructPath: chart.node.path, message: `chart name ${chart.chartName} is also used by ${other.node.path}` });
      seen.set(chart.chartName, chart);
      try {
        charts.push(synthesizeChart(chart));
      } catch (error) {
        if (!HelmSynthError.isHelmSynthError(error)) throw error;
        problems.push(...error.problems);
      }
    }
    if (problems.length) throw HelmSynthError.of(problems);
    return charts;
  }

  /** Synthesizes every chart and writes the output folder. */
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
