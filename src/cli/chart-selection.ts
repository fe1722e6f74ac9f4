import { basename } from 'node:path';
import { HelmSynthError } from '../errors';
import { chartDirectories } from '../release';

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
