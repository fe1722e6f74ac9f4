import { existsSync, readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { describeValue, HelmSynthError } from '../errors';
import { compareChartVersions } from './baseline';
import { archiveFileName, byteOrder, ChartContent } from './chart-content';

/** One chart version in index.yaml: Chart.yaml's metadata plus `urls`, `digest` and `created`. */
export type IndexEntry = Readonly<Record<string, unknown>> & {
  readonly name: string;
  readonly version: string;
  readonly digest?: string;
  readonly created?: string;
};

/** A chart repository's index.yaml (`apiVersion: v1`). */
export interface RepositoryIndex {
  /** Always `v1`. */
  readonly apiVersion: 'v1';
  /** Chart versions by chart name, newest first. */
  readonly entries: Readonly<Record<string, readonly IndexEntry[]>>;
  /** When the index was generated: the latest `created` of its entries, so it is reproducible. */
  readonly generated: string;
  /** Other top-level fields of an index read from disk (`serverInfo`, `annotations`, ...), kept as they are. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** index.yaml's file name. */
export const INDEX_FILE = 'index.yaml';

/** The Chart.yaml fields `helm repo index` copies into an entry (Helm's `chart.Metadata`, by their JSON names). */
const METADATA_FIELDS = [
  'name',
  'home',
  'sources',
  'version',
  'description',
  'keywords',
  'maintainers',
  'icon',
  'apiVersion',
  'condition',
  'tags',
  'appVersion',
  'deprecated',
  'annotations',
  'kubeVersion',
  'dependencies',
  'type',
] as const;
const DEPENDENCY_FIELDS = ['name', 'version', 'repository', 'condition', 'tags', 'enabled', 'import-values', 'alias'] as const;
const MAINTAINER_FIELDS = ['name', 'email', 'url'] as const;

/**
 * The `created` time used when none is given: `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds
 * convention CI systems set from the last commit) when set, else the Unix epoch.
 */
export function defaultCreated(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) {
      throw new HelmSynthError('SOURCE_DATE_EPOCH', `must be whole seconds since the epoch; got ${describeValue(epoch)}`);
    }
    return formatTime(new Date(Number(epoch) * 1000));
  }
  return formatTime(new Date(0));
}

/**
 * Checks an ISO 8601 date-time (`2024-05-01T12:00:00Z`, an offset, or no zone or a date alone, read
 * as UTC) on the calendar (`2024-02-30` is refused, not read as March 1st) and returns it as Go's
 * RFC 3339 in UTC, the form `helm repo index` writes.
 *
 * @param context named in the error (the flag)
 */
