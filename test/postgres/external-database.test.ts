import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildApp } from '../../charts/app';
import { decapodDb } from '../../charts/decapod-db';
import { EnvironmentValues, HelmChart } from '../../src';
import { DbBootstrapHook, PostgresRelease } from '../../src/postgres';
import { HelmRunner, NO_HELM_MESSAGE, parseManifests } from '../../src/helm';
import { Testing } from '../../src/testing';
import { SHARED_CHARTS, sharedPostgresChartsPresent, withDependencies } from '../support/dependencies';
import { expectHelmSynthError as expectError } from '../support/errors';
import { describeEachPostgres, outputLines, PostgresServer, runProcess, startPostgres } from '../support/postgres-server';
import { findOne, resolveJob } from '../support/rendered-job';
import { reportMissingTool } from '../support/tools';

type Manifest = Record<string, any>;

const helm = HelmRunner.find()?.binary;
const isHookJob = (doc: Manifest): boolean => doc.kind === 'Job' && doc.metadata.annotations?.['helm.sh/hook'] !== undefined;
const tksWithDb = (): HelmChart => buildApp(Testing.app()).helmCharts.find((c) => c.chartName === 'tks-contract-with-db')!;
const valuesOf = (c: HelmChart): Record<string, any> => parse(Testing.synth(c).files.get('values.yaml')!);

/** Host, port, admin user and admin Secret key a container reads from its env (`<prefix>HOST`, ...). */
function envConnection(
  container: Manifest,
  names: { host: string; port: string; user?: string; password?: string },
): Record<string, unknown> {
  const env: Manifest[] = container.env;
  const value = (name: string) => env.find((e) => e.name === name)?.value;
  const ref = names.password ? env.find((e) => e.name === names.password)?.valueFrom?.secretKeyRef : undefined;
  return {
    host: value(names.host),
    port: value(names.port),
    ...(names.user && { user: value(names.user) }),
    ...(ref && { secret: { name: ref.name, key: ref.key } }),
  };
}

