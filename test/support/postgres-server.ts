import { spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

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

/** A throwaway PostgreSQL server listening on 127.0.0.1, owned by one test file. */
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Directory holding the server's `psql`, `pg_isready`, etc. */
  readonly binDir: string;
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

const SERVER_VERSIONS_DIR = '/usr/lib/postgresql';
const SYSTEM_USER = 'postgres';
const ADMIN_USER = 'postgres';
const HOST = '127.0.0.1';
const START_ATTEMPTS = 3;

/** Finds the directory with `initdb` and `pg_ctl`: the highest `/usr/lib/postgresql/<major>/bin`, else PATH. */
export function findServerBinDir(): string | undefined {
  const versioned = listVersionedBinDirs().find(hasServerBinaries);
  if (versioned) {
    return versioned;
  }
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).find(hasServerBinaries);
}

/** Returns why no server can be started here, or undefined when one can; cheap enough for test collection time. */
export function postgresSkipReason(): SkipReason | undefined {
  if (!findServerBinDir()) {
    return 'PostgreSQL server not installed (apt-get install postgresql)';
  }
  if (isRoot()) {
    if (!systemUserIds()) {
      return `running as root but there is no "${SYSTEM_USER}" system user to run the server as`;
    }
    if (!runAsCommandPrefix()) {
      return 'running as root but neither runuser nor su is available';
    }
  }
  return undefined;
}

/** Starts a fresh server with a random admin password, or returns a skip reason when none can run here. */
export async function startPostgres(): Promise<PostgresServer | SkipReason> {
  const skipReason = postgresSkipReason();
  if (skipReason) {
    return skipReason;
  }
  const binDir = findServerBinDir()!;
  const adminPassword = randomBytes(18).toString('base64url');
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-synth-pg-'));
  const dataDir = path.join(baseDir, 'data');
  const logFile = path.join(baseDir, 'server.log');
  const owner = isRoot() ? systemUserIds() : undefined;
  let stopped = false;

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

    return {
      host: HOST,
      port,
      adminUser: ADMIN_USER,
      adminPassword,
      binDir,
      logFile,
      readLog: () => fs.readFileSync(logFile, 'utf8'),
      env,
      psql: async (sql, options = {}) => {
        const variableArgs = Object.entries(options.variables ?? {}).flatMap(([name, value]) => ['-v', `${name}=${value}`]);
        const args = ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...variableArgs, '-f', '-'];
        const result = await runProcess(path.join(binDir, 'psql'), args, {
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
  } catch (error) {
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
        '--no-instructions',
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
      await runAsServerUser(
        path.join(binDir, 'pg_ctl'),
        ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60'],
        baseDir,
      );
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

function listVersionedBinDirs(): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(SERVER_VERSIONS_DIR);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => path.join(SERVER_VERSIONS_DIR, major, 'bin'));
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
export async function catalogFingerprint(server: PostgresServer, database: string, user: string, tables: readonly string[]): Promise<string> {
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

