import { describeValue, HelmSynthError } from '../errors';
import { isSemVer, isSemVerRange } from '../policy/versions';
import { isDnsLabel } from '../tokens/checks';
import { describeText, hasToken } from '../tokens/token';

declare const chartNameBrand: unique symbol;
declare const semVerBrand: unique symbol;
declare const semVerRangeBrand: unique symbol;

/** A chart name: a DNS-1123 label (lower-case letters, digits, `-`), at most 53 characters. */
export type ChartName = string & { readonly [chartNameBrand]: true };
/** A SemVer 2 version string such as `1.2.3` or `1.0.0-rc.1+build.5`. */
export type SemVer = string & { readonly [semVerBrand]: true };
/** A SemVer range both Helm (Masterminds/semver) and node-semver read the same way, e.g. `>=1.27.0-0`. */
export type SemVerRange = string & { readonly [semVerRangeBrand]: true };

/** Checks a chart name. 53 characters leaves room for Helm's release-name suffixes. */
export function chartName(name: unknown, where: string): ChartName {
  if (hasToken(name))
    throw new HelmSynthError(where, `chart name ${describeText(name)} must be literal text: Chart.yaml holds no template expressions`);
  if (typeof name !== 'string' || !isDnsLabel(name, 53)) {
    throw new HelmSynthError(
      where,
      `chart name ${describeValue(name)} must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 53 characters`,
    );
  }
  return name as ChartName;
}

/** Checks a SemVer 2 version. */
export function semVer(version: unknown, where: string, what = 'chart version'): SemVer {
  if (!isSemVer(version)) {
    throw new HelmSynthError(where, `${what} ${describeValue(version)} is not a SemVer 2 version such as 1.2.3 or 1.0.0-rc.1`);
  }
  return version as SemVer;
}

/**
 * Checks a SemVer range such as Chart.yaml's `kubeVersion`: only the syntax Helm's Masterminds/semver
 * and node-semver read alike (`isSemVerRange`).
 */
export function semVerRange(range: unknown, where: string, what = 'kubeVersion'): SemVerRange {
  if (!isSemVerRange(range)) {
    throw new HelmSynthError(where, `${what} ${describeValue(range)} is not a SemVer range such as ">=1.27.0-0" or ">=1.25.0-0 <1.31.0-0"`);
  }
  return range as SemVerRange;
}
