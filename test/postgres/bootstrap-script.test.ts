import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { BOOTSTRAP_STEPS_TABLE, BootstrapEnv, bootstrapScript, ownerMarker } from '../../src/postgres/bootstrap-script';
import {
  catalogFingerprint,
  describeEachPostgres,
  outputLines,
  PostgresServer,
  ProcessResult,
  runProcess,
  startPostgres,
} from '../support/postgres-server';

const CONTRACTS_STEP = `CREATE TABLE contracts (
  id uuid PRIMARY KEY DEFAULT public.gen_random_uuid(),
  contractor_name text NOT NULL,
  scope text NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  signed_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX contracts_contractor_name_key ON contracts (contractor_name);
`;

const SEED_STEP = `INSERT INTO contracts (contractor_name, scope, amount_cents, signed_on)
VALUES ('Acme Scaffolding', 'Facade scaffolding, phase 1', 1250000, DATE '2024-03-01')
ON CONFLICT (contractor_name) DO NOTHING;
`;

const STEP_FILES = { '01-contracts.sql': CONTRACTS_STEP, '02-seed-contracts.sql': SEED_STEP };
const CONCURRENT_RUNS = 4;

describe('bootstrapScript', () => {
  it('reads every documented environment variable except the admin password, which only psql reads', () => {
    const script = bootstrapScript();
    expect(script).not.toContain(BootstrapEnv.adminPassword);
    for (const name of Object.values(BootstrapEnv).filter((name) => name !== BootstrapEnv.adminPassword)) {
      expect(script).toContain(name);
    }
  });

  it('never traces commands', () => {
    expect(bootstrapScript()).not.toMatch(/set -[a-z]*x|set -o xtrace/);
  });
});

const RELEASE = { RELEASE_NAMESPACE: 'apps', RELEASE_NAME: 'first' };

