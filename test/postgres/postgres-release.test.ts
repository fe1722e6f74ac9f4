import { parse } from 'yaml';
import { HelmChart, PostgresConnection, PostgresRelease, Values } from '../../src';
import { chartFiles, testApp } from '../support/chart-files';
import { expectHelmSynthError as expectError } from '../support/errors';

const chart = (id = 'shop') => new HelmChart(testApp(), id, { version: '1.0.0' });
const valuesOf = (c: HelmChart): Record<string, any> => parse(chartFiles(c).files.get('values.yaml')!);
const chartYamlOf = (c: HelmChart): Record<string, any> => parse(chartFiles(c).files.get('Chart.yaml')!);

describe('PostgresRelease values', () => {
  const everything = {
    user: 'shop_app',
    database: 'shop',
    existingSecret: 'shop-db-passwords',
    fullnameOverride: 'shop-db',
    persistence: { enabled: true, size: '10Gi', storageClass: 'rbd' },
    image: { registry: 'registry.example.com', repository: 'mirror/postgresql', tag: '11.12.0' },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
  };

  test('10.x props map to postgresqlUsername, existingSecret, persistence.* and resources', () => {
    const c = chart();
    const release = new PostgresRelease(c, 'Database', { chartVersion: '10.8.0', ...everything });
    expect(release.chartValues).toEqual({
      fullnameOverride: 'shop-db',
      image: { registry: 'registry.example.com', repository: 'mirror/postgresql', tag: '11.12.0' },
      postgresqlUsername: 'shop_app',
      postgresqlDatabase: 'shop',
      existingSecret: 'shop-db-passwords',
      persistence: { enabled: true, storageClass: 'rbd', size: '10Gi' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    });
    expect(valuesOf(c).postgresql).toEqual({ enabled: true, ...release.chartValues });
    expect(chartYamlOf(c).dependencies).toEqual([{ name: 'postgresql', version: '10.8.0', repository: 'https://charts.bitnami.com/bitnami', condition: 'postgresql.enabled' }]);
  });

  test('11+ props map to auth.*, primary.persistence.* and primary.resources, with the postgres user enabled', () => {
    const release = new PostgresRelease(chart(), 'Database', { chartVersion: '17.1.0', ...everything });
    expect(release.chartValues).toEqual({
      fullnameOverride: 'shop-db',
      image: { registry: 'registry.example.com', repository: 'mirror/postgresql', tag: '11.12.0' },
      auth: { enablePostgresUser: true, username: 'shop_app', database: 'shop', existingSecret: 'shop-db-passwords' },
      primary: {
        persistence: { enabled: true, storageClass: 'rbd', size: '10Gi' },
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
      },
    });
    expect(new PostgresRelease(chart(), 'Database', { chartVersion: '11.0.0' }).version.layout).toBe('auth');
  });

  test('10.x names the superuser when no user is given; values.yaml never holds a password', () => {
    for (const chartVersion of ['10.8.0', '17.1.0']) {
      const c = chart();
      new PostgresRelease(c, 'Database', { chartVersion, user: 'app' });
      const text = chartFiles(c).files.get('values.yaml')!;
      expect(text).not.toMatch(/[Pp]assword/);
    }
    expect(new PostgresRelease(chart(), 'Database', { chartVersion: '10.8.0' }).chartValues).toEqual({ postgresqlUsername: 'postgres' });
  });

  test('an alias is the values key, the condition and the dependency alias', () => {
    const c = chart();
    const release = new PostgresRelease(c, 'Database', { chartVersion: '17.1.0', alias: 'db', repository: 'oci://registry-1.docker.io/bitnamicharts' });
    expect(release.key).toBe('db');
    expect(valuesOf(c).db).toEqual({ enabled: true, auth: { enablePostgresUser: true } });
    expect(chartYamlOf(c).dependencies).toEqual([{ name: 'postgresql', version: '17.1.0', repository: 'oci://registry-1.docker.io/bitnamicharts', alias: 'db', condition: 'db.enabled' }]);
  });

  test.each([
    ['9.8.0', 'bitnami/postgresql 9.8.0 is not supported: helm-synth knows the values and object names of 10.x and 11.x to 17.x'],
    ['18.0.0', 'bitnami/postgresql 18.0.0 is not supported'],
    ['~10.8.0', 'chartVersion "~10.8.0" must be a pinned bitnami/postgresql version'],
    ['10.x', 'chartVersion "10.x" must be a pinned'],
    [10, 'chartVersion 10 must be a pinned'],
  ])('chartVersion %j is an error', (chartVersion, message) => {
    expectError(() => new PostgresRelease(chart(), 'Database', { chartVersion: chartVersion as string }), 'shop/Database', message);
  });

  test('props that values.yaml cannot hold, or that the chart would reject, are errors', () => {
    const c = chart();
    const token = c.values.string('dbUser', { default: 'x', description: 'x' }).asString();
    const bad: Array<[object, string]> = [
      [{ user: token }, 'must be a literal string: it is written into values.yaml'],
      [{ user: 'u'.repeat(64) }, 'a PostgreSQL role name of 1 to 63 bytes'],
      [{ persistence: { size: 'ten gigs' } }, 'persistence.size "ten gigs" must be a Kubernetes quantity'],
      [{ persistence: { storageClass: 'Fast SSD' } }, 'persistence.storageClass "Fast SSD"'],
      [{ persistence: { enabled: 'yes' } }, 'persistence.enabled "yes" must be a boolean'],
      [{ existingSecret: 'Bad_Name' }, 'existingSecret "Bad_Name" must be a Secret name'],
      [{ alias: 'my-db' }, 'alias "my-db" must be lower-case letters and digits'],
      [{ repository: 'charts.bitnami.com' }, 'repository "charts.bitnami.com"'],
      [{ image: {} }, 'image {} must set at least one of registry, repository, tag'],
      [{ resources: { requests: { cpu: 'lots' } } }, 'resources.requests.cpu "lots" is not a Kubernetes quantity'],
    ];
    bad.forEach(([props, message], i) => {
      expectError(() => new PostgresRelease(c, `Database${i}`, { chartVersion: '10.8.0', ...props }), `shop/Database${i}`, message);
    });
    expectError(() => new PostgresRelease(c, 'NoProps', undefined as never), 'shop/NoProps', 'needs props with at least chartVersion');
  });

  test('two releases in one chart need an alias', () => {
    const c = chart();
    new PostgresRelease(c, 'First', { chartVersion: '17.1.0' });
    expectError(() => new PostgresRelease(c, 'Second', { chartVersion: '17.1.0' }), 'shop', 'dependency "postgresql" is added twice');
  });
});

describe('PostgresRelease connections', () => {
  test('the in-release connection is made of template expressions bound to its chart', () => {
    const c = chart();
    const { connection } = new PostgresRelease(c, 'Database', { chartVersion: '10.8.0' });
    expect(connection.releaseScoped).toBe(true);
    expect(connection.installedBy).toBe(c);
    expect(connection.adminUser).toBe('postgres');
    expect(() => connection.withValues(chart('other'), 'database')).toThrow(/cannot be the default of other values/);
  });

  test.each([
    ['10.8.0', 'postgresql', 'decapod-db', {}, 'postgresql.decapod-db.svc.cluster.local', 'postgresql', 'postgresql-password'],
    ['10.8.0', 'tks', 'tks', {}, 'tks-postgresql.tks.svc.cluster.local', 'tks-postgresql', 'postgresql-password'],
    ['10.8.0', 'tks', 'tks', { user: 'tks_app' }, 'tks-postgresql.tks.svc.cluster.local', 'tks-postgresql', 'postgresql-postgres-password'],
    ['10.8.0', 'tks', 'tks', { fullnameOverride: 'main', existingSecret: 'creds' }, 'main.tks.svc.cluster.local', 'creds', 'postgresql-password'],
    ['17.1.0', 'analytics-postgresql', 'data', { user: 'app' }, 'analytics-postgresql.data.svc.cluster.local', 'analytics-postgresql', 'postgres-password'],
    ['17.1.0', 'analytics', 'data', { alias: 'warehouse' }, 'analytics-warehouse.data.svc.cluster.local', 'analytics-warehouse', 'postgres-password'],
  ])('bitnami %s released as %s in %s with %j: host, Secret and key', (chartVersion, releaseName, namespace, props, host, secret, key) => {
    const release = PostgresRelease.standaloneChart(testApp(), 'db', { version: '1.0.0', install: { releaseName, namespace } }, { chartVersion, ...props });
    const c = release.externalConnection;
    expect({ host: c.host, port: c.port, portText: c.portText, user: c.adminUser, secret: c.adminSecret, releaseScoped: c.releaseScoped })
      .toEqual({ host, port: 5432, portText: '5432', user: 'postgres', secret: { name: secret, key }, releaseScoped: false });
    expect(c.installedBy).toBe(release.chart);
  });

  test('the standalone README has the fixed install command, how to give the password, and the connection', () => {
    const release = PostgresRelease.standaloneChart(testApp(), 'db', { version: '1.0.0', install: { releaseName: 'postgresql', namespace: 'decapod-db' } }, { chartVersion: '10.8.0' });
    const readme = chartFiles(release.chart).files.get('README.md')!;
    expect(readme).toContain('helm dependency build ./db\nhelm upgrade --install postgresql ./db --namespace decapod-db --create-namespace -f my-values.yaml');
    expect(readme).toContain('postgresql:\n  postgresqlPassword: "..."  # postgres');
    expect(readme).toContain('a new one on every upgrade');
    expect(readme).toContain('`postgresql.decapod-db.svc.cluster.local:5432` as `postgres`, with the password in Secret `postgresql`, key `postgresql-password`');
    expectError(() => PostgresRelease.standaloneChart(testApp(), 'db', { version: '1.0.0' } as never, { chartVersion: '10.8.0' }), 'db', 'needs install: { releaseName, namespace }');
    expectError(() => new HelmChart(testApp(), 'db', { version: '1.0.0', install: { releaseName: 'Bad', namespace: 'x' } }), 'db', 'install.releaseName "Bad"');
  });

  test('PostgresConnection.external checks its host, port and Secret, and becomes values with withValues', () => {
    const where = 'PostgresConnection.external';
    const adminSecret = { name: 'pg', key: 'password' };
    expectError(() => PostgresConnection.external({ host: 'not a host', adminSecret }), where, 'host "not a host" must be a DNS name');
    expectError(() => PostgresConnection.external({ host: 'db', port: 70000, adminSecret }), where, 'port 70000 must be an integer from 1 to 65535');
    expectError(() => PostgresConnection.external({ host: 'db', adminSecret: { name: 'Bad', key: 'k' } }), where, 'adminSecret.name "Bad" is not a Secret name');
    expectError(() => PostgresConnection.external({ host: 'db', adminSecret: { name: 'pg', key: 'a/b' } }), where, 'adminSecret.key "a/b" is not a Secret key');

    const c = chart();
    const external = PostgresConnection.external({ host: 'pg.data.svc.cluster.local', port: 6432, adminUser: 'admin', adminSecret });
    const bound = external.withValues(c, 'database');
    expect(valuesOf(c).database).toEqual({ host: 'pg.data.svc.cluster.local', port: 6432, adminUser: 'admin', adminSecret: { name: 'pg', key: 'password' } });
    expect(bound.port).not.toBe(6432);
    expect(bound.releaseScoped).toBe(false);
    const again = bound.withValues(chart('again'), 'db');
    expect(again.host).toBe(bound.host);
    expect((c.values as Values).tryGet('database.adminSecret.name')!.schema).toMatchObject({ pattern: expect.any(String), maxLength: 253 });
  });
});
