import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { Template } from '../chart/template';
import { checkInteger, checkText, isEnvName } from '../tokens/checks';
import { describeText, hasToken } from '../tokens/token';
import { ObjectValue, Value, ValueType } from '../values/value';
import { Hook } from './hook';
import { checkResources, hookContainerSecurity, hookPodSecurity, HookResources, unrestrictPodSecurity } from './hook-pod';
import { HookDeletePolicy, HookEvent, HookOutputLogPolicy } from './hook-types';

/** Everything a hook Job takes except its events: the base of `HookJobProps` and `PreInstallJobProps`. */
export interface HookJobBaseProps {
  /** Container image, e.g. `postgres:16-alpine`; a value token (or a template literal of tokens) works. */
  readonly image: string;
  /**
   * When the kubelet pulls the image.
   * @default kplus.ImagePullPolicy.IF_NOT_PRESENT (cdk8s-plus would pull Always)
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /**
   * The command to run. Give either this or `script`.
   * @default the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Arguments of the command (or of the script).
   * @default none
   */
  readonly args?: readonly string[];
  /**
   * A shell script to run, stored in a ConfigMap that becomes a hook running just before the Job.
   * Its text is literal: `{{ }}` in it reaches the container unchanged.
   * @default none
   */
  readonly script?: string;
  /**
   * The shell that runs `script`.
   * @default '/bin/sh'
   */
  readonly shell?: string;
  /**
   * Environment variables: a string (a literal or a value token) or a `kplus.EnvValue`, e.g.
   * `EnvValue.fromSecretValue({ secret, key })`. A Secret or ConfigMap of the chart read here must
   * exist when the hook runs: see `addDependency`.
   * @default none
   */
  readonly env?: Readonly<Record<string, string | kplus.EnvValue>>;
  /**
   * CPU and memory of the container: literal amounts, or an object value passed through whole.
   * @default requests cpu 50m and memory 64Mi, limit memory 256Mi (no CPU limit)
   */
  readonly resources?: HookResources | ObjectValue;
  /**
   * Retries before the Job counts as failed (`spec.backoffLimit`); a number or a value token.
   * @default 1 (one retry, not Kubernetes's 6)
   */
  readonly backoffLimit?: number;
  /**
   * Seconds the Job may run before Kubernetes stops it (`spec.activeDeadlineSeconds`).
   * @default 300 (Helm's default --timeout, so a stuck hook stops when Helm gives up)
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds after it finishes before Kubernetes deletes the Job (`spec.ttlSecondsAfterFinished`).
   * Keep it longer than Helm needs to see the result.
   * @default none: the delete policies clean up
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Restart policy of the pod (`Never` or `OnFailure`).
   * @default kplus.RestartPolicy.NEVER (each retry is a new pod, its logs kept)
   */
  readonly restartPolicy?: kplus.RestartPolicy;
  /**
   * Service account of the pod. One of the chart must exist when the hook runs: see `addDependency`.
   * @default none (the namespace's `default`, with no token mounted)
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Mount the service account token.
   * @default true with a `serviceAccount`, else false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Container security settings, merged over the defaults.
   * @default user and group 65534, non-root, read-only root filesystem (an emptyDir is mounted at /tmp), no privilege escalation
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;
  /**
   * Pod security settings, merged over the defaults.
   * @default user and group 65534, non-root
   */
  readonly podSecurityContext?: kplus.PodSecurityContextProps;
  /**
   * Keep what synthesis fills in for the Pod Security Standard `restricted` (the RuntimeDefault
   * seccomp profile, every Linux capability dropped); false removes both, for an image that needs them.
   * @default true
   */
  readonly restrictedPodSecurity?: boolean;
  /**
   * Order among the hooks of an event: lower runs first.
   * @default 0, or just above the hooks given in `after`
   */
  readonly weight?: number;
  /**
   * Hooks the Job runs after, at every event it shares with them (a HookJob, a DbBootstrapHook,
   * any construct given to `Hook.apply`): its weight is then derived above theirs unless given.
   * @default none
   */
  readonly after?: readonly IConstruct[];
  /**
   * When Helm deletes the Job.
   * @default [BEFORE_HOOK_CREATION, HOOK_SUCCEEDED]: a failed Job stays for inspection until the next run
   */
  readonly deletePolicies?: readonly HookDeletePolicy[];
  /**
   * When Helm prints the Job's logs (Helm 3.18+).
   * @default none
   */
  readonly outputLogPolicies?: readonly HookOutputLogPolicy[];
  /**
   * Declares the Job's tunables as chart values under this path (`image`, `resources`,
   * `backoffLimit`, `activeDeadlineSeconds`, and `ttlSecondsAfterFinished` when given), each
   * defaulting to the prop; props given as tokens stay as they are.
   * @default none: the props are written as they are
   */
  readonly valuesPath?: string;
}

