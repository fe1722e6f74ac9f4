import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../charts/app';
import { HelmChart } from '../../src';
import { stringify as stringifyYaml } from 'yaml';
import { NO_HELM_MESSAGE } from '../../src/helm';
import { Testing } from '../../src/testing';
import {
  catalogFingerprint,
  describeEachPostgres,
  outputLines,
  PostgresServer,
  ProcessResult,
  runProcess,
  startPostgres,
} from '../support/postgres-server';
import { findOne, resolveJob, ResolvedJob } from '../support/rendered-job';

const helm = Testing.helmAvailable();

const ADMIN_SECRET = { name: 'postgresql', key: 'postgresql-password' };
const TESTER_ID = 'edcaa975-dde4-4c4d-94f7-36bc38fe7064';

interface Render {
  readonly job: ResolvedJob;
  readonly jobManifest: Record<string, any>;
}

describeEachPostgres(
  'the rendered tks-contract bootstrap hook against a real PostgreSQL server',
  (major) => {
    let server: PostgresServer;
    let chartDir: string;
    let workDir: string;
    const secrets = new Set<string>();
    const outputs: string[] = [];
    const chart = buildApp(Testing.app()).helmCharts.find((c): c is HelmChart => c.chartName === 'tks-contract')!;
    let renders = 0;

    beforeAll(async () => {
      const started = await startPostgres(major);
      if (typeof started === 'string') throw new Error(started);
      server = started;
      secrets.add(server.adminPassword);
      await server.psql("ALTER SYSTEM SET log_statement = 'all';\nSELECT pg_reload_conf();");
      chartDir = Testing.writeChart(chart);
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-synth-tks-'));
    });

    afterAll(async () => {
      await server?.stop();
      if (chartDir) Testing.removeChart(chartDir);
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    /**
     * Renders the chart as `helm upgrade --install <release> ./tks-contract -n <namespace> -f values.yaml`
     * would (release tks in namespace tks unless told), with the database settings pointing at the test
     * server, and resolves its pre-install Job.
     */
    function render(
      database: Record<string, unknown>,
      options: { adminPassword?: string; release?: string; namespace?: string; adopt?: boolean } = {},
    ): Render {
      const adminPassword = options.adminPassword ?? server.adminPassword;
      const file = path.join(workDir, `values-${++renders}.yaml`);
      const dbBootstrap = { wait: { intervalSeconds: 1 }, ...(options.adopt !== undefined && { adopt: options.adopt }) };
      fs.writeFileSync(file, stringifyYaml({ database: { host: server.host, port: server.port, ...database }, dbBootstrap }));
      const docs = Testing.render(chartDir, {
        releaseName: options.release ?? 'tks',
        namespace: options.namespace ?? 'tks',
        valuesFiles: [file],
      }).manifests;
      const jobManifest = findOne(docs, 'Job');
      const job = resolveJob(
        docs,
        jobManifest,
        { [ADMIN_SECRET.name]: { [ADMIN_SECRET.key]: adminPassword } },
        fs.mkdtempSync(path.join(workDir, 'pod-')),
      );
      secrets.add(adminPassword);
      secrets.add(job.env.APP_PASSWORD);
      return { job, jobManifest };
    }

    async function run(job: ResolvedJob): Promise<ProcessResult> {
      const [command, ...args] = job.command;
      const result = await runProcess(command, args, {
        env: { PATH: `${server.clientBinDir}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`, ...job.env },
      });
      outputs.push(result.stdout, result.stderr);
      return result;
    }

    const inDatabase = (database: string) => ({ database });

    it('runs the rendered command with the rendered env: no secret on the command line, passwords only through secretKeyRef', () => {
      const { job, jobManifest } = render({ password: 'first-run-password' });
      const env: Array<Record<string, any>> = jobManifest.spec.template.spec.containers[0].env;
      const fromSecrets = env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name);

      expect(job.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
      expect(job.command).toHaveLength(3);
      expect(fromSecrets.sort()).toEqual(['APP_PASSWORD', 'PGPASSWORD']);
      expect(job.secretKeys).toEqual([`${ADMIN_SECRET.name}/${ADMIN_SECRET.key}`, 'tks-tks-contract-db-bootstrap-app-password/password']);
      expect(job.env).toMatchObject({
        PGHOST: server.host,
        PGPORT: String(server.port),
        PGUSER: 'postgres',
        ADMIN_DATABASE: 'postgres',
        APP_DATABASE: 'tks',
        APP_USER: 'tksuser',
        APP_EXTENSIONS: 'pgcrypto',
        WAIT_ATTEMPTS: '60',
        WAIT_INTERVAL_SECONDS: '1',
        RELEASE_NAME: 'tks',
        RELEASE_NAMESPACE: 'tks',
        ADOPT_UNOWNED: 'false',
      });
      expect(job.env.STEPS_DIR).toBe(job.mounts['/bootstrap/steps']);
      expect(fs.readdirSync(job.env.STEPS_DIR)).toEqual(['001-contracts.sql', '002-contracts-tester.sql', '003-resource-quota.sql']);
      for (const secret of [server.adminPassword, 'first-run-password']) expect(job.command.join(' ')).not.toContain(secret);
    });

    it('creates exactly database tks, role tksuser, both tables, the clustered unique index and the tester row', async () => {
      const databasesBefore = await server.psql("SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database");
      const rolesBefore = await server.psql("SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles");
      const { job } = render({ password: 'first-run-password' });

      const result = await run(job);

      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(outputLines(result.stdout)).toEqual([
        'bootstrap: role "tksuser" created',
        'bootstrap: database "tks" created',
        'bootstrap: all privileges on database "tks" granted to "tksuser"',
        'bootstrap: extension "pgcrypto" created',
        'bootstrap: step 001-contracts.sql applied',
        'bootstrap: step 002-contracts-tester.sql applied',
        'bootstrap: step 003-resource-quota.sql applied',
        'bootstrap: done',
      ]);
      expect(await server.psql("SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database")).toBe(
        `${databasesBefore},tks`.split(',').sort().join(','),
      );
      expect(await server.psql("SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles")).toBe(
        `${rolesBefore},tksuser`.split(',').sort().join(','),
      );
      expect(await server.psql("SELECT datdba::regrole FROM pg_database WHERE datname = 'tks'")).toBe('tksuser');
      expect(await server.psql("SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 'tksuser'")).toBe(
        't|f|f|f',
      );

      const columns = (table: string) =>
        server.psql(
          `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
         FROM pg_attribute WHERE attrelid = :'table'::regclass AND attnum > 0 AND NOT attisdropped`,
          { database: 'tks', variables: { table } },
        );
      expect(await columns('contracts')).toBe(
        'contractor_name character varying(50), id uuid, available_services character varying(50)[], updated_at timestamp with time zone, created_at timestamp with time zone',
      );
      expect(await columns('resource_quota')).toBe(
        'id uuid, cpu bigint, memory bigint, block bigint, block_ssd bigint, fs bigint, fs_ssd bigint, contract_id uuid, updated_at timestamp with time zone, created_at timestamp with time zone',
      );
      expect(
        await server.psql(
          `SELECT string_agg(relname || ' ' || relowner::regrole, ', ' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
          inDatabase('tks'),
        ),
      ).toBe('contracts tksuser, helm_synth_bootstrap_steps tksuser, resource_quota tksuser');
      expect(
        await server.psql(
          `SELECT string_agg(indexrelid::regclass || ' ' || pg_get_indexdef(indexrelid) || ' primary=' || indisprimary || ' clustered=' || indisclustered, E'\\n' ORDER BY indexrelid::regclass::text)
         FROM pg_index WHERE indrelid IN ('contracts'::regclass, 'resource_quota'::regclass)`,
          inDatabase('tks'),
        ),
      ).toBe(
        [
          'contracts_pkey CREATE UNIQUE INDEX contracts_pkey ON public.contracts USING btree (id) primary=true clustered=false',
          'idx_contractor_name CREATE UNIQUE INDEX idx_contractor_name ON public.contracts USING btree (contractor_name) primary=false clustered=true',
          'resource_quota_pkey CREATE UNIQUE INDEX resource_quota_pkey ON public.resource_quota USING btree (id) primary=true clustered=false',
        ].join('\n'),
      );
      expect(
        await server.psql('SELECT id, contractor_name, available_services, created_at = updated_at FROM contracts', inDatabase('tks')),
      ).toBe(`${TESTER_ID}|tester|{lma}|t`);
      expect(await server.psql('SELECT count(*) FROM resource_quota', inDatabase('tks'))).toBe('0');

      const asApp = { database: 'tks', user: 'tksuser', password: 'first-run-password' };
      expect(
        await server.psql("INSERT INTO contracts (contractor_name) VALUES ('second') RETURNING id::text ~ '^[0-9a-f-]{36}$'", asApp),
      ).toBe('t');
      expect(
        await server.psql(
          "INSERT INTO resource_quota (cpu, contract_id) VALUES (4, (SELECT id FROM contracts WHERE contractor_name = 'second')) RETURNING cpu",
          asApp,
        ),
      ).toBe('4');
      await expect(server.psql("INSERT INTO contracts (contractor_name) VALUES ('tester')", asApp)).rejects.toThrow(/idx_contractor_name/);
      await server.psql("DELETE FROM resource_quota; DELETE FROM contracts WHERE contractor_name = 'second'", asApp);
    });

    it('changes nothing on a second run', async () => {
      const before = await catalogFingerprint(server, 'tks', 'tksuser', ['contracts', 'resource_quota', 'helm_synth_bootstrap_steps']);

      const result = await run(render({ password: 'first-run-password' }).job);

      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(outputLines(result.stdout)).toEqual([
        'bootstrap: role "tksuser" exists, password updated',
        'bootstrap: database "tks" exists',
        'bootstrap: all privileges on database "tks" granted to "tksuser"',
        'bootstrap: extension "pgcrypto" exists',
        'bootstrap: step 001-contracts.sql already applied',
        'bootstrap: step 002-contracts-tester.sql already applied',
        'bootstrap: step 003-resource-quota.sql already applied',
        'bootstrap: done',
      ]);
      expect(await catalogFingerprint(server, 'tks', 'tksuser', ['contracts', 'resource_quota', 'helm_synth_bootstrap_steps'])).toBe(
        before,
      );
    });

    it('lets two runs at the same time both succeed, each object made once', async () => {
      const { job } = render({ name: 'tks_parallel', user: 'tks_parallel_user', password: 'parallel-password' });

      const results = await Promise.all([run(job), run(job)]);

      for (const result of results) {
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      }
      const all = results.flatMap((result) => outputLines(result.stdout));
      const count = (line: string) => all.filter((candidate) => candidate === line).length;
      expect(count('bootstrap: role "tks_parallel_user" created')).toBe(1);
      expect(count('bootstrap: database "tks_parallel" created')).toBe(1);
      expect(count('bootstrap: extension "pgcrypto" created')).toBe(1);
      for (const step of ['001-contracts.sql', '002-contracts-tester.sql', '003-resource-quota.sql'])
        expect(count(`bootstrap: step ${step} applied`)).toBe(1);
      expect(count('bootstrap: done')).toBe(2);
      expect(await server.psql('SELECT count(*) FROM contracts', inDatabase('tks_parallel'))).toBe('1');
    });

    it('sets a password with quotes, $, backslashes and spaces that logs in', async () => {
      const password = `it's a "quoted" pa$$word $(id) with \\back\\slashes\\ and  spaces `;
      const { job } = render({ name: 'tks_quoted', user: 'tks_quoted_user', password });
      expect(job.env.APP_PASSWORD).toBe(password);

      const result = await run(job);

      expect(result.status).toBe(0);
      expect(await server.psql('SELECT current_user', { database: 'tks_quoted', user: 'tks_quoted_user', password })).toBe(
        'tks_quoted_user',
      );
    });

    it('creates database names with a quote or a semicolon literally', async () => {
      const names = [`tks"; DROP DATABASE postgres; --`, `tks'; SELECT pg_sleep(0); --`];
      for (const name of names) {
        const result = await run(render({ name, user: 'tks_tricky_user', password: 'tricky-password' }).job);
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(
          await server.psql('SELECT current_database(), count(*) FROM contracts', {
            database: name,
            user: 'tks_tricky_user',
            password: 'tricky-password',
          }),
        ).toBe(`${name}|1`);
      }
      expect(await server.psql("SELECT count(*) FROM pg_database WHERE datname IN ('postgres', 'tks')")).toBe('2');
    });

    it('fails with a clear message on a wrong admin password and makes nothing', async () => {
      const { job } = render(
        { name: 'tks_never', user: 'tks_never_user', password: 'never-password' },
        { adminPassword: 'not-the-admin-password' },
      );
      const started = Date.now();

      const result = await run(job);

      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.status).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('bootstrap: cannot log in as "postgres": password authentication failed');
      expect(await server.psql("SELECT count(*) FROM pg_database WHERE datname = 'tks_never'")).toBe('0');
      expect(await server.psql("SELECT count(*) FROM pg_roles WHERE rolname = 'tks_never_user'")).toBe('0');
    });

    it('a second release of the chart on the same server fails naming both releases, and the first release keeps its password', async () => {
      const before = await catalogFingerprint(server, 'tks', 'tksuser', ['contracts', 'resource_quota', 'helm_synth_bootstrap_steps']);

      const result = await run(render({ password: 'second-release-password' }, { release: 'tks-staging', namespace: 'staging' }).job);

      expect(result.status).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('role "tksuser" belongs to release tks/tks, not to release staging/tks-staging: nothing was changed');
      expect(await server.psql('SELECT current_user', { database: 'tks', user: 'tksuser', password: 'first-run-password' })).toBe(
        'tksuser',
      );
      expect(await catalogFingerprint(server, 'tks', 'tksuser', ['contracts', 'resource_quota', 'helm_synth_bootstrap_steps'])).toBe(
        before,
      );

      const ownNames = await run(
        render(
          { name: 'tks_staging', user: 'tks_staging_user', password: 'second-release-password' },
          { release: 'tks-staging', namespace: 'staging' },
        ).job,
      );
      expect(ownNames.stderr).toBe('');
      expect(ownNames.status).toBe(0);
    });

    it("takes over the seed's hand-made role and database only with dbBootstrap.adopt=true", async () => {
      await server.psql("CREATE ROLE seed_user LOGIN PASSWORD 'seed-password';\nCREATE DATABASE seed_tks OWNER seed_user;");
      const database = { name: 'seed_tks', user: 'seed_user', password: 'adopted-password' };

      const refused = await run(render(database).job);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(
        'role "seed_user" exists but no helm-synth release owns it (made outside helm-synth): nothing was changed',
      );
      expect(await server.psql('SELECT current_user', { database: 'seed_tks', user: 'seed_user', password: 'seed-password' })).toBe(
        'seed_user',
      );

      const adopted = await run(render(database, { adopt: true }).job);
      expect(adopted.stderr).toBe('');
      expect(adopted.status).toBe(0);
      expect(outputLines(adopted.stdout).slice(0, 4)).toEqual([
        'bootstrap: role "seed_user" adopted by helm-synth release tks/tks',
        'bootstrap: role "seed_user" exists, password updated',
        'bootstrap: database "seed_tks" adopted by helm-synth release tks/tks',
        'bootstrap: database "seed_tks" exists',
      ]);
      expect(
        await server.psql('SELECT count(*) FROM contracts', { database: 'seed_tks', user: 'seed_user', password: 'adopted-password' }),
      ).toBe('1');
    });

    it("never writes a password to the Job's output or to the server log", () => {
      const log = server.readLog();
      expect(log).toMatch(/statement: SELECT 1 AS bootstrap_lock/);
      expect(outputs.length).toBeGreaterThanOrEqual(16);
      expect(secrets.size).toBeGreaterThanOrEqual(6);
      for (const secret of secrets) {
        expect(log.includes(secret)).toBe(false);
        for (const output of outputs) expect(output.includes(secret)).toBe(false);
      }
    });
  },
  helm ? undefined : NO_HELM_MESSAGE,
);
