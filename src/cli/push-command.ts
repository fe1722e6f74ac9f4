import { selectChartArchives } from './chart-selection';
import { FlagKind, parseArgs } from './command-args';
import { DEFAULT_PACKAGE_DESTINATION } from './package-command';
import { ProjectConfig } from './project-config';
import { PUSH_FLAGS, pushArchives } from './publish-steps';

const USAGE = 'usage: helm-synth push [CHART|ARCHIVE]... oci://HOST/PATH [--destination DIR] [--force] [--plain-http] [--created ISO-TIME]';

/**
 * `helm-synth push`: pushes chart archives to an OCI registry in Helm's layout (`<archive>.prov`
 * too when it exists), as `oci://HOST/PATH/<name>:<version>`; prints each manifest digest. A tag
 * holding other content is refused unless `--force`. Takes archive paths (`*.tgz`) or chart names,
 * each read as `package` wrote it into `--destination`; every chart of the output folder when none is named.
 */
export async function runPush(config: ProjectConfig, args: string[]): Promise<number> {
  const parsed = parseArgs('push', args, {
    ...PUSH_FLAGS,
    '--created': { kind: FlagKind.VALUE, key: 'created' },
    '--destination': { kind: FlagKind.VALUE, key: 'destination' },
    '-d': { kind: FlagKind.VALUE, key: 'destination' },
  });
  const target = parsed.positionals[parsed.positionals.length - 1];
  if (!target || !target.startsWith('oci://')) {
    console.error(USAGE);
    return 2;
  }
  const destination = parsed.values.get('destination') ?? DEFAULT_PACKAGE_DESTINATION;
  const archives = selectChartArchives(config.output, parsed.positionals.slice(0, -1), destination, 'push');
  await pushArchives(archives, target, parsed);
  return 0;
}
