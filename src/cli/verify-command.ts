import { HelmSynthError } from '../errors';
import { verifyChart } from '../release/internal';
import { selectChartArchives } from './chart-selection';
import { FlagKind, parseArgs } from './command-args';
import { DEFAULT_PACKAGE_DESTINATION } from './package-command';
import { ProjectConfig } from './project-config';

/**
 * `helm-synth verify [CHART|ARCHIVE]...`: checks each archive's `.prov` (signature by a key of the
 * keyring, and the archive's sha256); one line per archive, exit 1 when any fails. Takes archive
 * paths (`*.tgz`) or chart names, each read as `package` wrote it into `--destination`; every chart
 * of the output folder when none is named.
 */
export async function runVerify(config: ProjectConfig, args: string[]): Promise<number> {
  const parsed = parseArgs('verify', args, {
    '--keyring': { kind: FlagKind.VALUE, key: 'keyring' },
    '--destination': { kind: FlagKind.VALUE, key: 'destination' },
    '-d': { kind: FlagKind.VALUE, key: 'destination' },
  });
  const destination = parsed.values.get('destination') ?? DEFAULT_PACKAGE_DESTINATION;
  const archives = selectChartArchives(config.output, parsed.positionals, destination, 'verify');
  let failed = false;
  for (const archive of archives) {
    try {
      const verified = await verifyChart(archive, parsed.values.get('keyring'), process.env);
      console.log(
        `${archive}: signed by ${verified.signedBy.join(', ') || 'a key without user ID'} (${verified.fingerprint}), ${verified.digest}`,
      );
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      console.error(`Error: ${error.message}`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
}
