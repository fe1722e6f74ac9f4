import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildApp } from '../../charts/app';
import { HelmChart, JsonValue } from '../../src';
import { DbBootstrapHook, PostgresConnection, PostgresRelease, PostgresReleaseProps } from '../../src/postgres';
import { NO_HELM_MESSAGE } from '../../src/helm';
import { checkPodSecurity } from '../../src/policy/pod-security';
import { RenderOptions, Testing } from '../../src/testing';
import { SHARED_CHARTS, sharedDependencies } from '../support/dependencies';
import { findOne } from '../support/rendered-job';
import { reportMissingTool } from '../support/tools';

type Manifest = Record<string, any>;

const helm = Testing.helmAvailable();
const sharedPresent =
  existsSync(join(SHARED_CHARTS, 'bitnami', 'postgresql-10.8.0')) && existsSync(join(SHARED_CHARTS, 'bitnami', 'postgresql-17.1.0'));
if (!sharedPresent) reportMissingTool(`PostgresRelease against the real bitnami/postgresql charts: ${SHARED_CHARTS}/bitnami is absent`);
if (!helm) reportMissingTool(`PostgresRelease against the real bitnami/postgresql charts: ${NO_HELM_MESSAGE}`);
const describeWithCharts = sharedPresent && helm ? describe : describe.skip;

/** Renders a synthesized chart with its real dependencies unpacked in charts/. */
function render(chart: HelmChart, options: RenderOptions): ReadonlyArray<Manifest> {
  return Testing.render(chart, { ...options, dependencies: sharedDependencies(chart).found }).manifests;
}

/** Every leaf path of a values map; `resources` and security-context maps count as one leaf (free-form Kubernetes objects). */
function leafPaths(values: { readonly [key: string]: JsonValue }, prefix = ''): Array<[string, JsonValue]> {
  return Object.entries(values).flatMap(([key, value]): Array<[string, JsonValue]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    const freeForm = key === 'resources' || /^(securityContext|\w+SecurityContext)$/.test(key);
    return value !== null && typeof value === 'object' && !Array.isArray(value) && !freeForm ? leafPaths(value, path) : [[path, value]];
  });
}

/** Every container of a pod spec with its kind, init containers first. */
function containersOf(pod: Manifest): Array<{ name: string; init: boolean; container: Manifest }> {
  return [
    ...(pod.initContainers ?? []).map((container: Manifest) => ({ name: container.name, init: true, container })),
    ...(pod.containers ?? []).map((container: Manifest) => ({ name: container.name, init: false, container })),
  ];
}

/** The restricted-profile violations of a render's StatefulSets (the shared checker), as `<rule> <field>`, by StatefulSet name. */
function statefulSetViolations(docs: readonly Manifest[]): Record<string, string[]> {
  return Object.fromEntries(
    docs
      .filter((doc) => doc.kind === 'StatefulSet')
      .map((doc) => [doc.metadata.name, checkPodSecurity(doc).map((v) => `${v.rule} ${v.field}`)]),
  );
}

/** The pod specs of the StatefulSets a render holds, by StatefulSet name. */
function statefulSetPods(docs: readonly Manifest[]): Record<string, Manifest> {
  return Object.fromEntries(docs.filter((doc) => doc.kind === 'StatefulSet').map((doc) => [doc.metadata.name, doc.spec.template.spec]));
}

function lookup(values: unknown, path: string): { found: boolean; value?: unknown } {
  let node = values as Record<string, unknown> | undefined;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) return { found: false };
    node = node[key] as Record<string, unknown>;
  }
  return { found: true, value: node };
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value;
}

/** The Service a host names (`<svc>` in the release's namespace or `<svc>.<ns>.svc.cluster.local`). */
function serviceOf(docs: readonly Manifest[], host: string, namespace: string): Manifest {
  const fqdn = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  const [name, ns] = fqdn ? [fqdn[1], fqdn[2]] : [host, namespace];
  return findOne(docs, 'Service', (doc) => doc.metadata.name === name && doc.metadata.namespace === ns);
}

