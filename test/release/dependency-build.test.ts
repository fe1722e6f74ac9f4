import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  ArchiveOrigin,
  buildDependencies,
  ChartCache,
  chartDependencies,
  lockDigest,
  packageCharts,
  parseChartLock,
  readChartDirectory,
  RepositoryMirrors,
  WriteStatus,
} from '../../src/release/internal';
import { HelmRunner } from '../../src/helm';
import { Testing } from '../../src/testing';
import { removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { ChartRepositoryServer } from '../support/chart-repository-server';
import { SHARED_CHARTS } from '../support/dependencies';
import { expectHelmSynthError } from '../support/errors';
import { reportMissingTool } from '../support/tools';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');
const BITNAMI = join(SHARED_CHARTS, 'bitnami');
const haveBitnami = ['10.8.0', '17.1.0'].every((version) => existsSync(join(BITNAMI, `postgresql-${version}`)));
if (!haveBitnami) reportMissingTool(`bitnami/postgresql 10.8.0 and 17.1.0 are not in ${BITNAMI}: dependency build tests skipped`);
const describeWithBitnami = haveBitnami ? describe : describe.skip;

/** The repositories the seed's charts name, which tests must never reach: each is mapped to the local server. */
const REAL_REPOSITORIES = [
  'oci://registry-1.docker.io/bitnamicharts',
  'https://raw.githubusercontent.com/bitnami/charts/archive-full-index/bitnami',
  'https://charts.bitnami.com/bitnami',
];

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function files(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describeWithBitnami('helm-synth dependency build, package and render of the seed charts (local chart repository)', () => {
  let work: string;
  let server: ChartRepositoryServer;
  let env: NodeJS.ProcessEnv;
  const postgresql = () => ['10.8.0', '17.1.0'].map((version) => readChartDirectory(join(BITNAMI, `postgresql-${version}`)));
  beforeAll(async () => {
    work = tempFolder();
    server = await ChartRepositoryServer.start(postgresql());
    env = {
      HELM_SYNTH_REPOSITORY_MIRRORS: REAL_REPOSITORIES.map((url) => `${url}=${server.url}`).join(' '),
      HELM_SYNTH_CACHE_DIR: join(work, 'cache'),
      SOURCE_DATE_EPOCH: '1700000000',
    };
    expect(spawnSync(process.execPath, [CLI, 'synth', '--output', join(work, 'dist')], { cwd: ROOT, encoding: 'utf8' }).status).toBe(0);
  });
  afterAll(async () => {
    await server.stop();
    removeFolder(work);
  });

  test('tks-contract-with-db: dependency build, package, and the unpacked archive renders with no other step; offline from the cache', async () => {
    const dist = join(work, 'dist');
    const chartDir = join(dist, 'tks-contract-with-db');
    const built = await cli(ROOT, ['dependency', 'build', '--output', dist, 'tks-contract-with-db', 'decapod-db'], env);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(built.stdout).toContain(`${chartDir}: charts/postgresql-17.1.0.tgz (downloaded, written); Chart.lock (written)`);
    expect(built.stdout).toContain(`${join(dist, 'decapod-db')}: charts/postgresql-10.8.0.tgz (downloaded, written); Chart.lock (written)`);
    expect(server.requests.every((path) => path.startsWith('/charts/'))).toBe(true);
    expect(files(join(chartDir, 'charts'))).toEqual(['postgresql-17.1.0.tgz']);
    expect(readFileSync(join(chartDir, 'charts', 'postgresql-17.1.0.tgz')).equals(server.archives.get('postgresql-17.1.0.tgz')!)).toBe(
      true,
    );
    const lockText = readFileSync(join(chartDir, 'Chart.lock'), 'utf8');
    const lock = parseChartLock(lockText, 'Chart.lock');
    expect(lock.dependencies).toEqual([{ name: 'postgresql', version: '17.1.0', repository: 'oci://registry-1.docker.io/bitnamicharts' }]);
    expect(lock.digest).toBe(lockDigest(chartDependencies(readChartDirectory(chartDir)), lock.dependencies));
    expect(lockText).toContain('generated: "2023-11-14T22:13:20Z"\n');
    expect(files(join(dist, 'web-app'))).not.toContain('Chart.lock');

    const packaged = await cli(ROOT, ['package', '--output', dist, '--destination', join(work, 'repo'), 'tks-contract-with-db'], env);
    expect(packaged.stderr).toBe('');
    expect(files(join(work, 'repo'))).toEqual(['index.yaml', 'tks-contract-with-db-0.1.0.tgz']);
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(work, 'repo', 'tks-contract-with-db-0.1.0.tgz'), '-C', unpacked]);
    expect(files(join(unpacked, 'tks-contract-with-db', 'charts'))).toEqual(['postgresql']);
    expect(files(join(unpacked, 'tks-contract-with-db', 'charts', 'postgresql', 'charts'))).toEqual(['common']);
    expect(existsSync(join(unpacked, 'tks-contract-with-db', 'Chart.lock'))).toBe(true);
    if (!HelmRunner.find()) reportMissingTool('no helm and no HELM_BIN: the render of the unpacked archive is skipped');
    else {
      const rendered = Testing.render(join(unpacked, 'tks-contract-with-db'), {
        releaseName: 'shop',
        namespace: 'tks',
        set: { 'database.password': 'x', 'postgresql.auth.postgresPassword': 'y' },
      });
      expect(rendered.find('StatefulSet').metadata.name).toBe('shop-postgresql');
      expect(rendered.all('Job').length).toBeGreaterThan(0);
    }

    const resynth = spawnSync(process.execPath, [CLI, 'synth', '--output', dist], { cwd: ROOT, encoding: 'utf8' });
    expect(resynth.status).toBe(0);
    expect(files(join(chartDir, 'charts'))).toEqual(['postgresql-17.1.0.tgz']);
    expect(readFileSync(join(chartDir, 'Chart.lock'), 'utf8')).toBe(lockText);

    const again = await cli(ROOT, ['dependency', 'build', '--output', dist, 'tks-contract-with-db'], {
      ...env,
      SOURCE_DATE_EPOCH: '1800000000',
    });
    expect(again.stdout).toContain('charts/postgresql-17.1.0.tgz (cached, unchanged); Chart.lock (unchanged)');
    expect(readFileSync(join(chartDir, 'Chart.lock'), 'utf8')).toBe(lockText);

    await server.stop();
    rmSync(join(chartDir, 'charts'), { recursive: true });
    const offline = await cli(ROOT, ['dependency', 'build', '--output', dist, 'tks-contract-with-db'], env);
    expect(offline.stderr).toBe('');
    expect(offline.status).toBe(0);
    expect(offline.stdout).toContain(
      `note: oci://registry-1.docker.io/bitnamicharts: cannot be reached (ECONNREFUSED); using the cached index`,
    );
    expect(offline.stdout).toContain('charts/postgresql-17.1.0.tgz (cached, written)');
    expect(readFileSync(join(chartDir, 'charts', 'postgresql-17.1.0.tgz')).equals(server.archives.get('postgresql-17.1.0.tgz')!)).toBe(
      true,
    );
    const explicit = await cli(ROOT, ['dependency', 'build', '--output', dist, '--offline', 'decapod-db'], env);
    expect(explicit.stdout).toContain(
      'note: https://raw.githubusercontent.com/bitnami/charts/archive-full-index/bitnami: offline; using the cached index',
    );
    const emptyCache = await cli(
      ROOT,
      ['dependency', 'build', '--output', dist, '--offline', '--cache', join(work, 'nothing'), 'decapod-db'],
      env,
    );
    expect(emptyCache.status).toBe(1);
    expect(emptyCache.stderr).toContain('offline, and the chart cache');
  });

  test('package refuses a chart whose dependencies are missing, in one line naming them and the command', async () => {
    const dist = join(work, 'dist-missing');
    expect(spawnSync(process.execPath, [CLI, 'synth', '--output', dist], { cwd: ROOT, encoding: 'utf8' }).status).toBe(0);
    const result = await cli(ROOT, ['package', '--output', dist, '--destination', join(work, 'repo-missing')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'decapod-db: dependencies missing from charts/: postgresql 10.8.0 from https://raw.githubusercontent.com/bitnami/charts/archive-full-index/bitnami; run helm-synth dependency build decapod-db',
    );
    expect(result.stderr).toContain(
      'tks-contract-with-db: dependencies missing from charts/: postgresql 17.1.0 from oci://registry-1.docker.io/bitnamicharts',
    );
    expect(existsSync(join(work, 'repo-missing'))).toBe(false);
    const named = await cli(ROOT, ['package', '--output', dist, '--destination', join(work, 'repo-missing'), 'web-app', 'nope']);
    expect(named.stderr).toContain('package: no chart nope in');
  });
});

describeWithBitnami('buildDependencies (fixture charts, local repository)', () => {
  let work: string;
  let server: ChartRepositoryServer;
  let cache: ChartCache;
  const pg = () => readChartDirectory(join(BITNAMI, 'postgresql-10.8.0'));
  const app = (dependencies: unknown[], dir = 'app') =>
    writeFixtureChart(join(work, 'dist'), { name: 'app', version: '1.0.0', metadata: { dependencies } }, dir);
  const mirrors = () => RepositoryMirrors.fromRecord({ 'https://charts.example.com/stable': server.url }, 'test');
  beforeEach(async () => {
    work = tempFolder();
    server = await ChartRepositoryServer.start([pg()]);
    cache = new ChartCache(join(work, 'cache'));
  });
  afterEach(async () => {
    await server.stop();
    removeFolder(work);
  });

  test('an archive whose bytes differ from the index digest is refused; nothing is written or cached', async () => {
    const dir = app([{ name: 'postgresql', version: '10.x', repository: 'https://charts.example.com/stable' }]);
    const tampered = Buffer.from(server.archives.get('postgresql-10.8.0.tgz')!);
    tampered[tampered.length - 10] ^= 1;
    server.archives.set('postgresql-10.8.0.tgz', tampered);
    await expect(buildDependencies([dir], { cache, mirrors: mirrors() })).rejects.toThrow(
      /postgresql-10\.8\.0\.tgz: digest mismatch: postgresql 10\.8\.0 has sha256 [0-9a-f]{64}, and its repository's index says [0-9a-f]{64}; refusing it/,
    );
    expect(files(dir)).toEqual(['Chart.yaml', 'values.yaml']);
    expect(files(join(work, 'dist'))).toEqual(['app']);
    expect(readdirSync(join(work, 'cache'), { recursive: true }).filter((f) => String(f).endsWith('.tgz'))).toEqual([]);
  });

  test('a range resolves to the highest listed version; absolute index URLs and basic auth go through the mirror', async () => {
    await server.stop();
    server = await ChartRepositoryServer.start([pg()], { absoluteUrls: 'https://charts.example.com/stable', credentials: 'ci:s3cret' });
    const dir = app([
      { name: 'postgresql', version: '>=10.0.0 <11', repository: 'https://charts.example.com/stable', condition: 'postgresql.enabled' },
    ]);
    const withAuth = server.url.replace('http://', 'http://ci:s3cret@');
    const [report] = await buildDependencies([dir], {
      cache,
      mirrors: RepositoryMirrors.fromRecord({ 'https://charts.example.com/stable': withAuth }, 'test'),
      generated: '2024-01-01T00:00:00Z',
    });
    expect(report.dependencies).toEqual([
      expect.objectContaining({
        name: 'postgresql',
        version: '10.8.0',
        path: 'charts/postgresql-10.8.0.tgz',
        origin: ArchiveOrigin.DOWNLOADED,
      }),
    ]);
    expect(server.requests).toEqual(['/charts/index.yaml', '/charts/postgresql-10.8.0.tgz']);
    await expect(buildDependencies([dir], { cache: new ChartCache(join(work, 'other')), mirrors: mirrors() })).rejects.toThrow(
      'HTTP 401: is https://charts.example.com/stable a chart repository?',
    );
  });

  test('an index entry without a digest is fetched and named in a note as not verified', async () => {
    await server.stop();
    server = await ChartRepositoryServer.start([pg()], { withoutDigests: true });
    const dir = app([{ name: 'postgresql', version: '10.8.0', repository: 'https://charts.example.com/stable' }]);
    const notes: string[] = [];
    await buildDependencies([dir], { cache, mirrors: mirrors(), onNote: (note) => notes.push(note) });
    expect(notes).toEqual(['https://charts.example.com/stable: the index lists no digest for postgresql 10.8.0: not verified']);
    expect(files(join(dir, 'charts'))).toEqual(['postgresql-10.8.0.tgz']);
  });

  test('a cached index is revalidated with its ETag: the repository answers 304 and sends it once', async () => {
    const dir = app([{ name: 'postgresql', version: '10.8.0', repository: 'https://charts.example.com/stable' }]);
    await buildDependencies([dir], { cache, mirrors: mirrors() });
    rmSync(join(dir, 'charts'), { recursive: true });
    const [report] = await buildDependencies([dir], { cache, mirrors: mirrors() });
    expect(server.indexAnswers).toEqual([200, 304]);
    expect(report.dependencies[0]).toMatchObject({ origin: ArchiveOrigin.CACHED, status: WriteStatus.WRITTEN });
    expect(server.requests.filter((path) => path.endsWith('.tgz'))).toHaveLength(1);
  });

  test('files of others are never replaced: another copy in charts/, a foreign Chart.lock; what was written is recorded', async () => {
    const dir = app([{ name: 'postgresql', version: '10.8.0', repository: 'https://charts.example.com/stable' }]);
    mkdirSync(join(dir, 'charts'));
    writeFileSync(join(dir, 'charts', 'postgresql-9.0.0.tgz'), server.archives.get('postgresql-10.8.0.tgz')!);
    await expect(buildDependencies([dir], { cache, mirrors: mirrors() })).rejects.toThrow(
      'charts/ also holds charts/postgresql-9.0.0.tgz (postgresql 10.8.0), not written by helm-synth',
    );
    rmSync(join(dir, 'charts', 'postgresql-9.0.0.tgz'));
    writeFileSync(join(dir, 'charts', 'postgresql-10.8.0.tgz'), 'mine');
    await expect(buildDependencies([dir], { cache, mirrors: mirrors() })).rejects.toThrow(
      'charts/postgresql-10.8.0.tgz: not written by helm-synth dependency build (or changed since); remove to replace',
    );
    expect(readFileSync(join(dir, 'charts', 'postgresql-10.8.0.tgz'), 'utf8')).toBe('mine');
    rmSync(join(dir, 'charts'), { recursive: true });
    writeFileSync(join(dir, 'Chart.lock'), 'dependencies: []\ndigest: sha256:00\ngenerated: "2020-01-01T00:00:00Z"\n');
    await expect(buildDependencies([dir], { cache, mirrors: mirrors() })).rejects.toThrow(
      "Chart.lock: differs from the lock of Chart.yaml's dependencies and was not written by helm-synth",
    );
    expect(files(dir)).toEqual(['Chart.lock', 'Chart.yaml', 'values.yaml']);
    rmSync(join(dir, 'Chart.lock'));

    await buildDependencies([dir], { cache, mirrors: mirrors() });
    const record = JSON.parse(readFileSync(join(work, 'dist', '.helm-synth-dependencies.json'), 'utf8'));
    expect(Object.keys(record.charts.app)).toEqual(['Chart.lock', 'charts/postgresql-10.8.0.tgz']);
  });

  test('a dependency no longer in Chart.yaml loses its archive and Chart.lock; a changed own file is left alone', async () => {
    const dir = app([{ name: 'postgresql', version: '10.8.0', repository: 'https://charts.example.com/stable' }]);
    await buildDependencies([dir], { cache, mirrors: mirrors() });
    const chartYaml = readFileSync(join(dir, 'Chart.yaml'), 'utf8');
    writeFileSync(join(dir, 'Chart.yaml'), chartYaml.replace(/dependencies:[\s\S]*$/, ''));
    const [report] = await buildDependencies([dir], { cache, mirrors: mirrors() });
    expect(report.removed).toEqual(['Chart.lock', 'charts/postgresql-10.8.0.tgz']);
    expect(files(join(dir, 'charts'))).toEqual([]);
    writeFileSync(join(dir, 'Chart.yaml'), chartYaml);
    await buildDependencies([dir], { cache, mirrors: mirrors() });
    writeFileSync(join(dir, 'Chart.lock'), `${readFileSync(join(dir, 'Chart.lock'), 'utf8')}# edited\n`);
    writeFileSync(join(dir, 'Chart.yaml'), chartYaml.replace(/dependencies:[\s\S]*$/, ''));
    const [second] = await buildDependencies([dir], { cache, mirrors: mirrors() });
    expect(second.removed).toEqual(['charts/postgresql-10.8.0.tgz']);
    expect(existsSync(join(dir, 'Chart.lock'))).toBe(true);
  });

  test('a version the repository does not list, a repository name, and an oci:// registry offline without a cache are clear errors', async () => {
    const missing = app([{ name: 'postgresql', version: '^12.0.0', repository: 'https://charts.example.com/stable' }]);
    await expect(buildDependencies([missing], { cache, mirrors: mirrors() })).rejects.toThrow(
      'app: dependency postgresql: https://charts.example.com/stable has no version of postgresql in "^12.0.0"',
    );
    const named = app([{ name: 'postgresql', version: '10.8.0', repository: '@bitnami' }]);
    await expect(buildDependencies([named], { cache })).rejects.toThrow('repository names from helm repo add are not read');
    const oci = app([{ name: 'postgresql', version: '17.1.0', repository: 'oci://registry-1.docker.io/bitnamicharts' }]);
    await expect(buildDependencies([oci], { cache, offline: true })).rejects.toThrow(
      'is not in the chart cache, and --offline forbids asking the registry',
    );
  });

  test('Chart.lock in step with Chart.yaml pins the versions a range resolved to, until --update', async () => {
    const dir = app([{ name: 'postgresql', version: '>=9', repository: 'https://charts.example.com/stable' }]);
    await buildDependencies([dir], { cache, mirrors: mirrors() });
    await server.stop();
    const newer = writeFixtureChart(join(work, 'newer'), { name: 'postgresql', version: '10.9.0' });
    server = await ChartRepositoryServer.start([pg(), readChartDirectory(newer)]);
    const [kept] = await buildDependencies([dir], { cache, mirrors: mirrors() });
    expect(kept.dependencies[0]).toMatchObject({ version: '10.8.0', status: WriteStatus.UNCHANGED });
    const [updated] = await buildDependencies([dir], { cache, mirrors: mirrors(), update: true });
    expect(updated.dependencies[0]).toMatchObject({ version: '10.9.0', status: WriteStatus.WRITTEN });
    expect(updated.lock).toBe(WriteStatus.WRITTEN);
    expect(updated.removed).toEqual(['charts/postgresql-10.8.0.tgz']);
  });

  test('synth --dependencies reads cache and mirrors from cdk8s.yaml; a bad dependencies setting is one line', async () => {
    app([{ name: 'postgresql', version: '10.8.0', repository: 'https://charts.example.com/stable' }]);
    const settings = { cache: 'chart-cache', repositoryMirrors: { 'https://charts.example.com/stable': server.url } };
    writeFileSync(join(work, 'cdk8s.yaml'), stringify({ app: 'true', output: 'dist', dependencies: settings }));
    const result = await cli(work, ['synth', '--dependencies'], { HELM_SYNTH_REPOSITORY_MIRRORS: '', HELM_SYNTH_CACHE_DIR: '' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('dist/app: charts/postgresql-10.8.0.tgz (downloaded, written); Chart.lock (written)');
    expect(files(join(work, 'chart-cache'))).toHaveLength(1);
    rmSync(join(work, 'dist', 'app', 'charts'), { recursive: true });
    const fromEnvironment = await cli(work, ['dependency', 'build'], { HELM_SYNTH_CACHE_DIR: join(work, 'ci-cache') });
    expect(fromEnvironment.stderr).toBe('');
    expect(files(join(work, 'ci-cache'))).toHaveLength(1);
    writeFileSync(join(work, 'cdk8s.yaml'), stringify({ app: 'true', dependencies: { mirrors: {} } }));
    const bad = await cli(work, ['dependency', 'build']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      'Error: cdk8s.yaml: dependencies.mirrors is not a setting; there are cache and repositoryMirrors (nothing was written)\n',
    );
  });

  test('dependency build waits for the synth holding the output lock, then fails naming it; nothing written', async () => {
    const dir = app([{ name: 'postgresql', version: '10.8.0', repository: 'https://charts.example.com/stable' }]);
    writeFileSync(join(work, 'cdk8s.yaml'), stringify({ app: 'true', output: 'dist' }));
    writeFileSync(join(work, 'dist', '.helm-synth.lock'), `${JSON.stringify({ pid: process.pid })}\n`);
    const env = {
      HELM_SYNTH_REPOSITORY_MIRRORS: `https://charts.example.com/stable=${server.url}`,
      HELM_SYNTH_CACHE_DIR: join(work, 'cache'),
    };
    const busy = await cli(work, ['dependency', 'build'], env);
    expect(busy.status).toBe(1);
    expect(busy.stderr).toContain(`Error: another synth (pid ${process.pid}) is writing`);
    expect(files(dir)).toEqual(['Chart.yaml', 'values.yaml']);
    rmSync(join(work, 'dist', '.helm-synth.lock'));
    expect((await cli(work, ['dependency', 'build'], env)).status).toBe(0);
    expect(files(join(work, 'dist'))).toEqual(['.helm-synth-dependencies.json', 'app']);
  }, 30000);

  test('file:// folders are packed and locked at their version; a chart folder in charts/ without repository is checked and locked as written', async () => {
    writeFixtureChart(join(work, 'shared'), { name: 'db', version: '1.4.0' });
    const dir = app([
      { name: 'db', version: '1.x', repository: 'file://../../shared/db' },
      { name: 'local', version: '~0.1.0', repository: '' },
    ]);
    writeFixtureChart(join(dir, 'charts'), { name: 'local', version: '0.1.2' });
    const [report] = await buildDependencies([dir], { cache, generated: '2024-01-01T00:00:00Z' });
    expect(report.dependencies.map((d) => [d.path, d.version, d.origin])).toEqual([
      ['charts/db-1.4.0.tgz', '1.4.0', ArchiveOrigin.LOCAL],
      ['charts/local', '0.1.2', ArchiveOrigin.VENDORED],
    ]);
    expect(parseChartLock(readFileSync(join(dir, 'Chart.lock'), 'utf8'), 'Chart.lock').dependencies).toEqual([
      { name: 'db', version: '1.4.0', repository: 'file://../../shared/db' },
      { name: 'local', version: '~0.1.0', repository: '' },
    ]);
    writeFixtureChart(join(dir, 'charts'), { name: 'local', version: '0.2.0' });
    await expect(buildDependencies([dir], { cache })).rejects.toThrow(
      'app: dependency local: charts/local is version 0.2.0, outside "~0.1.0"',
    );
  });

  test('package puts vendored archives in as folders, as helm package does; two charts of one name in charts/ are refused', () => {
    const dir = app([{ name: 'postgresql', version: '10.8.0', repository: 'https://charts.example.com/stable' }]);
    mkdirSync(join(dir, 'charts'));
    writeFileSync(join(dir, 'charts', 'postgresql-10.8.0.tgz'), server.archives.get('postgresql-10.8.0.tgz')!);
    const result = packageCharts([dir], { destination: join(work, 'repo') });
    expect(result.charts[0].name).toBe('app');
    const listing = execFileSync('tar', ['-tzf', result.charts[0].file], { encoding: 'utf8' }).split('\n');
    expect(listing).toContain('app/charts/postgresql/Chart.yaml');
    expect(listing).toContain('app/charts/postgresql/charts/common/Chart.yaml');
    expect(listing.some((line) => line.endsWith('.tgz'))).toBe(false);
    writeFixtureChart(join(dir, 'charts'), { name: 'postgresql', version: '10.8.0' }, 'postgresql');
    expectHelmSynthError(
      () => packageCharts([dir], { destination: join(work, 'repo2') }),
      dir,
      'charts/ holds two charts named postgresql (charts/postgresql, charts/postgresql-10.8.0.tgz)',
    );
  });
});
