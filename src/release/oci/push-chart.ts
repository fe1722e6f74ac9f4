import { existsSync, readFileSync } from 'node:fs';
import { HelmSynthError } from '../../errors';
import { defaultCreated } from '../repository-index';
import { provenanceArchiveDigest } from '../provenance';
import { HELM_CHART_CONTENT_MEDIA_TYPE, HELM_PROVENANCE_MEDIA_TYPE, helmOciArtifact, readManifest } from './helm-oci-manifest';
import { chartPushReference, formatOciReference } from './oci-reference';
import { OCI_MANIFEST_MEDIA_TYPE, RegistryClient, RegistryConnectionOptions } from './registry-client';

/** Options of `pushChart`. */
export interface PushChartOptions extends RegistryConnectionOptions {
  /** Move a tag that holds another chart archive or provenance file. @default false */
  readonly force?: boolean;
  /** `org.opencontainers.image.created`, RFC 3339. @default SOURCE_DATE_EPOCH when set, else 1970-01-01T00:00:00Z */
  readonly created?: string;
  /** The provenance file pushed as a layer. @default none */
  readonly provenance?: Buffer;
}

/** What a push did to the tag. */
export enum PushStatus {
  /** The tag was new. */
  PUSHED = 'pushed',
  /** The tag already held this chart archive (and provenance file): nothing was written. */
  UNCHANGED = 'unchanged',
  /** The tag held other content and was moved (`force`). */
  REPLACED = 'replaced',
}

/** The result of a push. */
export interface PushedChart {
  /** `oci://HOST/PATH/NAME:TAG`. */
  readonly reference: string;
  /** Digest of the manifest the tag now names, `sha256:<hex>`: pull by `reference@digest`. */
  readonly digest: string;
  /** Digest of the chart archive layer, `sha256:<hex>`. */
  readonly archiveDigest: string;
  /** What happened to the tag. */
  readonly status: PushStatus;
  /** The manifest digest the tag named before, when it named another. */
  readonly previousDigest?: string;
}

/**
 * Pushes a chart archive to `oci://HOST/PATH` the way `helm push` does: repository `PATH/<name>`,
 * tag = version (`+` as `_`), Helm's manifest, config and layers (see `helmOciArtifact`); blobs the
 * registry has are not uploaded again. A tag that already holds the same archive and provenance is
 * left as it is (`unchanged`, its digest reported); one holding other content is refused unless `force`.
 *
 * @param origin the archive's path, for messages
 */
export async function pushChart(archive: Buffer, target: string, origin: string, options: PushChartOptions = {}): Promise<PushedChart> {
  const artifact = helmOciArtifact(archive, options.created ?? defaultCreated(options.env), origin, options.provenance);
  const reference = chartPushReference(target, artifact.chart);
  const tag = reference.tag!;
  const name = formatOciReference(reference);
  const client = new RegistryClient(reference.registry, options, [`repository:${reference.repository}:pull,push`]);
  const archiveDigest = artifact.layers.find((layer) => layer.mediaType === HELM_CHART_CONTENT_MEDIA_TYPE)!.digest;

  const existing = await client.getManifest(reference.repository, tag);
  let previousDigest: string | undefined;
  if (existing) {
    if (existing.digest === artifact.manifestDigest || sameLayers(existing.data, artifact.layers, name)) {
      return { reference: name, digest: existing.digest, archiveDigest, status: PushStatus.UNCHANGED };
    }
    if (!options.force) {
      const stored = storedLayers(existing.data, name);
      if (stored?.get(HELM_CHART_CONTENT_MEDIA_TYPE) === archiveDigest) {
        throw new HelmSynthError(
          name,
          `already holds this archive ${origin} (${archiveDigest}) with ${stored.has(HELM_PROVENANCE_MEDIA_TYPE) ? 'another' : 'no'} ` +
            `provenance layer (manifest ${existing.digest}), and this push has ${options.provenance ? 'one' : 'none'}: ` +
            'a released version cannot change, sign before the first push (or --force to move the tag)',
        );
      }
      throw new HelmSynthError(
        name,
        `already holds other content (manifest ${existing.digest}); this archive ${origin} has digest ${archiveDigest}: ` +
          'a released version cannot change, bump the version in Chart.yaml (or --force to move the tag)',
      );
    }
    previousDigest = existing.digest;
  }
  for (const blob of [artifact.config, ...artifact.layers]) {
    if (!(await client.hasBlob(reference.repository, blob.digest))) await client.pushBlob(reference.repository, blob.data, blob.digest);
  }
  const digest = await client.putManifest(reference.repository, tag, artifact.manifest, OCI_MANIFEST_MEDIA_TYPE);
  return { reference: name, digest, archiveDigest, status: previousDigest ? PushStatus.REPLACED : PushStatus.PUSHED, previousDigest };
}

/**
 * Pushes an archive file, with `<archive>.prov` as the provenance layer when that file exists (as
 * `helm push` does). A provenance file naming another sha256 than the archive's is refused: it
 * belongs to an earlier build.
 */
export async function pushChartFile(
  archiveFile: string,
  target: string,
  options: Omit<PushChartOptions, 'provenance'> = {},
): Promise<PushedChart> {
  if (!existsSync(archiveFile)) throw new HelmSynthError(archiveFile, 'chart archive not found');
  const archive = readFileSync(archiveFile);
  const provenanceFile = `${archiveFile}.prov`;
  const provenance = existsSync(provenanceFile) ? readFileSync(provenanceFile) : undefined;
  if (provenance) provenanceArchiveDigest(provenance, archiveFile, archive);
  return pushChart(archive, target, archiveFile, { ...options, provenance });
}

/** Whether a stored manifest has the same chart archive and provenance layers (annotations such as `created` may differ). */
/** The chart and provenance layer digests of a stored manifest, by media type; undefined when it does not read as a manifest. */
function storedLayers(stored: Buffer, where: string): Map<string, string> | undefined {
  try {
    return new Map(readManifest(stored, where).layers.map((layer) => [layer.mediaType, layer.digest]));
  } catch {
    return undefined;
  }
}

function sameLayers(
  stored: Buffer,
  layers: ReadonlyArray<{ readonly mediaType: string; readonly digest: string }>,
  where: string,
): boolean {
  let view;
  try {
    view = readManifest(stored, where);
  } catch {
    return false;
  }
  const wanted = (list: ReadonlyArray<{ readonly mediaType: string; readonly digest: string }>): string =>
    list
      .filter((layer) => layer.mediaType === HELM_CHART_CONTENT_MEDIA_TYPE || layer.mediaType === HELM_PROVENANCE_MEDIA_TYPE)
      .map((layer) => `${layer.mediaType} ${layer.digest}`)
      .sort()
      .join('\n');
  return view.layers.length === layers.length && wanted(view.layers) === wanted(layers);
}
