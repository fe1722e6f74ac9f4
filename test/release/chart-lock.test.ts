import { parse } from 'yaml';
import {
  ChartContent,
  chartDependencies,
  lockDigest,
  parseChartLock,
  renderChartLock,
  RepositoryMirrors,
  VersionRange,
} from '../../src/release/internal';
import { expectHelmSynthError } from '../support/errors';

function chartWith(dependencies: unknown): ChartContent {
  return {
    name: 'app',
    version: '1.0.0',
    metadata: { apiVersion: 'v2', name: 'app', version: '1.0.0', dependencies },
    files: new Map(),
    origin: 'dist/app',
  };
}

describe('Chart.lock', () => {
  test("the digest is Helm's resolver.HashReq: Helm's own test chart (import-values-from-enabled-subchart) and its Chart.lock agree", () => {
    // helm/helm pkg/chart/v2/util/testdata/import-values-from-enabled-subchart/parent-chart: Chart.yaml and Chart.lock
    const requested = chartDependencies(
      chartWith([
        {
          name: 'dev',
          repository: 'file://envs/dev',
          version: '>= 0.0.1',
          condition: 'dev.enabled,global.dev.enabled',
          tags: ['dev'],
          'import-values': ['data'],
        },
        {
          name: 'prod',
          repository: 'file://envs/prod',
          version: '>= 0.0.1',
          condition: 'prod.enabled,global.prod.enabled',
          tags: ['prod'],
          'import-values': ['data'],
        },
      ]),
    );
    const locked = [
      { name: 'dev', repository: 'file://envs/dev', version: 'v0.1.0' },
      { name: 'prod', repository: 'file://envs/prod', version: 'v0.1.0' },
    ];
    expect(lockDigest(requested, locked)).toBe('sha256:9403fc24f6cf9d6055820126cf7633b4bd1fed3c77e4880c674059f536346182');
  });

  test('the digest follows Go: field order of chart.Dependency whatever the YAML order, map keys of import-values sorted, HTML characters escaped', () => {
    const a = chartDependencies(
      chartWith([
        {
          alias: 'db',
          condition: 'db.enabled',
          repository: 'https://x',
          version: '>=1 <2',
          name: 'pg',
          'import-values': [{ parent: 'p', child: 'c' }],
        },
      ]),
    );
    const b = chartDependencies(
      chartWith([
        {
          name: 'pg',
          version: '>=1 <2',
          repository: 'https://x',
          condition: 'db.enabled',
          'import-values': [{ child: 'c', parent: 'p' }],
          alias: 'db',
        },
      ]),
    );
    const locked = [{ name: 'pg', version: '1.2.0', repository: 'https://x' }];
    expect(lockDigest(a, locked)).toBe(lockDigest(b, locked));
    expect(Object.keys(a[0])).toEqual(['name', 'version', 'repository', 'condition', 'import-values', 'alias']);
    expect(lockDigest(a, locked)).not.toBe(lockDigest(a, [{ ...locked[0], version: '1.2.1' }]));
  });

  test('Chart.yaml strings are sanitized as Helm loads them: white space becomes a space, unprintable characters go', () => {
    const [dependency] = chartDependencies(
      chartWith([{ name: 'pg', version: '1.0.0\t', repository: 'https://x\u0007', condition: 'a\u00a0b' }]),
    );
    expect(dependency).toEqual({ name: 'pg', version: '1.0.0 ', repository: 'https://x', condition: 'a b' });
  });

  test('bad dependencies are refused naming the entry', () => {
    expectHelmSynthError(
      () => chartDependencies(chartWith([{ name: 'pg', version: 1 }])),
      'dist/app/Chart.yaml dependencies[0]',
      'version must be a string',
    );
    expectHelmSynthError(() => chartDependencies(chartWith({ name: 'pg' })), 'dist/app/Chart.yaml', 'dependencies must be a list');
  });

  test("rendered as Helm's yaml.Marshal writes it: keys sorted, list not indented, the time quoted; read back unchanged", () => {
    const lock = {
      dependencies: [{ name: 'postgresql', version: '17.1.0', repository: 'oci://registry-1.docker.io/bitnamicharts' }],
      digest: 'sha256:ab',
      generated: '1970-01-01T00:00:00Z',
    };
    const text = renderChartLock(lock);
    expect(text).toBe(
      'dependencies:\n- name: postgresql\n  repository: oci://registry-1.docker.io/bitnamicharts\n  version: 17.1.0\ndigest: sha256:ab\ngenerated: "1970-01-01T00:00:00Z"\n',
    );
    expect(parseChartLock(text, 'Chart.lock')).toEqual(lock);
    expect(parse(text, { version: '1.1' }).generated).toBe('1970-01-01T00:00:00Z');
  });
});

