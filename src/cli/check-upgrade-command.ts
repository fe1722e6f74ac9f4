import { HelmSynthError } from '../errors';
import { checkUpgrade, formatUpgradeReports, hasUpgradeErrors, UpgradeCheckOptions } from '../release';
import { selectChartDirectories } from './chart-selection';
import { FlagKind, parseArgs } from './command-args';
import { ProjectConfig } from './project-config';

const USAGE =
  'usage: helm-synth check-upgrade --baseline DIR|ARCHIVE [-f values.yaml]... [--set k=v]... [--release NAME] [--namespace NS] ' +
  '[CHART...]';

/**
 * `helm-synth check-upgrade`: renders the baseline and the synthesized charts (all, or the CHARTs
 * named) with the same values and prints every change that breaks `helm upgrade` or loses data
 * (errors: exit 1) and every hook change (warnings).
 */
export function runCheckUpgrade(config: ProjectConfig, args: string[]): number {
  const parsed = parseArgs('check-upgrade', args, {
    '--baseline': { kind: FlagKind.VALUE, key: 'baseline' },
    '-f': { kind: FlagKind.LIST, key: 'values' },
    '--values': { kind: FlagKind.LIST, key: 'values' },
    '--set': { kind: FlagKind.LIST, key: 'set' },
    '--release': { kind: FlagKind.VALUE, key: 'release' },
    '--namespace': { kind: FlagKind.VALUE, key: 'namespace' },
    '-n': { kind: FlagKind.VALUE, key: 'namespace' },
  });
  const baseline = parsed.values.get('baseline');
  if (!baseline) {
    console.error(USAGE);
    return 2;
  }
  return check(config, parsed.positionals, {
    baseline,
    valuesFiles: parsed.lists.get('values'),
    set: parsed.lists.get('set'),
    release: parsed.values.get('release'),
    namespace: parsed.values.get('namespace'),
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
    return check(config, [], { baseline: settings.baseline, valuesFiles: settings.values, set: settings.set });
  } catch (error) {
    if (!HelmSynthError.isHelmSynthError(error)) throw error;
    console.error(`Error: upgrade check (cdk8s.yaml upgradeCheck): ${error.message}`);
    return 1;
  }
}

function check(config: ProjectConfig, names: readonly string[], options: UpgradeCheckOptions): number {
  const selected = selectChartDirectories(config.output, names, 'check-upgrade');
  const reports = checkUpgrade(selected, options);
  process.stdout.write(formatUpgradeReports(reports));
  return hasUpgradeErrors(reports) ? 1 : 0;
}
