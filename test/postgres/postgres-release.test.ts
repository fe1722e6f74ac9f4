import { parse } from 'yaml';
import { HelmChart, Values } from '../../src';
import { PostgresConnection, PostgresRelease } from '../../src/postgres';
import { wholeToken } from '../../src/tokens/token';
import { Testing } from '../../src/testing';
import { expectHelmSynthError as expectError } from '../support/errors';

const chart = (id = 'shop') => new HelmChart(Testing.app(), id, { version: '1.0.0' });
const valuesOf = (c: HelmChart): Record<string, any> => parse(Testing.synth(c).files.get('values.yaml')!);
const chartYamlOf = (c: HelmChart): Record<string, any> => parse(Testing.synth(c).files.get('Chart.yaml')!);

const LEGACY_IMAGES_10 = {
  image: { registry: 'docker.io', repository: 'bitnamilegacy/postgresql', tag: '11.12.0-debian-10-r44' },
  volumePermissions: { image: { registry: 'docker.io', repository: 'bitnamilegacy/bitnami-shell', tag: '10-debian-10-r125' } },
  metrics: { image: { registry: 'docker.io', repository: 'bitnamilegacy/postgres-exporter', tag: '0.9.0-debian-10-r108' } },
};
const LEGACY_IMAGES_17 = {
  image: { registry: 'docker.io', repository: 'bitnamilegacy/postgresql', tag: '17.6.0-debian-12-r4' },
  volumePermissions: { image: { registry: 'docker.io', repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' } },
  metrics: { image: { registry: 'docker.io', repository: 'bitnamilegacy/postgres-exporter', tag: '0.17.1-debian-12-r16' } },
};
const RESTRICTED_CONTAINER = {
  enabled: true,
  runAsUser: 1001,
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
const RESTRICTED_POD = { enabled: true, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } };
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('PostgresRelease values', () => {
  const everything = {
    user: 'shop_app',
    database: 'shop',
    existingSecret: 'shop-db-passwords',
    fullnameOverride: 'shop-db',
    persistence: { enabled: true, size: '10Gi', storageClass: 'rbd' },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
  };

  test('10.x props map to postgresqlUsername, existingSecret, persistence.* and resources', () => {
    const c = chart();
    const release = new PostgresRelease(c, 'Database', { chartVersion: '10.8.0', ...everything });
    expect(release.chartValues).toMatchObject({
      fullnameOverride: 'shop-db',
      postgresqlUsername: 'shop_app',
      postgresqlDatabase: 'shop',
      existingSecret: 'shop-db-passwords',
      persistence: { enabled: true, storageClass: 'rbd', size: '10Gi' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    });
    expect(valuesOf(c).postgresql).toEqual({ enabled: true, ...release.chartValues });
  });

  test('11+ props map to auth.*, primary.persistence.* and primary.resources, with the postgres user enabled', () => {
    const release = new PostgresRelease(chart(), 'Database', { chartVersion: '17.1.0', ...everything });
    expect(release.chartValues).toMatchObject({
      fullnameOverride: 'shop-db',
      auth: { enablePostgresUser: true, username: 'shop_app', database: 'shop', existingSecret: 'shop-db-passwords' },
      primary: {
        persistence: { enabled: true, storageClass: 'rbd', size: '10Gi' },
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
      },
    });
  });

  test("10.8.0: bitnamilegacy images with the chart's own tags, the full index, no allowInsecureImages", () => {
    const c = chart();
    const release = new PostgresRelease(c, 'Database', { chartVersion: '10.8.0' });
    expect(release.chartValues).toEqual({
      ...LEGACY_IMAGES_10,
      metrics: { ...LEGACY_IMAGES_10.metrics, securityContext: RESTRICTED_CONTAINER },
      postgresqlUsername: 'postgres',
      securityContext: RESTRICTED_POD,
      containerSecurityContext: RESTRICTED_CONTAINER,
    });
    expect(release.allowInsecureImages).toBe(false);
    expect(chartYamlOf(c).dependencies).toEqual([
      {
        name: 'postgresql',
        version: '10.8.0',
        repository: 'https://raw.githubusercontent.com/bitnami/charts/archive-full-index/bitnami',
        condition: 'postgresql.enabled',
      },
    ]);
  });

  test('17.1.0: bitnamilegacy images (a warning for its bitnami/common, so no allowInsecureImages), the OCI registry, restricted security contexts', () => {
    const c = chart();
    const release = new PostgresRelease(c, 'Database', { chartVersion: '17.1.0' });
    expect(release.chartValues).toEqual({
      ...LEGACY_IMAGES_17,
      metrics: { ...LEGACY_IMAGES_17.metrics, containerSecurityContext: RESTRICTED_CONTAINER },
      auth: { enablePostgresUser: true },
      primary: { podSecurityContext: RESTRICTED_POD, containerSecurityContext: RESTRICTED_CONTAINER },
      readReplicas: { podSecurityContext: RESTRICTED_POD, containerSecurityContext: RESTRICTED_CONTAINER },
    });
    expect(release.allowInsecureImages).toBe(false);
    expect(chartYamlOf(c).dependencies[0].repository).toBe('oci://registry-1.docker.io/bitnamicharts');
    expect(Testing.synth(c).files.get('values.yaml')).not.toMatch(/[&*]a\d/);
  });

  test('a mirror replaces fields of the pinned images; on 17.1.0 it sets allowInsecureImages, a digest goes to the digest key', () => {
    const images = { postgresql: { registry: 'registry.example.com', digest: DIGEST }, metrics: { tag: '0.17.1-debian-12-r99' } };
    const release = new PostgresRelease(chart(), 'Database', { chartVersion: '17.1.0', images });
    expect(release.images).toEqual({
      postgresql: { registry: 'registry.example.com', repository: 'bitnamilegacy/postgresql', tag: '17.6.0-debian-12-r4', digest: DIGEST },
      volumePermissions: { registry: 'docker.io', repository: 'bitnamilegacy/os-shell', tag: '12-debian-12-r51' },
      metrics: { registry: 'docker.io', repository: 'bitnamilegacy/postgres-exporter', tag: '0.17.1-debian-12-r99' },
    });
    expect(release.chartValues).toMatchObject({
      image: { registry: 'registry.example.com', repository: 'bitnamilegacy/postgresql', tag: '17.6.0-debian-12-r4', digest: DIGEST },
      global: { security: { allowInsecureImages: true } },
    });
    const retagged = new PostgresRelease(chart(), 'Database', { chartVersion: '17.1.0', images: { metrics: { tag: 'x1' } } });
    expect([retagged.allowInsecureImages, retagged.chartValues.global]).toEqual([false, undefined]);
    const original = new PostgresRelease(chart(), 'Database', {
      chartVersion: '17.1.0',
      images: { postgresql: { repository: 'bitnami/postgresql' } },
    });
    expect(original.allowInsecureImages).toBe(false);
  });

  test('10.8.0 has no digest key and no image check: a digest goes into the tag, a mirror needs no flag', () => {
    const release = new PostgresRelease(chart(), 'Database', {
      chartVersion: '10.8.0',
      images: { postgresql: { registry: 'registry.example.com', digest: DIGEST } },
    });
    expect(release.chartValues.image).toEqual({
      registry: 'registry.example.com',
      repository: 'bitnamilegacy/postgresql',
      tag: `11.12.0-debian-10-r44@${DIGEST}`,
    });
    expect(release.allowInsecureImages).toBe(false);
  });

  test('a version helm-synth does not pin needs every image in full and a repository; 11+ then sets allowInsecureImages for any other image', () => {
    const full = (name: string) => ({ registry: 'registry.example.com', repository: `mirror/${name}`, tag: '1.0.0' });
    const images = { postgresql: full('postgresql'), volumePermissions: full('os-shell'), metrics: full('postgres-exporter') };
    const repository = 'https://charts.example.com/bitnami';
    for (const chartVersion of ['11.0.0', '10.7.0']) {
      expectError(
        () => new PostgresRelease(chart(), 'Database', { chartVersion }),
        'shop/Database',
        `bitnami/postgresql ${chartVersion} is not a version helm-synth pins images and a repository for (10.8.0, 17.1.0): give repository (one whose index lists it) and images.postgresql, images.volumePermissions and images.metrics, each with registry, repository and tag`,
      );
      expectError(() => new PostgresRelease(chart(), 'Database', { chartVersion, images }), 'shop/Database', 'give repository');
      expectError(
        () => new PostgresRelease(chart(), 'Database', { chartVersion, repository, images: { ...images, metrics: { tag: '1' } } }),
        'shop/Database',
        'give repository',
      );
    }
    const eleven = new PostgresRelease(chart(), 'Database', { chartVersion: '11.0.0', repository, images });
    expect([eleven.version.layout, eleven.allowInsecureImages, eleven.repository]).toEqual(['auth', true, repository]);
    expect(eleven.chartValues.image).toEqual({ registry: 'registry.example.com', repository: 'mirror/postgresql', tag: '1.0.0' });
    expect(new PostgresRelease(chart(), 'Database', { chartVersion: '10.7.0', repository, images }).allowInsecureImages).toBe(false);
  });

  test('10.x names the superuser when no user is given; values.yaml never holds a password', () => {
    for (const chartVersion of ['10.8.0', '17.1.0']) {
      const c = chart();
      new PostgresRelease(c, 'Database', { chartVersion, user: 'app' });
      const text = Testing.synth(c).files.get('values.yaml')!;
      const withoutComments = text
        .split('\n')
        .filter((line) => !/^\s*#/.test(line))
        .join('\n');
      expect(withoutComments).not.toMatch(/[Pp]assword/);
      expect(text).toContain('externalDatabase:');
    }
    expect(new PostgresRelease(chart(), 'Database', { chartVersion: '10.8.0' }).chartValues.postgresqlUsername).toBe('postgres');
  });

  test('an alias is the values key, the condition and the dependency alias', () => {
    const c = chart();
    const release = new PostgresRelease(c, 'Database', {
      chartVersion: '17.1.0',
      alias: 'db',
      repository: 'https://charts.example.com/bitnami',
    });
    expect(release.key).toBe('db');
    expect(valuesOf(c).db).toMatchObject({ enabled: true, auth: { enablePostgresUser: true } });
    expect(chartYamlOf(c).dependencies).toEqual([
      { name: 'postgresql', version: '17.1.0', repository: 'https://charts.example.com/bitnami', alias: 'db', condition: 'db.enabled' },
    ]);
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
      [{ user: 'u'.repeat(64) }, 'must be a role name (a PostgreSQL name of 1 to 63 ASCII letters, digits'],
      [{ user: 'app #1' }, 'user "app #1" must be a role name'],
      [{ database: 'shop\ndb' }, 'database "shop\\ndb" must be a database name'],
      [{ fullnameOverride: 'Main' }, 'fullnameOverride "Main" must be a DNS-1123 label of at most 63 characters'],
      [{ persistence: { storageClass: 'a"b' } }, 'persistence.storageClass "a\\"b" must be a StorageClass name, or - for none'],
      [{ persistence: { size: 'ten gigs' } }, 'persistence.size "ten gigs" must be a Kubernetes quantity'],
      [{ persistence: { storageClass: 'Fast SSD' } }, 'persistence.storageClass "Fast SSD"'],
      [{ persistence: { enabled: 'yes' } }, 'persistence.enabled "yes" must be a boolean'],
      [{ existingSecret: 'Bad_Name' }, 'existingSecret "Bad_Name" must be a Secret name'],
      [{ alias: 'my-db' }, 'alias "my-db" must be lower-case letters and digits'],
      [{ repository: 'charts.bitnami.com' }, 'repository "charts.bitnami.com"'],
      [{ images: { postgresql: {} } }, 'images.postgresql {} must set at least one of registry, repository, tag, digest'],
      [
        { images: { exporter: { tag: 'x' } } },
        'images.exporter is not an image of bitnami/postgresql; use postgresql, volumePermissions, metrics',
      ],
      [{ images: { metrics: { name: 'x' } } }, 'images.metrics.name is not an image field'],
      [
        { images: { postgresql: { registry: 'Registry Example' } } },
        'images.postgresql.registry "Registry Example" must be a registry host',
      ],
      [
        { images: { postgresql: { repository: 'mirror//postgresql' } } },
        'images.postgresql.repository "mirror//postgresql" must be a repository path',
      ],
      [{ images: { postgresql: { tag: 'a:b' } } }, 'images.postgresql.tag "a:b" must be an image tag'],
      [
        { images: { postgresql: { digest: 'sha256:abc' } } },
        'images.postgresql.digest "sha256:abc" must be sha256: and 64 lower-case hex digits',
      ],
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
    expect(wholeToken(connection.adminUser)?.description).toBe('admin user of bitnami/postgresql 10.8.0 of chart shop');
    expect(() => connection.withValues(chart('other'), 'database')).toThrow(/cannot be the default of other values/);
  });

  test.each([
    ['10.8.0', 'postgresql', 'decapod-db', {}, 'postgresql.decapod-db.svc.cluster.local', 'postgresql', 'postgresql-password'],
    ['10.8.0', 'tks', 'tks', {}, 'tks-postgresql.tks.svc.cluster.local', 'tks-postgresql', 'postgresql-password'],
    ['10.8.0', 'tks', 'tks', { user: 'tks_app' }, 'tks-postgresql.tks.svc.cluster.local', 'tks-postgresql', 'postgresql-postgres-password'],
    [
      '10.8.0',
      'tks',
      'tks',
      { fullnameOverride: 'main', existingSecret: 'creds' },
      'main.tks.svc.cluster.local',
      'creds',
      'postgresql-password',
    ],
    [
      '17.1.0',
      'analytics-postgresql',
      'data',
      { user: 'app' },
      'analytics-postgresql.data.svc.cluster.local',
      'analytics-postgresql',
      'postgres-password',
    ],
    [
      '17.1.0',
      'analytics',
      'data',
      { alias: 'warehouse' },
      'analytics-warehouse.data.svc.cluster.local',
      'analytics-warehouse',
      'postgres-password',
    ],
  ])('bitnami %s released as %s in %s with %j: host, Secret and key', (chartVersion, releaseName, namespace, props, host, secret, key) => {
    const release = PostgresRelease.standaloneChart(
      Testing.app(),
      'db',
      { version: '1.0.0', install: { releaseName, namespace } },
      { chartVersion, ...props },
    );
    const c = release.externalConnection;
    expect({
      host: c.host,
      port: c.port,
      portText: c.portText,
      user: c.adminUser,
      secret: c.adminSecret,
      releaseScoped: c.releaseScoped,
    }).toEqual({ host, port: 5432, portText: '5432', user: 'postgres', secret: { name: secret, key }, releaseScoped: false });
    expect(c.installedBy).toBe(release.chart);
  });

  test('the standalone README has the fixed install command, how to give the password, and the connection', () => {
    const release = PostgresRelease.standaloneChart(
      Testing.app(),
      'db',
      { version: '1.0.0', install: { releaseName: 'postgresql', namespace: 'decapod-db' } },
      { chartVersion: '10.8.0' },
    );
    const readme = Testing.synth(release.chart).files.get('README.md')!;
    expect(readme).toContain(
      'helm dependency build ./db\nhelm upgrade --install postgresql ./db --namespace decapod-db --create-namespace -f my-values.yaml',
    );
    expect(readme).toContain('postgresql:\n  postgresqlPassword: "..."  # postgres');
    expect(readme).toContain('a new one on every upgrade');
    expect(readme).toContain(
      '`postgresql.decapod-db.svc.cluster.local:5432` as `postgres`, with the password in Secret `postgresql`, key `postgresql-password`',
    );
    expect(readme).toContain('| `postgresql.image` | `docker.io/bitnamilegacy/postgresql:11.12.0-debian-10-r44` | always |');
    expect(readme).toContain(
      '| `postgresql.volumePermissions.image` | `docker.io/bitnamilegacy/bitnami-shell:10-debian-10-r125` | when `postgresql.volumePermissions.enabled` |',
    );
    expect(readme).toContain('with a Chart.lock it fails with "no repository definition" unless the URL was added');
    expect(readme).toContain(
      '```sh\nhelm repo add db-deps https://raw.githubusercontent.com/bitnami/charts/archive-full-index/bitnami\nhelm dependency build ./db\n',
    );
    expect(readme).toContain(
      'What cannot be made compliant here: `postgresql.volumePermissions.enabled=true` adds an init container that runs as root',
    );

    const modern = Testing.synth(
      PostgresRelease.standaloneChart(
        Testing.app(),
        'db17',
        { version: '1.0.0', install: { releaseName: 'db', namespace: 'data' } },
        {
          chartVersion: '17.1.0',
          images: { postgresql: { registry: 'registry.example.com' } },
        },
      ).chart,
    ).files.get('README.md')!;
    expect(modern).toContain(
      '`oci://registry-1.docker.io/bitnamicharts`, an OCI registry: `helm dependency build` needs no `helm repo add`',
    );
    expect(modern).not.toContain('helm repo add ');
    expect(modern).toContain('| `postgresql.image` | `registry.example.com/bitnamilegacy/postgresql:17.6.0-debian-12-r4` | always |');
    expect(modern).toContain('so `postgresql.global.security.allowInsecureImages` is `true`');
    expectError(
      () => PostgresRelease.standaloneChart(Testing.app(), 'db', { version: '1.0.0' } as never, { chartVersion: '10.8.0' }),
      'db',
      'needs install: { releaseName, namespace }',
    );
    expectError(
      () => new HelmChart(Testing.app(), 'db', { version: '1.0.0', install: { releaseName: 'Bad', namespace: 'x' } }),
      'db',
      'install.releaseName "Bad"',
    );
  });

  test('PostgresConnection.external checks its host, port and Secret, and becomes values with withValues', () => {
    const where = 'PostgresConnection.external';
    const adminSecret = { name: 'pg', key: 'password' };
    expectError(() => PostgresConnection.external({ host: 'not a host', adminSecret }), where, 'host "not a host" must be a host name');
    expectError(
      () => PostgresConnection.external({ host: 'db', port: 70000, adminSecret }),
      where,
      'port 70000 must be an integer from 1 to 65535',
    );
    expectError(
      () => PostgresConnection.external({ host: 'db', adminSecret: { name: 'Bad', key: 'k' } }),
      where,
      'adminSecret.name "Bad" is not a Secret name',
    );
    expectError(
      () => PostgresConnection.external({ host: 'db', adminSecret: { name: 'pg', key: 'a/b' } }),
      where,
      'adminSecret.key "a/b" is not a Secret key',
    );

    const c = chart();
    const external = PostgresConnection.external({ host: 'pg.data.svc.cluster.local', port: 6432, adminUser: 'admin', adminSecret });
    const bound = external.withValues(c, 'database');
    expect(valuesOf(c).database).toEqual({
      host: 'pg.data.svc.cluster.local',
      port: 6432,
      adminUser: 'admin',
      adminSecret: { name: 'pg', key: 'password' },
    });
    expect(bound.port).not.toBe(6432);
    expect(bound.releaseScoped).toBe(false);
    const again = bound.withValues(chart('again'), 'db');
    expect(again.host).toBe(bound.host);
    expect((c.values as Values).tryGet('database.adminSecret.name')!.schema).toMatchObject({ pattern: expect.any(String), maxLength: 253 });
  });
});
