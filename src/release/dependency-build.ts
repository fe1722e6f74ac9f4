import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { describeValue, HelmSynthError } from '../errors';
import { writeFileAtomically } from './atomic-write';
import { archiveDigest, packChart } from './chart-archive';
import { ChartCache } from './chart-cache';
import { readChartDirectory } from './chart-content';
import {
  CHART_LOCK_FILE,
  ChartDependency,
  chartDependencies,
  ChartLock,
  LockedDependency,
  lockDigest,
  parseChartLock,
  renderChartLock,
  sameLock,
} from './chart-lock';
import { ChartSource, fetchVerifiedArchive, HttpChartRepository } from './chart-repository';
import { OciChartSource } from './oci-chart-source';
import { WriteStatus } from './package-charts';
import { defaultCreated } from './repository-index';
import { RepositoryMirrors } from './repository-mirrors';
import { vendoredCharts } from './vendored-charts';
import { VersionRange } from './version-range';

/** The file beside the chart folders that records the files `dependency build` wrote, with their sha256. */
export const DEPENDENCY_RECORD_FILE = '.helm-synth-dependencies.json';

/** Options of `buildDependencies`. */
export interface DependencyBuildOptions {
  /** @internal Archives and indexes kept between runs. @default the folder `ChartCache.defaultDirectory(env)` names */
  readonly cache?: ChartCache;
  /** @internal Repository mirrors (the CLI reads them from cdk8s.yaml and the environment). @default none */
  readonly mirrors?: RepositoryMirrors;
  /** Use only the cache, never the network. @default false */
  readonly offline?: boolean;
  /** Resolve every range again even when Chart.lock matches Chart.yaml. @default false */
  readonly update?: boolean;
  /** `generated` of a new Chart.lock. @default SOURCE_DATE_EPOCH when set, else 1970-01-01T00:00:00Z */
  readonly generated?: string;
  /** @internal Where `http(s)://` dependencies come from. @default an `HttpChartRepository` on the cache and mirrors */
  readonly http?: ChartSource;
  /** @internal Where `oci://` dependencies come from. @default an `OciChartSource` */
  readonly oci?: ChartSource;
  /** Environment for the default cache folder and registry credentials (the CLI passes its own). @default none */
  readonly env?: NodeJS.ProcessEnv;
  /** Told about cached indexes standing in for unreachable repositories, and archives the index gives no digest for. @default nothing */
  readonly onNote?: (message: string) => void;
}

/** Where a vendored archive's bytes came from. */
export enum ArchiveOrigin {
  /** Downloaded from the repository (and kept in the cache). */
  DOWNLOADED = 'downloaded',
  /** Read from the chart cache. */
  CACHED = 'cached',
  /** Packed from a `file://` folder. */
  LOCAL = 'local',
  /** A chart folder in `charts/` (no repository): nothing to fetch. */
  VENDORED = 'vendored',
}

/** One dependency of a chart after `buildDependencies`. */
export interface BuiltDependency {
  /** Chart name. */
  readonly name: string;
  /** Exact version vendored. */
  readonly version: string;
  /** Repository, as Chart.yaml writes it. */
  readonly repository: string;
  /** Its path in the chart folder (`charts/<name>-<version>.tgz`, or the chart's own `charts/<name>`). */
  readonly path: string;
  /** sha256 of the archive; undefined for a vendored folder. */
  readonly digest?: string;
  /** Where its bytes came from. */
  readonly origin: ArchiveOrigin;
  /** Whether the file was written, or already held these bytes. */
  readonly status: WriteStatus;
}

/** The result of `buildDependencies` for one chart. */
export interface DependencyBuildReport {
  /** Chart name. */
  readonly chart: string;
  /** The chart folder. */
  readonly dir: string;
  /** One per Chart.yaml dependency, in its order. */
  readonly dependencies: readonly BuiltDependency[];
  /** Chart.lock's status; undefined for a chart without dependencies. */
  readonly lock?: WriteStatus;
  /** Archives of earlier builds this one no longer needs, removed (paths in the chart folder). */
  readonly removed: readonly string[];
}