/**
 * Former name of `HookJobBaseProps`.
 * @deprecated Use `HookJobBaseProps` (the base of `HookJobProps` and `PreInstallJobProps`; cdk8s names a construct's settings `Props`). Kept for one minor version.
 */
export type HookJobOptions = HookJobBaseProps;

/** Settings of a HookJob. */
export interface HookJobProps extends HookJobBaseProps {
  /** The events that run the Job. */
  readonly events: readonly HookEvent[];
}

const DEFAULT_RESOURCES: HookResources = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } };
const SCRIPT_DIR = '/hook';
const SCRIPT_FILE = 'run.sh';

const HOOK_JOB_BRAND = Symbol.for('helm-synth.HookJob');

/**
 * A one-shot Job that runs at Helm hook events, built on cdk8s-plus-27's Job, with defaults fit for
 * a hook: one retry, a 300 s deadline, deleted once it succeeded, modest resources, non-root.
 *
 * The Job is named `<fullname>-<suffix of this construct>`; use `Template.of(hookJob.job)` for
 * further field overrides.
 */
export class HookJob extends Construct {
  /** True for a HookJob of any copy of the library (a brand check, not `instanceof`). */
  public static isHookJob(x: unknown): x is HookJob {
    return typeof x === 'object' && x !== null && HOOK_JOB_BRAND in x;
  }

