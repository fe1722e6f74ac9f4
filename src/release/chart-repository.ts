import { HelmSynthError } from '../errors';
import { archiveDigest, unpackChart } from './chart-archive';
import { ChartCache } from './chart-cache';
import { indexEntriesOf } from './repository-index';
import { RepositoryMirrors } from './repository-mirrors';
import { VersionRange } from './version-range';

/** A chart version chosen from a repository, with what is needed to fetch and check it. */
export interface ResolvedChart {
  /** Repository URL as Chart.yaml writes it. */
  readonly repository: string;
  /** Chart name. */
  readonly name: string;
  /** Exact version, as the repository lists it. */
  readonly version: string;
  /** sha256 (hex) of the archive the repository vouches for; undefined when it lists none. */
  readonly digest?: string;
  /** Where the archive is fetched from (after mirrors), for messages. */
  readonly url: string;
}

/**
 * Where dependency archives come from: one kind of repository (HTTP chart repositories, OCI
 * registries). `resolve` picks the highest version in a range and says which digest to expect;
 * `fetch` returns the archive's bytes, which the caller checks against that digest.
 */
export interface ChartSource {
  /** The highest version of `name` in `range`; undefined when the repository has none. */
  resolve(repository: string, name: string, range: VersionRange): Promise<ResolvedChart | undefined>;
  /** The archive of a resolved chart. */
  fetch(chart: ResolvedChart): Promise<Buffer>;
}

/** A resolved chart's archive, checked, and whether it came from the cache. */
export interface VerifiedArchive {
  /** The archive bytes. */
  readonly archive: Buffer;
  /** Whether the cache held it (nothing was downloaded). */
  readonly cached: boolean;
}

/**
 * The archive of a resolved chart: from the cache when it holds the digest the repository lists,
 * else fetched, checked against that digest (a note when the repository lists none) and against
 * its own Chart.yaml (name and version), and kept in the cache.
 */
export async function fetchVerifiedArchive(
  source: ChartSource,
  resolved: ResolvedChart,
  cache: ChartCache,
  onNote?: (message: string) => void,
): Promise<VerifiedArchive> {
  const cachedArchive = resolved.digest ? cache.archive(resolved.repository, resolved.name, resolved.version, resolved.digest) : undefined;
  if (cachedArchive) return { archive: cachedArchive, cached: true };
  const archive = await source.fetch(resolved);
  const digest = archiveDigest(archive);
  if (!resolved.digest)
    onNote?.(`${resolved.repository}: the index lists no digest for ${resolved.name} ${resolved.version}: not verified`);
  if (resolved.digest && digest !== resolved.digest) {
    throw new HelmSynthError(
      resolved.url,
      `digest mismatch: ${resolved.name} ${resolved.version} has sha256 ${digest}, and its repository's index says ${resolved.digest}; refusing it`,
    );
  }
  const content = unpackChart(archive, resolved.url);
  if (content.name !== resolved.name || content.version !== resolved.version) {
    throw new HelmSynthError(resolved.url, `holds chart ${content.name} ${content.version}, not ${resolved.name} ${resolved.version}`);
  }
  cache.storeArchive(resolved.repository, resolved.name, resolved.version, digest, archive);
  return { archive, cached: false };
}

/** Options of an `HttpChartRepository`. */
export interface HttpChartRepositoryOptions {
  /** Where indexes are kept for offline use and revalidation. */
  readonly cache: ChartCache;
  /** Mirrors applied to every URL fetched. @default none */
  readonly mirrors?: RepositoryMirrors;
  /** Never use the network: indexes only from the cache. @default false */
  readonly offline?: boolean;
  /** Told when a cached index stands in for an unreachable repository. @default nothing */
  readonly onNote?: (message: string) => void;
  /** Seconds to wait for each request. @default 60 */
  readonly timeoutSeconds?: number;
}

/**
 * An HTTP(S) chart repository (`helm repo add`'s kind): `<url>/index.yaml` lists each chart's
 * versions with `urls` (absolute, or relative to the repository, as Helm resolves them) and
 * `digest`. Each index is fetched once per run, revalidated with ETag / Last-Modified against
 * the cached copy, and read from the cache when the repository cannot be reached (or `offline`).
 * Credentials in a repository's or mirror's URL (`https://user:password@host/...`) are sent as
 * basic auth to that host only.
 */
export class HttpChartRepository implements ChartSource {
  private readonly indexes = new Map<string, Promise<{ text: string; url: string; from: string }>>();
  private readonly mirrors: RepositoryMirrors;

