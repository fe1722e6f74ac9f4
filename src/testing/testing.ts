import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { HelmSynthError } from '../errors';
import { HelmChart, HelmChartProps } from '../chart/helm-chart';
import { ChartOverrides, checkEnvironmentName, environmentFileName } from '../chart/environment';
import { HelmRunner, NO_HELM_MESSAGE } from '../helm/helm-runner';
import { ChartFiles, synthesizeChart } from '../synth/chart-files';
import { HelmApp, HelmAppProps } from '../synth/helm-app';
import { RenderedChart } from './rendered-chart';

/**
 * How `Testing.render` runs `helm template`; `V` is the values type of the chart rendered
 * (`HelmChart<V>`), any JSON for a chart without one.
 */
export interface RenderOptions<V = any> {
  /**
   * Values over the chart's values.yaml, as a values file would give them: typed by the chart's
   * values type (`chart.typed(tree)`), any map of values otherwise (as before typed charts).
   * @default none
   */
  readonly values?: unknown extends V ? Readonly<Record<string, unknown>> : ChartOverrides<V>;
  /**
   * An environment of the chart (`chart.environment(name, ...)`): its `values-<name>.yaml` is the
   * first values file (`-f`), before `valuesFiles` and `values`, as its install command gives it.
   * @default none: the chart's defaults only
   */
  readonly environment?: string;
  /** Values files (`-f`), in order, before `values`. @default none */
  readonly valuesFiles?: readonly string[];
  /** `--set` arguments by key (`{ 'image.tag': '1.2' }`), applied last. @default none */
  readonly set?: Readonly<Record<string, string>>;
  /** Release name (`.Release.Name`). @default 'release-name' */
  readonly releaseName?: string;
  /** Release namespace (`.Release.Namespace`). @default 'default' */
  readonly namespace?: string;
  /** Render as an upgrade (`.Release.IsUpgrade`). @default false */
  readonly isUpgrade?: boolean;
  /**
   * Subcharts to place in the chart's `charts/` folder first (Helm renders dependencies only from
   * there): dependency name → a chart directory or a `.tgz` archive. Only for a chart given as a
   * construct or as synthesized files.
   * @default none
   */
  readonly dependencies?: Readonly<Record<string, string>>;
  /** The Helm binary. @default a `helm` on PATH, else HELM_BIN */
  readonly helmBinary?: string;
}

/** A chart to render: a construct, its synthesized files, or a chart directory on disk. */
export type RenderableChart = HelmChart | ChartFiles | string;

const CONTEXT = 'helm-synth/testing';
const SKIP_REPORTED = Symbol.for('helm-synth.testing.helm-skip-reported');

/**
 * Helpers for testing charts with jest (`import { Testing } from 'helm-synth/testing'`): apps that
 * write nowhere, in-memory synthesis, and `helm template` renders parsed into objects. Snapshots:
 * `expectChartSnapshot`.
 *
 * Where no Helm is found (a `helm` on PATH, else HELM_BIN), `render` and `lint` throw a
 * HelmSynthError; declare such tests with `Testing.ifHelm(test)`, which skips them there with a
 * warning (and fails instead when HELM_SYNTH_REQUIRE_TOOLS=1, for CI).
 */
export class Testing {
  /**
   * A HelmApp for tests. Its output folder is a fresh path under the system's temporary folder,
   * created only if `synth()` is called.
   */
  public static app(props: HelmAppProps = {}): HelmApp {
    return new HelmApp({ outdir: join(tmpdir(), `helm-synth-testing-${randomUUID()}`), ...props });
  }

  /** A HelmChart in a fresh `Testing.app()`, for testing a construct on its own. */
  public static chart(id = 'test', props: HelmChartProps = { version: '0.1.0' }): HelmChart {
    return new HelmChart(Testing.app(), id, props);
  }