interface PlannedChart {
  readonly dir: string;
  readonly name: string;
  readonly writes: Map<string, Buffer>;
  readonly keep: Set<string>;
  readonly removals: string[];
  readonly dependencies: BuiltDependency[];
  readonly lock?: WriteStatus;
}

/**
 * `helm-synth dependency build`: puts every dependency of each chart folder into its `charts/` as
 * `<name>-<version>.tgz`, the highest version of its range that its repository lists (or the
 * version Chart.lock names while Chart.lock matches Chart.yaml), and writes Chart.lock the way Helm
 * does, with Helm's digest, so `helm dependency build` accepts it. Each archive is checked against
 * the digest the repository lists and against its own Chart.yaml (name and version), and kept in
 * the cache under its repository, name, version and digest: a second build downloads nothing and
 * works offline. Only files it wrote are replaced or removed (recorded with their sha256 in
 * `.helm-synth-dependencies.json` beside the chart folders); another chart of a dependency's name
 * in `charts/` is an error naming it. Everything is fetched and checked for every chart before
 * anything is written, and each file is written through a temporary file and a rename.
 */
export async function buildDependencies(
  chartDirs: readonly string[],
  options: DependencyBuildOptions = {},
): Promise<DependencyBuildReport[]> {
  const env = options.env ?? {};
  const cache = options.cache ?? new ChartCache(ChartCache.defaultDirectory(env));
  const mirrors = options.mirrors ?? RepositoryMirrors.NONE;
  const http = options.http ?? new HttpChartRepository({ cache, mirrors, offline: options.offline, onNote: options.onNote });
  const oci = options.oci ?? new OciChartSource({ cache, mirrors, offline: options.offline, onNote: options.onNote, env });
  const generated = options.generated ?? defaultCreated();
  const context = { cache, mirrors, http, oci, update: options.update ?? false, generated, onNote: options.onNote };

  const records = new Map<string, DependencyRecord>();
  const planned: PlannedChart[] = [];
  for (const dir of chartDirs) {
    const recordFile = join(dirname(resolve(dir)), DEPENDENCY_RECORD_FILE);
    if (!records.has(recordFile)) records.set(recordFile, readRecord(recordFile));
    planned.push(await planChart(dir, records.get(recordFile)!.charts[basename(resolve(dir))] ?? {}, context));
  }

  for (const chart of planned) {
    for (const [path, data] of chart.writes) writeFileAtomically(join(chart.dir, path), data, dirname(resolve(chart.dir)));
    for (const path of chart.removals) rmSync(join(chart.dir, path), { force: true });
  }
  for (const [recordFile, record] of records) {
    for (const chart of planned.filter((p) => join(dirname(resolve(p.dir)), DEPENDENCY_RECORD_FILE) === recordFile)) {
      const owned: Record<string, string> = {};
      for (const path of [...chart.keep].sort()) owned[path] = archiveDigest(readFileSync(join(chart.dir, path)));
      if (Object.keys(owned).length) record.charts[basename(resolve(chart.dir))] = owned;
      else delete record.charts[basename(resolve(chart.dir))];
    }
    writeRecord(recordFile, record);
  }
  return planned.map((chart) => ({
    chart: chart.name,
    dir: chart.dir,
    dependencies: chart.dependencies,
    lock: chart.lock,
    removed: chart.removals,
  }));
}

interface BuildContext {
  readonly cache: ChartCache;
  readonly mirrors: RepositoryMirrors;
  readonly http: ChartSource;
  readonly oci: ChartSource;
  readonly update: boolean;
  readonly generated: string;
  readonly onNote?: (message: string) => void;
}

