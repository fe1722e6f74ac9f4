import { describeValue, HelmSynthError } from '../../errors';
import { unpackChart } from '../chart-archive';
import { ChartContent } from '../chart-content';
import { goJson, goMap, GoObject, GoValue, helmMetadata, isGoObject } from '../helm-metadata';
import { ociDigest } from './registry-client';

/** Media type of a Helm chart's config blob: Chart.yaml's metadata as JSON. */
export const HELM_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.helm.config.v1+json';
/** Media type of the chart archive layer. */
export const HELM_CHART_CONTENT_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
/** Media type of the provenance layer (the `.prov` file). */
export const HELM_PROVENANCE_MEDIA_TYPE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';
/** The chart layer media type of charts pushed by Helm before 3.7; read, never written. */
export const LEGACY_CHART_CONTENT_MEDIA_TYPE = 'application/tar+gzip';

/** One blob of an artifact with its OCI descriptor fields. */
export interface OciBlob {
  /** Media type. */
  readonly mediaType: string;
  /** `sha256:<hex>`. */
  readonly digest: string;
  /** The bytes. */
  readonly data: Buffer;
}

/** A chart as Helm stores it in a registry: manifest, config blob, layers. */
export interface HelmOciArtifact {
  /** The chart read from the archive. */
  readonly chart: ChartContent;
  /** The manifest's bytes, exactly as pushed. */
  readonly manifest: Buffer;
  /** `sha256:<hex>` of the manifest. */
  readonly manifestDigest: string;
  /** Config blob. */
  readonly config: OciBlob;
  /** Layers in manifest order (the archive, and the provenance file when there is one, sorted by digest as Helm sorts them). */
  readonly layers: readonly OciBlob[];
}

/** A manifest as read from a registry: the parts a chart pull needs. */
export interface OciManifestView {
  /** Config descriptor. */
  readonly config: OciDescriptor;
  /** Layer descriptors. */
  readonly layers: readonly OciDescriptor[];
}

/** The fields of an OCI descriptor helm-synth reads. */
export interface OciDescriptor {
  /** Media type. */
  readonly mediaType: string;
  /** `sha256:<hex>`. */
  readonly digest: string;
  /** Size in bytes. */
  readonly size: number;
}

/** OCI annotation keys Helm writes (`org.opencontainers.image.*`). */
const ANNOTATION = {
  created: 'org.opencontainers.image.created',
  authors: 'org.opencontainers.image.authors',
  url: 'org.opencontainers.image.url',
  source: 'org.opencontainers.image.source',
  version: 'org.opencontainers.image.version',
  title: 'org.opencontainers.image.title',
  description: 'org.opencontainers.image.description',
} as const;

/** Chart annotations that cannot replace the ones Helm derives (Helm's `immutableOciAnnotations`). */
const IMMUTABLE_ANNOTATIONS = new Set<string>([ANNOTATION.version, ANNOTATION.title]);

/**
 * The manifest, config and layers `helm push` makes for a chart archive (Helm's `pkg/registry`
 * Push): config = Helm's chart metadata as Go JSON; layers = the archive and the provenance file,
 * sorted by digest; manifest = `{"schemaVersion":2,"config":…,"layers":…,"annotations":…}` with no
 * `mediaType` field, as Go marshals `ocispec.Manifest`. Annotations: description, title, version,
 * url (home), created, source (the first of `sources`), authors (`name (email)` joined by `, `),
 * then the chart's own annotations except title and version. `created` is given (Helm uses the
 * archive file's modification time; helm-synth a fixed time, so a push is reproducible).
 *
 * @param created RFC 3339 time for `org.opencontainers.image.created`
 * @param origin the archive's path, for messages
 */