  constructor(private readonly options: HttpChartRepositoryOptions) {
    this.mirrors = options.mirrors ?? RepositoryMirrors.NONE;
  }

  public async resolve(repository: string, name: string, range: VersionRange): Promise<ResolvedChart | undefined> {
    const { text, url: indexUrl, from } = await this.index(repository);
    const offered = indexEntriesOf(text, name, indexUrl).filter((entry) => Array.isArray(entry.urls) && entry.urls.length > 0);
    const version = range.highest(offered.map((entry) => entry.version));
    if (version === undefined) return undefined;
    const entry = offered.find((candidate) => candidate.version === version)!;
    const url = this.mirrors.apply(resolveReference(from, String((entry.urls as unknown[])[0])));
    const digest = typeof entry.digest === 'string' && /^[0-9a-f]{64}$/.test(entry.digest) ? entry.digest : undefined;
    return { repository, name, version, digest, url };
  }

  public async fetch(chart: ResolvedChart): Promise<Buffer> {
    if (this.options.offline) {
      throw new HelmSynthError(chart.url, `${chart.name} ${chart.version} is not in the chart cache and --offline forbids downloading it`);
    }
    const response = await this.request(chart.url);
    if (!response.ok) throw new HelmSynthError(chart.url, `download of ${chart.name} ${chart.version} failed: HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }

  private index(repository: string): Promise<{ text: string; url: string; from: string }> {
    let pending = this.indexes.get(repository);
    if (!pending) {
      pending = this.loadIndex(repository);
      this.indexes.set(repository, pending);
    }
    return pending;
  }

  private async loadIndex(repository: string): Promise<{ text: string; url: string; from: string }> {
    const from = this.mirrors.apply(repository.replace(/\/+$/, ''));
    if (!/^https?:\/\//.test(from)) {
      throw new HelmSynthError(repository, `is not an HTTP chart repository (mapped to ${from})`);
    }
    const url = `${from}/index.yaml`;
    const cached = this.options.cache.index(repository);
    const fromCache = (reason: string) => {
      if (!cached)
        throw new HelmSynthError(url, `${reason}, and the chart cache (${this.options.cache.directory}) has no copy of this index`);
      this.options.onNote?.(`${repository}: ${reason}; using the cached index`);
      return { text: cached.text, url: `${url} (cached)`, from };
    };
    if (this.options.offline) return fromCache('offline');
    let response: Response;
    try {
      response = await this.request(url, {
        ...(cached?.etag && { 'if-none-match': cached.etag }),
        ...(cached?.lastModified && { 'if-modified-since': cached.lastModified }),
      });
    } catch (error) {
      if (HelmSynthError.isHelmSynthError(error)) return fromCache(error.message.replace(`${url}: `, ''));
      throw error;
    }
    if (response.status === 304 && cached) return { text: cached.text, url, from };
    if (!response.ok) throw new HelmSynthError(url, `HTTP ${response.status}: is ${repository} a chart repository?`);
    const text = await response.text();
    if (!/^apiVersion:/m.test(text))
      throw new HelmSynthError(url, `is not a chart repository index (no apiVersion); is ${repository} a chart repository?`);
    this.options.cache.storeIndex(repository, {
      text,
      etag: response.headers.get('etag') ?? undefined,
      lastModified: response.headers.get('last-modified') ?? undefined,
    });
    return { text, url, from };
  }

  /** One GET; a network failure (not an HTTP status) is a HelmSynthError saying the host cannot be reached. */
  private async request(target: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(target);
    const auth =
      url.username || url.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
        : undefined;
    url.username = '';
    url.password = '';
    try {
      return await fetch(url, {
        headers: { ...headers, ...(auth && { authorization: auth }), 'user-agent': 'helm-synth' },
        redirect: 'follow',
        signal: AbortSignal.timeout((this.options.timeoutSeconds ?? 60) * 1000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new HelmSynthError(
        target.replace(/\/\/[^@/]*@/, '//'),
        `cannot be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`,
      );
    }
  }
}

/**
 * Resolves an index entry's URL against the repository URL as Helm's `repo.ResolveReferenceURL`
 * does: an absolute URL stays; a relative one is read against the repository URL with a trailing
 * slash, keeping the repository URL's query.
 */
export function resolveReference(repository: string, reference: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) return reference;
  const base = new URL(repository);
  base.pathname = base.pathname.replace(/\/*$/, '/');
  const resolved = new URL(reference, base);
  resolved.search = base.search;
  return resolved.toString();
}
