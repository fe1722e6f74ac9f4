import { HelmSynthError } from '../errors';
import { ChartCache } from './chart-cache';
import { ChartSource, ResolvedChart } from './chart-repository';
import { pullChart } from './oci/pull-chart';
import { parseOciReference } from './oci/oci-reference';
import { RegistryClient, RegistryConnectionOptions } from './oci/registry-client';
import { RepositoryMirrors } from './repository-mirrors';
import { VersionRange } from './version-range';

/** Options of an `OciChartSource`. */
export interface OciChartSourceOptions extends RegistryConnectionOptions {
  /** Where each chart's tags and digests are kept, so an offline run resolves what an online run saw. @default none */
  readonly cache?: ChartCache;
  /** Never use the network: versions and digests only from the cache. @default false */
  readonly offline?: boolean;
  /** Told when cached tags stand in for an unreachable registry. @default nothing */
  readonly onNote?: (message: string) => void;
  /** Mirrors: a chart of a mirrored repository is read from the mirror's registry (cached under the original URL). @default none */
  readonly mirrors?: RepositoryMirrors;
}

/** What the cache keeps of one chart of a registry: its tags, and the archive digest of each version pulled. */
interface CachedTags {
  readonly tags: string[];
  readonly digests: Record<string, string>;
}

/**
 * `oci://` dependency repositories (Helm 3.8+): the chart `oci://HOST/PATH/<name>`, its versions
 * the repository's tags (`+` written `_`), the highest in the range pulled with `pullChart` (every
 * digest checked). Tags and digests are cached beside the archives, so `--offline` resolves from
 * what an earlier run saw. A repository mirrored to another `oci://` registry is read there.
 */
export class OciChartSource implements ChartSource {
  private readonly archives = new Map<string, Buffer>();

  constructor(private readonly options: OciChartSourceOptions = {}) {}

  public async resolve(repository: string, name: string, range: VersionRange): Promise<ResolvedChart | undefined> {
    const base = `${repository.replace(/\/+$/, '')}/${name}`;
    const known = this.cached(base);
    let tags: string[];
    if (this.options.offline) {
      if (!known) throw new HelmSynthError(base, 'is not in the chart cache, and --offline forbids asking the registry: run once online');
      tags = known.tags;
    } else {
      try {
        const parsed = parseOciReference(this.mirrored(base), base);
        tags = await new RegistryClient(parsed.registry, this.options, [`repository:${parsed.repository}:pull`]).listTags(
          parsed.repository,
        );
      } catch (error) {
        if (HelmSynthError.isHelmSynthError(error) || !known) throw error;
        this.options.onNote?.(`${base}: the registry cannot be reached (${(error as Error).message}); using the tags cached earlier`);
        tags = known.tags;
      }
    }
    const version = range.highest(tags.map((tag) => tag.replace(/_/g, '+')));
    if (version === undefined) return undefined;
    let digest = known?.digests[version];
    if (!this.options.offline && (digest === undefined || !this.options.cache?.archive(repository, name, version, digest))) {
      const pulled = await pullChart(this.mirrored(base), { ...this.options, version });
      if (pulled.name !== name || pulled.version !== version) {
        throw new HelmSynthError(`${base}:${version}`, `holds chart ${pulled.name} ${pulled.version}, not ${name} ${version}`);
      }
      digest = pulled.archiveDigest.replace(/^sha256:/, '');
      this.archives.set(`${base}@${version}`, pulled.archive);
    }
    this.store(base, { tags, digests: { ...(known?.digests ?? {}), ...(digest !== undefined && { [version]: digest }) } });
    return { repository, name, version, digest, url: `${this.mirrored(base)}:${version.replace(/\+/g, '_')}` };
  }

  public async fetch(chart: ResolvedChart): Promise<Buffer> {
    const base = `${chart.repository.replace(/\/+$/, '')}/${chart.name}`;
    const pulled = this.archives.get(`${base}@${chart.version}`);
    if (pulled) return pulled;
    if (this.options.offline) throw new HelmSynthError(chart.url, 'is not in the chart cache, and --offline forbids pulling it');
    return (await pullChart(this.mirrored(base), { ...this.options, version: chart.version })).archive;
  }

  private mirrored(base: string): string {
    return (this.options.mirrors ?? RepositoryMirrors.NONE).apply(base);
  }

  private cached(base: string): CachedTags | undefined {
    const text = this.options.cache?.index(base)?.text;
    if (text === undefined) return undefined;
    try {
      const parsed = JSON.parse(text) as CachedTags;
      return Array.isArray(parsed.tags) && parsed.digests && typeof parsed.digests === 'object' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private store(base: string, tags: CachedTags): void {
    this.options.cache?.storeIndex(base, { text: `${JSON.stringify({ tags: [...tags.tags].sort(), digests: tags.digests })}\n` });
  }
}