  /** Synthesizes one chart in memory: every file by path. Throws one HelmSynthError listing every problem. */
  public static synth(chart: HelmChart): ChartFiles {
    return synthesizeChart(chart);
  }

  /** One file of a chart (synthesized first when a construct is given); throws, listing the files, when it is missing. */
  public static file(chart: HelmChart | ChartFiles, path: string): string {
    const files = HelmChart.isHelmChart(chart) ? synthesizeChart(chart) : chart;
    const text = files.files.get(path);
    if (text === undefined) throw new HelmSynthError(files.name, `no file ${path}; the chart has ${[...files.files.keys()].join(', ')}`);
    return text;
  }

  /**
   * Writes a chart (synthesized first when a construct is given) to a new temporary folder, with
   * `dependencies` in its `charts/` folder, for tools that read chart directories; returns the
   * chart directory. Remove it with `Testing.removeChart`.
   */
  public static writeChart(chart: HelmChart | ChartFiles, options: Pick<RenderOptions, 'dependencies'> = {}): string {
    const parent = mkdtempSync(join(tmpdir(), 'helm-synth-chart-'));
    try {
      return writeChartDirectory(chart, parent, options.dependencies);
    } catch (error) {
      rmSync(parent, { recursive: true, force: true });
      throw error;
    }
  }

  /** Removes a chart directory `Testing.writeChart` wrote, with its temporary folder. */
  public static removeChart(chartDir: string): void {
    const parent = dirname(resolve(chartDir));
    if (!basename(parent).startsWith('helm-synth-chart-')) throw new HelmSynthError(chartDir, 'was not written by Testing.writeChart');
    rmSync(parent, { recursive: true, force: true });
  }

  /** Whether a Helm to render with is found: a `helm` on PATH, else the binary HELM_BIN names. */
  public static helmAvailable(): boolean {
    return HelmRunner.find() !== undefined;
  }

  /**
   * Renders a chart with `helm template` and parses the output. A construct or synthesized files
   * are written to a temporary folder (removed afterwards). Throws a HelmSynthError when no Helm
   * is found or Helm fails (with Helm's message).
   */
  public static render<C extends RenderableChart>(
    chart: C,
    options: RenderOptions<C extends HelmChart<infer V> ? V : any> = {},
  ): RenderedChart {
    const helm = options.helmBinary ? new HelmRunner(options.helmBinary) : HelmRunner.require(CONTEXT);
    return withChartDirectory(chart, options.dependencies, (dir, scratch) => {
      const valuesFiles = [
        ...(options.environment === undefined ? [] : [environmentFile(dir, options.environment)]),
        ...(options.valuesFiles ?? []),
      ];
      if (options.values !== undefined) {
        const file = join(scratch, 'test-values.yaml');
        writeFileSync(file, valuesFileText(options.values));
        valuesFiles.push(file);
      }
      const text = helm.template(dir, {
        release: options.releaseName,
        namespace: options.namespace,
        valuesFiles,
        set: Object.entries(options.set ?? {}).map(([key, value]) => `${key}=${value}`),
        isUpgrade: options.isUpgrade,
      });
      return new RenderedChart(text, chartLabel(chart));
    });
  }

  /** Runs `helm lint --strict` on a chart; returns Helm's output, throws a HelmSynthError with it when the chart fails. */
  public static lint(chart: RenderableChart, options: Pick<RenderOptions, 'dependencies' | 'helmBinary'> = {}): string {
    const helm = options.helmBinary ? new HelmRunner(options.helmBinary) : HelmRunner.require(CONTEXT);
    return withChartDirectory(chart, options.dependencies, (dir) => helm.lint(dir));
  }