/** The StatefulSet whose pods a Service selects. */
function selectedStatefulSet(docs: readonly Manifest[], service: Manifest): Manifest {
  const selector: Record<string, string> = service.spec.selector;
  return findOne(
    docs,
    'StatefulSet',
    (doc) =>
      doc.metadata.namespace === service.metadata.namespace &&
      Object.entries(selector).every(([k, v]) => doc.spec.template.metadata.labels[k] === v),
  );
}

/** The database container of a StatefulSet: the one with the port named tcp-postgresql (10.x names it after the release). */
function postgresContainer(statefulSet: Manifest): Manifest {
  return statefulSet.spec.template.spec.containers.find((c: Manifest) =>
    (c.ports ?? []).some((p: Manifest) => p.name === 'tcp-postgresql'),
  );
}

/** The Secret key the database takes the `postgres` superuser's password from, as its container reads it. */
function superuserPasswordSource(statefulSet: Manifest): { name: string; key: string } {
  const pod = statefulSet.spec.template.spec;
  const container = postgresContainer(statefulSet);
  const env: Manifest[] = container.env;
  const user = env.find((e) => e.name === 'POSTGRES_USER')?.value;
  const own = env.find((e) => /^POSTGRES_POSTGRES_PASSWORD(_FILE)?$/.test(e.name));
  const entry =
    own ?? (user === undefined || user === 'postgres' ? env.find((e) => /^POSTGRES_PASSWORD(_FILE)?$/.test(e.name)) : undefined);
  if (!entry) throw new Error('no env variable holds the postgres password');
  if (entry.valueFrom?.secretKeyRef) return { name: entry.valueFrom.secretKeyRef.name, key: entry.valueFrom.secretKeyRef.key };
  const file: string = entry.value;
  const mount = container.volumeMounts.find((m: Manifest) => file.startsWith(m.mountPath.replace(/\/?$/, '/')));
  const volume = pod.volumes.find((v: Manifest) => v.name === mount.name);
  const fileName = file.slice(mount.mountPath.replace(/\/?$/, '/').length);
  const item = (volume.secret.items ?? []).find((i: Manifest) => i.path === fileName);
  return { name: volume.secret.secretName, key: item ? item.key : fileName };
}

/** Checks a connection's host, port and admin Secret against what the real chart rendered. */
function expectConnectionMatches(
  docs: readonly Manifest[],
  connection: { host: string; port: string; user: string; secret: { name: string; key: string } },
  namespace: string,
  existingSecret: boolean,
): void {
  const service = serviceOf(docs, connection.host, namespace);
  const port = service.spec.ports.find((p: Manifest) => String(p.port) === connection.port);
  expect(port).toBeDefined();
  const statefulSet = selectedStatefulSet(docs, service);
  const container = postgresContainer(statefulSet);
  const target = container.ports.find((p: Manifest) => p.name === port.targetPort || p.containerPort === port.targetPort);
  expect(target?.name).toBe('tcp-postgresql');
  expect(connection.user).toBe('postgres');
  expect(superuserPasswordSource(statefulSet)).toEqual(connection.secret);
  const secrets = docs.filter(
    (doc) => doc.kind === 'Secret' && doc.metadata.name === connection.secret.name && doc.metadata.namespace === service.metadata.namespace,
  );
  if (existingSecret) {
    expect(secrets).toEqual([]);
  } else {
    expect(secrets).toHaveLength(1);
    expect(Object.keys(secrets[0].data)).toContain(connection.secret.key);
  }
}

/** The connection a rendered hook Job uses: PGHOST, PGPORT, PGUSER and the PGPASSWORD secretKeyRef. */
function jobConnection(job: Manifest): { host: string; port: string; user: string; secret: { name: string; key: string } } {
  const env: Manifest[] = job.spec.template.spec.containers[0].env;
  const value = (name: string): string => env.find((e) => e.name === name)!.value;
  const ref = env.find((e) => e.name === 'PGPASSWORD')!.valueFrom.secretKeyRef;
  return { host: value('PGHOST'), port: value('PGPORT'), user: value('PGUSER'), secret: { name: ref.name, key: ref.key } };
}

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const isHookJob = (doc: Manifest): boolean => doc.kind === 'Job' && doc.metadata.annotations?.['helm.sh/hook'] !== undefined;