export function normalizeCreated(time: string, context = '--created'): string {
  const parts = typeof time === 'string' ? ISO_TIME.exec(time) : null;
  if (!parts) throw new HelmSynthError(context, `must be an ISO 8601 time such as 2024-05-01T12:00:00Z; got ${describeValue(time)}`);
  const [year, month, day, hour, minute, second, , offsetHour, offsetMinute] = parts.slice(1).map((part) => Number(part ?? 0));
  const problem =
    month < 1 || month > 12
      ? `there is no month ${month}`
      : day < 1 || day > daysInMonth(year, month)
        ? `${year}-${parts[2]} has no day ${day}`
        : hour > 23 || minute > 59 || second > 59
          ? `${parts[4]}:${parts[5]}${parts[6] === undefined ? '' : `:${parts[6]}`} is not a time of day`
          : offsetHour > 23 || offsetMinute > 59
            ? `UTC offset ${parts[7]} is out of range`
            : undefined;
  if (problem) throw new HelmSynthError(context, `${describeValue(time)} is not a calendar date and time: ${problem}`);
  const date = new Date(parts[4] !== undefined && parts[7] === undefined ? `${time}Z` : time);
  if (Number.isNaN(date.getTime())) {
    throw new HelmSynthError(context, `must be an ISO 8601 time such as 2024-05-01T12:00:00Z; got ${describeValue(time)}`);
  }
  return formatTime(date);
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The index entry `helm repo index` writes for a chart archive: the Chart.yaml fields of Helm's
 * chart metadata (empty ones left out, `apiVersion` defaulting to v1, an apiVersion v1 chart's
 * requirements.yaml dependencies), `urls` = the archive's file name, `digest`, `created`.
 */
export function indexEntry(chart: ChartContent, digest: string, created: string): IndexEntry {
  const metadata = chart.metadata as Record<string, unknown>;
  const entry: Record<string, unknown> = {};
  for (const field of METADATA_FIELDS) {
    const value =
      field === 'dependencies'
        ? dependencies(chart)
        : field === 'maintainers'
          ? pick(metadata.maintainers, MAINTAINER_FIELDS)
          : metadata[field];
    if (!isEmpty(value)) entry[field] = typeof value === 'number' ? String(value) : value;
  }
  entry.apiVersion ??= 'v1';
  entry.urls = [archiveFileName(chart)];
  entry.digest = digest;
  entry.created = created;
  return entry as IndexEntry;
}

/**
 * Builds an index from entries: names sorted, versions newest first (Masterminds/semver order, as
 * Helm sorts), `generated` = the latest `created` (or `fallbackTime` for an empty index).
 */
export function buildIndex(
  entries: readonly IndexEntry[],
  fallbackTime: string,
  extra?: Readonly<Record<string, unknown>>,
): RepositoryIndex {
  const byName: Record<string, IndexEntry[]> = {};
  for (const entry of entries) (byName[entry.name] ??= []).push(entry);
  for (const list of Object.values(byName)) list.sort((a, b) => compareChartVersions(b.version, a.version));
  const times = entries
    .map((entry) => entry.created)
    .filter((time): time is string => typeof time === 'string')
    .sort(byTime);
  const generated = times.length ? times[times.length - 1] : fallbackTime;
  return { apiVersion: 'v1', entries: byName, generated, extra };
}

/**
 * Adds entries to an existing index: entries of other versions are kept as they are; an entry of
 * the same name and version is replaced when its digest is the same (keeping its `created`), and
 * is the version guard's error when it differs.
 *
 * @param indexFile the existing index's path, named in errors
 */
export function mergeIndex(
  existing: RepositoryIndex,
  added: readonly IndexEntry[],
  fallbackTime: string,
  indexFile: string,
): RepositoryIndex {
  const kept: IndexEntry[] = Object.values(existing.entries).flat();
  const result = [...kept];
  for (const entry of added) {
    const at = result.findIndex((old) => old.name === entry.name && old.version === entry.version);
    if (at < 0) {
      result.push(entry);
      continue;
    }
    const old = result[at];
    if (old.digest !== entry.digest) {
      throw new HelmSynthError(
        entry.name,
        `version ${entry.version} is already in ${indexFile} with digest ${describeValue(old.digest)}, ` +
          `and this build's archive has digest ${describeValue(entry.digest)}: a released version cannot change; ` +
          'bump the version in Chart.yaml',
      );
    }
    result[at] = { ...entry, created: old.created ?? entry.created };
  }
  return buildIndex(result, fallbackTime, existing.extra);
}

/** Reads index.yaml (YAML core schema: `created` times stay the strings Helm wrote); undefined when the file does not exist. */
export function readIndex(file: string): RepositoryIndex | undefined {
  if (!existsSync(file)) return undefined;
  return parseIndex(readFileSync(file, 'utf8'), file);
}

/**
 * Reads index.yaml's text.
 *
 * @param origin where it came from (a file or URL), named in errors
 */
export function parseIndex(text: string, origin: string): RepositoryIndex {
  const file = origin;
  const data = parseYaml(text, file);
  const index = (data ?? {}) as Record<string, unknown>;
  if (typeof index !== 'object' || Array.isArray(index)) throw new HelmSynthError(file, `must be a YAML map; got ${describeValue(data)}`);
  if (index.apiVersion !== 'v1') throw new HelmSynthError(file, `apiVersion must be v1; got ${describeValue(index.apiVersion)}`);
  const entries = (index.entries ?? {}) as Record<string, unknown>;
  if (typeof entries !== 'object' || Array.isArray(entries)) {
    throw new HelmSynthError(file, `entries must be a map; got ${describeValue(entries)}`);
  }
  const result: Record<string, IndexEntry[]> = {};
  for (const [name, list] of Object.entries(entries)) result[name] = chartVersions(list, name, file);
  const { apiVersion: _apiVersion, entries: _entries, generated: _generated, ...extra } = index;
  return {
    apiVersion: 'v1',
    entries: result,
    generated: String(index.generated ?? ''),
    extra: Object.keys(extra).length ? extra : undefined,
  };
}

/**
 * The versions index.yaml's text lists for one chart (none: an empty list). Parsing a whole index
 * with the `yaml` library takes about 30 s and 800 MB for 20 MB of text (bitnami's full index is of
 * that size), so when the text has the layout Helm writes (`entries:` at the start of a line, each
 * chart name a plain key two spaces in, its list items at the same indent) only that chart's block
 * is parsed; any other layout, or a block that does not read as a list, is parsed whole.
 *
 * @param origin where it came from, named in errors
 */
export function indexEntriesOf(text: string, name: string, origin: string): IndexEntry[] {
  const block = chartBlock(text, name);
  if (block !== undefined) {
    try {
      const list = (parse(`entries:\n${block}`, { schema: 'core' }) as { entries?: Record<string, unknown> } | null)?.entries?.[name];
      if (Array.isArray(list)) return chartVersions(list, name, origin);
    } catch {
      return parseIndex(text, origin).entries[name]?.slice() ?? [];
    }
  }
  return parseIndex(text, origin).entries[name]?.slice() ?? [];
}

/** The lines of `  <name>:` under the top-level `entries:` up to the next key at that indent or less; undefined when not found so. */
function chartBlock(text: string, name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return undefined;
  const entries = /^entries:[ \t]*\r?\n/m.exec(text);
  if (!entries) return undefined;
  const start = text.indexOf(`\n  ${name}:\n`, entries.index + entries[0].length - 1);
  if (start < 0) return undefined;
  const end = /\n(?! {3}| {2}- |\n)/g;
  end.lastIndex = start + name.length + 5;
  const next = end.exec(text);
  return text.slice(start + 1, next ? next.index + 1 : text.length);
}

function chartVersions(list: unknown, name: string, file: string): IndexEntry[] {
  if (!Array.isArray(list)) throw new HelmSynthError(file, `entries.${name} must be a list; got ${describeValue(list)}`);
  return list.map((entry, i) => {
    if (!entry || typeof entry !== 'object' || typeof entry.version !== 'string') {
      throw new HelmSynthError(file, `entries.${name}[${i}] must be a chart version with a version string; got ${describeValue(entry)}`);
    }
    return { ...entry, name: typeof entry.name === 'string' ? entry.name : name } as IndexEntry;
  });
}

function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text, { schema: 'core' });
  } catch (error) {
    throw new HelmSynthError(file, `does not parse: ${(error as Error).message}`);
  }
}

