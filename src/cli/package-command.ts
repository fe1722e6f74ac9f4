import { packageCharts } from '../release/internal';
import { selectChartDirectories } from './chart-selection';
import { FlagKind, parseArgs } from './command-args';
import { ProjectConfig } from './project-config';
import { PUSH_FLAGS, pushArchives, pushTarget, SIGN_FLAGS, signArchive, signingKey } from './publish-steps';

/** Where `helm-synth package` writes when no `--destination` is given. */
export const DEFAULT_PACKAGE_DESTINATION = 'chart-repository';

/**
 * `helm-synth package [CHART...]`: packages the charts named (every chart of the output folder when
 * none is) into `<name>-<version>.tgz` in the destination and writes its index.yaml (`--merge`: into the existing one). A version already
 * released there (or in `--baseline`) with other files fails, naming the files; nothing is written then.
 * `--sign --key FILE` writes each archive's `.prov`; `--push oci://HOST/PATH` then pushes each archive.
 */
export function runPackage(config: ProjectConfig, args: string[]): number | Promise<number> {
  const parsed = parseArgs('package', args, {
    '--destination': { kind: FlagKind.VALUE, key: 'destination' },
    '-d': { kind: FlagKind.VALUE, key: 'destination' },
    '--merge': { kind: FlagKind.SWITCH, key: 'merge' },
    '--created': { kind: FlagKind.VALUE, key: 'created' },
    '--baseline': { kind: FlagKind.VALUE, key: 'baseline' },
    '--push': { kind: FlagKind.VALUE, key: 'push' },
    ...PUSH_FLAGS,
    ...SIGN_FLAGS,
  });
  const key = signingKey('package', parsed);
  const target = pushTarget('package', parsed);
  const dirs = selectChartDirectories(config.output, parsed.positionals, 'package');
  const result = packageCharts(dirs, {
    destination: parsed.values.get('destination') ?? DEFAULT_PACKAGE_DESTINATION,
    merge: parsed.switches.has('merge'),
    created: parsed.values.get('created'),
    baseline: parsed.values.get('baseline'),
  });
  for (const chart of result.charts) console.log(`${chart.file}: ${chart.name} ${chart.version}, sha256 ${chart.digest} (${chart.status})`);
  console.log(`${result.indexFile}: ${result.charts.length} chart(s) (${result.indexStatus})`);
  if (key === undefined && target === undefined) return 0;
  return (async () => {
    const files = result.charts.map((chart) => chart.file);
    if (key !== undefined) for (const file of files) await signArchive(file, key);
    if (target !== undefined) await pushArchives(files, target, parsed);
    return 0;
  })();
}
