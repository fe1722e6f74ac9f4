import { HelmSynthError } from '../../errors';
import { unpackChart } from '../chart-archive';
import {
  HELM_CHART_CONTENT_MEDIA_TYPE,
  HELM_CONFIG_MEDIA_TYPE,
  HELM_PROVENANCE_MEDIA_TYPE,
  LEGACY_CHART_CONTENT_MEDIA_TYPE,
  readManifest,
} from './helm-oci-manifest';
import { formatOciReference, parseOciReference } from './oci-reference';
import { RegistryClient, RegistryConnectionOptions } from './registry-client';

/** Options of `pullChart`. */
export interface PullChartOptions extends RegistryConnectionOptions {
  /** The chart version (tag) when the reference names neither a tag nor a digest. @default none: the reference must name one */
  readonly version?: string;
}

/** A chart read from a registry, every digest checked. */
export interface PulledChart {
  /** `oci://HOST/REPOSITORY:TAG@DIGEST` (the tag when one was given). */
  readonly reference: string;
  /** Digest of the manifest, `sha256:<hex>`. */
  readonly manifestDigest: string;
  /** The chart archive (`.tgz`) bytes. */
  readonly archive: Buffer;
  /** Digest of the archive, `sha256:<hex>` (its hex part is index.yaml's and Chart.lock's form). */
  readonly archiveDigest: string;
  /** The provenance file, when the chart was pushed signed. */
  readonly provenance?: Buffer;
  /** Chart name, from the archive's Chart.yaml. */
  readonly name: string;
  /** Chart version, from the archive's Chart.yaml. */
  readonly version: string;
}

/**
 * Pulls a chart from an OCI registry: `oci://HOST/PATH/CHART:TAG`, `oci://HOST/PATH/CHART@sha256:…`
 * (Helm 4's pull by digest; a tag given too is ignored) or `oci://HOST/PATH/CHART` with
 * `options.version`. Checks the manifest digest (when asked by digest), that the config is Helm's,
 * and every blob's digest and size; reads the archive (refusing one that is not a chart).
 */
export async function pullChart(reference: string, options: PullChartOptions = {}): Promise<PulledChart> {
  const parsed = parseOciReference(reference, reference);
  const tag = parsed.tag ?? (options.version !== undefined ? options.version.replace(/\+/g, '_') : undefined);
  const wanted = parsed.digest ?? tag;
  if (wanted === undefined)
    throw new HelmSynthError(reference, 'names neither a tag (:VERSION) nor a digest (@sha256:…), and no version was given');
  const client = new RegistryClient(parsed.registry, options, [`repository:${parsed.repository}:pull`]);
  const manifest = await client.getManifest(parsed.repository, wanted);
  if (!manifest) throw new HelmSynthError(reference, `the registry has no manifest ${wanted} in ${parsed.repository}`);
  const view = readManifest(manifest.data, reference);
  if (view.config.mediaType !== HELM_CONFIG_MEDIA_TYPE) {
    throw new HelmSynthError(
      reference,
      `is not a Helm chart: config media type ${view.config.mediaType}, expected ${HELM_CONFIG_MEDIA_TYPE}`,
    );
  }
  const chartLayers = view.layers.filter(
    (layer) => layer.mediaType === HELM_CHART_CONTENT_MEDIA_TYPE || layer.mediaType === LEGACY_CHART_CONTENT_MEDIA_TYPE,
  );
  if (chartLayers.length !== 1)
    throw new HelmSynthError(
      reference,
      `must have exactly one chart layer (${HELM_CHART_CONTENT_MEDIA_TYPE}); found ${chartLayers.length}`,
    );
  const provenanceLayers = view.layers.filter((layer) => layer.mediaType === HELM_PROVENANCE_MEDIA_TYPE);
  if (provenanceLayers.length > 1)
    throw new HelmSynthError(reference, `has ${provenanceLayers.length} provenance layers; expected at most one`);
  await client.pullBlob(parsed.repository, view.config.digest, view.config.size);
  const archive = await client.pullBlob(parsed.repository, chartLayers[0].digest, chartLayers[0].size);
  const provenance = provenanceLayers.length
    ? await client.pullBlob(parsed.repository, provenanceLayers[0].digest, provenanceLayers[0].size)
    : undefined;
  const chart = unpackChart(archive, reference);
  return {
    reference: formatOciReference({ registry: parsed.registry, repository: parsed.repository, tag, digest: manifest.digest }),
    manifestDigest: manifest.digest,
    archive,
    archiveDigest: chartLayers[0].digest,
    provenance,
    name: chart.name,
    version: chart.version,
  };
}
