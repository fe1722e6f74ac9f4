import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describeValue, HelmSynthError } from '../errors';
import { RepositoryMirrors } from '../release/repository-mirrors';

/** What `cdk8s.yaml` says: the command that runs the app and where charts go. */
export interface ProjectConfig {
  /** The app: a `.ts` or `.js` file, or the command that runs it (`npx ts-node charts/main.ts`, `node lib/charts/main.js`). */
  readonly app: string;
  /** Output folder. @default dist */
  readonly output: string;
  /** The upgrade check `synth` runs after writing (cdk8s.yaml `upgradeCheck:`). @default none */
  readonly upgradeCheck?: UpgradeCheckConfig;
  /** How `dependency build` fetches dependencies (cdk8s.yaml `dependencies:`). @default the user's cache folder, no mirrors */
  readonly dependencies: DependencyConfig;
}

/** cdk8s.yaml `dependencies:`: the chart cache and repository mirrors of `dependency build`. */
export interface DependencyConfig {
  /** The chart cache folder (relative to the project folder). @default HELM_SYNTH_CACHE_DIR, else $XDG_CACHE_HOME/helm-synth/charts, else ~/.cache/helm-synth/charts */
  readonly cache?: string;
  /** `repositoryMirrors:`, repository URL to mirror URL (HELM_SYNTH_REPOSITORY_MIRRORS adds to them). @default none */
  readonly mirrors: RepositoryMirrors;
}

/** cdk8s.yaml `upgradeCheck:`: what `synth` checks the new charts against (see `helm-synth check-upgrade`). */
export interface UpgradeCheckConfig {
  /** The released state: a chart archive, a chart directory, or a folder of them. */
  readonly baseline: string;
  /** Values files for both renders. @default [] */
  readonly values: readonly string[];
  /** `--set` arguments for both renders. @default [] */
  readonly set: readonly string[];
}

/** Reads cdk8s.yaml from the working directory. */
export function readProjectConfig(file = 'cdk8s.yaml'): ProjectConfig {
  if (!existsSync(file)) throw new HelmSynthError(file, 'not found: run helm-synth in the folder that holds cdk8s.yaml');
  const config = parse(readFileSync(file, 'utf8')) ?? {};
  if (typeof config.app !== 'string' || config.app.trim() === '') {
    throw new HelmSynthError(
      file,
      `app must be the app file or the command that runs it, e.g. "charts/main.ts" or "node lib/charts/main.js"; got ${JSON.stringify(config.app)}`,
    );
  }
  const output = typeof config.output === 'string' ? config.output : 'dist';
  return {
    app: config.app,
    output,
    upgradeCheck: upgradeCheck(file, config.upgradeCheck),
    dependencies: dependencySettings(file, config.dependencies),
  };
}

function upgradeCheck(file: string, value: unknown): UpgradeCheckConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const settings = value as Record<string, unknown>;
  const strings = (key: string): string[] => {
    const list = settings[key] ?? [];
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
      throw new HelmSynthError(file, `upgradeCheck.${key} must be a list of strings; got ${JSON.stringify(list)}`);
    }
    return list;
  };
  if (typeof settings !== 'object' || typeof settings.baseline !== 'string' || settings.baseline === '') {
    throw new HelmSynthError(
      file,
      'upgradeCheck.baseline must be the released charts (an archive, a chart directory or a folder of them); ' +
        `got ${JSON.stringify(settings.baseline)}`,
    );
  }
  return { baseline: settings.baseline, values: strings('values'), set: strings('set') };
}

function dependencySettings(file: string, value: unknown): DependencyConfig {
  const settings = (value ?? {}) as Record<string, unknown>;
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new HelmSynthError(file, `dependencies must be a map (cache, repositoryMirrors); got ${describeValue(value)}`);
  }
  const unknown = Object.keys(settings).filter((key) => key !== 'cache' && key !== 'repositoryMirrors');
  if (unknown.length) throw new HelmSynthError(file, `dependencies.${unknown[0]} is not a setting; there are cache and repositoryMirrors`);
  if (settings.cache !== undefined && (typeof settings.cache !== 'string' || settings.cache === '')) {
    throw new HelmSynthError(file, `dependencies.cache must be a folder; got ${describeValue(settings.cache)}`);
  }
  const mirrors = RepositoryMirrors.fromRecord(settings.repositoryMirrors, `${file} dependencies.repositoryMirrors`);
  return { cache: settings.cache as string | undefined, mirrors };
}
