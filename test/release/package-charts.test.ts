import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { archiveDigest, chartDirectories, defaultCreated, normalizeCreated, packageCharts, WriteStatus } from '../../src/release/internal';
import { removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { expectHelmSynthError } from '../support/errors';

const CREATED = '2024-05-01T12:00:00Z';

describe('helm-synth package: archives and index.yaml', () => {
  let work: string;
  let output: string;
  let repo: string;
  beforeEach(() => {
    work = tempFolder();
    output = join(work, 'dist');
    repo = join(work, 'repo');
    writeFixtureChart(output, {
      name: 'web',
      version: '1.0.0',
      metadata: {
        appVersion: '2.3.4',
        description: 'The web tier.',
        home: 'https://example.com',
        keywords: ['web'],
        kubeVersion: '>=1.25.0-0',
        maintainers: [{ name: 'Platform', email: 'p@example.com' }],
        annotations: { 'example.com/team': 'platform' },
        dependencies: [
          { name: 'cache', version: '2.0.0', repository: 'oci://example.com/charts', condition: 'cache.enabled', alias: 'redis' },
        ],
        icon: '',
        deprecated: false,
      },
      templates: { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n' },
      files: { 'charts/cache/Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 2.0.0\n' },
    });
    writeFixtureChart(output, {
      name: 'api',
      version: '0.1.0',
      metadata: { apiVersion: 'v1' },
      files: {
        'requirements.yaml': 'dependencies:\n- name: pg\n  version: 1.0.0\n  repository: https://charts.example.com\n',
        'charts/pg/Chart.yaml': 'apiVersion: v1\nname: pg\nversion: 1.0.0\n',
      },
    });
    writeFileSync(join(output, '.helm-synth.json'), '{"files":[]}\n');
  });
  afterEach(() => removeFolder(work));

  const pack = (options: { merge?: boolean; created?: string; baseline?: string } = {}) =>
    packageCharts(chartDirectories(output), { destination: repo, created: CREATED, ...options });
  const index = () => parse(readFileSync(join(repo, 'index.yaml'), 'utf8'));
  const bump = (version: string, change = 'v2') =>
    writeFixtureChart(output, {
      name: 'web',
      version,
      templates: { 'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-${change}\n` },
    });

  test("one <name>-<version>.tgz per chart directory (the output writer's manifest is not a chart); digest = sha256 of the archive", () => {
    const result = pack();
    expect(result.charts.map((c) => [c.name, c.version, c.status])).toEqual([
      ['api', '0.1.0', WriteStatus.WRITTEN],
      ['web', '1.0.0', WriteStatus.WRITTEN],
    ]);
    for (const chart of result.charts) expect(chart.digest).toBe(archiveDigest(readFileSync(chart.file)));
    expect(existsSync(join(repo, 'web-1.0.0.tgz'))).toBe(true);
    expect(existsSync(join(repo, 'api-0.1.0.tgz'))).toBe(true);
  });

  test("index.yaml: apiVersion v1, entries with Helm's Chart.yaml metadata, urls, digest, created; generated reproducible", () => {
    pack();
    const text = readFileSync(join(repo, 'index.yaml'), 'utf8');
    const data = parse(text);
    expect(Object.keys(data)).toEqual(['apiVersion', 'entries', 'generated']);
    expect(data.apiVersion).toBe('v1');
    expect(data.generated).toBe(CREATED);
    expect(data.entries.web).toEqual([
      {
        annotations: { 'example.com/team': 'platform' },
        apiVersion: 'v2',
        appVersion: '2.3.4',
        created: CREATED,
        dependencies: [
          { alias: 'redis', condition: 'cache.enabled', name: 'cache', repository: 'oci://example.com/charts', version: '2.0.0' },
        ],
        description: 'The web tier.',
        digest: archiveDigest(readFileSync(join(repo, 'web-1.0.0.tgz'))),
        home: 'https://example.com',
        keywords: ['web'],
        kubeVersion: '>=1.25.0-0',
        maintainers: [{ email: 'p@example.com', name: 'Platform' }],
        name: 'web',
        type: 'application',
        urls: ['web-1.0.0.tgz'],
        version: '1.0.0',
      },
    ]);
    expect(data.entries.api[0]).toMatchObject({
      apiVersion: 'v1',
      dependencies: [{ name: 'pg', version: '1.0.0', repository: 'https://charts.example.com' }],
    });
    expect(text).toContain('created: "2024-05-01T12:00:00Z"');
    expect(text).toMatch(/\n {2}web:\n {2}- annotations:/);
  });

  test('a rerun writes nothing: archives and index byte-identical, files untouched', () => {
    pack();
    const before = ['web-1.0.0.tgz', 'api-0.1.0.tgz', 'index.yaml'].map((f) => join(repo, f));
    for (const file of before) utimesSync(file, new Date(1000), new Date(1000));
    const bytes = before.map((file) => readFileSync(file));
    const result = pack();
    expect(result.charts.every((c) => c.status === WriteStatus.UNCHANGED)).toBe(true);
    expect(result.indexStatus).toBe(WriteStatus.UNCHANGED);
    before.forEach((file, i) => {
      expect(readFileSync(file).equals(bytes[i])).toBe(true);
      expect(statSync(file).mtimeMs).toBe(1000);
    });
  });

  test('created: --created, else SOURCE_DATE_EPOCH, else the epoch; other ISO forms normalized to UTC', () => {
    expect(normalizeCreated('2024-05-01T14:00:00+02:00')).toBe(CREATED);
    expect(normalizeCreated('2024-05-01T12:00:00.250Z')).toBe('2024-05-01T12:00:00.25Z');
    expect(defaultCreated({ SOURCE_DATE_EPOCH: '1714564800' })).toBe(CREATED);
    expect(defaultCreated({})).toBe('1970-01-01T00:00:00Z');
    expectHelmSynthError(() => normalizeCreated('yesterday'), '--created', '"yesterday"');
    expectHelmSynthError(() => defaultCreated({ SOURCE_DATE_EPOCH: 'soon' }), 'SOURCE_DATE_EPOCH', '"soon"');
  });

  test('--created is checked on the calendar: every day of months 0 to 13 of leap and common years, times of day and offsets', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    let accepted = 0;
    for (const year of [1900, 1999, 2000, 2023, 2024, 2100]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T00:00:00Z`;
          const probe = new Date(Date.UTC(year, month - 1, day));
          const exists = month >= 1 && month <= 12 && day >= 1 && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
          if (exists) {
            expect(normalizeCreated(text)).toBe(text);
            expect(normalizeCreated(text.slice(0, 10))).toBe(text);
            accepted++;
          } else {
            expectHelmSynthError(() => normalizeCreated(text), '--created', JSON.stringify(text), 'not a calendar date');
          }
        }
      }
    }
    expect(accepted).toBe(4 * 365 + 2 * 366);
    expectHelmSynthError(() => normalizeCreated('2024-02-30T00:00:00Z'), '--created', '2024-02 has no day 30');
    for (const [time, problem] of [
      ['2024-05-01T24:00:00Z', 'not a time of day'],
      ['2024-05-01T12:60:00Z', 'not a time of day'],
      ['2024-05-01T12:00:60Z', 'not a time of day'],
      ['2024-05-01T12:00:00+24:00', 'UTC offset'],
      ['2024-05-01T12:00:00+02:60', 'UTC offset'],
    ]) {
      expectHelmSynthError(() => normalizeCreated(time), '--created', JSON.stringify(time), problem);
    }
    expect(normalizeCreated('2024-05-01T23:59:59-00:30')).toBe('2024-05-02T00:29:59Z');
    expect(normalizeCreated('2024-05-01T12:00:00')).toBe(CREATED);
  });

  test('--merge keeps entries of other versions, adds the new one newest first, and keeps the created of an identical version', () => {
    pack();
    bump('1.1.0');
    pack({ merge: true, created: '2024-06-01T00:00:00Z' });
    const data = index();
    expect(data.entries.web.map((e: { version: string; created: string }) => [e.version, e.created])).toEqual([
      ['1.1.0', '2024-06-01T00:00:00Z'],
      ['1.0.0', CREATED],
    ]);
    expect(data.entries.api.map((e: { created: string }) => e.created)).toEqual([CREATED]);
    expect(data.generated).toBe('2024-06-01T00:00:00Z');
    bump('1.10.0', 'v3');
    pack({ merge: true, created: '2024-07-01T00:00:00Z' });
    expect(index().entries.web.map((e: { version: string }) => e.version)).toEqual(['1.10.0', '1.1.0', '1.0.0']);
  });

  test("without --merge the index lists this run's charts only", () => {
    pack();
    bump('1.1.0');
    pack();
    expect(index().entries.web.map((e: { version: string }) => e.version)).toEqual(['1.1.0']);
  });

  test("--merge: the same version in the index with another digest is the version guard's error", () => {
    pack();
    const indexFile = join(repo, 'index.yaml');
    writeFileSync(indexFile, readFileSync(indexFile, 'utf8').replace(/digest: \w+\n(\s+home)/, 'digest: abc123\n$1'));
    removeFolder(join(repo, 'web-1.0.0.tgz'));
    expectHelmSynthError(() => pack({ merge: true }), 'web', 'version 1.0.0 is already in', 'digest "abc123"', 'bump the version');
  });

  test('version guard: the same version with a changed file fails naming the chart and the files, and writes nothing', () => {
    pack();
    const indexBefore = readFileSync(join(repo, 'index.yaml'));
    bump('1.0.0');
    writeFileSync(join(output, 'web', 'NOTES.txt'), 'new');
    const error = expectHelmSynthError(
      () => pack(),
      repo,
      'web: version 1.0.0 is already released as',
      'web-1.0.0.tgz',
      'Chart.yaml (changed)',
      'NOTES.txt (added)',
      'templates/cm.yaml (changed)',
      'bump the version',
    );
    expect(error.message).not.toContain('api');
    expect(readFileSync(join(repo, 'index.yaml')).equals(indexBefore)).toBe(true);
  });

  test('version guard: a bumped version is fine and the released archive stays', () => {
    pack();
    const released = readFileSync(join(repo, 'web-1.0.0.tgz'));
    bump('1.0.1');
    const result = pack({ merge: true });
    expect(result.charts.find((c) => c.name === 'web')!.status).toBe(WriteStatus.WRITTEN);
    expect(readFileSync(join(repo, 'web-1.0.0.tgz')).equals(released)).toBe(true);
  });

  test('version guard against --baseline (a folder of archives): same version, other files fails; identical passes', () => {
    pack();
    const baseline = repo;
    repo = join(work, 'other-repo');
    expect(pack({ baseline }).charts).toHaveLength(2);
    bump('1.0.0');
    expectHelmSynthError(() => pack({ baseline }), repo, `${join(baseline, 'web-1.0.0.tgz')}`, 'templates/cm.yaml (changed)');
  });

  test('version guard: Chart.lock counts as changed only when more than its generated time differs', () => {
    const lock = (version: string, generated: string) =>
      `dependencies:\n- name: cache\n  repository: oci://example.com/charts\n  version: ${version}\ndigest: sha256:ab\ngenerated: "${generated}"\n`;
    writeFileSync(join(output, 'web', 'Chart.lock'), lock('2.0.0', '2024-01-01T00:00:00Z'));
    pack();
    writeFileSync(join(output, 'web', 'Chart.lock'), lock('2.0.0', '2025-06-01T00:00:00Z'));
    expect(pack({ merge: true }).charts.find((c) => c.name === 'web')!.status).toBe(WriteStatus.UNCHANGED);
    writeFileSync(join(output, 'web', 'Chart.lock'), lock('2.0.1', '2025-06-01T00:00:00Z'));
    expectHelmSynthError(() => pack({ merge: true }), repo, 'web: version 1.0.0 is already released', 'Chart.lock (changed)');
  });

  test('SOURCE_DATE_EPOCH moves index.yaml created, never the archive bytes (entries keep mtime 0: the digest depends on the files alone)', () => {
    const before = process.env.SOURCE_DATE_EPOCH;
    try {
      process.env.SOURCE_DATE_EPOCH = '1700000000';
      const first = packageCharts(chartDirectories(output), { destination: join(work, 'a') });
      process.env.SOURCE_DATE_EPOCH = '1800000000';
      const second = packageCharts(chartDirectories(output), { destination: join(work, 'b') });
      expect(second.charts.map((c) => c.digest)).toEqual(first.charts.map((c) => c.digest));
      expect(readFileSync(join(work, 'a', 'index.yaml'), 'utf8')).toContain('created: "2023-11-14T22:13:20Z"');
      expect(readFileSync(join(work, 'b', 'index.yaml'), 'utf8')).toContain('created: "2027-01-15T08:00:00Z"');
    } finally {
      if (before === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = before;
    }
  });

  test('two chart directories with one name and version are refused', () => {
    writeFixtureChart(output, { name: 'web', version: '1.0.0' }, 'web-copy');
    expectHelmSynthError(() => pack(), join(output, 'web-copy'), 'web 1.0.0 is also in');
  });
});