describe('VersionRange (Masterminds/semver v3 as Helm resolves dependencies)', () => {
  const versions = ['0.9.0', '1.0.0', '1.2.3', '1.2.10', '1.3.0-rc.1', '1.3.0', '2.0.0-beta.1', '2.0.0', 'v2.1', '10.8.0', 'latest'];
  const cases: Array<[string, string | undefined]> = [
    ['1.2.3', '1.2.3'],
    ['^1.2.0', '1.3.0'],
    ['~1.2.0', '1.2.10'],
    ['>=1.0.0 <2.0.0', '1.3.0'],
    ['>=1.0.0, <2.0.0', '1.3.0'],
    ['>= 1.0.0 < 2.0.0', '1.3.0'],
    ['=>1.0.0 =<1.2.3', '1.2.3'],
    ['~>1.2', '1.2.10'],
    ['1.2.x', '1.2.10'],
    ['1.2', '1.2.10'],
    ['*', '10.8.0'],
    ['>=1.0.0 !=1.3.0 <2.0.0', '1.2.10'],
    ['<1.0.0 || >=2.0.0 <3.0.0', '2.1'.replace(/^/, 'v')],
    ['>=2.0.0-0 <2.0.1', '2.0.0'],
    ['2.0.0-beta.1', '2.0.0-beta.1'],
    ['>=1.3.0-0 <1.4.0', '1.3.0'],
    ['1.0.0 - 1.2.3', '1.2.3'],
    ['^0.9', '0.9.0'],
    ['>=11.0.0', undefined],
  ];
  test.each(cases)('%s picks %s', (range, expected) => {
    expect(VersionRange.parse(range, 'dep').highest(versions)).toBe(expected);
  });

  test('prereleases only match ranges that name one (Masterminds), also of another patch than node-semver allows', () => {
    expect(VersionRange.parse('>=1.0.0', 'dep').matches('1.3.0-rc.1')).toBe(false);
    expect(VersionRange.parse('>=1.2.3-0', 'dep').matches('1.3.0-rc.1')).toBe(true);
  });

  test('ranges neither library reads are refused naming the dependency', () => {
    expectHelmSynthError(() => VersionRange.parse('>>1', 'app: dependency pg'), 'app: dependency pg', 'not a version range Helm reads');
    expectHelmSynthError(() => VersionRange.parse('!=abc', 'dep'), 'dep', '"!=abc"');
  });

  test('generated cases: an exact version picks itself; ^x picks a version in its range that no matching version exceeds', () => {
    let seed = 19;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const version = () => `${next(4)}.${next(4)}.${next(4)}${next(5) === 0 ? `-rc.${next(3)}` : ''}`;
    for (let run = 0; run < 500; run++) {
      const picked = version().replace(/-.*/, '');
      const others = Array.from({ length: next(8) }, version);
      expect(VersionRange.parse(picked, 'dep').highest([...others, picked])).toBe(picked);
      const caret = VersionRange.parse(`^${picked}`, 'dep');
      const highest = caret.highest(others);
      const matching = others.filter((other) => caret.matches(other));
      expect(highest === undefined).toBe(matching.length === 0);
      if (highest === undefined) continue;
      expect(highest).not.toContain('-');
      for (const other of matching) expect(VersionRange.parse(`>=${other}`, 'dep').matches(highest)).toBe(true);
    }
  });
});

describe('RepositoryMirrors', () => {
  const mirrors = RepositoryMirrors.fromRecord(
    { 'https://charts.bitnami.com/bitnami': 'http://127.0.0.1:9/b/', 'https://charts.bitnami.com': 'http://127.0.0.1:9/all' },
    'cdk8s.yaml',
  );
  test('the longest repository prefix wins, on whole path segments; other URLs stay', () => {
    expect(mirrors.apply('https://charts.bitnami.com/bitnami')).toBe('http://127.0.0.1:9/b');
    expect(mirrors.apply('https://charts.bitnami.com/bitnami/postgresql-10.8.0.tgz')).toBe('http://127.0.0.1:9/b/postgresql-10.8.0.tgz');
    expect(mirrors.apply('https://charts.bitnami.com/bitnami2/x.tgz')).toBe('http://127.0.0.1:9/all/bitnami2/x.tgz');
    expect(mirrors.apply('https://example.com/charts')).toBe('https://example.com/charts');
  });

  test('the environment form: FROM=TO pairs separated by commas or white space; its entries win over cdk8s.yaml', () => {
    const env = RepositoryMirrors.fromEnvironment(
      ' oci://registry-1.docker.io/bitnamicharts=http://127.0.0.1:9/oci ,\nhttps://charts.bitnami.com/bitnami=http://10.0.0.1/b',
    );
    expect(env.apply('oci://registry-1.docker.io/bitnamicharts')).toBe('http://127.0.0.1:9/oci');
    expect(mirrors.with(env).apply('https://charts.bitnami.com/bitnami/x.tgz')).toBe('http://10.0.0.1/b/x.tgz');
    expect(RepositoryMirrors.fromEnvironment('').apply('https://a/b')).toBe('https://a/b');
  });

  test('malformed mirrors are refused naming where they come from', () => {
    expectHelmSynthError(() => RepositoryMirrors.fromEnvironment('https://a'), 'HELM_SYNTH_REPOSITORY_MIRRORS', 'FROM=TO', '"https://a"');
    expectHelmSynthError(() => RepositoryMirrors.fromRecord({ 'https://a': 5 }, 'cdk8s.yaml'), 'cdk8s.yaml', '"https://a" -> 5');
    expectHelmSynthError(() => RepositoryMirrors.fromRecord(['x'], 'cdk8s.yaml'), 'cdk8s.yaml', 'must be a map');
  });
});
