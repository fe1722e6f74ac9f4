import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChartCache } from './chart-cache';
import { archiveFileName } from './chart-content';
import { ChartSource, fetchVerifiedArchive, HttpChartRepository } from './chart-repository';
import { OciChartSource } from './oci-chart-source';
import { RegistryConnectionOptions } from './oci/registry-client';
import { RepositoryMirrors } from './repository-mirrors';
import { VersionRange } from './version-range';

/** Options of `downloadBaseline`. */
export interface BaselineDownloadOptions extends RegistryConnectionOptions {
  /** Where indexes, tags and archives are kept (the dependency cache). */
  readonly cache: ChartCache;
  /** Repository mirrors, as for `dependency build`. @default none */
  readonly mirrors?: RepositoryMirrors;
  /** Told when a cached index stands in for an unreachable repository, or an index lists no digest. @default nothing */
  readonly onNote?: (message: string) => void;
}

/** A chart downloaded as a baseline. */
export interface DownloadedBaselineChart {
  /** Chart name. */
  readonly name: string;
  /** The version downloaded: the highest the repository has. */
  readonly version: string;
  /** The archive written. */
  readonly file: string;
}

/** Whether a baseline names a chart repository (`http(s)://`) or an OCI registry (`oci://`) rather than a file or folder. */
export function isRemoteBaseline(baseline: string): boolean {
  return /^(https?|oci):\/\//.test(baseline);
}

/**
 * Downloads a remote baseline into `folder`: for each chart name, the highest version the chart
 * repository's index lists (`https://…`) or the registry's tags hold (`oci://HOST/PATH`, the chart
 * `oci://HOST/PATH/<name>`), prereleases left out as `helm install` does without `--devel`, each
 * archive checked as `dependency build` checks it and written as `<name>-<version>.tgz`. A chart
 * the repository lacks is left out (the check reports it as new). Mirrors and the cache apply as
 * for dependencies.
 */
export async function downloadBaseline(
  baseline: string,
  names: readonly string[],
  folder: string,
  options: BaselineDownloadOptions,
): Promise<DownloadedBaselineChart[]> {
  const mirrors = options.mirrors ?? RepositoryMirrors.NONE;
  const source: ChartSource = mirrors.apply(baseline).startsWith('oci://')
    ? new OciChartSource({ ...options, mirrors })
    : new HttpChartRepository({ cache: options.cache, mirrors, onNote: options.onNote });
  const released = VersionRange.parse('*', baseline);
  const downloaded: DownloadedBaselineChart[] = [];
  for (const name of [...new Set(names)]) {
    const resolved = await source.resolve(baseline, name, released);
    if (!resolved) continue;
    const { archive } = await fetchVerifiedArchive(source, resolved, options.cache, options.onNote);
    const file = join(folder, archiveFileName(resolved));
    writeFileSync(file, archive);
    downloaded.push({ name, version: resolved.version, file });
  }
  return downloaded;
}
