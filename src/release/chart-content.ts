import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describeValue, HelmSynthError } from '../errors';
import { helmVersion } from '../policy/versions';
import { HELMIGNORE_FILE, HelmIgnore } from './helmignore';

/** Chart.yaml's file name. */
export const CHART_FILE = 'Chart.yaml';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * The files of one chart as Helm packages them: paths relative to the chart root (`/`-separated),
 * after `.helmignore`, with Chart.yaml's name and version read.
 */
export interface ChartContent {
  /** Chart.yaml `name`. */
  readonly name: string;
  /** Chart.yaml `version`. */
  readonly version: string;
  /** Chart.yaml as data (YAML 1.1, as Helm reads it). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Every file, by relative path, in the order Helm's walk finds them. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Where it was read from (a chart directory or an archive), for messages. */
  readonly origin: string;
}

/**
 * Reads a chart directory the way `helm package` loads it: walks it in name order following
 * symbolic links, skips what `.helmignore` (plus Helm's `templates/.?*`) excludes, refuses
 * irregular files, and drops a UTF-8 byte-order mark from each file. Vendored subcharts under
 * `charts/` (directories and `.tgz`) are files like any other; only the top `.helmignore` applies.
 */
export function readChartDirectory(dir: string): ChartContent {
  if (!existsSync(join(dir, CHART_FILE))) throw new HelmSynthError(dir, `not a chart directory: no ${CHART_FILE}`);
  const ignoreFile = join(dir, HELMIGNORE_FILE);
  const ignore = HelmIgnore.parse(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '', ignoreFile);
  const files = new Map<string, Buffer>();
  const walk = (absolute: string, relative: string): void => {
    for (const entry of readdirSync(absolute).sort(byteOrder)) {
      const path = relative ? `${relative}/${entry}` : entry;
      const stat = statSync(join(absolute, entry));
      if (stat.isDirectory()) {
        if (!ignore.ignores(path, true)) walk(join(absolute, entry), path);
        continue;
      }
      if (ignore.ignores(path, false)) continue;
      if (!stat.isFile()) throw new HelmSynthError(join(absolute, entry), 'cannot package an irregular file (device, socket or pipe)');
      files.set(path, withoutBom(readFileSync(join(absolute, entry))));
    }
  };
  walk(dir, '');
  return chartContent(files, dir);
}

/** A chart directory's Chart.yaml alone, checked: its name, version and metadata (`files` holds only Chart.yaml). */
export function readChartMetadata(dir: string): ChartContent {
  const file = join(dir, CHART_FILE);
  if (!existsSync(file)) throw new HelmSynthError(dir, `not a chart directory: no ${CHART_FILE}`);
  return chartContent(new Map([[CHART_FILE, readFileSync(file)]]), dir);
}

/**
 * Makes a ChartContent from files already read (an unpacked archive): checks Chart.yaml's name and version.
 *
 * @param origin named in errors
 */
export function chartContent(files: ReadonlyMap<string, Buffer>, origin: string): ChartContent {
  const chartYaml = files.get(CHART_FILE);
  if (!chartYaml) throw new HelmSynthError(origin, `no ${CHART_FILE}`);
  let metadata: unknown;
  try {
    metadata = parse(chartYaml.toString('utf8'), { version: '1.1' });
  } catch (error) {
    throw new HelmSynthError(`${origin}/${CHART_FILE}`, `does not parse: ${(error as Error).message}`);
  }
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new HelmSynthError(`${origin}/${CHART_FILE}`, `must be a YAML map; got ${describeValue(metadata)}`);
  }
  const { name, version } = metadata as Record<string, unknown>;
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new HelmSynthError(
      `${origin}/${CHART_FILE}`,
      `name must be a chart name (letters, digits, ".", "_", "-"); got ${describeValue(name)}`,
    );
  }
  if (typeof version !== 'string' || helmVersion(version) === undefined) {
    throw new HelmSynthError(`${origin}/${CHART_FILE}`, `version must be a SemVer string such as "1.2.3"; got ${describeValue(version)}`);
  }
  return { name, version, metadata: metadata as Record<string, unknown>, files, origin };
}

/** `<name>-<version>.tgz`, the file name `helm package` gives a chart. */
export function archiveFileName(chart: { readonly name: string; readonly version: string }): string {
  return `${chart.name}-${chart.version}.tgz`;
}

/** Compares strings by UTF-16 code unit, the same as byte order for the paths charts use (Go's walk order). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withoutBom(data: Buffer): Buffer {
  return data.subarray(0, 3).equals(UTF8_BOM) ? data.subarray(3) : data;
}
