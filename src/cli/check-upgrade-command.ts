import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { HelmSynthError } from '../errors';
import {
  ChartUpgradeSettings,
  chartDirectories,
  checkUpgrade,
  downloadBaseline,
  formatUpgradeReports,
  hasUpgradeErrors,
  isRemoteBaseline,
  readChartMetadata,
  readUpgradeAcknowledgements,
  unusedAcknowledgements,
  UpgradeAcknowledgement,
  UpgradeCheckOptions,
} from '../release/internal';
import { selectChartDirectories } from './chart-selection';
import { FlagKind, parseArgs } from './command-args';
import { projectChartCache, projectMirrors } from './dependency-command';
import { ProjectConfig, UpgradeCheckConfig } from './project-config';

const USAGE =
  'usage: helm-synth check-upgrade [--baseline DIR|ARCHIVE|oci://HOST/PATH|https://REPO] [-f [CHART=]values.yaml]... [--set k=v]... [--kube-version V] ' +
  '[--acknowledgements FILE] [--release NAME] [--namespace NS] [CHART...]';

/** The acknowledgements file read when neither cdk8s.yaml nor `--acknowledgements` names one. */
export const DEFAULT_ACKNOWLEDGEMENTS_FILE = 'upgrade-acknowledgements.yaml';

const CHART_VALUES = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(.+)$/;

/**
 * `helm-synth check-upgrade`: renders the baseline and the synthesized charts (all, or the CHARTs
 * named) with the same values and prints every change that breaks `helm upgrade` or loses data
 * (errors: exit 1), every hook change (warnings) and every acknowledged error (notes). cdk8s.yaml's
 * `upgradeCheck:` gives the defaults; flags add values files and `--set`s, and replace the rest.
 * A baseline `oci://HOST/PATH` or `https://…` chart repository is downloaded first (see `downloadBaseline`).
 */
export function runCheckUpgrade(config: ProjectConfig, args: string[]): number | Promise<number> {
  const parsed = parseArgs('check-upgrade', args, {
    '--baseline': { kind: FlagKind.VALUE, key: 'baseline' },
    '-f': { kind: FlagKind.LIST, key: 'values' },
    '--values': { kind: FlagKind.LIST, key: 'values' },
    '--set': { kind: FlagKind.LIST, key: 'set' },
    '--kube-version': { kind: FlagKind.VALUE, key: 'kubeVersion' },
    '--acknowledgements': { kind: FlagKind.VALUE, key: 'acknowledgements' },
    '--release': { kind: FlagKind.VALUE, key: 'release' },
    '--namespace': { kind: FlagKind.VALUE, key: 'namespace' },
    '-n': { kind: FlagKind.VALUE, key: 'namespace' },
  });
  const settings = config.upgradeCheck;
  const baseline = parsed.values.get('baseline') ?? settings?.baseline;
  if (!baseline) {
    console.error(USAGE);
    return 2;
  }
  const chartNames = new Set(chartDirectories(config.output).map((dir) => basename(dir)));
  const common: string[] = [...(settings?.values ?? [])];
  const charts = perChartSettings(settings);
  for (const item of parsed.lists.get('values') ?? []) {
    const match = CHART_VALUES.exec(item);
    if (match && chartNames.has(match[1])) {
      const own = charts[match[1]] ?? {};
      charts[match[1]] = { ...own, valuesFiles: [...(own.valuesFiles ?? []), match[3]] };
    } else if (match && !existsSync(item)) {
      throw new HelmSynthError(
        'check-upgrade',
        `-f ${item}: no chart ${match[1]} in ${config.output} (charts: ${[...chartNames].join(', ')})`,
      );
    } else {
      common.push(item);
    }
  }
  return check(config, parsed.positionals, {
    baseline,
    valuesFiles: common,
    set: [...(settings?.set ?? []), ...(parsed.lists.get('set') ?? [])],
    release: parsed.values.get('release'),
    namespace: parsed.values.get('namespace'),
    kubeVersion: parsed.values.get('kubeVersion') ?? settings?.kubeVersion,
    charts,
    acknowledgements: acknowledgements(parsed.values.get('acknowledgements') ?? settings?.acknowledgements),
  });
}

/**
 * The hook `synth` calls after writing the charts: runs the upgrade check that cdk8s.yaml's
 * `upgradeCheck:` configures. Errors are printed here (the charts are already written).
 */
