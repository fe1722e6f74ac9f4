import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ChartFiles } from '../synth/chart-files';
import { HelmApp } from '../synth/helm-app';

/**
 * Runs the app. `node <file>` apps are loaded in this process (one Node start, and errors caught
 * here); any other command runs in a shell with the same environment.
 *
 * @returns the charts synthesized in this process, or undefined for an external command
 */
export function runApp(command: string, env: Record<string, string>): ChartFiles[] | undefined {
  Object.assign(process.env, env);
  const direct = appFileOf(command);
  if (direct) {
    require(resolve(direct));
    return HelmApp.synthesized.flatMap((run) => run.charts);
  }
  const result = spawnSync(command, { shell: true, stdio: 'inherit', env: process.env });
  if (result.status !== 0) throw new Error(`app command failed (exit ${result.status}): ${command}`);
  return undefined;
}

/** The file of a `node <file>.js` app command, or undefined for any other command. */
export function appFileOf(command: string): string | undefined {
  return /^node\s+(\S+\.c?js)$/.exec(command.trim())?.[1];
}
