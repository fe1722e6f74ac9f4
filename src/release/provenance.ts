import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { Key, PrivateKey } from 'openpgp';
import { parse } from 'yaml';
import { describeValue, HelmSynthError } from '../errors';
import { archiveDigest, unpackChart } from './chart-archive';
import { goMap, goYaml, helmMetadata } from './helm-metadata';
import { WriteStatus } from './package-charts';

/** Environment variable holding the passphrase of an encrypted signing key. */
export const SIGNING_PASSPHRASE_ENV = 'HELM_SYNTH_SIGNING_PASSPHRASE';

/** The file name of an archive's provenance file: `<archive>.prov`. */
export function provenanceFileName(archiveFile: string): string {
  return `${archiveFile}.prov`;
}

/** A written (or kept) provenance file. */
export interface SignedChart {
  /** Path of the `.prov` file. */
  readonly file: string;
  /** Fingerprint of the signing key (primary key). */
  readonly fingerprint: string;
  /** Written or unchanged. */
  readonly status: WriteStatus;
}

/** Options of `signChartFile`. */
export interface SignOptions {
  /** Passphrase of an encrypted key. @default the HELM_SYNTH_SIGNING_PASSPHRASE environment variable */
  readonly passphrase?: string;
  /** Environment for SOURCE_DATE_EPOCH and the passphrase (the CLI passes its own). @default none: signed now, no passphrase from the environment */
  readonly env?: NodeJS.ProcessEnv;
}

/** A verified provenance file. */
export interface VerifiedChart {
  /** The archive's sha256, `sha256:<hex>`, as the provenance file names it. */
  readonly digest: string;
  /** User IDs of the key that made the signature. */
  readonly signedBy: readonly string[];
  /** Fingerprint of that key. */
  readonly fingerprint: string;
}

/**
 * The text Helm clear-signs for an archive (Helm's `pkg/provenance` message block): the chart's
 * metadata as `sigs.k8s.io/yaml` writes Helm's `chart.Metadata`, a `...` line, then
 * `files:` mapping the archive's file name to `sha256:<hex>`, ending in a newline.
 */
export function provenanceMessage(archive: Buffer, archiveName: string, origin: string): string {
  const chart = unpackChart(archive, origin);
  const files = goMap([[archiveName, `sha256:${archiveDigest(archive)}`]]);
  return `${goYaml(helmMetadata(chart))}\n...\n${goYaml({ entries: [['files', files]] })}`;
}

/**
 * The text between a clear-signed message's header and its signature, dash-escaping undone; the
 * line break before the signature is not part of it (RFC 4880 7.1). Checks nothing cryptographic.
 *
 * @param where named in errors
 */
export function clearSignedText(provenance: string, where: string): string {
  const lines = provenance.replace(/\r\n/g, '\n').split('\n');
  const begin = lines.indexOf('-----BEGIN PGP SIGNED MESSAGE-----');
  if (begin < 0) throw new HelmSynthError(where, 'is not a clear-signed OpenPGP message (no BEGIN PGP SIGNED MESSAGE line)');
  let i = begin + 1;
  while (i < lines.length && lines[i] !== '') i++;
  const end = lines.indexOf('-----BEGIN PGP SIGNATURE-----', i);
  if (end < 0) throw new HelmSynthError(where, 'is not a clear-signed OpenPGP message (no BEGIN PGP SIGNATURE line)');
  return lines
    .slice(i + 1, end)
    .map((line) => (line.startsWith('- ') ? line.slice(2) : line))
    .join('\n');
}

/**
 * The `sha256:<hex>` a provenance file names for an archive, checked against the archive's bytes
 * (not the signature: `verifyChart` does that). Refuses a provenance file that names another file
 * or another digest, as Helm's `Verify` does.
 */
export function provenanceArchiveDigest(provenance: Buffer, archiveFile: string, archive: Buffer): string {
  const where = provenanceFileName(archiveFile);
  const text = clearSignedText(provenance.toString('utf8'), where);
  const parts = `${text}\n`.split('\n...\n');
  if (parts.length < 2) throw new HelmSynthError(where, 'message block must have two parts separated by a "..." line');
  let sums: unknown;
  try {
    sums = parse(parts[1], { version: '1.1' });
  } catch (error) {
    throw new HelmSynthError(where, `files block does not parse: ${(error as Error).message}`);
  }
  const name = basename(archiveFile);
  const named = (sums as { files?: Record<string, unknown> } | null)?.files?.[name];
  if (typeof named !== 'string') throw new HelmSynthError(where, `names no sha256 for a file called ${describeValue(name)}`);
  const actual = `sha256:${archiveDigest(archive)}`;
  if (named !== actual)
    throw new HelmSynthError(archiveFile, `sha256 does not match its provenance file: the archive is ${actual}, ${where} names ${named}`);
  return actual;
}

