import { HelmSynthError } from '../errors';
import { verifyChart } from '../release';
import { FlagKind, parseArgs } from './command-args';

const USAGE = 'usage: helm-synth verify ARCHIVE... [--keyring FILE]';

/**
 * `helm-synth verify`: checks each archive's `.prov` (signature by a key of the keyring, and the
 * archive's sha256); one line per archive, exit 1 when any fails.
 */
export async function runVerify(args: string[]): Promise<number> {
  const parsed = parseArgs('verify', args, { '--keyring': { kind: FlagKind.VALUE, key: 'keyring' } });
  if (parsed.positionals.length === 0) {
    console.error(USAGE);
    return 2;
  }
  let failed = false;
  for (const archive of parsed.positionals) {
    try {
      const verified = await verifyChart(archive, parsed.values.get('keyring'));
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
