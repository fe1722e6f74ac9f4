import { HelmSynthError } from '../errors';
import { existsSync } from 'node:fs';
import { normalizeCreated, parseOciReference, PushStatus, pushChartFile, signChartFile } from '../release/internal';
import { FlagKind, FlagSpec, ParsedArgs } from './command-args';

/** The flags of pushing to a registry, shared by `push` and `package --push`. */
export const PUSH_FLAGS: FlagSpec = {
  '--force': { kind: FlagKind.SWITCH, key: 'force' },
  '--plain-http': { kind: FlagKind.SWITCH, key: 'plainHttp' },
};

/** The flags of signing, for `package --sign --key FILE`. */
export const SIGN_FLAGS: FlagSpec = {
  '--sign': { kind: FlagKind.SWITCH, key: 'sign' },
  '--key': { kind: FlagKind.VALUE, key: 'key' },
};

/** Checks `--sign` and `--key` come together; returns the key file when signing. */
export function signingKey(command: string, parsed: ParsedArgs): string | undefined {
  const key = parsed.values.get('key');
  if (parsed.switches.has('sign') !== (key !== undefined)) {
    throw new HelmSynthError(
      command,
      key === undefined
        ? '--sign needs --key FILE (an OpenPGP secret key, as gpg --export-secret-keys writes it)'
        : '--key is only used with --sign',
    );
  }
  if (key !== undefined && !existsSync(key)) throw new HelmSynthError(key, 'signing key not found');
  return key;
}

/** The `--push` target, checked before anything is packaged; `--force` and `--plain-http` need it. */
export function pushTarget(command: string, parsed: ParsedArgs): string | undefined {
  const target = parsed.values.get('push');
  if (target === undefined) {
    const stray = ['force', 'plainHttp'].find((flag) => parsed.switches.has(flag));
    if (stray) throw new HelmSynthError(command, `--${stray === 'force' ? 'force' : 'plain-http'} is only used with --push`);
    return undefined;
  }
  parseOciReference(target, '--push', true);
  return target;
}

/** Signs an archive (`<archive>.prov`) and prints the result. */
export async function signArchive(archiveFile: string, keyFile: string): Promise<void> {
  const signed = await signChartFile(archiveFile, keyFile, { env: process.env });
  console.log(`${signed.file}: signed by ${signed.fingerprint} (${signed.status})`);
}

/**
 * Pushes archives (each with its `.prov` when there is one) to `oci://HOST/PATH` and prints one
 * line each: the pulled-by-digest reference and what happened to the tag.
 */
export async function pushArchives(archiveFiles: readonly string[], target: string, parsed: ParsedArgs): Promise<void> {
  const created = parsed.values.get('created');
  for (const file of archiveFiles) {
    const pushed = await pushChartFile(file, target, {
      force: parsed.switches.has('force'),
      plainHttp: parsed.switches.has('plainHttp') ? true : undefined,
      created: created !== undefined ? normalizeCreated(created) : undefined,
      env: process.env,
    });
    const [withoutTag, tag] = splitTag(pushed.reference);
    const status = pushed.status === PushStatus.REPLACED ? `replaced ${pushed.previousDigest}` : pushed.status;
    console.log(`${file}: ${pushed.reference} ${pushed.digest} (${status})`);
    if (tag.includes('_'))
      console.log(`  the tag of ${withoutTag} is ${tag}: OCI tags cannot hold "+", so it is written as "_" (Helm does the same)`);
  }
}

function splitTag(reference: string): [string, string] {
  const colon = reference.lastIndexOf(':');
  return [reference.slice(0, colon), reference.slice(colon + 1)];
}
