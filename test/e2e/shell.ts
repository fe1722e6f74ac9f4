import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmRunner } from '../../src/helm';

/** The environment of a user's shell: not the package, lifecycle or local prefix of the npm run that started jest; HELM_BIN where there is a Helm. */
export function userEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$|JEST_WORKER_ID$)/.test(key),
    ),
  );
  const helm = HelmRunner.find()?.binary;
  return { ...env, HELM_SYNTH_DEBUG: '', ...(helm && { HELM_BIN: helm }) };
}

/** Runs a command in a user's shell environment. */
export function run(cwd: string, command: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: userEnv(), maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command that must succeed; fails with its output. */
export function ok(cwd: string, command: string, ...args: string[]): string {
  const result = run(cwd, command, args);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

/** The version of a package installed under a project's node_modules. */
export function installedVersion(project: string, name: string, from = project): string {
  return JSON.parse(readFileSync(join(from, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** `npm pack --json` of a package folder into a destination: the tarball's path and the packed files. */
export function npmPack(packageDir: string, destination: string): { tarball: string; files: string[] } {
  const packed = run(packageDir, 'npm', ['pack', '--json', '--pack-destination', destination]);
  if (packed.status !== 0) throw new Error(`npm pack in ${packageDir} failed (${packed.status}):\n${packed.stdout}\n${packed.stderr}`);
  const [result] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n')));
  return { tarball: join(destination, result.filename), files: result.files.map((file: { path: string }) => file.path) };
}
