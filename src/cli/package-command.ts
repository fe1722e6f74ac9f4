import { packageCharts } from '../release';
import { selectChartDirectories } from './chart-selection';
import { FlagKind, parseArgs } from './command-args';
import { ProjectConfig } from './project-config';

/** Where `helm-synth package` writes when no `--destination` is given. */
export const DEFAULT_PACKAGE_DESTINATION = 'chart-repository';

/**
 * `helm-synth package [CHART...]`: packages the charts named (every chart of the output folder when
 * none is) into `<name>-<version>.tgz` in the destination and writes its index.yaml (`--merge`: into the existing one). A version already
 * released there (or in `--baseline`) with other files fails, naming the files; nothing is written then.
 */
export function runPackage(config: ProjectConfig, args: string[]): number {
  const parsed = parseArgs('package', args, {
    '--destination': { kind: FlagKind.VALUE, key: 'destination' },
    '-d': { kind: FlagKind.VALUE, key: 'destination' },
    '--merge': { kind: FlagKind.SWITCH, key: 'merge' },
    '--created': { kind: FlagKind.VALUE, key: 'created' },
    '--baseline': { kind: FlagKind.VALUE, key: 'baseline' },
  });
  const dirs = selectChartDirectories(config.output, parsed.positionals, 'package');
  const result = packageCharts(dirs, {
    destination: parsed.values.get('destination') ?? DEFAULT_PACKAGE_DESTINATION,
    merge: parsed.switches.has('merge'),
    created: parsed.values.get('created'),
    baseline: parsed.values.get('baseline'),
  });
  for (const chart of result.charts) console.log(`${chart.file}: ${chart.name} ${chart.version}, sha256 ${chart.digest} (${chart.status})`);
  console.log(`${result.indexFile}: ${result.charts.length} chart(s) (${result.indexStatus})`);
  return 0;
}