/** Resolves, fetches and checks every dependency of one chart, and decides every file to write or remove. */
async function planChart(dir: string, owned: Readonly<Record<string, string>>, context: BuildContext): Promise<PlannedChart> {
  const chart = readChartDirectory(dir);
  const requested = chartDependencies(chart);
  const lockFile = join(dir, CHART_LOCK_FILE);
  const existingLock = existsSync(lockFile) ? parseChartLock(readFileSync(lockFile, 'utf8'), lockFile) : undefined;
  const plan: PlannedChart = { dir, name: chart.name, writes: new Map(), keep: new Set(), removals: [], dependencies: [] };
  if (requested.length === 0) return { ...plan, removals: ownedRemovals(dir, owned, new Set()) };

  const lockInSync =
    existingLock !== undefined && !context.update && lockDigest(requested, existingLock.dependencies) === existingLock.digest;
  const locked: LockedDependency[] = [];
  for (const [i, dependency] of requested.entries()) {
    const where = `${chart.name}: dependency ${dependency.name}`;
    const version = lockInSync ? existingLock.dependencies[i].version : dependency.version;
    const built = await fetchDependency(dir, dependency, version, where, context);
    plan.dependencies.push(built.report);
    locked.push({ name: dependency.name, version: built.lockVersion, repository: dependency.repository });
    if (built.archive) {
      plan.writes.set(built.report.path, built.archive);
      plan.keep.add(built.report.path);
    }
  }

  const lock: ChartLock = { dependencies: locked, digest: lockDigest(requested, locked), generated: context.generated };
  let lockStatus = WriteStatus.UNCHANGED;
  if (!existingLock || !sameLock(existingLock, lock)) {
    if (existingLock && !(CHART_LOCK_FILE in owned && owned[CHART_LOCK_FILE] === archiveDigest(readFileSync(lockFile)))) {
      throw new HelmSynthError(
        lockFile,
        "differs from the lock of Chart.yaml's dependencies and was not written by helm-synth (or was changed since): remove it to let dependency build write it",
      );
    }
    plan.writes.set(CHART_LOCK_FILE, Buffer.from(renderChartLock(lock)));
    lockStatus = WriteStatus.WRITTEN;
  }
  plan.keep.add(CHART_LOCK_FILE);

  const dependencies = plan.dependencies.map((d) => ({
    ...d,
    status:
      d.origin !== ArchiveOrigin.VENDORED &&
      existsSync(join(dir, d.path)) &&
      readFileSync(join(dir, d.path)).equals(plan.writes.get(d.path)!)
        ? WriteStatus.UNCHANGED
        : d.status,
  }));
  for (const d of dependencies) if (d.status === WriteStatus.UNCHANGED) plan.writes.delete(d.path);
  if (lockStatus === WriteStatus.UNCHANGED) plan.writes.delete(CHART_LOCK_FILE);

  checkWrites(dir, plan.writes, owned);
  const removals = ownedRemovals(dir, owned, plan.keep);
  checkOtherCopies(chart, requested, plan.keep, removals);
  return { ...plan, dependencies, lock: lockStatus, removals };
}

/** Fetches one dependency's archive (cache, repository or `file://` folder) and checks it. */
async function fetchDependency(
  dir: string,
  dependency: ChartDependency,
  version: string,
  where: string,
  context: BuildContext,
): Promise<{ report: BuiltDependency; archive?: Buffer; lockVersion: string }> {
  const range = VersionRange.parse(version, where);
  const repository = dependency.repository;
  if (repository === '') {
    const path = `charts/${dependency.name}`;
    const folder = join(dir, path);
    if (!existsSync(join(folder, 'Chart.yaml'))) {
      throw new HelmSynthError(where, `has no repository, so it must be a chart folder ${path}/, and there is none`);
    }
    const found = readChartDirectory(folder);
    if (!range.matches(found.version))
      throw new HelmSynthError(where, `${path} is version ${found.version}, outside ${describeValue(version)}`);
    const report = {
      name: dependency.name,
      version: found.version,
      repository,
      path,
      origin: ArchiveOrigin.VENDORED,
      status: WriteStatus.UNCHANGED,
    };
    return { report, lockVersion: dependency.version };
  }
  if (repository.startsWith('file://')) {
    const path = repository.slice('file://'.length);
    const folder = isAbsolute(path) ? path : join(dir, path);
    const found = readChartDirectory(folder);
    if (found.name !== dependency.name || !range.matches(found.version)) {
      throw new HelmSynthError(where, `${folder} holds ${found.name} ${found.version}, not ${dependency.name} ${version}`);
    }
    const archive = packChart(found);
    return { report: built(dependency, found.version, archive, ArchiveOrigin.LOCAL), archive, lockVersion: found.version };
  }
  if (repository.startsWith('@') || !/^(https?|oci):\/\//.test(repository)) {
    throw new HelmSynthError(
      where,
      `repository ${describeValue(repository)} must be an https://, oci:// or file:// URL (repository names from helm repo add are not read)`,
    );
  }
  const source = context.mirrors.apply(repository).startsWith('oci://') ? context.oci : context.http;
  const resolved = await source.resolve(repository, dependency.name, range);
  if (!resolved) throw new HelmSynthError(where, `${repository} has no version of ${dependency.name} in ${describeValue(version)}`);
  const { archive, cached } = await fetchVerifiedArchive(source, resolved, context.cache, context.onNote);
  const origin = cached ? ArchiveOrigin.CACHED : ArchiveOrigin.DOWNLOADED;
  return { report: built(dependency, resolved.version, archive, origin), archive, lockVersion: resolved.version };
}

