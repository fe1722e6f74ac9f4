import fc from 'fast-check';
import { HelmChart } from '../../src';
import { Testing } from '../../src/testing';
import { helmVersion, isSemVer, isSemVerRange } from '../../src/policy/versions';
import { expectHelmSynthError } from '../support/errors';

/** The regular expression semver.org gives for SemVer 2.0.0. */
const SEMVER_ORG =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const piece = fc.stringMatching(/^[0-9a-zA-Z.+-]{0,6}$/);
const number = fc.oneof(fc.constantFrom('0', '1', '01', '10', '999', ''), fc.nat({ max: 1_000_000 }).map(String));
const versionLike = fc
  .tuple(fc.constantFrom('', 'v', '=', ' '), number, number, number, piece)
  .map(([prefix, a, b, c, rest]) => `${prefix}${a}.${b}.${c}${rest}`);

describe('one SemVer check', () => {
  test("isSemVer accepts exactly what semver.org's expression accepts", () => {
    fc.assert(
      fc.property(versionLike, (version) => {
        expect(isSemVer(version)).toBe(SEMVER_ORG.test(version));
      }),
      { numRuns: 5000 },
    );
  });

  test("helmVersion reads Helm's loose forms as strict SemVer, and refuses what Helm refuses", () => {
    expect(helmVersion('v1.2')).toBe('1.2.0');
    expect(helmVersion('1')).toBe('1.0.0');
    expect(helmVersion('01.02.3')).toBe('1.2.3');
    expect(helmVersion('1.2.3-rc.1+b')).toBe('1.2.3-rc.1+b');
    for (const bad of ['', 'latest', '1.2.3.4', '1.2.3-01', 'v', '1..2']) expect(helmVersion(bad)).toBeUndefined();
  });

  test('ranges: only the syntax Masterminds/semver and node-semver read alike', () => {
    for (const good of ['>=1.27.0-0', '>=1.25.0-0 <1.31.0-0', '^1.2', '1.x || >=2.1', '1.2.3 - 1.4'])
      expect(isSemVerRange(good)).toBe(true);
    for (const bad of ['', ' ', '>=1.2, <2', '!=1.2.3', '~>1.2', '=>1.0', '=<1.0', 'latest', 3]) expect(isSemVerRange(bad)).toBe(false);
  });

  test('a bad chart version or kubeVersion names the construct and the value', () => {
    expectHelmSynthError(
      () => new HelmChart(Testing.app(), 'web', { version: 'v1.2.3' }),
      'web',
      'chart version "v1.2.3" is not a SemVer 2 version',
    );
    expectHelmSynthError(
      () => new HelmChart(Testing.app(), 'web', { version: '1.0.0', kubeVersion: '>=1.27, <1.30' }),
      'web',
      'kubeVersion ">=1.27, <1.30" is not a SemVer range',
    );
  });
});
