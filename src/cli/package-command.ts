import { HelmSynthError } from '../errors';
import { chartDirectories, packageCharts } from '../release';
import { FlagKind, parseArgs } from './command-args';
import { ProjectConfig } from './project-config';

const USAGE = 'usage: helm-synth package [--destination DIR] [--merge] [--created ISO-TIME] [--baseline DIR|ARCHIVE]';

/** Where `helm-synth package` writes when no `--destination` is given. */
export const DEFAULT_PACKAGE_DESTINATION = 'chart-repository';

/**
 * `helm-synth package`: packages every chart of the output folder into `<name>-<version>.tgz` in
 * the destination and writes its index.yaml (`--merge`: into the existing one). A version already
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
  if (parsed.positionals.length) {
    console.error(USAGE);
    return 2;
  }
  const dirs = chartDirectories(config.output);
  if (dirs.length === 0) throw new HelmSynthError(config.output, 'holds no chart directory: run helm-synth synth first');
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
