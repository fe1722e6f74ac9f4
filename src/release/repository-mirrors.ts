import { describeValue, HelmSynthError } from '../errors';

/** The environment variable that maps repositories to mirrors: `FROM=TO` pairs separated by commas or white space. */
export const MIRRORS_ENV = 'HELM_SYNTH_REPOSITORY_MIRRORS';

/**
 * Repository mirrors: each maps a repository URL (and every URL below it) to another, for teams
 * behind a firewall and for tests that serve a real repository's charts locally. A mirror of an
 * `oci://` repository may be an HTTP chart repository and the other way round. The longest
 * matching prefix wins; a prefix matches a whole path segment (`https://a/charts` maps
 * `https://a/charts/x.tgz`, not `https://a/charts2`). Chart.lock keeps the original URL.
 */
export class RepositoryMirrors {
  /** No mirrors. */
  public static readonly NONE = new RepositoryMirrors(new Map());

  /**
   * Mirrors from a map of URL to URL (cdk8s.yaml `dependencies.repositoryMirrors`).
   *
   * @param where named in errors (the file and key)
   */
  public static fromRecord(record: unknown, where: string): RepositoryMirrors {
    if (record === undefined || record === null) return RepositoryMirrors.NONE;
    if (typeof record !== 'object' || Array.isArray(record)) {
      throw new HelmSynthError(where, `must be a map of repository URL to mirror URL; got ${describeValue(record)}`);
    }
    return new RepositoryMirrors(new Map(Object.entries(record).map(([from, to]) => checkedPair(from, to, where))));
  }

  /**
   * Mirrors from the environment variable's text: `FROM=TO` pairs separated by commas or white
   * space (the first `=` of a pair separates the URLs, so FROM cannot hold one).
   */
  public static fromEnvironment(text: string | undefined): RepositoryMirrors {
    if (text === undefined || text.trim() === '') return RepositoryMirrors.NONE;
    const pairs = text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new HelmSynthError(MIRRORS_ENV, `each entry must be FROM=TO; got ${describeValue(pair)}`);
        return checkedPair(pair.slice(0, at), pair.slice(at + 1), MIRRORS_ENV);
      });
    return new RepositoryMirrors(new Map(pairs));
  }

  private constructor(private readonly mirrors: ReadonlyMap<string, string>) {}

  /** These mirrors, with `other`'s taking precedence for the same repository. */
  public with(other: RepositoryMirrors): RepositoryMirrors {
    return new RepositoryMirrors(new Map([...this.mirrors, ...other.mirrors]));
  }

  /** The URL to fetch for `url`: its mirror when one of the repositories holds it, else `url`. */
  public apply(url: string): string {
    let best: [string, string] | undefined;
    for (const [from, to] of this.mirrors) {
      const below = url === from || url.startsWith(`${from}/`);
      if (below && (!best || from.length > best[0].length)) best = [from, to];
    }
    if (!best) return url;
    const rest = url.slice(best[0].length).replace(/^\//, '');
    return rest ? `${best[1].replace(/\/+$/, '')}/${rest}` : best[1];
  }
}

function checkedPair(from: string, to: unknown, where: string): [string, string] {
  const url = /^(https?|oci):\/\/[^\s]+$/;
  if (!url.test(from) || typeof to !== 'string' || !url.test(to)) {
    throw new HelmSynthError(
      where,
      `a mirror maps an http(s):// or oci:// repository URL to another; got ${describeValue(from)} -> ${describeValue(to)}`,
    );
  }
  return [from.replace(/\/+$/, ''), to.replace(/\/+$/, '')];
}
