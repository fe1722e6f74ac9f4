import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HelmSynthError } from '../errors';
import { writeFileAtomically } from './atomic-write';
import { readBaseline } from './baseline';
import { archiveDigest, packChart, unpackChart } from './chart-archive';
import { archiveFileName, byteOrder, CHART_FILE, ChartContent, readChartDirectory } from './chart-content';
import {
  buildIndex,
  defaultCreated,
  INDEX_FILE,
  indexEntry,
  mergeIndex,
  normalizeCreated,
  readIndex,
  renderIndex,
} from './repository-index';
import { assertDependenciesVendored, withUnpackedSubcharts } from './vendored-charts';
import { assertUnchangedRelease } from './version-guard';

/** Options of `packageCharts`. */
export interface PackageOptions {
  /** Folder for the archives and index.yaml; created when missing. */
  readonly destination: string;
  /** Merge with the destination's existing index.yaml instead of replacing it. @default false */
  readonly merge?: boolean;
  /** `created` of new index entries, ISO 8601. @default SOURCE_DATE_EPOCH when set, else 1970-01-01T00:00:00Z */
  readonly created?: string;
  /** A released state to guard versions against too: an archive, a chart directory or a folder of them. @default none */
  readonly baseline?: string;
}

/** What happened to a file `packageCharts` is responsible for. */
export enum WriteStatus {
  /** Written (new or different bytes). */
  WRITTEN = 'written',
  /** Already there with the same content: not rewritten. */
  UNCHANGED = 'unchanged',
}

/** One packaged chart. */
export interface PackagedChart {
  /** Chart name. */
  readonly name: string;
  /** Chart version. */
  readonly version: string;
  /** Path of its archive. */
  readonly file: string;
  /** sha256 of the archive, as in index.yaml. */
  readonly digest: string;
  /** Written, or already there with the same files. */
  readonly status: WriteStatus;
}

/** The result of `packageCharts`. */
export interface PackageResult {
  /** One per chart, in the order given. */
  readonly charts: readonly PackagedChart[];
  /** Path of index.yaml. */
  readonly indexFile: string;
  /** Whether index.yaml was written. */
  readonly indexStatus: WriteStatus;
}

/**
 * The chart directories in a synthesis output folder: its subfolders that hold a Chart.yaml, by
 * name (files such as the output writer's manifest are not charts and are left out).
 */
export function chartDirectories(outputDir: string): string[] {
  if (!existsSync(outputDir)) throw new HelmSynthError(outputDir, 'output folder not found: run helm-synth synth first');
  return readdirSync(outputDir)
    .sort(byteOrder)
    .map((entry) => join(outputDir, entry))
    .filter((path) => statSync(path).isDirectory() && existsSync(join(path, CHART_FILE)));
}

/**
 * Packages chart directories into `<name>-<version>.tgz` archives and writes the destination's
 * index.yaml. Everything is checked before anything is written: a version already in the
 * destination (or the baseline) with other files is the version guard's error, and an archive with
 * the same files is left as it is, so a rerun writes nothing.
 */
export function packageCharts(chartDirs: readonly string[], options: PackageOptions): PackageResult {
  const created = options.created !== undefined ? normalizeCreated(options.created) : defaultCreated();
  const charts = packagedContents(chartDirs);
  const seen = new Map<string, string>();
  for (const chart of charts) {
    const key = archiveFileName(chart);
    if (seen.has(key)) {
      throw new HelmSynthError(
        chart.origin,
        `${chart.name} ${chart.version} is also in ${seen.get(key)}: two charts cannot share a name and version`,
      );
    }
    seen.set(key, chart.origin);
  }
  const baseline = options.baseline !== undefined ? readBaseline(options.baseline) : [];
  const guardErrors: string[] = [];
  const planned = charts.map((chart) => {
    const file = join(options.destination, archiveFileName(chart));
    const released = releasedVersions(chart, file, baseline);
    for (const [content, where] of released) {
      try {
        assertUnchangedRelease(content, chart, where);
      } catch (error) {
        if (!HelmSynthError.isHelmSynthError(error)) throw error;
        guardErrors.push(error.message);
      }
    }
    const existing = existsSync(file) ? readFileSync(file) : undefined;
    const archive = existing && released.some(([, where]) => where === file) ? existing : packChart(chart);
    return { chart, file, archive, status: archive === existing ? WriteStatus.UNCHANGED : WriteStatus.WRITTEN };
  });
  if (guardErrors.length) throw new HelmSynthError(options.destination, `version guard:\n  ${guardErrors.join('\n  ')}`);

  const entries = planned.map(({ chart, archive }) => indexEntry(chart, archiveDigest(archive), created));
  const indexFile = join(options.destination, INDEX_FILE);
  const existingIndex = options.merge ? readIndex(indexFile) : undefined;
  const index = existingIndex ? mergeIndex(existingIndex, entries, created, indexFile) : buildIndex(entries, created);
  const indexText = renderIndex(index);
  const indexStatus = existsSync(indexFile) && readFileSync(indexFile, 'utf8') === indexText ? WriteStatus.UNCHANGED : WriteStatus.WRITTEN;

  mkdirSync(options.destination, { recursive: true });
  for (const { file, archive, status } of planned) if (status === WriteStatus.WRITTEN) writeFileAtomically(file, archive);
  if (indexStatus === WriteStatus.WRITTEN) writeFileAtomically(indexFile, Buffer.from(indexText));
  return {
    charts: planned.map(({ chart, file, archive, status }) => ({
      name: chart.name,
      version: chart.version,
      file,
      digest: archiveDigest(archive),
      status,
    })),
    indexFile,
    indexStatus,
  };
}

/**
 * Each chart as `helm package` puts it in the archive: vendored `charts/*.tgz` unpacked into
 * `charts/<name>/`. A chart whose Chart.yaml dependencies are not all vendored is refused (every
 * such chart named at once), as `helm package` refuses it.
 */
function packagedContents(chartDirs: readonly string[]): ChartContent[] {
  const problems: Array<{ constructPath: string; message: string }> = [];
  const charts = chartDirs.map((dir) => {
    const chart = readChartDirectory(dir);
    try {
      assertDependenciesVendored(chart);
    } catch (error) {
      if (!HelmSynthError.isHelmSynthError(error)) throw error;
      problems.push(...error.problems);
    }
    return chart;
  });
  if (problems.length) throw HelmSynthError.fromProblems(problems);
  return charts.map(withUnpackedSubcharts);
}

/** The released charts of the same name and version, each with where it was found. */
function releasedVersions(chart: ChartContent, archiveFile: string, baseline: readonly ChartContent[]): Array<[ChartContent, string]> {
  const result: Array<[ChartContent, string]> = [];
  if (existsSync(archiveFile)) result.push([unpackChart(readFileSync(archiveFile), archiveFile), archiveFile]);
  for (const other of baseline) if (other.name === chart.name && other.version === chart.version) result.push([other, other.origin]);
  return result;
}