/**
 * Signs an archive as `helm package --sign` does and writes `<archive>.prov` beside it: an OpenPGP
 * clear-signed `provenanceMessage`, SHA-512, by the first key of `keyFile` (armored or binary
 * secret key, as `gpg --export-secret-keys` writes it). With SOURCE_DATE_EPOCH set the signature
 * time is that time (or the key's newest self-signature, when later), so the file is reproducible;
 * an existing file signed by the same key over the same text is kept. Lines end in LF, as Go's
 * clearsign writes them (the signature covers the text with CRLF either way). With SOURCE_DATE_EPOCH the
 * signature also leaves out openpgp.js's random salt notation (RSA and EdDSA signatures are then
 * deterministic: the same key, text and time give the same bytes).
 */
export async function signChartFile(archiveFile: string, keyFile: string, options: SignOptions = {}): Promise<SignedChart> {
  const openpgp = openpgpLibrary();
  const env = options.env ?? {};
  if (!existsSync(archiveFile)) throw new HelmSynthError(archiveFile, 'chart archive not found');
  const archive = readFileSync(archiveFile);
  const text = provenanceMessage(archive, basename(archiveFile), archiveFile);
  const key = await unlockedKey(keyFile, options.passphrase ?? env[SIGNING_PASSPHRASE_ENV]);
  const file = provenanceFileName(archiveFile);
  const fingerprint = key.getFingerprint().toUpperCase();
  if (existsSync(file)) {
    const kept = await keptProvenance(readFileSync(file, 'utf8'), text, key.toPublic());
    if (kept) return { file, fingerprint, status: WriteStatus.UNCHANGED };
  }
  const message = await openpgp.createCleartextMessage({ text: text.replace(/\n$/, '') });
  let signed: string;
  try {
    signed = await openpgp.sign({
      message,
      signingKeys: key,
      date: signatureDate(key, env),
      config: { preferredHashAlgorithm: openpgp.enums.hash.sha512, nonDeterministicSignaturesViaNotation: !reproducible(env) },
    });
  } catch (error) {
    throw new HelmSynthError(keyFile, `cannot sign with this key: ${(error as Error).message}`);
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, signed.replace(/\r\n/g, '\n'));
  renameSync(temporary, file);
  return { file, fingerprint, status: WriteStatus.WRITTEN };
}

/**
 * Verifies `<archive>.prov` as `helm verify` does: a clear-signed message whose signature was made
 * by a key of the keyring (armored or binary public keys, as `gpg --export` writes them; default
 * `$GNUPGHOME/pubring.gpg` or `~/.gnupg/pubring.gpg`, Helm's default), and whose files block names
 * the archive's sha256. Each failure is one HelmSynthError naming what failed. `env` (the CLI
 * passes its own) gives `GNUPGHOME` for the default keyring; without it, `~/.gnupg/pubring.gpg`.
 */
export async function verifyChart(archiveFile: string, keyringFile?: string, env: NodeJS.ProcessEnv = {}): Promise<VerifiedChart> {
  const openpgp = openpgpLibrary();
  if (!existsSync(archiveFile)) throw new HelmSynthError(archiveFile, 'chart archive not found');
  const provenanceFile = provenanceFileName(archiveFile);
  if (!existsSync(provenanceFile))
    throw new HelmSynthError(archiveFile, `has no provenance file ${provenanceFile}: sign it with helm-synth package --sign --key FILE`);
  const keyring = keyringFile ?? defaultKeyring(env);
  const keys = await readKeyring(keyring);
  const provenance = readFileSync(provenanceFile);
  let message;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: provenance.toString('utf8') });
  } catch (error) {
    throw new HelmSynthError(provenanceFile, `is not a clear-signed OpenPGP message: ${(error as Error).message}`);
  }
  const result = await openpgp.verify({ message, verificationKeys: keys });
  let signer: Key | undefined;
  const failures: string[] = [];
  for (const signature of result.signatures) {
    try {
      await signature.verified;
      signer = keys.find((candidate) => candidate.getKeys(signature.keyID).length > 0);
      if (signer) break;
    } catch (error) {
      failures.push(`${signature.keyID.toHex().toUpperCase()}: ${(error as Error).message}`);
    }
  }
  if (!signer) {
    const detail = failures.length ? failures.join('; ') : 'no signature found';
    throw new HelmSynthError(provenanceFile, `signature does not verify with ${keyring}: ${detail}`);
  }
  const digest = provenanceArchiveDigest(provenance, archiveFile, readFileSync(archiveFile));
  return { digest, signedBy: signer.getUserIDs(), fingerprint: signer.getFingerprint().toUpperCase() };
}

