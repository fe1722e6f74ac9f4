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
  /** Where `synth` writes `<chart>.values.d.ts` for each chart (cdk8s.yaml `types:`, `synth --types DIR`). @default none */
  readonly types?: string;
  /** How `dependency build` fetches dependencies (cdk8s.yaml `dependencies:`). @default the user's cache folder, no mirrors */
  readonly dependencies: DependencyConfig;
}

/** cdk8s.yaml `dependencies:`: the chart cache and repository mirrors of `dependency build`. */
export interface DependencyConfig {
  /** The chart cache folder (relative to the project folder); HELM_SYNTH_CACHE_DIR wins over it. @default $XDG_CACHE_HOME/helm-synth/charts, else ~/.cache/helm-synth/charts */
  readonly cache?: string;
  /** `repositoryMirrors:`, repository URL to mirror URL (HELM_SYNTH_REPOSITORY_MIRRORS adds to them). @default none */
  readonly mirrors: RepositoryMirrors;
}

/** cdk8s.yaml `upgradeCheck:`: what `synth` and `check-upgrade` check the new charts against (see `helm-synth check-upgrade`). */
export interface UpgradeCheckConfig {
  /** The released state: a chart archive, a chart directory, or a folder of them. */
  readonly baseline: string;
  /** Values files for both renders of every chart. @default [] */
  readonly values: readonly string[];
  /** `--set` arguments for both renders of every chart. @default [] */
  readonly set: readonly string[];
  /** The Kubernetes version to render for and check APIs against (`--kube-version`). @default none */
  readonly kubeVersion?: string;
  /** The acknowledgements file. @default `upgrade-acknowledgements.yaml` when it exists */
  readonly acknowledgements?: string;
  /** Settings per chart name: `values`, `set` (after the ones above) and `skip`. @default none */
  readonly charts: Readonly<Record<string, ChartUpgradeCheckConfig>>;
}

/** cdk8s.yaml `upgradeCheck.charts.<name>`. */
export interface ChartUpgradeCheckConfig {
  /** Values files for this chart, after `upgradeCheck.values`. @default [] */
  readonly values: readonly string[];
  /** `--set` arguments for this chart, after `upgradeCheck.set`. @default [] */
  readonly set: readonly string[];
  /** Leave the chart out of the check. @default false */
  readonly skip: boolean;
}

/** The settings of a command run outside a project (no cdk8s.yaml): output `dist`, no app, no mirrors. */
export function standaloneConfig(): ProjectConfig {
  return { app: '', output: 'dist', dependencies: { mirrors: RepositoryMirrors.NONE } };
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
    types: optionalText(file, 'types', config.types),
    dependencies: dependencySettings(file, config.dependencies),
  };
}

function upgradeCheck(file: string, value: unknown): UpgradeCheckConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new HelmSynthError(file, `upgradeCheck must be a map; got ${JSON.stringify(value)}`);
  const settings = value as Record<string, unknown>;
  onlyKeys(file, 'upgradeCheck', settings, ['baseline', 'values', 'set', 'kubeVersion', 'acknowledgements', 'charts']);
  if (typeof settings.baseline !== 'string' || settings.baseline === '') {
    throw new HelmSynthError(
      file,
      'upgradeCheck.baseline must be the released charts (an archive, a chart directory or a folder of them); ' +
        `got ${JSON.stringify(settings.baseline)}`,
    );
  }
  const charts: Record<string, ChartUpgradeCheckConfig> = {};
  const perChart = settings.charts ?? {};
  if (typeof perChart !== 'object' || Array.isArray(perChart)) {
    throw new HelmSynthError(file, `upgradeCheck.charts must map chart names to { values, set, skip }; got ${JSON.stringify(perChart)}`);
  }
  for (const [name, entry] of Object.entries(perChart as Record<string, unknown>)) {
    const where = `upgradeCheck.charts.${name}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      throw new HelmSynthError(file, `${where} must be a map of values, set and skip`);
    const record = entry as Record<string, unknown>;
    onlyKeys(file, where, record, ['values', 'set', 'skip']);
    if (record.skip !== undefined && typeof record.skip !== 'boolean')
      throw new HelmSynthError(file, `${where}.skip must be true or false`);
    charts[name] = { values: strings(file, where, record, 'values'), set: strings(file, where, record, 'set'), skip: record.skip === true };
  }
  return {
    baseline: settings.baseline,
    values: strings(file, 'upgradeCheck', settings, 'values'),
    set: strings(file, 'upgradeCheck', settings, 'set'),
    kubeVersion: optionalText(file, 'upgradeCheck.kubeVersion', settings.kubeVersion),
    acknowledgements: optionalText(file, 'upgradeCheck.acknowledgements', settings.acknowledgements),
    charts,
  };
}

function strings(file: string, where: string, settings: Record<string, unknown>, key: string): string[] {
  const list = settings[key] ?? [];
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw new HelmSynthError(file, `${where}.${key} must be a list of strings; got ${JSON.stringify(list)}`);
  }
  return list;
}

function optionalText(file: string, where: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number')
    throw new HelmSynthError(file, `${where} must be quoted text (YAML reads ${value} as a number): write "${value}"`);
  if (typeof value !== 'string' || value.trim() === '')
    throw new HelmSynthError(file, `${where} must be text; got ${JSON.stringify(value)}`);
  return value;
}

function onlyKeys(file: string, where: string, settings: Record<string, unknown>, keys: readonly string[]): void {
  const unknown = Object.keys(settings).filter((key) => !keys.includes(key));
  if (unknown.length) throw new HelmSynthError(file, `${where} has unknown key ${unknown.join(', ')} (keys: ${keys.join(', ')})`);
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