/**
 * Writes an index as YAML the way Helm does (every map's keys sorted, as Go's JSON-to-YAML
 * conversion sorts them; lists not indented under their key), as YAML 1.1 so strings that read as
 * numbers, booleans or times are quoted.
 */
export function renderIndex(index: RepositoryIndex): string {
  const document = { ...(index.extra ?? {}), apiVersion: index.apiVersion, entries: index.entries, generated: index.generated };
  return stringify(document, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

function dependencies(chart: ChartContent): unknown {
  const metadata = chart.metadata as Record<string, unknown>;
  let list = metadata.dependencies;
  const requirements = chart.files.get('requirements.yaml');
  if (metadata.apiVersion === 'v1' && requirements) list = (parse(requirements.toString('utf8'), { version: '1.1' }) ?? {}).dependencies;
  if (!Array.isArray(list)) return undefined;
  return list.map((dependency) => {
    const picked = pick(dependency, DEPENDENCY_FIELDS) as Record<string, unknown> | undefined;
    return picked ? { repository: '', ...picked } : dependency;
  });
}

function pick(value: unknown, fields: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, fields));
  if (!value || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    const item = (value as Record<string, unknown>)[field];
    if (!isEmpty(item)) result[field] = item;
  }
  return result;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** Orders RFC 3339 times by the instant they name (offsets differ between entries Helm wrote), then as text. */
function byTime(a: string, b: string): number {
  const diff = (Date.parse(a) || 0) - (Date.parse(b) || 0);
  return diff !== 0 ? diff : byteOrder(a, b);
}

/** Go's RFC 3339 with nanoseconds: UTC, fraction trimmed of trailing zeros. */
function formatTime(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_match, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}
