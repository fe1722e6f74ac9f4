import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { parse, stringify } from 'yaml';
import { describeValue, HelmSynthError } from '../errors';
import { ChartContent } from './chart-content';

/** Chart.lock's file name. */
export const CHART_LOCK_FILE = 'Chart.lock';

/**
 * One entry of Chart.yaml `dependencies`, with the fields of Helm's `chart.Dependency` in its
 * order (the order matters: Chart.lock's digest hashes them as Go's JSON encoder writes them).
 */
export interface ChartDependency {
  /** Chart name in its repository. */
  readonly name: string;
  /** Version or version range. */
  readonly version: string;
  /** Repository URL (`https://`, `oci://`, `file://`), or empty for a chart kept in `charts/`. */
  readonly repository: string;
  /** Values path that switches it on or off. @default none */
  readonly condition?: string;
  /** Tags that switch it on or off. @default none */
  readonly tags?: readonly string[];
  /** Helm's `enabled` field. @default false */
  readonly enabled?: boolean;
  /** Values imported from it. @default none */
  readonly 'import-values'?: readonly unknown[];
  /** Name it is rendered under. @default its name */
  readonly alias?: string;
}

/** One locked dependency: the exact version taken from the repository. */
export interface LockedDependency {
  /** Chart name. */
  readonly name: string;
  /** Exact version. */
  readonly version: string;
  /** Repository, as Chart.yaml writes it. */
  readonly repository: string;
}

/** Chart.lock: what `dependency build` resolved, Helm's `chart.Lock`. */
export interface ChartLock {
  /** One per Chart.yaml dependency, in its order. */
  readonly dependencies: readonly LockedDependency[];
  /** `sha256:<hex>` over Chart.yaml's dependencies and these (Helm's `resolver.HashReq`). */
  readonly digest: string;
  /** RFC 3339 time the lock was made. */
  readonly generated: string;
}

/**
 * Chart.yaml's dependencies as Helm loads them (apiVersion v1 charts: requirements.yaml): each a
 * map with string `name`, `version` and `repository`; strings sanitized as Helm's
 * `Dependency.Validate` does (white space becomes a space, unprintable characters are dropped).
 */