export function checkAfterSynth(config: ProjectConfig): number | Promise<number> {
  const settings = config.upgradeCheck;
  if (!settings) return 0;
  const failed = (error: unknown): number => {
    if (!HelmSynthError.isHelmSynthError(error)) throw error;
    console.error(`Error: upgrade check (cdk8s.yaml upgradeCheck): ${error.message}`);
    return 1;
  };
  try {
    const result = check(config, [], {
      baseline: settings.baseline,
      valuesFiles: settings.values,
      set: settings.set,
      kubeVersion: settings.kubeVersion,
      charts: perChartSettings(settings),
      acknowledgements: acknowledgements(settings.acknowledgements),
    });
    return typeof result === 'number' ? result : result.catch(failed);
  } catch (error) {
    return failed(error);
  }
}

function perChartSettings(settings: UpgradeCheckConfig | undefined): Record<string, ChartUpgradeSettings> {
  return Object.fromEntries(
    Object.entries(settings?.charts ?? {}).map(([name, own]) => [name, { valuesFiles: own.values, set: own.set, skip: own.skip }]),
  );
}

function acknowledgements(file: string | undefined): UpgradeAcknowledgement[] {
  if (file !== undefined) return readUpgradeAcknowledgements(file);
  return existsSync(DEFAULT_ACKNOWLEDGEMENTS_FILE) ? readUpgradeAcknowledgements(DEFAULT_ACKNOWLEDGEMENTS_FILE) : [];
}

function check(config: ProjectConfig, names: readonly string[], options: UpgradeCheckOptions): number | Promise<number> {
  const dirs = chartDirectories(config.output);
  const selected = selectChartDirectories(config.output, names, 'check-upgrade');
  const unknown = Object.keys(options.charts ?? {}).filter((name) => !dirs.some((dir) => basename(dir) === name));
  if (unknown.length) {
    throw new HelmSynthError(
      'check-upgrade',
      `settings for chart ${unknown.join(', ')}, which is not in ${config.output} (charts: ${dirs.map((dir) => basename(dir)).join(', ')})`,
    );
  }
  const selectedNames = new Set(selected.map((dir) => basename(dir)));
  const charts = Object.fromEntries(Object.entries(options.charts ?? {}).filter(([name]) => selectedNames.has(name)));
  if (isRemoteBaseline(options.baseline)) {
    const checked = selected.filter((dir) => !charts[basename(dir)]?.skip);
    return withRemoteBaseline(config, options.baseline, checked, (folder) => report(selected, { ...options, baseline: folder, charts }));
  }
  return report(selected, { ...options, charts });
}

/** Runs `run` on a temporary folder holding the remote baseline's highest version of each chart checked; removes the folder after. */
async function withRemoteBaseline(
  config: ProjectConfig,
  baseline: string,
  dirs: readonly string[],
  run: (folder: string) => number,
): Promise<number> {
  const names = dirs.map((dir) => readChartMetadata(dir).name);
  const folder = mkdtempSync(join(tmpdir(), 'helm-synth-baseline-'));
  try {
    const downloaded = await downloadBaseline(baseline, names, folder, {
      cache: projectChartCache(config),
      mirrors: projectMirrors(config),
      onNote: (message) => console.log(`note: ${message}`),
      env: process.env,
    });
    if (downloaded.length === 0 && names.length > 0) {
      throw new HelmSynthError(
        baseline,
        `has no released version of ${names.join(', ')}: check the URL (${baseline.startsWith('oci://') ? `a chart is read as ${baseline.replace(/\/+$/, '')}/<name>` : `charts are listed in ${baseline.replace(/\/+$/, '')}/index.yaml`}); before a chart's first release there is nothing to compare with`,
      );
    }
    for (const chart of downloaded) console.log(`baseline: ${chart.name} ${chart.version} from ${baseline}`);
    return run(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function report(selected: readonly string[], options: UpgradeCheckOptions): number {
  const reports = checkUpgrade(selected, options);
  process.stdout.write(formatUpgradeReports(reports));
  const used = new Set(reports.flatMap((report) => [...report.acknowledged]));
  const versions = new Map(reports.map((report) => [report.chart, report.version]));
  for (const line of unusedAcknowledgements(options.acknowledgements ?? [], used, versions)) process.stdout.write(`warning: ${line}\n`);
  return hasUpgradeErrors(reports) ? 1 : 0;
}