describeWithCharts('PostgresRelease against the real bitnami/postgresql charts', () => {
  const app = Testing.app();
  const seeds = buildApp(app).helmCharts;
  const decapodDb = seeds.find((c) => c.chartName === 'decapod-db')!;
  const tksContract = seeds.find((c) => c.chartName === 'tks-contract')!;
  const seedRelease = decapodDb.node.findAll().find((c): c is PostgresRelease => c instanceof PostgresRelease)!;

  const standalone17 = PostgresRelease.standaloneChart(
    app,
    'analytics-db',
    { version: '1.0.0', install: { releaseName: 'analytics', namespace: 'data' } },
    {
      chartVersion: '17.1.0',
      user: 'reporter',
      database: 'reports',
      persistence: { enabled: true, size: '20Gi', storageClass: 'fast-ssd' },
      images: { postgresql: { registry: 'registry.example.com', repository: 'mirror/postgresql' } },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    },
  );
  const standalone10 = PostgresRelease.standaloneChart(
    app,
    'legacy-db',
    { version: '1.0.0', install: { releaseName: 'legacy', namespace: 'old' } },
    {
      chartVersion: '10.8.0',
      user: 'legacy_app',
      database: 'legacy',
      existingSecret: 'legacy-db-passwords',
      fullnameOverride: 'legacy-pg',
      images: { postgresql: { digest: DIGEST } },
      resources: { requests: { cpu: '250m', memory: '256Mi' } },
    },
  );
  const standalones = [seedRelease, standalone17, standalone10];

  describe.each(
    standalones.map((release) => [`${release.chart.chartName} (bitnami/postgresql ${release.version.version})`, release] as const),
  )('standalone chart %s', (_name, release) => {
    const install = release.chart.install!;
    let bitnamiValues: Manifest;
    beforeAll(() => {
      bitnamiValues = parse(readFileSync(join(SHARED_CHARTS, 'bitnami', `postgresql-${release.version.version}`, 'values.yaml'), 'utf8'));
    });

    test("sets only keys that exist in the version's values.yaml, with the same type", () => {
      const paths = leafPaths(release.chartValues);
      expect(paths.length).toBeGreaterThan(1);
      for (const [path, value] of paths) {
        const found = lookup(bitnamiValues, path);
        expect({ path, found: found.found }).toEqual({ path, found: true });
        expect({ path, type: kindOf(value) }).toEqual({ path, type: kindOf(found.value) });
      }
    });

    test('its externalConnection names the Service, port and admin Secret key the real chart creates', () => {
      const docs = render(release.chart, { releaseName: install.releaseName, namespace: install.namespace });
      const c = release.externalConnection;
      expect(c.host).toMatch(new RegExp(`\\.${install.namespace}\\.svc\\.cluster\\.local$`));
      expectConnectionMatches(
        docs,
        { host: c.host, port: String(c.port), user: c.adminUser, secret: c.adminSecret },
        install.namespace,
        release === standalone10,
      );
    });
  });

  test('the seed chart sets admin user postgres and a 10Gi rbd volume, and no password', () => {
    expect(seedRelease.chartValues).toMatchObject({
      postgresqlUsername: 'postgres',
      persistence: { enabled: true, storageClass: 'rbd', size: '10Gi' },
    });
    expect(JSON.stringify(seedRelease.chartValues)).not.toMatch(/[Pp]assword/);
    const docs = render(decapodDb, { releaseName: 'postgresql', namespace: 'decapod-db' });
    const claim = findOne(docs, 'StatefulSet').spec.volumeClaimTemplates[0].spec;
    expect(claim).toMatchObject({ storageClassName: 'rbd', resources: { requests: { storage: '10Gi' } } });
  });

  test('the 17.1.0 chart places persistence, resources and the app role where 17.x reads them', () => {
    const docs = render(standalone17.chart, { releaseName: 'analytics', namespace: 'data' });
    const statefulSet = findOne(docs, 'StatefulSet');
    expect(statefulSet.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'fast-ssd',
      resources: { requests: { storage: '20Gi' } },
    });
    const container = postgresContainer(statefulSet);
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } });
    expect(container.image).toBe('registry.example.com/mirror/postgresql:17.6.0-debian-12-r4');
    expect(container.env.find((e: Manifest) => e.name === 'POSTGRES_USER').value).toBe('reporter');
    expect(container.env.find((e: Manifest) => e.name === 'POSTGRES_DATABASE').value).toBe('reports');
  });

  describe('images that exist today', () => {
    const tksWithDb = seeds.find((c) => c.chartName === 'tks-contract-with-db')!;
    const everyImage = {
      'postgresql.metrics.enabled': 'true',
      'postgresql.volumePermissions.enabled': 'true',
      'postgresql.replication.enabled': 'true',
      'postgresql.architecture': 'replication',
    };

    test.each([
      [
        'decapod-db',
        decapodDb,
        { 'postgresql.postgresqlDatabase': 'decapod' },
        '11.12.0-debian-10-r44',
        ['bitnami-shell:10-debian-10-r125', 'postgres-exporter:0.9.0-debian-10-r108'],
      ],
      [
        'tks-contract-with-db',
        tksWithDb,
        { 'database.password': 'x' },
        '17.6.0-debian-12-r4',
        ['os-shell:12-debian-12-r51', 'postgres-exporter:0.17.1-debian-12-r16'],
      ],
    ] as const)(
      "%s renders with the real chart and runs only docker.io/bitnamilegacy images with the chart's tags",
      (_name, chart, required, tag, sideImages) => {
        const defaults = Object.values(statefulSetPods(render(chart, { releaseName: 'db', namespace: 'db', set: required })));
        expect(defaults.map((pod) => postgresContainer({ spec: { template: { spec: pod } } }).image)).toEqual([
          `docker.io/bitnamilegacy/postgresql:${tag}`,
        ]);

        const pods = Object.values(
          statefulSetPods(render(chart, { releaseName: 'db', namespace: 'db', set: { ...required, ...everyImage } })),
        );
        const images = new Set(pods.flatMap((pod) => containersOf(pod).map(({ container }) => container.image)));
        expect([...images].sort()).toEqual([`postgresql:${tag}`, ...sideImages].map((image) => `docker.io/bitnamilegacy/${image}`).sort());
      },
    );

    test("17.1.0's bitnami/common only warns about bitnamilegacy images; a mirror passes with the allowInsecureImages helm-synth sets, and fails without it", () => {
      expect(standalone17.allowInsecureImages).toBe(true);
      expect(() => render(standalone17.chart, { releaseName: 'analytics', namespace: 'data' })).not.toThrow();
      expect(() =>
        render(standalone17.chart, {
          releaseName: 'analytics',
          namespace: 'data',
          set: { 'postgresql.global.security.allowInsecureImages': 'false' },
        }),
      ).toThrow(
        /Original containers have been substituted for unrecognized ones[\s\S]*registry\.example\.com\/mirror\/postgresql:17\.6\.0-debian-12-r4/,
      );
    });

    test('10.8.0 has no digest key: the digest rides in the tag', () => {
      const pod = Object.values(statefulSetPods(render(standalone10.chart, { releaseName: 'legacy', namespace: 'old' })))[0];
      expect(postgresContainer({ spec: { template: { spec: pod } } }).image).toBe(
        `docker.io/bitnamilegacy/postgresql:11.12.0-debian-10-r44@${DIGEST}`,
      );
    });
  });

  describe('Pod Security Standards "restricted"', () => {
    const tksWithDb = seeds.find((c) => c.chartName === 'tks-contract-with-db')!;
    const cases = [
      ['decapod-db (10.8.0)', decapodDb, { 'postgresql.postgresqlDatabase': 'decapod' }, { 'postgresql.replication.enabled': 'true' }],
      ['tks-contract-with-db (17.1.0)', tksWithDb, { 'database.password': 'x' }, { 'postgresql.architecture': 'replication' }],
    ] as const;

    test.each(cases)(
      '%s: every database pod passes with defaults, with metrics and with read replicas',
      (_name, chart, required, replicas) => {
        for (const set of [
          required,
          { ...required, 'postgresql.metrics.enabled': 'true' },
          { ...required, ...replicas, 'postgresql.metrics.enabled': 'true' },
        ]) {
          const byStatefulSet = statefulSetViolations(render(chart, { releaseName: 'db', namespace: 'db', set }));
          expect(Object.keys(byStatefulSet).length).toBeGreaterThan(0);
          for (const [name, violations] of Object.entries(byStatefulSet))
            expect({ set, name, violations }).toEqual({ set, name, violations: [] });
        }
      },
    );

    test.each(cases)('%s: the volume-permissions init container is the documented exception', (_name, chart, required) => {
      const violations = Object.values(
        statefulSetViolations(
          render(chart, { releaseName: 'db', namespace: 'db', set: { ...required, 'postgresql.volumePermissions.enabled': 'true' } }),
        ),
      )[0];
      expect(violations.length).toBeGreaterThan(0);
      expect(violations.every((v) => v.includes(' spec.template.spec.initContainers[0].'))).toBe(true);
      expect(violations).toContain('restricted/runAsUser spec.template.spec.initContainers[0].securityContext.runAsUser');
      expect(Testing.synth(chart).files.get('README.md')).toContain(
        '`postgresql.volumePermissions.enabled=true` adds an init container that runs as root',
      );
    });

    test("bitnami 10.8.0's own defaults break the profile: helm-synth's values are what make it pass", () => {
      const violations = Object.values(
        statefulSetViolations(
          render(decapodDb, {
            releaseName: 'db',
            namespace: 'db',
            set: { 'postgresql.securityContext': 'null', 'postgresql.containerSecurityContext': 'null' },
          }),
        ),
      )[0];
      const container = 'spec.template.spec.containers[0].securityContext';
      expect(violations).toEqual([
        `restricted/allowPrivilegeEscalation ${container}.allowPrivilegeEscalation`,
        `restricted/runAsNonRoot ${container}.runAsNonRoot`,
        `restricted/seccompProfile ${container}.seccompProfile`,
        `restricted/capabilities ${container}.capabilities.drop`,
      ]);
    });
  });

  test('the seed tks-contract hook reads the host, port and Secret key the seed database release creates', () => {
    const database = render(decapodDb, { releaseName: 'postgresql', namespace: 'decapod-db' });
    const contract = render(tksContract, { releaseName: 'tks', namespace: 'tks', set: { 'database.password': 'x' } });
    const c = jobConnection(findOne(contract, 'Job', isHookJob));
    expect(c).toEqual({
      host: 'postgresql.decapod-db.svc.cluster.local',
      port: '5432',
      user: 'postgres',
      secret: { name: 'postgresql', key: 'postgresql-password' },
    });
    expectConnectionMatches(database, c, 'decapod-db', false);
  });

  test('a hook of another chart wired to the 17.1.0 externalConnection reads what that release creates', () => {
    const consumer = new HelmChart(app, 'report-app', { version: '1.0.0' });
    new DbBootstrapHook(consumer, 'Bootstrap', {
      connection: standalone17.externalConnection,
      database: 'reports_app',
      user: 'reports_app',
    });
    const job = findOne(
      render(consumer, { releaseName: 'reports', namespace: 'data', set: { 'dbBootstrap.appPassword': 'x' } }),
      'Job',
      isHookJob,
    );
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expectConnectionMatches(render(standalone17.chart, { releaseName: 'analytics', namespace: 'data' }), jobConnection(job), 'data', false);
  });

  type Variant = readonly [label: string, release: string, set: Record<string, string>, existingSecret?: boolean];
  const inRelease: ReadonlyArray<readonly [string, PostgresReleaseProps, readonly Variant[]]> = [
    [
      '10.8.0',
      { chartVersion: '10.8.0' },
      [
        ['defaults', 'shop', {}],
        ['a release name that contains postgresql', 'shop-postgresql', {}],
        ['fullnameOverride', 'shop', { 'postgresql.fullnameOverride': 'main-db' }],
        ['nameOverride', 'shop', { 'postgresql.nameOverride': 'pg' }],
        ['an app postgresqlUsername', 'shop', { 'postgresql.postgresqlUsername': 'shop_app' }],
        ['existingSecret', 'shop', { 'postgresql.existingSecret': 'shop-db-passwords' }, true],
        [
          'existingSecret with an app postgresqlUsername',
          'shop',
          { 'postgresql.existingSecret': 'shop-db-passwords', 'postgresql.postgresqlUsername': 'shop_app' },
          true,
        ],
        ['another service port', 'shop', { 'postgresql.service.port': '6543' }],
      ],
    ],
    [
      '17.1.0',
      { chartVersion: '17.1.0' },
      [
        ['defaults', 'shop', {}],
        ['a release name that contains postgresql', 'postgresql', {}],
        ['fullnameOverride', 'shop', { 'postgresql.fullnameOverride': 'main-db' }],
        ['nameOverride', 'shop', { 'postgresql.nameOverride': 'pg' }],
        ['an app auth.username', 'shop', { 'postgresql.auth.username': 'shop_app' }],
        ['architecture replication', 'shop', { 'postgresql.architecture': 'replication' }],
        [
          'existingSecret with its own admin key',
          'shop',
          { 'postgresql.auth.existingSecret': 'shop-db-passwords', 'postgresql.auth.secretKeys.adminPasswordKey': 'admin' },
          true,
        ],
        ['another service port', 'shop', { 'postgresql.primary.service.ports.postgresql': '6543' }],
      ],
    ],
    [
      '17.1.0 under the alias db',
      { chartVersion: '17.1.0', alias: 'db' },
      [
        ['defaults', 'shop', {}],
        ['a release name that contains the alias', 'shopdb', {}],
        ['fullnameOverride and replication', 'shop', { 'db.fullnameOverride': 'main-db', 'db.architecture': 'replication' }],
      ],
    ],
  ];

  describe.each(inRelease.map(([label, props, variants]) => [label, props, variants] as const))(
    'bitnami/postgresql %s in the same release as a DbBootstrapHook',
    (label, props, variants) => {
      const chart = new HelmChart(app, `shop-${label.replace(/[^a-z0-9]+/g, '-').replace(/-$/, '')}`, { version: '1.0.0' });
      const database = new PostgresRelease(chart, 'Database', props);
      new DbBootstrapHook(chart, 'Bootstrap', { connection: database.connection, database: 'shop', user: 'shop_owner' });

      test('the hook runs after install and upgrade; with the database switched off, against the server in externalDatabase.*', () => {
        const docs = render(chart, { releaseName: 'shop', namespace: 'shop', set: { 'dbBootstrap.appPassword': 'x' } });
        expect(findOne(docs, 'Job', isHookJob).metadata.annotations['helm.sh/hook']).toBe('post-install,post-upgrade');
        const off = { 'dbBootstrap.appPassword': 'x', [`${database.key}.enabled`]: 'false' };
        expect(() => render(chart, { releaseName: 'shop', namespace: 'shop', set: off })).toThrow(
          `value externalDatabase.host is required when ${database.key}.enabled is false`,
        );
        const external = {
          'externalDatabase.host': 'pg.example.com',
          'externalDatabase.adminSecret.name': 'pg-admin',
          'externalDatabase.adminSecret.key': 'password',
        };
        const disabled = render(chart, { releaseName: 'shop', namespace: 'shop', set: { ...off, ...external } });
        expect(
          disabled.filter((doc) => doc.kind === 'StatefulSet' || doc.metadata.labels?.['app.kubernetes.io/name'] === 'postgresql'),
        ).toEqual([]);
        const job = findOne(disabled, 'Job', isHookJob);
        expect(job.metadata.annotations['helm.sh/hook']).toBe('post-install,post-upgrade');
        expect(jobConnection(job)).toEqual({
          host: 'pg.example.com',
          port: '5432',
          user: 'postgres',
          secret: { name: 'pg-admin', key: 'password' },
        });
      });

      test.each(variants.map((v) => [v[0], v] as const))(
        'with %s, the hook reads exactly the Service, port and admin Secret key the chart creates',
        (_label, [, release, set, existingSecret]) => {
          const docs = render(chart, { releaseName: release, namespace: 'shop', set: { 'dbBootstrap.appPassword': 'x', ...set } });
          expectConnectionMatches(docs, jobConnection(findOne(docs, 'Job', isHookJob)), 'shop', existingSecret === true);
        },
      );
    },
  );

  test('an externalConnection needs the chart to fix its release name and namespace', () => {
    const chart = new HelmChart(app, 'floating', { version: '1.0.0' });
    const database = new PostgresRelease(chart, 'Database', { chartVersion: '17.1.0' });
    expect(() => database.externalConnection).toThrow(/does not fix its release name and namespace/);
    expect(database.connection).toBeInstanceOf(PostgresConnection);
  });
});
