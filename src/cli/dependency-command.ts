import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { NODE_FILE_SYSTEM, OutputDisk } from '../output/output-fs';
import { OutputLock } from '../output/output-lock';
import { buildDependencies, CACHE_ENV, ChartCache, DependencyBuildReport, MIRRORS_ENV, RepositoryMirrors } from '../release/internal';
import { selectChartDirectories } from './chart-selection';
import { FlagKind, parseArgs } from './command-args';
import { ProjectConfig } from './project-config';

const USAGE = 'usage: helm-synth dependency build [CHART...] [--cache DIR] [--offline] [--update]';

/**
 * `helm-synth dependency build [CHART...]`: vendors the dependencies of the charts named (all
 * when none is) into `<output>/<chart>/charts/` and writes their Chart.lock; see `buildDependencies`.
 * Holds the output folder's lock meanwhile, so a synth of the same folder waits (and the other way round).
 */
export async function runDependency(config: ProjectConfig, args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'build') {
    console.error(USAGE);
    return 2;
  }
  const parsed = parseArgs('dependency build', rest, {
    '--cache': { kind: FlagKind.VALUE, key: 'cache' },
    '--offline': { kind: FlagKind.SWITCH, key: 'offline' },
    '--update': { kind: FlagKind.SWITCH, key: 'update' },
  });
  const dirs = selectChartDirectories(config.output, parsed.positionals, 'dependency build');
  return buildAndReport(config, dirs, {
    cache: parsed.values.get('cache'),
    offline: parsed.switches.has('offline'),
    update: parsed.switches.has('update'),
  });
}

/** `synth --dependencies`: the dependency build of every chart after writing them. */
export function buildAfterSynth(config: ProjectConfig): Promise<number> {
  return buildAndReport(config, selectChartDirectories(config.output, [], 'synth --dependencies'), {});
}

async function buildAndReport(
  config: ProjectConfig,
  dirs: readonly string[],
  flags: { readonly cache?: string; readonly offline?: boolean; readonly update?: boolean },
): Promise<number> {
  const lock = OutputLock.acquire(realpathSync(config.output), new OutputDisk(NODE_FILE_SYSTEM, (path) => path));
  try {
    const reports = await buildDependencies(dirs, {
      cache: projectChartCache(config, flags.cache),
      mirrors: projectMirrors(config),
      offline: flags.offline,
      update: flags.update,
      onNote: (message) => console.log(`note: ${message}`),
      env: process.env,
    });
    for (const report of reports) console.log(describe(report));
    return 0;
  } finally {
    lock.release();
  }
}

/**
 * The chart cache: `cache` (a `--cache` flag), else `HELM_SYNTH_CACHE_DIR`, else cdk8s.yaml
 * `dependencies.cache`, else `ChartCache.defaultDirectory()`.
 */
export function projectChartCache(config: ProjectConfig, cache?: string): ChartCache {
  const configured = process.env[CACHE_ENV] || config.dependencies.cache === undefined ? undefined : resolve(config.dependencies.cache);
  return new ChartCache(cache ?? configured ?? ChartCache.defaultDirectory(process.env));
}

/** cdk8s.yaml's repository mirrors with those of `HELM_SYNTH_REPOSITORY_MIRRORS` added (winning for the same repository). */
export function projectMirrors(config: ProjectConfig): RepositoryMirrors {
  return config.dependencies.mirrors.with(RepositoryMirrors.fromEnvironment(process.env[MIRRORS_ENV]));
}

function describe(report: DependencyBuildReport): string {
  if (report.dependencies.length === 0) {
    return `${report.dir}: no dependencies${report.removed.length ? `; removed ${report.removed.join(', ')}` : ''}`;
  }
  const parts = report.dependencies.map((d) => `${d.path} (${d.origin}, ${d.status})`);
  const removed = report.removed.length ? `; removed ${report.removed.join(', ')}` : '';
  return `${report.dir}: ${parts.join(', ')}; Chart.lock (${report.lock})${removed}`;
}
