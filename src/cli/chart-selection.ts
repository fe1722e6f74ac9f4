import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { HelmSynthError } from '../errors';
import { archiveFileName, chartDirectories, readChartMetadata } from '../release/internal';

/**
 * The chart folders of the output folder a command works on: the charts named (by folder name, as
 * `synth` writes them), in the order given, or every chart when none is named. A name with no
 * folder is an error listing the charts there are.
 *
 * @param command named in errors
 */
export function selectChartDirectories(output: string, names: readonly string[], command: string): string[] {
  const dirs = chartDirectories(output);
  if (dirs.length === 0) throw new HelmSynthError(output, 'holds no chart directory: run helm-synth synth first');
  if (names.length === 0) return dirs;
  const missing = names.filter((name) => !dirs.some((dir) => basename(dir) === name));
  if (missing.length) {
    throw new HelmSynthError(
      command,
      `no chart ${missing.join(', ')} in ${output}; there are ${dirs.map((dir) => basename(dir)).join(', ')}`,
    );
  }
  return [...new Set(names)].map((name) => dirs.find((dir) => basename(dir) === name)!);
}

/**
 * The chart archives a command works on (`push`, `verify`): an item ending in `.tgz` is an archive
 * path; any other is a chart of the output folder, read as `package` writes it,
 * `<destination>/<name>-<version>.tgz` (name and version from its Chart.yaml). No item: every chart
 * of the output folder. An archive of a named chart that is not there is an error naming the
 * command that makes it.
 *
 * @param command named in errors
 */
export function selectChartArchives(output: string, items: readonly string[], destination: string, command: string): string[] {
  const names = items.filter((item) => !isArchivePath(item));
  const archives = new Map<string, string>();
  if (names.length > 0 || items.length === 0) {
    for (const dir of selectChartDirectories(output, names, command)) {
      const chart = readChartMetadata(dir);
      archives.set(basename(dir), join(destination, archiveFileName(chart)));
    }
  }
  const selected = items.length === 0 ? [...archives.values()] : items.map((item) => archives.get(item) ?? item);
  const absent = [...archives.entries()].filter(([, file]) => !existsSync(file));
  if (absent.length) {
    throw new HelmSynthError(
      command,
      `no archive ${absent.map(([, file]) => file).join(', ')}: run helm-synth package ${absent.map(([name]) => name).join(' ')} --destination ${destination} first`,
    );
  }
  return [...new Set(selected)];
}

/** Whether a command argument names a chart archive (`*.tgz`) rather than a chart. */
export function isArchivePath(item: string): boolean {
  return item.endsWith('.tgz');
}