describeEachPostgres('bootstrapScript against a real PostgreSQL server', (major) => {
  let server: PostgresServer;
  let workDir: string;
  const secrets = new Set<string>();
  const scriptOutputs: string[] = [];

  beforeAll(async () => {
    const started = await startPostgres(major);
    if (typeof started === 'string') {
      throw new Error(started);
    }
    server = started;
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-synth-bootstrap-'));
    secrets.add(server.adminPassword);
    await server.psql("ALTER SYSTEM SET log_statement = 'all';\nSELECT pg_reload_conf();");
    await waitFor(async () => (await server.psql('SHOW log_statement')) === 'all');
  });

  afterAll(async () => {
    await server?.stop();
    if (workDir) {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });

  function writeSteps(name: string, files: Record<string, string> = STEP_FILES): string {
    const dir = path.join(workDir, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, sql] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, file), sql);
    }
    return dir;
  }

  async function runBootstrap(env: Record<string, string>): Promise<ProcessResult> {
    const fullEnv: Record<string, string> = {
      PATH: `${server.clientBinDir}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
      ...server.env(),
      WAIT_INTERVAL_SECONDS: '1',
      ...env,
    };
    secrets.add(fullEnv.PGPASSWORD);
    if (fullEnv.APP_PASSWORD) {
      secrets.add(fullEnv.APP_PASSWORD);
    }
    const result = await runProcess('/bin/sh', ['-c', bootstrapScript()], { env: fullEnv });
    scriptOutputs.push(result.stdout, result.stderr);
    return result;
  }

  function appEnv(database: string, user: string, stepsDir?: string): Record<string, string> {
    return {
      ...RELEASE,
      APP_DATABASE: database,
      APP_USER: user,
      APP_PASSWORD: `pw-${randomBytes(12).toString('hex')}`,
      APP_EXTENSIONS: 'pgcrypto',
      ...(stepsDir ? { STEPS_DIR: stepsDir } : {}),
    };
  }

  const other = { RELEASE_NAMESPACE: 'apps', RELEASE_NAME: 'second' };
  const markerOf = async (kind: 'role' | 'database', name: string) =>
    server.psql(
      kind === 'role'
        ? "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = :'name'"
        : "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :'name'",
      { variables: { name } },
    );
  const loginAs = (database: string, user: string, password: string) => server.psql('SELECT current_user', { database, user, password });

  it('creates the role, database, extension, tables and seed rows', async () => {
    const stepsDir = writeSteps('contracts');
    const env = appEnv('contracts', 'contracts_app', stepsDir);

    const result = await runBootstrap(env);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(outputLines(result.stdout)).toEqual([
      'bootstrap: role "contracts_app" created',
      'bootstrap: database "contracts" created',
      'bootstrap: all privileges on database "contracts" granted to "contracts_app"',
      'bootstrap: extension "pgcrypto" created',
      'bootstrap: step 01-contracts.sql applied',
      'bootstrap: step 02-seed-contracts.sql applied',
      'bootstrap: done',
    ]);
    expect(await server.psql("SELECT datdba::regrole FROM pg_database WHERE datname = 'contracts'")).toBe('contracts_app');
    expect(await server.psql("SELECT has_database_privilege('contracts_app', 'contracts', 'CREATE, CONNECT, TEMP')")).toBe('t');
    expect(
      await server.psql(
        "SELECT relname || ' ' || relowner::regrole FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1",
        { database: 'contracts' },
      ),
    ).toBe('contracts contracts_app\nhelm_synth_bootstrap_steps contracts_app');
    expect(await server.psql("SELECT extname FROM pg_extension WHERE extname = 'pgcrypto'", { database: 'contracts' })).toBe('pgcrypto');
    expect(await server.psql(`SELECT name || ' ' || sha256 FROM ${BOOTSTRAP_STEPS_TABLE} ORDER BY name`, { database: 'contracts' })).toBe(
      Object.entries(STEP_FILES)
        .map(([name, sql]) => `${name} ${sha256(sql)}`)
        .join('\n'),
    );

    const asApp = { database: 'contracts', user: 'contracts_app', password: env.APP_PASSWORD };
    expect(await server.psql('SELECT contractor_name, amount_cents FROM contracts', asApp)).toBe('Acme Scaffolding|1250000');
    expect(
      await server.psql(
        "INSERT INTO contracts (contractor_name, scope, amount_cents, signed_on) VALUES ('Birch Electric', 'Wiring', 99000, DATE '2024-04-02') RETURNING id::text ~ '^[0-9a-f-]{36}$'",
        asApp,
      ),
    ).toBe('t');
    await expect(
      server.psql(
        "INSERT INTO contracts (contractor_name, scope, amount_cents, signed_on) VALUES ('Birch Electric', 'Again', 1, DATE '2024-04-03')",
        asApp,
      ),
    ).rejects.toThrow(/contracts_contractor_name_key/);
  });

  it('changes nothing on a second run', async () => {
    const stepsDir = writeSteps('idempotent');
    const env = appEnv('idempotent', 'idempotent_app', stepsDir);
    expect((await runBootstrap(env)).status).toBe(0);
    const before = await catalogFingerprint(server, 'idempotent', 'idempotent_app', ['contracts', BOOTSTRAP_STEPS_TABLE]);

    const result = await runBootstrap(env);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(outputLines(result.stdout)).toEqual([
      'bootstrap: role "idempotent_app" exists, password updated',
      'bootstrap: database "idempotent" exists',
      'bootstrap: all privileges on database "idempotent" granted to "idempotent_app"',
      'bootstrap: extension "pgcrypto" exists',
      'bootstrap: step 01-contracts.sql already applied',
      'bootstrap: step 02-seed-contracts.sql already applied',
      'bootstrap: done',
    ]);
    expect(await catalogFingerprint(server, 'idempotent', 'idempotent_app', ['contracts', BOOTSTRAP_STEPS_TABLE])).toBe(before);
  });

  it('lets concurrent runs all succeed, each object created once', async () => {
    const stepsDir = writeSteps('parallel');
    const env = appEnv('parallel', 'parallel_app', stepsDir);

    const results = await Promise.all(Array.from({ length: CONCURRENT_RUNS }, () => runBootstrap(env)));

    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    const allLines = results.flatMap((result) => outputLines(result.stdout));
    const count = (line: string) => allLines.filter((candidate) => candidate === line).length;
    expect(count('bootstrap: role "parallel_app" created')).toBe(1);
    expect(count('bootstrap: database "parallel" created')).toBe(1);
    expect(count('bootstrap: extension "pgcrypto" created')).toBe(1);
    expect(count('bootstrap: step 01-contracts.sql applied')).toBe(1);
    expect(count('bootstrap: step 02-seed-contracts.sql applied')).toBe(1);
    expect(count('bootstrap: done')).toBe(CONCURRENT_RUNS);
    expect(await server.psql(`SELECT count(*) FROM ${BOOTSTRAP_STEPS_TABLE}`, { database: 'parallel' })).toBe('2');
    expect(await server.psql('SELECT count(*) FROM contracts', { database: 'parallel' })).toBe('1');
  });

  it('sets a password with quotes, dollars, backslashes and spaces, and rotates it on re-run', async () => {
    const firstPassword = `it's a "quoted" pa$$word with \\back\\slashes\\ :'app_user' %I and  spaces `;
    const rotatedPassword = `rotated $(id) \`id\` '; DROP ROLE postgres; -- \\ "`;
    const env = { ...appEnv('quoted', 'quoted_app'), APP_PASSWORD: firstPassword };

    expect((await runBootstrap(env)).status).toBe(0);
    const loginAs = (password: string) => server.psql('SELECT current_user', { database: 'quoted', user: 'quoted_app', password });
    expect(await loginAs(firstPassword)).toBe('quoted_app');

    const rotation = await runBootstrap({ ...env, APP_PASSWORD: rotatedPassword });

    expect(rotation.status).toBe(0);
    expect(rotation.stdout).toContain('bootstrap: role "quoted_app" exists, password updated');
    expect(await loginAs(rotatedPassword)).toBe('quoted_app');
    await expect(loginAs(firstPassword)).rejects.toThrow(/password authentication failed/);
    expect(await server.psql("SELECT count(*) FROM pg_roles WHERE rolname = 'postgres'")).toBe('1');
  });

  it('creates databases and roles with quotes, semicolons and conninfo-like names literally', async () => {
    const databaseNames = ['tks"; DROP DATABASE postgres; --', "it's", 'dbname=postgres host=elsewhere'];
    const user = `o'brien "app"; DROP ROLE postgres; --`;
    const databasesBefore = (await server.psql('SELECT datname FROM pg_database ORDER BY datname')).split('\n');
    const stepsDir = writeSteps('tricky-names');

    for (const database of databaseNames) {
      const env = { ...appEnv(database, user, stepsDir), APP_PASSWORD: 'tricky-names-password' };
      const result = await runBootstrap(env);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(await server.psql('SELECT current_database()', { database, user, password: env.APP_PASSWORD })).toBe(database);
      expect(await server.psql('SELECT count(*) FROM contracts', { database })).toBe('1');
    }

    const databasesAfter = (await server.psql('SELECT datname FROM pg_database ORDER BY datname')).split('\n');
    expect(databasesAfter.sort()).toEqual([...databasesBefore, ...databaseNames].sort());
    expect(await server.psql("SELECT rolname FROM pg_roles WHERE rolname = 'postgres' OR rolname LIKE 'o''brien%' ORDER BY 1")).toBe(
      `o'brien "app"; DROP ROLE postgres; --\npostgres`,
    );
  });

  it('fails at once with a clear message on a wrong admin password and creates nothing', async () => {
    const wrongPassword = `wrong-${randomBytes(8).toString('hex')}`;
    const startedAt = Date.now();

    const result = await runBootstrap({ ...appEnv('never', 'never_app'), PGPASSWORD: wrongPassword, WAIT_ATTEMPTS: '30' });

    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('bootstrap: cannot log in as "postgres": password authentication failed');
    expect(result.stdout).toBe('');
    expect(await server.psql("SELECT count(*) FROM pg_database WHERE datname = 'never'")).toBe('0');
    expect(await server.psql("SELECT count(*) FROM pg_roles WHERE rolname = 'never_app'")).toBe('0');
  });

  it('gives up after WAIT_ATTEMPTS when no server answers', async () => {
    const closedPort = await unusedPort();

    const result = await runBootstrap({ ...appEnv('unreachable', 'unreachable_app'), PGPORT: String(closedPort), WAIT_ATTEMPTS: '2' });

    expect(result.status).not.toBe(0);
    expect(outputLines(result.stdout)).toEqual([`bootstrap: waiting for postgres at 127.0.0.1:${closedPort} (1/2)`]);
    expect(result.stderr).toContain(`bootstrap: gave up waiting for postgres at 127.0.0.1:${closedPort} after 2 attempts`);
  });

  it('refuses a changed step that was already applied, naming it, and applies nothing after it', async () => {
    const stepsDir = writeSteps('changed');
    const env = appEnv('changed', 'changed_app', stepsDir);
    expect((await runBootstrap(env)).status).toBe(0);
    fs.appendFileSync(path.join(stepsDir, '02-seed-contracts.sql'), 'CREATE TABLE sneaky_edit (id int);\n');
    fs.writeFileSync(path.join(stepsDir, '03-later.sql'), 'CREATE TABLE later (id int);\n');

    const result = await runBootstrap(env);

    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('bootstrap: step 01-contracts.sql already applied');
    expect(result.stderr).toContain('step 02-seed-contracts.sql was changed after it was applied');
    expect(result.stderr).toContain('bootstrap: step 02-seed-contracts.sql failed');
    expect(await server.psql("SELECT to_regclass('sneaky_edit') IS NULL AND to_regclass('later') IS NULL", { database: 'changed' })).toBe(
      't',
    );
    expect(await server.psql(`SELECT string_agg(name, ',' ORDER BY name) FROM ${BOOTSTRAP_STEPS_TABLE}`, { database: 'changed' })).toBe(
      '01-contracts.sql,02-seed-contracts.sql',
    );
  });

  it('rolls back a failing step completely', async () => {
    const stepsDir = writeSteps('broken', {
      ...STEP_FILES,
      '03-broken.sql': 'CREATE TABLE half_made (id int);\nINSERT INTO half_made VALUES (1);\nSELECT no_such_function();\n',
    });

    const result = await runBootstrap(appEnv('broken', 'broken_app', stepsDir));

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('no_such_function');
    expect(result.stderr).toContain('bootstrap: step 03-broken.sql failed');
    expect(await server.psql("SELECT to_regclass('half_made') IS NULL", { database: 'broken' })).toBe('t');
    expect(await server.psql(`SELECT string_agg(name, ',' ORDER BY name) FROM ${BOOTSTRAP_STEPS_TABLE}`, { database: 'broken' })).toBe(
      '01-contracts.sql,02-seed-contracts.sql',
    );
  });

  it('runs on the server it was started for', async () => {
    expect(Math.floor(Number(await server.psql('SHOW server_version_num')) / 10000)).toBe(major);
  });

  it('ownership: marks the role and database it creates with the release', async () => {
    const stepsDir = writeSteps('marked');
    expect((await runBootstrap(appEnv('marked', 'marked_app', stepsDir))).status).toBe(0);

    expect(await markerOf('role', 'marked_app')).toBe(ownerMarker('apps', 'first'));
    expect(await markerOf('database', 'marked')).toBe('helm-synth release apps/first');
  });

  it('ownership: refuses a role and database of another release before touching the password, naming both releases', async () => {
    const first = appEnv('shared', 'shared_app', writeSteps('shared'));
    expect((await runBootstrap(first)).status).toBe(0);
    const before = await catalogFingerprint(server, 'shared', 'shared_app', ['contracts', BOOTSTRAP_STEPS_TABLE]);

    const result = await runBootstrap({ ...first, ...other, APP_PASSWORD: 'second-release-password' });

    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'role "shared_app" belongs to release apps/first, not to release apps/second: nothing was changed. Give this release another user, ' +
        'or, once release apps/first is gone, clear the marker (COMMENT ON ROLE "shared_app" IS NULL) and run with ADOPT_UNOWNED=true',
    );
    expect(result.stderr).toContain('bootstrap: could not ensure role "shared_app" and database "shared" for release apps/second');
    expect(await loginAs('shared', 'shared_app', first.APP_PASSWORD)).toBe('shared_app');
    await expect(loginAs('shared', 'shared_app', 'second-release-password')).rejects.toThrow(/password authentication failed/);
    expect(await catalogFingerprint(server, 'shared', 'shared_app', ['contracts', BOOTSTRAP_STEPS_TABLE])).toBe(before);
    expect(await markerOf('role', 'shared_app')).toBe(ownerMarker('apps', 'first'));

    const adopting = await runBootstrap({ ...first, ...other, APP_PASSWORD: 'second-release-password', ADOPT_UNOWNED: 'true' });
    expect(adopting.status).not.toBe(0);
    expect(adopting.stderr).toContain('role "shared_app" belongs to release apps/first, not to release apps/second');
    expect(await loginAs('shared', 'shared_app', first.APP_PASSWORD)).toBe('shared_app');
  });

  it('ownership: refuses a database of another release before creating its own role', async () => {
    expect((await runBootstrap(appEnv('taken_db', 'taken_db_first'))).status).toBe(0);

    const result = await runBootstrap({ ...appEnv('taken_db', 'taken_db_second'), ...other });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      'database "taken_db" belongs to release apps/first, not to release apps/second: nothing was changed. Give this release another database',
    );
    expect(result.stderr).toContain('(COMMENT ON DATABASE "taken_db" IS NULL)');
    expect(await server.psql("SELECT count(*) FROM pg_roles WHERE rolname = 'taken_db_second'")).toBe('0');
  });

  it('ownership: refuses a role and database made outside helm-synth unless ADOPT_UNOWNED=true, then owns them', async () => {
    await server.psql(`CREATE ROLE handmade_app LOGIN PASSWORD 'handmade-password';\nCREATE DATABASE handmade OWNER handmade_app;`);
    const env = appEnv('handmade', 'handmade_app');

    const refused = await runBootstrap(env);

    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      'role "handmade_app" exists but no helm-synth release owns it (made outside helm-synth): nothing was changed. ' +
        "To make it release apps/first's (the run then resets the app role's password), run once with ADOPT_UNOWNED=true",
    );
    expect(await loginAs('handmade', 'handmade_app', 'handmade-password')).toBe('handmade_app');
    expect(await markerOf('role', 'handmade_app')).toBe('');

    const adopted = await runBootstrap({ ...env, ADOPT_UNOWNED: 'true' });

    expect(adopted.stderr).toBe('');
    expect(adopted.status).toBe(0);
    expect(outputLines(adopted.stdout)).toEqual([
      'bootstrap: role "handmade_app" adopted by helm-synth release apps/first',
      'bootstrap: role "handmade_app" exists, password updated',
      'bootstrap: database "handmade" adopted by helm-synth release apps/first',
      'bootstrap: database "handmade" exists',
      'bootstrap: all privileges on database "handmade" granted to "handmade_app"',
      'bootstrap: extension "pgcrypto" created',
      'bootstrap: done',
    ]);
    expect(await loginAs('handmade', 'handmade_app', env.APP_PASSWORD)).toBe('handmade_app');
    expect([await markerOf('role', 'handmade_app'), await markerOf('database', 'handmade')]).toEqual([
      ownerMarker('apps', 'first'),
      ownerMarker('apps', 'first'),
    ]);

    const again = await runBootstrap(env);
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain('adopted');
    const stolen = await runBootstrap({ ...env, ...other, ADOPT_UNOWNED: 'true' });
    expect(stolen.status).not.toBe(0);
    expect(stolen.stderr).toContain('role "handmade_app" belongs to release apps/first, not to release apps/second');
  });

  it('ownership: refuses a run without a release, or with an ADOPT_UNOWNED that is not true or false', async () => {
    const { RELEASE_NAME: _name, ...withoutRelease } = appEnv('never_owned', 'never_owned_app');
    const missing = await runBootstrap(withoutRelease);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toBe('bootstrap: RELEASE_NAME is required\n');

    const wrong = await runBootstrap({ ...appEnv('never_owned', 'never_owned_app'), ADOPT_UNOWNED: 'yes' });
    expect(wrong.stderr).toBe('bootstrap: ADOPT_UNOWNED must be true or false\n');
    expect(await server.psql("SELECT count(*) FROM pg_roles WHERE rolname = 'never_owned_app'")).toBe('0');
  });

  it('never writes a password to its output or to the server log', async () => {
    await expect(server.psql("SELECT 'failing-statement-probe'::int")).rejects.toThrow();
    const log = server.readLog();
    expect(log).toContain("STATEMENT:  SELECT 'failing-statement-probe'::int");
    expect(log).toMatch(/LOG: {2}statement: SELECT 1 AS bootstrap_lock/);
    expect(scriptOutputs.length).toBeGreaterThan(10);
    expect(secrets.size).toBeGreaterThan(5);

    for (const secret of secrets) {
      expect(log.includes(secret)).toBe(false);
      for (const output of scriptOutputs) {
        expect(output.includes(secret)).toBe(false);
      }
    }
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await condition()) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met within 5 s');
}

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