describe('the external server of a bundled database (values)', () => {
  test('a PostgresRelease declares externalDatabase.* when constructed: host and Secret without defaults, port 5432, admin postgres', () => {
    const c = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    new PostgresRelease(c, 'Database', { chartVersion: '10.8.0' });
    expect(valuesOf(c).externalDatabase).toEqual({ port: 5432, adminUser: 'postgres', adminSecret: {} });
    const schema = JSON.parse(Testing.synth(c).files.get('values.schema.json')!).properties.externalDatabase;
    expect(schema.properties.host).toMatchObject({ type: 'string', pattern: expect.stringMatching(/^\^\[a-z0-9\]/), maxLength: 253 });
    expect(schema.properties.port).toMatchObject({ type: 'integer', minimum: 1, maximum: 65535, default: 5432 });
    expect(schema.properties.adminSecret.properties.key).toMatchObject({ pattern: '^[-._a-zA-Z0-9]+$', maxLength: 253 });
    expect(schema.required).toEqual(['port', 'adminUser', 'adminSecret']);
    expect(Testing.synth(c).files.get('README.md')).toContain(
      "`--set postgresql.enabled=false` installs no database: the chart's templates then use the server in `externalDatabase`",
    );
  });

  test('reading connection never changes the chart: read never, once or twice, every chart file is the same', () => {
    const variants = [
      (app: ReturnType<typeof Testing.app>) =>
        new PostgresRelease(new HelmChart(app, 'shop', { version: '1.0.0' }), 'Database', { chartVersion: '17.1.0' }),
      (app: ReturnType<typeof Testing.app>) =>
        new PostgresRelease(new HelmChart(app, 'shop', { version: '1.0.0' }), 'Database', {
          chartVersion: '10.8.0',
          externalValuesPath: false,
        }),
      (app: ReturnType<typeof Testing.app>) => decapodDb(app),
      (app: ReturnType<typeof Testing.app>) =>
        PostgresRelease.standaloneChart(
          app,
          'db',
          { version: '1.0.0', install: { releaseName: 'db', namespace: 'data' } },
          { chartVersion: '17.1.0' },
        ),
    ];
    for (const make of variants) {
      const files = [0, 1, 2].map((reads) => {
        const release = make(Testing.app());
        for (let i = 0; i < reads; i++) expect(release.connection).toBe(release.connection);
        return Object.fromEntries(Testing.synth(release.chart).files);
      });
      expect(files[1]).toEqual(files[0]);
      expect(files[2]).toEqual(files[0]);
    }
  });

  test('a standalone database chart (or externalValuesPath: false) declares nothing; its connection reaches only the bundled database', () => {
    const release = decapodDb(Testing.app());
    expect(release.externalValuesPath).toBeUndefined();
    expect(release.connection.externalValuesPath).toBeUndefined();
    expect(Object.keys(valuesOf(release.chart))).toEqual(['nameOverride', 'fullnameOverride', 'postgresql']);
    expect(Testing.synth(release.chart).files.get('README.md')).not.toContain('Without the bundled PostgreSQL');
    const c = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    const none = new PostgresRelease(c, 'Database', { chartVersion: '17.1.0', externalValuesPath: false });
    expect(valuesOf(c).externalDatabase).toBeUndefined();
    const hook = new DbBootstrapHook(c, 'Bootstrap', { connection: none.connection, database: 'shop', user: 'shop_owner' });
    const job = [...Testing.synth(c).files].find(([name]) => name.endsWith('-job.yaml') && name.includes('bootstrap'));
    expect(job?.[1]).toMatch(/^\{\{- if \.Values\.postgresql\.enabled \}\}/m);
    expect(hook.hookJob.hook.events).toEqual(['post-install', 'post-upgrade']);
    const withPath = PostgresRelease.standaloneChart(
      Testing.app(),
      'db',
      { version: '1.0.0', install: { releaseName: 'db', namespace: 'data' } },
      { chartVersion: '17.1.0', externalValuesPath: 'external' },
    );
    expect(valuesOf(withPath.chart).external.port).toBe(5432);
    const unset = PostgresRelease.standaloneChart(
      Testing.app(),
      'db',
      { version: '1.0.0', install: { releaseName: 'db', namespace: 'data' } },
      { chartVersion: '17.1.0', externalValuesPath: undefined },
    );
    expect(unset.externalValuesPath).toBeUndefined();
  });

  test('tks-contract-with-db keeps them beside its other database values, under database.external', () => {
    const values = valuesOf(tksWithDb());
    expect(values.database).toEqual({ external: { port: 5432, adminUser: 'postgres', adminSecret: {} }, name: 'tks', user: 'tksuser' });
  });

  test("externalValuesPath must be a path of the chart's own values, one per connection", () => {
    const c = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    expectError(
      () => new PostgresRelease(c, 'A', { chartVersion: '17.1.0', externalValuesPath: 'postgresql.external' }),
      'shop/A',
      'externalValuesPath "postgresql.external" must be a values path of the chart\'s own (dot-separated identifiers such as database.external), not under postgresql',
    );
    expectError(
      () => new PostgresRelease(c, 'B', { chartVersion: '17.1.0', externalValuesPath: 'external db' }),
      'shop/B',
      'externalValuesPath "external db"',
    );
    new PostgresRelease(c, 'First', { chartVersion: '17.1.0', alias: 'one' });
    expectError(
      () => new PostgresRelease(c, 'Second', { chartVersion: '17.1.0', alias: 'two' }),
      'shop',
      'values externalDatabase.* already hold another external server; give each release-scoped connection its own externalValuesPath',
    );
    const third = new PostgresRelease(c, 'Third', { chartVersion: '17.1.0', alias: 'three', externalValuesPath: 'externalThree' });
    expect(third.connection.externalValuesPath).toBe('externalThree');
    expect(valuesOf(c).externalThree.port).toBe(5432);
  });
});

