import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { HelmAppProps, runSynthSession, settingsEnvironment } from '../synth/app-settings';
import { SynthResult } from '../synth/synth-result';
import { registerTypeScript } from './typescript-loader';

/** An app command run in a shell that failed; its own output has already been printed. */
export class AppCommandError extends Error {
  constructor(command: string, status: number | null) {
    super(`the app command failed (${status === null ? 'killed' : `exit ${status}`}): ${command}`);
    this.name = 'AppCommandError';
  }
}

/**
 * Runs the app with these settings. A JavaScript or TypeScript app file (see `appFileOf`) is loaded
 * in this process (one Node start, and errors caught here), TypeScript compiled by esbuild as it is
 * required, inside a synth session that hands every `HelmApp` the settings and collects what each
 * `synth()` did; any other command runs in a shell with this environment and the settings as
 * environment variables (src/synth/app-settings.ts).
 *
 * @returns the result of every `synth()` run in this process, or undefined for a shell command
 */
export function runApp(command: string, settings: HelmAppProps): SynthResult[] | undefined {
  const direct = appFileOf(command);
  if (direct) {
    if (direct.endsWith('.ts')) registerTypeScript(resolve(direct));
    return runSynthSession(settings, () => require(resolve(direct)));
  }
  const env = { ...process.env, ...settingsEnvironment(settings) };
  const result = spawnSync(command, { shell: true, stdio: 'inherit', env });
  if (result.status !== 0) throw new AppCommandError(command, result.status);
  return undefined;
}

const TS_RUNNER_FLAGS = '(?:\\s+(?:--prefer-ts-exts|--transpile-only|-T|--files|--swc))*';
const NODE = `(?:node|${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`;
const APP_COMMANDS: readonly RegExp[] = [
  new RegExp(`^${NODE}\\s+(\\S+\\.c?js)$`),
  /^(\S+\.(?:ts|c?js))$/,
  new RegExp(`^(?:npx\\s+(?:--yes\\s+|-y\\s+)?)?(?:ts-node|tsx)${TS_RUNNER_FLAGS}\\s+(\\S+\\.(?:ts|c?js))$`),
  /^node\s+(?:-r|--require)\s+ts-node\/register(?:\/transpile-only)?\s+(\S+\.ts)$/,
];

/**
 * The file of an app command helm-synth runs in-process: `node <file>.js` (or the path of the Node
 * running helm-synth, as cdk8s.yaml files written by tools hold it), a `.ts` file, or a
 * TypeScript runner as cdk8s projects write it (`npx ts-node <file>.ts`, `tsx <file>.ts`,
 * `node -r ts-node/register <file>.ts`); undefined for any other command.
 */
export function appFileOf(command: string): string | undefined {
  const trimmed = command.trim();
  for (const pattern of APP_COMMANDS) {
    const file = pattern.exec(trimmed)?.[1];
    if (file) return file;
  }
  return undefined;
}