  /** The cdk8s-plus Job. */
  public readonly job: kplus.Job;
  /** Its only container. */
  public readonly container: kplus.Container;
  /** The hook (set on this construct, so it covers the Job). */
  public readonly hook: Hook;
  /** The ConfigMap holding `script`, when one is given (a hook that runs just before the Job). */
  public readonly scriptConfigMap?: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: HookJobProps) {
    super(scope, id);
    Object.defineProperty(this, HOOK_JOB_BRAND, { value: true });
    const where = this.node.path;
    if (!props || typeof props !== 'object') throw new HelmSynthError(where, 'HookJob needs props with at least events and image');
    if (props.command !== undefined && props.script !== undefined) {
      throw new HelmSynthError(where, 'give either command or script, not both');
    }
    const restartPolicy = props.restartPolicy ?? kplus.RestartPolicy.NEVER;
    if (restartPolicy !== kplus.RestartPolicy.NEVER && restartPolicy !== kplus.RestartPolicy.ON_FAILURE) {
      throw new HelmSynthError(where, `restartPolicy ${describeValue(restartPolicy)} is not allowed for a Job; use Never or OnFailure`);
    }
    const script = props.script === undefined ? undefined : checkText(props.script, 'script', where);
    const shell = props.shell === undefined ? '/bin/sh' : checkText(props.shell, 'shell', where);
    const command =
      script !== undefined ? [shell, `${SCRIPT_DIR}/${SCRIPT_FILE}`] : props.command && checkList(props.command, 'command', where);
    const args = props.args && checkList(props.args, 'args', where);
    const env = envVariables(props.env, where);
    const tunables = this.tunables(props, where);

    this.hook = Hook.apply(this, {
      events: props.events,
      weight: props.weight,
      after: props.after,
      deletePolicies: props.deletePolicies ?? [HookDeletePolicy.BEFORE_HOOK_CREATION, HookDeletePolicy.HOOK_SUCCEEDED],
      outputLogPolicies: props.outputLogPolicies,
    });

    this.job = new kplus.Job(this, 'Default', {
      backoffLimit: tunables.backoffLimit,
      restartPolicy,
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? props.serviceAccount !== undefined,
      securityContext: hookPodSecurity(props.podSecurityContext),
      containers: [
        {
          name: 'main',
          image: tunables.image,
          imagePullPolicy: props.imagePullPolicy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command,
          args,
          envVariables: env,
          securityContext: hookContainerSecurity(props.securityContext),
        },
      ],
    });
    this.container = this.job.containers[0];
    this.container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp'));

    if (script !== undefined) {
      this.scriptConfigMap = new kplus.ConfigMap(this, 'Script', { data: { [SCRIPT_FILE]: script } });
      this.container.mount(SCRIPT_DIR, kplus.Volume.fromConfigMap(this, 'ScriptVolume', this.scriptConfigMap, { name: 'script' }), {
        readOnly: true,
      });
      this.hook.owns(this.scriptConfigMap);
    }

    const template = Template.of(this.job)
      .set('spec.template.spec.containers[0].resources', tunables.resources)
      .set('spec.activeDeadlineSeconds', tunables.activeDeadlineSeconds);
    if (tunables.ttlSecondsAfterFinished !== undefined) template.set('spec.ttlSecondsAfterFinished', tunables.ttlSecondsAfterFinished);
    if (props.restrictedPodSecurity === false) unrestrictPodSecurity(template, 'spec.template.spec');
  }

  /**
   * Declares resources of the chart the Job reads (a Secret, ConfigMap, ServiceAccount, PVC): each
   * becomes a hook of the Job's events, install and upgrade both, running just before it.
   */
  public addDependency(...resources: IConstruct[]): this {
    this.hook.dependsOn(...resources);
    return this;
  }

  private tunables(props: HookJobProps, where: string) {
    const image = checkText(props.image, 'image', where);
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const resourcesValue = isObjectValue(resources) ? resources : undefined;
    if (!resourcesValue) checkResources(resources as HookResources, where);
    const backoffLimit = checkInteger(props.backoffLimit ?? 1, 'backoffLimit', where, 0);
    const activeDeadlineSeconds = checkInteger(props.activeDeadlineSeconds ?? 300, 'activeDeadlineSeconds', where, 1);
    const ttl =
      props.ttlSecondsAfterFinished === undefined
        ? undefined
        : checkInteger(props.ttlSecondsAfterFinished, 'ttlSecondsAfterFinished', where, 0);
    const tunables = {
      image,
      resources: resourcesValue ? resourcesValue.asObject() : resources,
      backoffLimit,
      activeDeadlineSeconds,
      ttlSecondsAfterFinished: ttl,
    };
    if (props.valuesPath === undefined) return tunables;

    const path = checkText(props.valuesPath, 'valuesPath', where);
    const values = HelmChart.of(this).values;
    const what = `hook Job ${where}`;
    values.describe(path, `The ${props.events.join(', ')} hook Job ${this.node.id}.`);
    const integer = (key: string, value: number | undefined, minimum: number, description: string): number | undefined => {
      if (value === undefined || hasToken(value)) return value;
      return values.integer(`${path}.${key}`, { default: value, minimum, description }).asNumber();
    };
    return {
      image: hasToken(image)
        ? image
        : values.string(`${path}.image`, { default: image, description: `Container image of the ${what}.` }).asString(),
      resources: resourcesValue
        ? tunables.resources
        : values.object(`${path}.resources`, { default: resources as never, description: `CPU and memory of the ${what}.` }).asObject(),
      backoffLimit: integer('backoffLimit', backoffLimit, 0, `Retries of the ${what} before it fails.`)!,
      activeDeadlineSeconds: integer('activeDeadlineSeconds', activeDeadlineSeconds, 1, `Seconds the ${what} may run.`)!,
      ttlSecondsAfterFinished: integer('ttlSecondsAfterFinished', ttl, 0, `Seconds after it finishes before the ${what} is deleted.`),
    };
  }
}

function checkList(items: readonly string[], field: string, where: string): string[] {
  if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) {
    throw new HelmSynthError(where, `${field} ${describeValue(items)} must be a list of strings`);
  }
  return [...items];
}

function envVariables(env: HookJobBaseProps['env'], where: string): Record<string, kplus.EnvValue> {
  const result: Record<string, kplus.EnvValue> = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!isEnvName(name)) throw new HelmSynthError(where, `env name ${describeValue(name)} is not a valid variable name`);
    if (typeof value === 'string') result[name] = kplus.EnvValue.fromValue(value);
    else if (isEnvValue(value)) result[name] = value;
    else throw new HelmSynthError(where, `env ${name}: ${describeText(value)} must be a string or a kplus.EnvValue`);
  }
  return result;
}

function isObjectValue(x: unknown): x is ObjectValue {
  return Value.isValue(x) && x.type === ValueType.OBJECT;
}

/** A cdk8s-plus EnvValue, recognized by its shape (another copy of cdk8s-plus-27 makes another class). */
function isEnvValue(x: unknown): x is kplus.EnvValue {
  return typeof x === 'object' && x !== null && ('value' in x || 'valueFrom' in x) && !Array.isArray(x);
}
