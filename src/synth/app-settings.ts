import { describeValue, HelmSynthError } from '../errors';
import { closestNames } from '../chart/kubernetes-schema';
import { SynthResult } from './synth-result';

/**
 * Settings of a HelmApp: how its synthesis runs. Each given here wins over what the CLI that loads
 * the app (the synth session) or, for an app run as a child process, the environment says; see
 * `resolveAppSettings`.
 */
export interface HelmAppProps {
  /**
   * Where chart directories are written, one per chart.
   * @default the CLI's output (cdk8s.yaml `output:`), else $HELM_SYNTH_OUTDIR, else $CDK8S_OUTDIR, else `dist`
   */
  readonly outdir?: string;
  /**
   * Report what would be written, unchanged and removed, touching nothing. The CLI's `--dry-run`
   * turns it on whatever the props say: a run asked not to write never writes.
   * @default false (the CLI's `--dry-run`, or $HELM_SYNTH_DRY_RUN=1, turn it on)
   */
  readonly dryRun?: boolean;
  /**
   * Synthesize in memory only: `synth()` returns the charts and touches no file (`helm-synth plan`
   * asks for it whatever the props say).
   * @default false ($HELM_SYNTH_IN_MEMORY=1 turns it on)
   */
  readonly inMemory?: boolean;
  /**
   * The project folder, which the output may not be (nor be above).
   * @default the CLI's working folder, else $HELM_SYNTH_PROJECT_DIR, else the working folder
   */
  readonly projectDir?: string;
  /**
   * The app's file, which the output may not hold; also where cdk8s and constructs are resolved
   * from to check that the app and helm-synth load one copy of each.
   * @default the file the CLI loads, else $HELM_SYNTH_APP_FILE, else the main module
   */
  readonly appFile?: string;
}

/** The settings a `HelmApp` runs with, every default applied. */
export interface ResolvedAppSettings {
  /** Where chart directories are written. */
  readonly outdir: string;
  /** Report only, touching nothing. */
  readonly dryRun: boolean;
  /** Synthesize only: no file is read or written. */
  readonly inMemory: boolean;
  /** The project folder the output may not be. */
  readonly projectDir: string;
  /** The app's file, if known. */
  readonly appFile?: string;
}

/**
 * The environment variables an app run as a child process reads its settings from (as a cdk8s
 * app reads `CDK8S_OUTDIR`). `CDK8S_OUTDIR` is honoured after `HELM_SYNTH_OUTDIR`, so
 * `cdk8s synth -o DIR` writes the charts to DIR. An empty variable counts as unset.
 */
export const APP_SETTINGS_ENV = {
  outdir: 'HELM_SYNTH_OUTDIR',
  dryRun: 'HELM_SYNTH_DRY_RUN',
  inMemory: 'HELM_SYNTH_IN_MEMORY',
  projectDir: 'HELM_SYNTH_PROJECT_DIR',
  appFile: 'HELM_SYNTH_APP_FILE',
} as const;

/** cdk8s's output variable, read after `HELM_SYNTH_OUTDIR`. */
export const CDK8S_OUTDIR_ENV = 'CDK8S_OUTDIR';

/**
 * The settings an app run as a child process finds in its environment. This module is the only
 * one of src/synth/ that reads `process.env`.
 */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): HelmAppProps {
  const text = (name: string): string | undefined => env[name] || undefined;
  return {
    outdir: text(APP_SETTINGS_ENV.outdir) ?? text(CDK8S_OUTDIR_ENV),
    dryRun: env[APP_SETTINGS_ENV.dryRun] === '1',
    inMemory: env[APP_SETTINGS_ENV.inMemory] === '1',
    projectDir: text(APP_SETTINGS_ENV.projectDir),
    appFile: text(APP_SETTINGS_ENV.appFile),
  };
}

/** The environment variables that give a child-process app these settings (the inverse of `settingsFromEnvironment`). */
export function settingsEnvironment(settings: HelmAppProps): Record<string, string> {
  const env: Record<string, string> = {};
  if (settings.outdir !== undefined) env[APP_SETTINGS_ENV.outdir] = settings.outdir;
  if (settings.dryRun) env[APP_SETTINGS_ENV.dryRun] = '1';
  if (settings.inMemory) env[APP_SETTINGS_ENV.inMemory] = '1';
  if (settings.projectDir !== undefined) env[APP_SETTINGS_ENV.projectDir] = settings.projectDir;
  if (settings.appFile !== undefined) env[APP_SETTINGS_ENV.appFile] = settings.appFile;
  return env;
}

