/**
 * The one SemVer check of helm-synth, on node-semver (loaded on first use): chart versions written
 * strictly, versions as Helm's Masterminds/semver reads them, and ranges both libraries read alike.
 */
function semver(): typeof import('semver') {
  return require('semver') as typeof import('semver');
}

/** True for a SemVer 2 version written strictly (`1.2.3`, `1.0.0-rc.1+build.5`): no `v`, no missing part, no leading zero. */
export function isSemVer(version: unknown): version is string {
  if (typeof version !== 'string') return false;
  const parsed = semver().parse(version);
  return parsed !== null && `${parsed.version}${parsed.build.length ? `+${parsed.build.join('.')}` : ''}` === version;
}

/**
 * A chart version as Masterminds/semver (Helm's `semver.NewVersion`) reads it, written as strict
 * SemVer: a `v` prefix, a missing minor or patch and leading zeros in them are allowed (`v1.02` is
 * `1.2.0`); undefined when Helm would not read it as a version either.
 */
export function helmVersion(version: string): string | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!match) return undefined;
  const [major, minor, patch] = [match[1], match[2] ?? '0', match[3] ?? '0'].map((n) => BigInt(n).toString());
  const normal = `${major}.${minor}.${patch}${match[4] ?? ''}${match[5] ?? ''}`;
  return isSemVer(normal) ? normal : undefined;
}

/**
 * True for a SemVer range Helm (Masterminds/semver) and node-semver read the same way: comparators
 * `=`, `<`, `>`, `<=`, `>=`, `~`, `^`, `x` wildcards, hyphen ranges, spaces for AND, `||`.
 * Masterminds-only forms (`!=`, `~>`, `=>`, `=<`, commas) are refused rather than misread.
 */
export function isSemVerRange(range: unknown): range is string {
  return typeof range === 'string' && range.trim() !== '' && !/[,!]|~>|=>|=</.test(range) && semver().validRange(range) !== null;
}
