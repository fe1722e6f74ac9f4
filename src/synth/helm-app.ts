import { ApiObject, App } from 'cdk8s';
import { HelmSynthError, readableMessage } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { writeOutput } from '../output/output-writer';
import { HelmAppProps, ResolvedAppSettings, resolveAppSettings, synthSessionResults } from './app-settings';
import { ChartFiles, synthesizeChart, validateConstructs } from './chart-files';
import { Problem } from './collect';
import { checkPackageCopies } from './package-copies';
import { SynthResult } from './synth-result';

export type { HelmAppProps } from './app-settings';

const HELM_APP_BRAND = Symbol.for('helm-synth.HelmApp');

/**
 * The root of a helm-synth program. `synth()` runs every construct's validation and synthesizes
 * every HelmChart in memory, reporting all problems together before anything is written, then
 * writes the chart folders with `writeOutput` (src/output/): only files helm-synth wrote are ever
 * replaced or removed, and each file is replaced atomically. It returns what it did.
 *
 * Settings come from the props, else from the CLI that loaded the app, else (an app run as a
 * child process) from environment variables: see `HelmAppProps` and src/synth/app-settings.ts.
 */
export class HelmApp extends App {
  /** True for a HelmApp of any copy of the library (a brand check, not `instanceof`). */
  public static isHelmApp(x: unknown): x is HelmApp {
    return typeof x === 'object' && x !== null && HELM_APP_BRAND in x;
  }

  /** The folder chart directories are written to. */
  public readonly chartsOutdir: string;
  /** The settings `synth()` runs with, every default applied. */
  private readonly settings: ResolvedAppSettings;

  constructor(props: HelmAppProps = {}) {
    const settings = resolveAppSettings(props);
    if (settings.appFile) checkPackageCopies(settings.appFile);
    super({ outdir: settings.outdir });
    Object.defineProperty(this, HELM_APP_BRAND, { value: true });
    this.settings = settings;
    this.chartsOutdir = settings.outdir;
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

  /**
   * Synthesizes every chart and writes the chart folders (unless in memory only); prints a line to
   * stderr if it repaired an interrupted run. Returns the charts and what writing did.
   */
  public override synth(): SynthResult {
    const session = synthSessionResults();
    const charts = this.synthCharts();
    const { outdir, dryRun, inMemory, projectDir, appFile } = this.settings;
    const output = inMemory ? undefined : writeOutput(outdir, charts, { dryRun, projectDir, appFile });
    const recovered = output?.recovered ?? [];
    for (const line of recovered) process.stderr.write(`${line}\n`);
    const warnings = charts.flatMap((chart) =>
      chart.warnings.map(({ constructPath, message }) => ({ chart: chart.name, constructPath, message })),
    );
    const result: SynthResult = { outdir, charts, output, warnings, recovered };
    session?.push(result);
    return result;
  }
}