/**
 * The CLI's session around loading an app in its own process: settings in, the result of every
 * `HelmApp.synth()` out. It lives in one slot on `globalThis` because the CLI and the app may load
 * two copies of helm-synth (a global CLI, the project's own package); it stays after the app file
 * has loaded, closed, so a `synth()` run later (from a promise) fails instead of writing where no
 * one reads the result.
 */
interface SynthSession {
  readonly settings: HelmAppProps;
  readonly results: SynthResult[];
  open: boolean;
}

const SESSION = Symbol.for('helm-synth.synth-session');
type SessionSlot = { [SESSION]?: SynthSession };

/**
 * Runs `load` (the CLI's `require` of the app) with these settings given to every `HelmApp` it
 * makes, and returns what each `synth()` did, in order.
 */
export function runSynthSession(settings: HelmAppProps, load: () => void): SynthResult[] {
  const session: SynthSession = { settings, results: [], open: true };
  (globalThis as SessionSlot)[SESSION] = session;
  try {
    load();
  } finally {
    session.open = false;
  }
  return session.results;
}

function currentSession(): SynthSession | undefined {
  return (globalThis as SessionSlot)[SESSION];
}

/**
 * The settings a `HelmApp` made with these props runs with. Props win for `outdir`, `projectDir`
 * and `appFile` (as cdk8s's explicit props do); `dryRun` and `inMemory` are on when the props or
 * the CLI (or environment) ask for them. Outside a CLI session the environment is read.
 */
export function resolveAppSettings(props: HelmAppProps): ResolvedAppSettings {
  checkAppProps(props);
  const outside = currentSession()?.settings ?? settingsFromEnvironment();
  return {
    outdir: props.outdir ?? outside.outdir ?? 'dist',
    dryRun: props.dryRun === true || outside.dryRun === true,
    inMemory: props.inMemory === true || outside.inMemory === true,
    projectDir: props.projectDir ?? outside.projectDir ?? process.cwd(),
    appFile: props.appFile ?? outside.appFile ?? require.main?.filename,
  };
}

const APP_PROP_TYPES: Readonly<Record<keyof HelmAppProps, 'string' | 'boolean'>> = {
  outdir: 'string',
  dryRun: 'boolean',
  inMemory: 'boolean',
  projectDir: 'string',
  appFile: 'string',
};

/** Refuses props a `HelmApp` does not know (a misspelt `output` would write to `dist` unnoticed) or of the wrong type. */
function checkAppProps(props: unknown): void {
  if (props === null || typeof props !== 'object' || Array.isArray(props))
    throw new HelmSynthError('HelmApp', `props must be an object, not ${describeValue(props)}`);
  const known = Object.keys(APP_PROP_TYPES);
  for (const [key, value] of Object.entries(props)) {
    const type = APP_PROP_TYPES[key as keyof HelmAppProps];
    if (!type) {
      const closest = closestNames(key, known);
      throw new HelmSynthError(
        'HelmApp',
        `has no prop ${describeValue(key)}${closest.length ? `; did you mean ${closest.join(' or ')}?` : ''} (props: ${known.join(', ')})`,
      );
    }
    if (value !== undefined && (typeof value !== type || (type === 'string' && value === '')))
      throw new HelmSynthError(
        'HelmApp',
        `prop ${key} must be a ${type === 'string' ? 'non-empty string' : 'boolean'}, not ${describeValue(value)}`,
      );
  }
}

/**
 * Where a `synth()` reports its result: the open CLI session, if any. Fails when the CLI's session
 * closed (the app file finished loading) before this `synth()`: nothing would read its result.
 */
export function synthSessionResults(): SynthResult[] | undefined {
  const session = currentSession();
  if (session && !session.open) {
    throw new HelmSynthError(
      'HelmApp.synth()',
      'ran after the app file finished loading: helm-synth runs the app synchronously, so call app.synth() at the top level of the app, not from a promise or a timer',
    );
  }
  return session?.results;
}