  /**
   * jest's `test` or `describe` (any block with a `skip`) where a Helm is found; elsewhere its
   * `skip`, with a warning saying why once per test file. With HELM_SYNTH_REQUIRE_TOOLS=1 (for CI)
   * a missing Helm fails the test file instead. `Testing.ifHelm(test)('renders', () => ...)`,
   * `Testing.ifHelm(describe).each(cases)(...)`.
   */
  public static ifHelm<Block extends { readonly skip: unknown }>(block: Block): Block {
    if (Testing.helmAvailable()) return block;
    if (process.env.HELM_SYNTH_REQUIRE_TOOLS === '1')
      throw new HelmSynthError(CONTEXT, `Helm required (HELM_SYNTH_REQUIRE_TOOLS=1): ${NO_HELM_MESSAGE}`);
    const registry = globalThis as { [SKIP_REPORTED]?: boolean };
    if (!registry[SKIP_REPORTED]) console.warn(`SKIPPED: tests that render with Helm: ${NO_HELM_MESSAGE}`);
    registry[SKIP_REPORTED] = true;
    return block.skip as Block;
  }

  private constructor() {}
}

/** How errors name a chart to render: its construct path, name or directory. */
function chartLabel(chart: RenderableChart): string {
  if (typeof chart === 'string') return chart;
  return HelmChart.isHelmChart(chart) ? chart.node.path : chart.name;
}

/** The values file of an environment in a chart directory; an error listing the chart's environments when it has no such file. */
function environmentFile(chartDir: string, environment: string): string {
  const file = join(chartDir, environmentFileName(checkEnvironmentName(environment, CONTEXT)));
  if (existsSync(file)) return file;
  const known = readdirSync(chartDir)
    .map((name) => /^values-(.+)\.yaml$/.exec(name)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
  throw new HelmSynthError(
    chartDir,
    `has no environment ${environment} (no ${environmentFileName(environment)}); its environments: ${known.length ? known.join(', ') : 'none'}`,
  );
}

/** Runs `fn` on the chart's directory: a given folder as it is, else the chart written to a temporary folder removed afterwards. */
function withChartDirectory<T>(
  chart: RenderableChart,
  dependencies: RenderOptions['dependencies'],
  fn: (dir: string, scratch: string) => T,
): T {
  const scratch = mkdtempSync(join(tmpdir(), 'helm-synth-render-'));
  try {
    if (typeof chart === 'string') {
      if (dependencies && Object.keys(dependencies).length) {
        throw new HelmSynthError(
          chart,
          "dependencies are placed only into a chart written for the test; put them in the folder's charts/ yourself",
        );
      }
      if (!existsSync(join(chart, 'Chart.yaml'))) throw new HelmSynthError(chart, 'is not a chart directory (no Chart.yaml)');
      return fn(resolve(chart), scratch);
    }
    return fn(writeChartDirectory(chart, scratch, dependencies), scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes a chart's files to `<parent>/<name>` and places its dependencies; returns that directory. */
function writeChartDirectory(chart: HelmChart | ChartFiles, parent: string, dependencies: RenderOptions['dependencies']): string {
  const files = HelmChart.isHelmChart(chart) ? synthesizeChart(chart) : chart;
  for (const [name, source] of Object.entries(dependencies ?? {})) {
    if (!existsSync(source)) throw new HelmSynthError(files.name, `dependency ${name}: ${source} does not exist`);
  }
  const dir = join(parent, files.name);
  for (const [path, content] of files.files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  for (const [name, source] of Object.entries(dependencies ?? {})) placeDependency(dir, name, source);
  return dir;
}

function placeDependency(chartDir: string, name: string, source: string): void {
  mkdirSync(join(chartDir, 'charts'), { recursive: true });
  if (statSync(source).isDirectory()) cpSync(source, join(chartDir, 'charts', name), { recursive: true });
  else copyFileSync(source, join(chartDir, 'charts', basename(source)));
}

/**
 * Values as a values file Helm reads back unchanged: JSON (which YAML reads) with every character
 * Go's YAML reader takes as a line break or refuses unescaped (U+0085, U+2028, U+2029, other C1
 * controls, DEL, the BOM) written as a `\uXXXX` escape.
 */
function valuesFileText(values: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(values).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