const describeWithCharts = helm && sharedPostgresChartsPresent() ? describe : describe.skip;
if (!helm) reportMissingTool(`a switched-off bundled database: ${NO_HELM_MESSAGE}`);
if (!sharedPostgresChartsPresent()) reportMissingTool(`a switched-off bundled database: ${SHARED_CHARTS}/bitnami is absent`);

describeWithCharts('tks-contract-with-db with postgresql.enabled=false, with the real bitnami/postgresql 17.1.0 in charts/', () => {
  const chart = tksWithDb();
  const external = {
    host: 'pg.data.svc.cluster.local',
    port: 6432,
    adminUser: 'dbadmin',
    adminSecret: { name: 'pg-admin', key: 'admin-password' },
  };

  /** `helm template` (release tks, namespace tks) with a values file; returns the output text, or the error. */
  function template(dir: string, values: Record<string, unknown>): { text?: string; error?: string } {
    try {
      return { text: Testing.render(dir, { releaseName: 'tks', namespace: 'tks', values: values as EnvironmentValues }).text };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  test('the bootstrap Job and the app read the external host, port, admin and Secret; nothing of bitnami is rendered; lint is clean', () => {
    withDependencies(chart, (dir) => {
      const values = { postgresql: { enabled: false }, database: { password: 'app-password', external } };
      const { text, error } = template(dir, values);
      expect(error).toBeUndefined();
      expect(text).not.toContain('/charts/postgresql/');
      const docs = parseManifests(text!);
      expect(docs.filter((d) => d.kind === 'StatefulSet' || d.metadata.labels?.['app.kubernetes.io/name'] === 'postgresql')).toEqual([]);
      const job = findOne(docs, 'Job', isHookJob);
      expect(job.metadata.annotations['helm.sh/hook']).toBe('post-install,post-upgrade');
      expect(
        envConnection(job.spec.template.spec.containers[0], { host: 'PGHOST', port: 'PGPORT', user: 'PGUSER', password: 'PGPASSWORD' }),
      ).toEqual({ host: external.host, port: '6432', user: 'dbadmin', secret: external.adminSecret });
      expect(envConnection(findOne(docs, 'Deployment').spec.template.spec.containers[0], { host: 'DB_HOST', port: 'DB_PORT' })).toEqual({
        host: external.host,
        port: '6432',
      });

      const file = join(dir, '..', 'lint-values.json');
      writeFileSync(file, JSON.stringify(values));
      const lint = spawnSync(helm!, ['lint', '--strict', dir, '-f', file], { encoding: 'utf8' });
      expect({
        status: lint.status,
        findings: `${lint.stdout}${lint.stderr}`.split('\n').filter((l) => /\[(ERROR|WARNING)\]/.test(l)),
      }).toEqual({ status: 0, findings: [] });
    });
  });

  test('each missing external value fails the install with a message naming its key', () => {
    withDependencies(chart, (dir) => {
      const off = (given: Record<string, unknown>) =>
        template(dir, { postgresql: { enabled: false }, database: { password: 'x', external: given } }).error;
      const message = (key: string) =>
        `value database.external.${key} is required when postgresql.enabled is false (bitnami/postgresql 17.1.0 of chart tks-contract-with-db is not installed then)`;
      expect(off({})).toContain(message('host'));
      expect(off({ host: 'pg', adminSecret: { key: 'password' } })).toContain(message('adminSecret.name'));
      expect(off({ host: 'pg', adminSecret: { name: 'pg-admin' } })).toContain(message('adminSecret.key'));
      expect(off({ host: 'pg', adminSecret: { name: 'pg-admin', key: 'password' } })).toBeUndefined();
    });
  });

  test('external values are typed: what Kubernetes or libpq would refuse fails our schema naming the key', () => {
    withDependencies(chart, (dir) => {
      const bad = { host: 'pg example', port: 70000, adminUser: 'admin: x', adminSecret: { name: 'PG_Admin', key: 'a/b' } };
      const { error } = template(dir, { postgresql: { enabled: false }, database: { password: 'x', external: bad } });
      const failures = [...(error ?? '').matchAll(/^- (database\.external\.[\w.]+): /gm)].map((m) => m[1]).sort();
      expect(failures).toEqual([
        'database.external.adminSecret.key',
        'database.external.adminSecret.name',
        'database.external.adminUser',
        'database.external.host',
        'database.external.port',
      ]);
    });
  });

  test('with the database on (the default), the Job and the app read the bundled one, whatever external values say', () => {
    withDependencies(chart, (dir) => {
      for (const values of [{ database: { password: 'x' } }, { database: { password: 'x', external } }]) {
        const docs = parseManifests(template(dir, values).text!);
        expect(
          envConnection(findOne(docs, 'Job', isHookJob).spec.template.spec.containers[0], {
            host: 'PGHOST',
            port: 'PGPORT',
            user: 'PGUSER',
            password: 'PGPASSWORD',
          }),
        ).toEqual({ host: 'tks-postgresql', port: '5432', user: 'postgres', secret: { name: 'tks-postgresql', key: 'postgres-password' } });
        expect(envConnection(findOne(docs, 'Deployment').spec.template.spec.containers[0], { host: 'DB_HOST', port: 'DB_PORT' })).toEqual({
          host: 'tks-postgresql',
          port: '5432',
        });
        expect(findOne(docs, 'StatefulSet').metadata.name).toBe('tks-postgresql');
      }
    });
  });
});

describeEachPostgres(
  'tks-contract-with-db with postgresql.enabled=false: the rendered bootstrap Job against a real server',
  (major) => {
    let server: PostgresServer;
    let workDir: string;

    beforeAll(async () => {
      const started = await startPostgres(major);
      if (typeof started === 'string') throw new Error(started);
      server = started;
      workDir = mkdtempSync(join(tmpdir(), 'helm-synth-external-'));
    });

    afterAll(async () => {
      await server?.stop();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    test('makes the role, database and tables on the external server, reading the admin password from the Secret named in the values', async () => {
      const chart = tksWithDb();
      const values = {
        postgresql: { enabled: false },
        database: {
          password: 'app-password',
          external: { host: server.host, port: server.port, adminSecret: { name: 'pg-admin', key: 'password' } },
        },
        dbBootstrap: { wait: { intervalSeconds: 1 } },
      };
      const file = join(workDir, 'values.json');
      writeFileSync(file, JSON.stringify(values));
      const docs = withDependencies(
        chart,
        (dir) => Testing.render(dir, { releaseName: 'tks', namespace: 'tks', valuesFiles: [file] }).manifests,
      );
      const job = resolveJob(
        docs,
        findOne(docs, 'Job', isHookJob),
        { 'pg-admin': { password: server.adminPassword } },
        mkdtempSync(join(workDir, 'pod-')),
      );
      expect(job.secretKeys).toEqual(['pg-admin/password', 'tks-tks-contract-with-db-db-bootstrap-app-password/password']);

      const [command, ...args] = job.command;
      const result = await runProcess(command, args, {
        env: { PATH: `${server.clientBinDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, ...job.env },
      });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
      expect(outputLines(result.stdout)).toContain('bootstrap: database "tks" created');
      expect(await server.psql("SELECT datdba::regrole FROM pg_database WHERE datname = 'tks'")).toBe('tksuser');
      expect(await server.psql('SELECT count(*) FROM contracts', { database: 'tks' })).toBe('1');
    });
  },
  helm && sharedPostgresChartsPresent() ? undefined : helm ? `${SHARED_CHARTS}/bitnami is absent` : NO_HELM_MESSAGE,
);

test('DbBootstrapHook stays a post-install hook on a switched-off database: its events are fixed at synthesis', () => {
  const c = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
  const database = new PostgresRelease(c, 'Database', { chartVersion: '17.1.0' });
  const hook = new DbBootstrapHook(c, 'Bootstrap', { connection: database.connection, database: 'shop', user: 'shop_owner' });
  expect(hook.events).toEqual(['post-install', 'post-upgrade']);
  expect(Testing.synth(c).files.get('README.md')).toContain(
    "on the first install the app's pods start before their role and database do, and restart until the Job has made them",
  );
});
