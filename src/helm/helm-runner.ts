import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { HelmSynthError } from '../errors';

/** Says why no Helm was found, for a skip message or an error. */
export const NO_HELM_MESSAGE = 'no helm on PATH and no HELM_BIN naming a Helm binary (or a stand-in such as helm-oracle)';

/** Options of one `helm template` run. */
export interface HelmTemplateOptions {
  /** Release name (`.Release.Name`). @default 'release-name' */
  readonly release?: string;
  /** Release namespace (`.Release.Namespace`). @default 'default' */
  readonly namespace?: string;
  /** Values files, in order (`-f`); later files win. @default [] */
  readonly valuesFiles?: readonly string[];
  /** `--set` arguments, each as written after `--set` (`a.b=1,c=x`). @default [] */
  readonly set?: readonly string[];
  /** Render as an upgrade (`--is-upgrade`: `.Release.IsUpgrade` true). @default false */
  readonly isUpgrade?: boolean;
  /** `.Capabilities.KubeVersion` (`--kube-version`, e.g. `1.29`). @default Helm's own default */
  readonly kubeVersion?: string;
}

/**
 * A Helm binary to run: a real `helm`, or a stand-in with the same `template` and `lint` commands.
 * Holds only the binary's path, so two copies of the library can share nothing and lose nothing.
 */
export class HelmRunner {
  /**
   * The Helm to use: a `helm` on PATH, else the binary HELM_BIN names; undefined when there is none.
   *
   * @param env the environment to read PATH and HELM_BIN from. @default process.env
   */
  public static find(env: NodeJS.ProcessEnv = process.env): HelmRunner | undefined {
    const names = process.platform === 'win32' ? ['helm.exe', 'helm'] : ['helm'];
    for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
      for (const name of names) {
        if (isExecutable(join(dir, name))) return new HelmRunner(join(dir, name));
      }
    }
    if (env.HELM_BIN && isExecutable(env.HELM_BIN)) return new HelmRunner(env.HELM_BIN);
    return undefined;
  }

  /**
   * Like `find`, but throws a HelmSynthError at `context` saying what to install when there is no Helm.
   *
   * @param context what needs Helm (a command or a chart), named in the error
   */
  public static require(context: string, env: NodeJS.ProcessEnv = process.env): HelmRunner {
    const found = HelmRunner.find(env);
    if (found) return found;
    const badBin =
      env.HELM_BIN && !isExecutable(env.HELM_BIN) ? `; HELM_BIN=${JSON.stringify(env.HELM_BIN)} is not an executable file` : '';
    throw new HelmSynthError(context, `needs Helm: ${NO_HELM_MESSAGE}${badBin}. Install helm, or set HELM_BIN`);
  }

  /** @param binary path of the Helm binary */
  constructor(public readonly binary: string) {}

  /** Runs `helm template` on a chart directory; returns the rendered text (throws with Helm's stderr on failure). */
  public template(chartDir: string, options: HelmTemplateOptions = {}): string {
    const args = ['template', options.release ?? 'release-name', chartDir, '--namespace', options.namespace ?? 'default'];
    for (const file of options.valuesFiles ?? []) args.push('-f', file);
    for (const assignment of options.set ?? []) args.push('--set', assignment);
    if (options.isUpgrade) args.push('--is-upgrade');
    if (options.kubeVersion !== undefined) args.push('--kube-version', options.kubeVersion);
    const result = spawnSync(this.binary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (result.error) throw new HelmSynthError(chartDir, `cannot run ${this.binary}: ${result.error.message}`);
    if (result.status !== 0) throw new HelmSynthError(chartDir, `helm template failed:\n${result.stderr.trim()}`);
    return result.stdout;
  }

  /** Runs `helm lint --strict`; returns its output (throws with the output on failure). */
  public lint(chartDir: string): string {
    const result = spawnSync(this.binary, ['lint', '--strict', chartDir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new HelmSynthError(chartDir, `helm lint failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
    return result.stdout;
  }
}

function isExecutable(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
