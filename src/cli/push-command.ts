import { FlagKind, parseArgs } from './command-args';
import { PUSH_FLAGS, pushArchives } from './publish-steps';

const USAGE = 'usage: helm-synth push ARCHIVE... oci://HOST/PATH [--force] [--plain-http] [--created ISO-TIME]';

/**
 * `helm-synth push`: pushes chart archives to an OCI registry in Helm's layout (`<archive>.prov`
 * too when it exists), as `oci://HOST/PATH/<name>:<version>`; prints each manifest digest. A tag
 * holding other content is refused unless `--force`.
 */
export async function runPush(args: string[]): Promise<number> {
  const parsed = parseArgs('push', args, { ...PUSH_FLAGS, '--created': { kind: FlagKind.VALUE, key: 'created' } });
  const target = parsed.positionals[parsed.positionals.length - 1];
  const archives = parsed.positionals.slice(0, -1);
  if (!target || !target.startsWith('oci://') || archives.length === 0) {
    console.error(USAGE);
    return 2;
  }
  await pushArchives(archives, target, parsed);
  return 0;
}
