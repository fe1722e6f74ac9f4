import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { HelmSynthError } from '../errors';
import {
  ChartUpgradeSettings,
  chartDirectories,
  checkUpgrade,
  formatUpgradeReports,
  hasUpgradeErrors,
  readUpgradeAcknowledgements,
  unusedAcknowledgements,
  UpgradeAcknowledgement,
  UpgradeCheckOptions,
} from '../release';
import { selectChartDirectories } from './chart-selection';
import { FlagKind, parseArgs } from './command-args';
import { ProjectConfig, UpgradeCheckConfig } from './project-config';

const USAGE =
  'usage: helm-synth check-upgrade [--baseline DIR|ARCHIVE] [-f [CHART=]values.yaml]... [--set k=v]... [--kube-version V] ' +
  '[--acknowledgements FILE] [--release NAME] [--namespace NS] [CHART...]';

/** The acknowledgements file read when neither cdk8s.yaml nor `--acknowledgements` names one. */
export const DEFAULT_ACKNOWLEDGEMENTS_FILE = 'upgrade-acknowledgements.yaml';

const CHART_VALUES = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(.+)$/;

/**
 * `helm-synth check-upgrade`: renders the baseline and the synthesized charts (all, or the CHARTs
 * named) with the same values and prints every change that breaks `helm upgrade` or loses data
 * (errors: exit 1), every hook change (warnings) and every acknowledged error (notes). cdk8s.yaml's
 * `upgradeCheck:` gives the defaults; flags add values files and `--set`s, and replace the rest.
 */
export function runCheckUpgrade(config: ProjectConfig, args: string[]): number {
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
export function checkAfterSynth(config: ProjectConfig): number {
  const settings = config.upgradeCheck;
  if (!settings) return 0;
  try {
    return check(config, [], {
      baseline: settings.baseline,
      valuesFiles: settings.values,
      set: settings.set,
      kubeVersion: settings.kubeVersion,
      charts: perChartSettings(settings),
      acknowledgements: acknowledgements(settings.acknowledgements),
    });
  } catch (error) {
    if (!HelmSynthError.isHelmSynthError(error)) throw error;
    console.error(`Error: upgrade check (cdk8s.yaml upgradeCheck): ${error.message}`);
    return 1;
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

function check(config: ProjectConfig, names: readonly string[], options: UpgradeCheckOptions): number {
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
  const reports = checkUpgrade(selected, { ...options, charts });
  process.stdout.write(formatUpgradeReports(reports));
  const used = new Set(reports.flatMap((report) => [...report.acknowledged]));
  const versions = new Map(reports.map((report) => [report.chart, report.version]));
  for (const line of unusedAcknowledgements(options.acknowledgements ?? [], used, versions)) process.stdout.write(`warning: ${line}\n`);
  return hasUpgradeErrors(reports) ? 1 : 0;
}