export function chartDependencies(chart: ChartContent): ChartDependency[] {
  const metadata = chart.metadata as Record<string, unknown>;
  const requirements = chart.files.get('requirements.yaml');
  const where = metadata.apiVersion === 'v1' && requirements ? `${chart.origin}/requirements.yaml` : `${chart.origin}/Chart.yaml`;
  const list =
    metadata.apiVersion === 'v1' && requirements
      ? ((parse(requirements.toString('utf8'), { version: '1.1' }) ?? {}) as Record<string, unknown>).dependencies
      : metadata.dependencies;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new HelmSynthError(where, `dependencies must be a list; got ${describeValue(list)}`);
  return list.map((item, i) => {
    const at = `${where} dependencies[${i}]`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new HelmSynthError(at, `must be a map; got ${describeValue(item)}`);
    const raw = item as Record<string, unknown>;
    const text = (key: string, required: boolean): string | undefined => {
      const value = raw[key];
      if (value === undefined || value === null || value === '') {
        if (required) throw new HelmSynthError(at, `${key} must be a non-empty string; got ${describeValue(value)}`);
        return undefined;
      }
      if (typeof value !== 'string') throw new HelmSynthError(at, `${key} must be a string; got ${describeValue(value)}`);
      return sanitize(value);
    };
    const tags = raw.tags;
    if (tags !== undefined && tags !== null && (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string'))) {
      throw new HelmSynthError(at, `tags must be a list of strings; got ${describeValue(tags)}`);
    }
    const importValues = raw['import-values'];
    if (importValues !== undefined && importValues !== null && !Array.isArray(importValues)) {
      throw new HelmSynthError(at, `import-values must be a list; got ${describeValue(importValues)}`);
    }
    const dependency: Record<string, unknown> = {
      name: text('name', true),
      version: text('version', true),
      repository: text('repository', false) ?? '',
      condition: text('condition', false),
      tags: Array.isArray(tags) && tags.length ? tags.map((tag: string) => sanitize(tag)) : undefined,
      enabled: raw.enabled === true ? true : undefined,
      'import-values': Array.isArray(importValues) && importValues.length ? importValues : undefined,
      alias: text('alias', false),
    };
    return Object.fromEntries(Object.entries(dependency).filter(([, value]) => value !== undefined)) as unknown as ChartDependency;
  });
}

/**
 * Chart.lock's `digest`, as Helm's `resolver.HashReq` computes it: `sha256:` and the hex sha256
 * of Go's `json.Marshal([2][]*chart.Dependency{requested, locked})` — struct field order, empty
 * optional fields left out, and `<`, `>`, `&`, U+2028, U+2029 escaped as `\u003c` and so on, as
 * Go's encoder does. `helm dependency build` refuses a Chart.lock whose digest differs.
 */
export function lockDigest(requested: readonly ChartDependency[], locked: readonly LockedDependency[]): string {
  const lockedInGoOrder = locked.map((d) => ({ name: d.name, ...(d.version !== '' && { version: d.version }), repository: d.repository }));
  const requestedInGoOrder = requested.map((d) => {
    const { name, version, repository, 'import-values': importValues, alias, ...rest } = d;
    return {
      name,
      ...(version !== '' && { version }),
      repository,
      ...rest,
      ...(importValues && { 'import-values': goSortedMaps(importValues) }),
      ...(alias !== undefined && { alias }),
    };
  });
  const json = JSON.stringify([requestedInGoOrder, lockedInGoOrder]).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/**
 * Chart.lock as Helm writes it (`yaml.Marshal` of `chart.Lock` through JSON: keys sorted, lists
 * not indented, the time a quoted string).
 */
export function renderChartLock(lock: ChartLock): string {
  const document = {
    dependencies: lock.dependencies.map((d) => ({
      name: d.name,
      repository: d.repository,
      ...(d.version !== '' && { version: d.version }),
    })),
    digest: lock.digest,
    generated: lock.generated,
  };
  return stringify(document, { version: '1.1', sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * Reads a Chart.lock.
 *
 * @param origin named in errors
 */
export function parseChartLock(text: string, origin: string): ChartLock {
  let data: unknown;
  try {
    data = parse(text, { schema: 'core' });
  } catch (error) {
    throw new HelmSynthError(origin, `does not parse: ${(error as Error).message}`);
  }
  const lock = (data ?? {}) as Record<string, unknown>;
  const dependencies = lock.dependencies ?? [];
  if (typeof lock !== 'object' || !Array.isArray(dependencies)) {
    throw new HelmSynthError(origin, `must be a map with a dependencies list; got ${describeValue(data)}`);
  }
  return {
    dependencies: dependencies.map((d: Record<string, unknown>, i: number) => {
      if (!d || typeof d.name !== 'string') throw new HelmSynthError(origin, `dependencies[${i}] has no name; got ${describeValue(d)}`);
      return { name: d.name, version: String(d.version ?? ''), repository: String(d.repository ?? '') };
    }),
    digest: String(lock.digest ?? ''),
    generated: String(lock.generated ?? ''),
  };
}

/** Whether two Chart.lock files lock the same dependencies under the same digest (their `generated` times aside). */
export function sameLock(a: ChartLock, b: ChartLock): boolean {
  return a.digest === b.digest && isDeepStrictEqual(a.dependencies, b.dependencies);
}

/** A value as Go's JSON encoder writes a decoded YAML value: the keys of every map sorted. */
function goSortedMaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(goSortedMaps);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, goSortedMaps((value as Record<string, unknown>)[key])]),
  );
}

function sanitize(text: string): string {
  return [...text]
    .map((ch) => (ch !== '\ufeff' && /\s/u.test(ch) ? ' ' : ch))
    .filter((ch) => !/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u.test(ch))
    .join('');
}
