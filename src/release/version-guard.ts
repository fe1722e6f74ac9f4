import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { HelmSynthError } from '../errors';
import { CHART_FILE, ChartContent } from './chart-content';
import { CHART_LOCK_FILE } from './chart-lock';

/** How a file differs from the released chart of the same version. */
export enum FileChangeKind {
  ADDED = 'added',
  REMOVED = 'removed',
  CHANGED = 'changed',
}

/** One file that differs between a released chart and the chart about to be released under the same version. */
export interface FileChange {
  /** Path relative to the chart root. */
  readonly path: string;
  /** Added, removed or changed. */
  readonly kind: FileChangeKind;
}

/**
 * The files that differ between two charts, sorted by path. Chart.yaml counts as changed only when
 * its data differs (`helm package` rewrites Chart.yaml, so an archive made by Helm has other bytes
 * for the same metadata), Chart.lock only when more than its `generated` time differs (it follows
 * SOURCE_DATE_EPOCH, which moves with every commit; Helm 4's `helm package` rewrites it too); every
 * other file is compared byte for byte.
 */
export function changedFiles(released: ChartContent, current: ChartContent): FileChange[] {
  const changes: FileChange[] = [];
  const paths = [...new Set([...released.files.keys(), ...current.files.keys()])].sort();
  for (const path of paths) {
    const before = released.files.get(path);
    const after = current.files.get(path);
    if (!before) changes.push({ path, kind: FileChangeKind.ADDED });
    else if (!after) changes.push({ path, kind: FileChangeKind.REMOVED });
    else if (!sameFile(path, before, after)) changes.push({ path, kind: FileChangeKind.CHANGED });
  }
  return changes;
}

/**
 * The version guard: a chart version, once released, names one set of files. Throws a
 * HelmSynthError naming the chart, the version, where it was released and every changed file when
 * `current` has the same name and version as `released` but other files.
 *
 * @param where where the released chart is (an archive path or a baseline), named in the error
 */
export function assertUnchangedRelease(released: ChartContent, current: ChartContent, where: string): void {
  if (released.name !== current.name || released.version !== current.version) return;
  const changes = changedFiles(released, current);
  if (changes.length === 0) return;
  throw new HelmSynthError(
    current.name,
    `version ${current.version} is already released as ${where} with other files: ` +
      `${changes.map((change) => `${change.path} (${change.kind})`).join(', ')}; bump the version in Chart.yaml`,
  );
}

function sameFile(path: string, a: Buffer, b: Buffer): boolean {
  if (a.equals(b)) return true;
  if (path !== CHART_FILE && path !== CHART_LOCK_FILE) return false;
  try {
    const [before, after] = [a, b].map((data) => parse(data.toString('utf8'), { version: '1.1' }));
    if (path === CHART_LOCK_FILE && before && after) return isDeepStrictEqual({ ...before, generated: '' }, { ...after, generated: '' });
    return isDeepStrictEqual(before, after);
  } catch {
    return false;
  }
}