function built(dependency: ChartDependency, version: string, archive: Buffer, origin: ArchiveOrigin): BuiltDependency {
  return {
    name: dependency.name,
    version,
    repository: dependency.repository,
    path: `charts/${dependency.name}-${version}.tgz`,
    digest: archiveDigest(archive),
    origin,
    status: WriteStatus.WRITTEN,
  };
}

/** Refuses to overwrite a file this command did not write (or that changed since). */
function checkWrites(dir: string, writes: ReadonlyMap<string, Buffer>, owned: Readonly<Record<string, string>>): void {
  const foreign = [...writes.keys()].filter((path) => {
    const file = join(dir, path);
    return existsSync(file) && owned[path] !== archiveDigest(readFileSync(file));
  });
  if (foreign.length) {
    throw new HelmSynthError(
      dir,
      `${foreign.join(', ')}: not written by helm-synth dependency build (or changed since); remove to replace`,
    );
  }
}

/** Recorded files no longer needed that still hold what was written; changed ones are left alone. */
function ownedRemovals(dir: string, owned: Readonly<Record<string, string>>, keep: ReadonlySet<string>): string[] {
  return Object.keys(owned)
    .filter((path) => !keep.has(path) && existsSync(join(dir, path)) && owned[path] === archiveDigest(readFileSync(join(dir, path))))
    .sort();
}

/** Another chart of a dependency's name in `charts/` would be loaded beside the vendored one. */
function checkOtherCopies(
  chart: ReturnType<typeof readChartDirectory>,
  requested: readonly ChartDependency[],
  keep: ReadonlySet<string>,
  removals: readonly string[],
): void {
  const names = new Set(requested.filter((d) => d.repository !== '').map((d) => d.name));
  const others = vendoredCharts(chart).filter((v) => names.has(v.content.name) && !keep.has(v.path) && !removals.includes(v.path));
  if (others.length) {
    throw new HelmSynthError(
      chart.origin,
      `charts/ also holds ${others.map((v) => `${v.path} (${v.content.name} ${v.content.version})`).join(', ')}, ` +
        'not written by helm-synth: Helm would load it beside the dependency; remove it',
    );
  }
}

interface DependencyRecord {
  readonly charts: Record<string, Record<string, string>>;
}

function readRecord(file: string): DependencyRecord {
  if (!existsSync(file)) return { charts: {} };
  try {
    const data = JSON.parse(readFileSync(file, 'utf8'));
    if (data && typeof data.charts === 'object') return data as DependencyRecord;
  } catch {
    return { charts: {} };
  }
  return { charts: {} };
}

function writeRecord(file: string, record: DependencyRecord): void {
  const sorted = Object.fromEntries(
    Object.keys(record.charts)
      .sort()
      .map((chart) => [chart, record.charts[chart]]),
  );
  const text = `${JSON.stringify({ charts: sorted }, null, 2)}\n`;
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  if (Object.keys(sorted).length === 0 && !existsSync(file)) return;
  writeFileAtomically(file, Buffer.from(text));
}