/** Helm's default keyring: `$GNUPGHOME/pubring.gpg`, else `~/.gnupg/pubring.gpg`. */
export function defaultKeyring(env: NodeJS.ProcessEnv): string {
  return join(env.GNUPGHOME || join(homedir(), '.gnupg'), 'pubring.gpg');
}

async function readKeyring(file: string): Promise<Key[]> {
  const openpgp = openpgpLibrary();
  if (!existsSync(file)) {
    throw new HelmSynthError(file, 'keyring not found: export the public keys with gpg --export KEY-ID > FILE and pass --keyring FILE');
  }
  const data = readFileSync(file);
  if (data.subarray(8, 12).toString('latin1') === 'KBXf') {
    throw new HelmSynthError(
      file,
      'is a GnuPG keybox, which helm-synth cannot read: export the public keys with gpg --export KEY-ID > FILE and pass --keyring FILE',
    );
  }
  try {
    return isArmored(data) ? await openpgp.readKeys({ armoredKeys: data.toString('utf8') }) : await openpgp.readKeys({ binaryKeys: data });
  } catch (error) {
    throw new HelmSynthError(file, `is not an OpenPGP keyring: ${(error as Error).message}`);
  }
}

async function unlockedKey(keyFile: string, passphrase: string | undefined): Promise<PrivateKey> {
  const openpgp = openpgpLibrary();
  if (!existsSync(keyFile)) throw new HelmSynthError(keyFile, 'signing key not found');
  const data = readFileSync(keyFile);
  let keys: PrivateKey[];
  try {
    keys = isArmored(data)
      ? await openpgp.readPrivateKeys({ armoredKeys: data.toString('utf8') })
      : await openpgp.readPrivateKeys({ binaryKeys: data });
  } catch (error) {
    throw new HelmSynthError(
      keyFile,
      `is not an OpenPGP secret key (gpg --export-secret-keys KEY-ID > FILE writes one): ${(error as Error).message}`,
    );
  }
  const key = keys[0];
  if (key.isDecrypted()) return key;
  if (passphrase === undefined) throw new HelmSynthError(keyFile, `is protected by a passphrase: set ${SIGNING_PASSPHRASE_ENV}`);
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase });
  } catch (error) {
    throw new HelmSynthError(keyFile, `cannot be unlocked with the passphrase in ${SIGNING_PASSPHRASE_ENV}: ${(error as Error).message}`);
  }
}

/** Whether SOURCE_DATE_EPOCH asks for a reproducible build. */
function reproducible(env: NodeJS.ProcessEnv): boolean {
  return env.SOURCE_DATE_EPOCH !== undefined && env.SOURCE_DATE_EPOCH !== '';
}

/** SOURCE_DATE_EPOCH, moved up to the key's newest self-signature so the key is valid then; else now. */
function signatureDate(key: PrivateKey, env: NodeJS.ProcessEnv): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date();
  if (!/^\d+$/.test(epoch))
    throw new HelmSynthError('SOURCE_DATE_EPOCH', `must be whole seconds since the epoch; got ${describeValue(epoch)}`);
  const times = [Number(epoch) * 1000, key.getCreationTime().getTime()];
  for (const user of key.users)
    for (const signature of user.selfCertifications) if (signature.created) times.push(signature.created.getTime());
  for (const subkey of key.subkeys) {
    times.push(subkey.getCreationTime().getTime());
    for (const signature of subkey.bindingSignatures) if (signature.created) times.push(signature.created.getTime());
  }
  return new Date(Math.max(...times));
}

/** Whether an existing provenance file is this key's signature over the same text. */
async function keptProvenance(existing: string, text: string, publicKey: Key): Promise<boolean> {
  const openpgp = openpgpLibrary();
  try {
    if (clearSignedText(existing, 'provenance') !== text.replace(/\n$/, '')) return false;
    const message = await openpgp.readCleartextMessage({ cleartextMessage: existing });
    const result = await openpgp.verify({ message, verificationKeys: publicKey, expectSigned: true });
    return result.signatures.length === 1;
  } catch {
    return false;
  }
}

/** openpgp.js, loaded when first needed (it is large, and only signing and verifying use it). */
function openpgpLibrary(): typeof import('openpgp') {
  return require('openpgp') as typeof import('openpgp');
}

function isArmored(data: Buffer): boolean {
  return data.subarray(0, 64).toString('latin1').trimStart().startsWith('-----BEGIN PGP');
}
