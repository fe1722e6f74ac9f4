import { parse as parseSemver, satisfies, validRange } from 'semver';
import { describeValue, HelmSynthError } from '../errors';
import { helmVersion } from '../policy/versions';

/**
 * A dependency's version range (Chart.yaml `dependencies[].version`) as Helm's
 * Masterminds/semver v3 reads it, checked with node-semver. Masterminds-only syntax is rewritten
 * to what node-semver reads the same way: commas (AND) become spaces, `=>`/`=<` become `>=`/`<=`,
 * `~>` becomes `~`, and each `!=X` is kept aside and checked by equality. Prereleases follow
 * Masterminds: a version with a prerelease matches only when some comparator of the range has one
 * (node-semver alone would also require the same major.minor.patch).
 */
export class VersionRange {
  /**
   * Reads a range; a HelmSynthError at `where` when neither library would read it.
   *
   * @param where named in the error (the chart and dependency)
   */
  public static parse(range: string, where: string): VersionRange {
    const clauses = range.split('||').map((clause) => {
      const comparators = clause
        .replace(/,/g, ' ')
        .replace(/=>/g, '>=')
        .replace(/=</g, '<=')
        .replace(/~>/g, '~')
        .replace(/(!=|>=|<=|[<>=~^])\s+/g, '$1')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      const excluded = comparators.filter((c) => c.startsWith('!=')).map((c) => helmVersion(c.slice(2).trim()));
      const kept = comparators.filter((c) => !c.startsWith('!='));
      const text = kept.length ? kept.join(' ') : '*';
      if (excluded.some((version) => version === undefined) || validRange(text, { loose: true }) === null) {
        throw new HelmSynthError(
          where,
          `version ${describeValue(range)} is not a version range Helm reads, such as "1.2.3", "^1.2.0" or ">=1.0.0 <2.0.0"`,
        );
      }
      return { text, excluded: excluded as string[] };
    });
    return new VersionRange(range, clauses, /\d-[0-9A-Za-z]/.test(range));
  }

  private constructor(
    /** The range as written. */
    public readonly text: string,
    private readonly clauses: ReadonlyArray<{ readonly text: string; readonly excluded: readonly string[] }>,
    private readonly allowsPrerelease: boolean,
  ) {}

  /** Whether a chart version (as an index lists it) is in the range; versions Helm cannot read are not. */
  public matches(version: string): boolean {
    const normal = helmVersion(version);
    if (!normal) return false;
    if (!this.allowsPrerelease && parseSemver(normal)!.prerelease.length > 0) return false;
    return this.clauses.some(
      (clause) =>
        satisfies(normal, clause.text, { loose: true, includePrerelease: this.allowsPrerelease }) &&
        !clause.excluded.some((excluded) => parseSemver(excluded)!.compare(normal) === 0),
    );
  }

  /** The highest version in the range (Helm takes the first match of an index sorted newest first); undefined when none is. */
  public highest(versions: readonly string[]): string | undefined {
    const matching = versions.filter((version) => this.matches(version));
    return matching.sort((a, b) => parseSemver(helmVersion(b)!)!.compare(helmVersion(a)!))[0];
  }
}