export function helmOciArtifact(archive: Buffer, created: string, origin: string, provenance?: Buffer): HelmOciArtifact {
  const chart = unpackChart(archive, origin);
  const metadata = helmMetadata(chart);
  const configData = Buffer.from(goJson(metadata));
  const config = { mediaType: HELM_CONFIG_MEDIA_TYPE, digest: ociDigest(configData), data: configData };
  const layers: OciBlob[] = [{ mediaType: HELM_CHART_CONTENT_MEDIA_TYPE, digest: ociDigest(archive), data: archive }];
  if (provenance) layers.push({ mediaType: HELM_PROVENANCE_MEDIA_TYPE, digest: ociDigest(provenance), data: provenance });
  layers.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const manifestValue: GoObject = {
    entries: [
      ['schemaVersion', 2],
      ['config', descriptor(config)],
      ['layers', layers.map(descriptor)],
      ['annotations', ociAnnotations(metadata, created)],
    ],
  };
  const manifest = Buffer.from(goJson(manifestValue));
  return { chart, manifest, manifestDigest: ociDigest(manifest), config, layers };
}

/**
 * Reads a manifest's config and layer descriptors, refusing what is not a manifest.
 *
 * @param where named in errors (the reference)
 */
export function readManifest(data: Buffer, where: string): OciManifestView {
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new HelmSynthError(where, `manifest is not JSON: ${(error as Error).message}`);
  }
  const manifest = value as { config?: unknown; layers?: unknown; manifests?: unknown };
  if (Array.isArray(manifest?.manifests)) throw new HelmSynthError(where, 'is an image index, not a chart manifest');
  if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.layers)) {
    throw new HelmSynthError(where, `is not an OCI image manifest (no layers); got ${describeValue(value)}`);
  }
  return {
    config: readDescriptor(manifest.config, `${where} config`),
    layers: manifest.layers.map((layer, i) => readDescriptor(layer, `${where} layers[${i}]`)),
  };
}

function readDescriptor(value: unknown, where: string): OciDescriptor {
  const item = value as Partial<OciDescriptor> | undefined;
  if (!item || typeof item.mediaType !== 'string' || typeof item.digest !== 'string' || typeof item.size !== 'number') {
    throw new HelmSynthError(where, `is not a descriptor with mediaType, digest and size; got ${describeValue(value)}`);
  }
  if (!/^sha256:[a-f0-9]{64}$/.test(item.digest))
    throw new HelmSynthError(where, `digest must be sha256:<hex>; got ${describeValue(item.digest)}`);
  return { mediaType: item.mediaType, digest: item.digest, size: item.size };
}

function descriptor(blob: OciBlob): GoObject {
  return {
    entries: [
      ['mediaType', blob.mediaType],
      ['digest', blob.digest],
      ['size', blob.data.length],
    ],
  };
}

function field(metadata: GoObject, name: string): GoValue | undefined {
  return metadata.entries.find(([key]) => key === name)?.[1];
}

function text(value: GoValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** Helm's `generateOCIAnnotations`: derived annotations (non-blank only), then the chart's annotations. */
function ociAnnotations(metadata: GoObject, created: string): GoObject {
  const result = new Map<string, string>();
  const add = (key: string, value: string): void => {
    if (value.trim() !== '') result.set(key, value);
  };
  add(ANNOTATION.description, text(field(metadata, 'description')));
  add(ANNOTATION.title, text(field(metadata, 'name')));
  add(ANNOTATION.version, text(field(metadata, 'version')));
  add(ANNOTATION.url, text(field(metadata, 'home')));
  add(ANNOTATION.created, created);
  const sources = field(metadata, 'sources');
  if (Array.isArray(sources) && sources.length) add(ANNOTATION.source, text(sources[0]));
  const maintainers = field(metadata, 'maintainers');
  if (Array.isArray(maintainers) && maintainers.length) {
    const authors = maintainers.map((maintainer) => {
      const entry = maintainer as GoObject;
      const email = text(field(entry, 'email'));
      return `${text(field(entry, 'name'))}${email ? ` (${email})` : ''}`;
    });
    add(ANNOTATION.authors, authors.join(', '));
  }
  const annotations = field(metadata, 'annotations');
  if (annotations !== undefined && isGoObject(annotations)) {
    for (const [key, value] of annotations.entries) if (!IMMUTABLE_ANNOTATIONS.has(key)) result.set(key, text(value));
  }
  return goMap(result);
}
