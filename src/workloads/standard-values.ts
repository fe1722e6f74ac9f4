import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { POD_METADATA_PATHS, POD_SPEC_PATHS } from '../chart/kinds';
import { helperName } from '../chart/resource-naming';
import { ownedObject, Template } from '../chart/template';
import { DNS_SUBDOMAIN_RULE, orEmpty } from '../tokens/checks';
import { goString } from '../tokens/go-template';
import { Token, TokenUse, wholeToken } from '../tokens/token';
import { Hook } from '../hooks/hook';
import { HookEvent } from '../hooks/hook-types';
import { Condition } from '../values/condition';
import { BooleanValue, EnumValue, JsonValue, ListValue, NumericValue, ObjectValue, StringValue } from '../values/value';
import { Values } from '../values/values';
import { Autoscaling, AutoscaleOptions } from './autoscaling';

/** The ServiceAccount of a chart's workloads (`serviceAccount.*` values). */
export interface StandardServiceAccountDefaults {
  /** Default of `serviceAccount.create`: the chart makes a ServiceAccount for its workloads. @default true */
  readonly create?: boolean;
  /** Default of `serviceAccount.automount`: pods get the account's API token. @default false */
  readonly automount?: boolean;
  /** Default of `serviceAccount.annotations`. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Former name of `StandardServiceAccountDefaults`.
 * @deprecated Use `StandardServiceAccountDefaults` (a nested struct, not a construct's props, is named for what it is). Kept for one minor version.
 */
export type StandardServiceAccountProps = StandardServiceAccountDefaults;

/** Defaults of `helm create`'s standard values. */
export interface StandardValuesProps {
  /** Default of `replicaCount`: pods of a workload without autoscaling. @default 1 */
  readonly replicaCount?: number;
  /** The ServiceAccount, or false for none (the namespace's `default`). @default { create: true, automount: false } */
  readonly serviceAccount?: StandardServiceAccountDefaults | false;
  /**
   * Default of `podSecurityContext`, the pod's security context.
   * @default { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } } (Pod Security Standard "restricted")
   */
  readonly podSecurityContext?: { readonly [key: string]: JsonValue };
  /**
   * Default of `securityContext`, every container's security context.
   * @default { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] }, readOnlyRootFilesystem: true, runAsNonRoot: true }
   */
  readonly securityContext?: { readonly [key: string]: JsonValue };
  /** Default of `resources`, the first container's requests and limits. @default {} (none, as `helm create`) */
  readonly resources?: { readonly [key: string]: JsonValue };
  /** Default of `image.pullPolicy`, every container's pull policy. @default ImagePullPolicy.IF_NOT_PRESENT (as `helm create`) */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
}

const STANDARD_VALUES = Symbol.for('helm-synth.standard-values-of-chart');

/** Events at which the chart's ServiceAccount, a normal resource, may be missing: not yet created, or already deleted. */
const EVENTS_WITHOUT_CHART_ACCOUNT: readonly HookEvent[] = [HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE, HookEvent.POST_DELETE];
const OPTIONAL_NAME = orEmpty(DNS_SUBDOMAIN_RULE);
const PULL_POLICIES = [kplus.ImagePullPolicy.ALWAYS, kplus.ImagePullPolicy.IF_NOT_PRESENT, kplus.ImagePullPolicy.NEVER];

/** The restricted-compliant pod security context `podSecurityContext` defaults to. */
export const RESTRICTED_POD_SECURITY_CONTEXT = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } as const;
/** The restricted-compliant container security context `securityContext` defaults to. */
export const RESTRICTED_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
} as const;

const STANDARD_VALUES_BRAND = Symbol.for('helm-synth.StandardValues');

/**
 * `helm create`'s values, with its names and behaviour, declared once per chart:
 * `replicaCount`, `imagePullSecrets`, `serviceAccount.{create,automount,annotations,name}`,
 * `podAnnotations`, `podLabels`, `podSecurityContext`, `securityContext`, `resources`,
 * `nodeSelector`, `tolerations`, `affinity`; `autoscale(...)` adds `autoscaling.*`.
 * `applyTo(workload)` wires them into a cdk8s-plus workload; the ServiceAccount is created when
 * `serviceAccount.create` is true and named by the chart's `serviceAccountName` helper.
 */
export class StandardValues extends Construct {
  /** True for a StandardValues of any copy of the library (a brand check, not `instanceof`). */
  public static isStandardValues(x: unknown): x is StandardValues {
    return typeof x === 'object' && x !== null && STANDARD_VALUES_BRAND in x;
  }

  /**
   * The standard values as a values tree, to declare them with the chart's own
   * (`chart.values.define({ ...StandardValues.values(props), image: ... })`) so that `ValuesOf`
   * covers them; `StandardValues.for(chart, props)` with the same props then uses those values.
   */
  public static values(props: StandardValuesProps = {}) {
    const account = props.serviceAccount === false ? undefined : (props.serviceAccount ?? {});
    return {
      replicaCount: Values.integer({
        default: props.replicaCount ?? 1,
        minimum: 0,
        description: 'Pods of each workload when autoscaling is off.',
      }),
      imagePullSecrets: Values.list({
        default: [],
        description: 'Secrets for pulling images from private registries, as [{ name: ... }].',
        items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      }),
      ...(account && {
        serviceAccount: Values.group('The ServiceAccount the pods run as.', {
          create: Values.boolean({ default: account.create ?? true, description: 'Create a ServiceAccount for the pods.' }),
          automount: Values.boolean({ default: account.automount ?? false, description: "Mount the account's API token in the pods." }),
          annotations: Values.object({
            default: { ...account.annotations },
            entries: { type: 'string' },
            description: 'Annotations of the ServiceAccount.',
          }),
          name: Values.string({
            default: '',
            description: 'Name of the ServiceAccount to use; empty: the release-scoped full name when create is true, else "default".',
            pattern: OPTIONAL_NAME.schema.pattern,
            maxLength: OPTIONAL_NAME.schema.maxLength,
          }),
        }),
      }),
      podAnnotations: Values.object({ default: {}, entries: { type: 'string' }, description: 'Annotations added to the pods.' }),
      podLabels: Values.object({
        default: {},
        entries: { type: 'string' },
        description: "Labels added to the pods (the chart's own labels win).",
      }),
      podSecurityContext: Values.object({
        default: structuredClone(props.podSecurityContext ?? RESTRICTED_POD_SECURITY_CONTEXT) as { [key: string]: JsonValue },
        description: 'Security context of the pods (the default meets the Pod Security Standard "restricted").',
      }),
      securityContext: Values.object({
        default: structuredClone(props.securityContext ?? RESTRICTED_SECURITY_CONTEXT) as { [key: string]: JsonValue },
        description: 'Security context of every container (the default meets the Pod Security Standard "restricted").',
      }),
      resources: Values.object({
        default: structuredClone(props.resources ?? {}) as { [key: string]: JsonValue },
        description: 'CPU and memory requests and limits of the main container.',
      }),
      image: {
        pullPolicy: Values.enum({
          values: PULL_POLICIES,
          default: props.imagePullPolicy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT,
          description: 'When the kubelet pulls the image.',
        }),
      },
      nodeSelector: Values.object({ default: {}, entries: { type: 'string' }, description: 'Node labels the pods must match.' }),
      tolerations: Values.list({ default: [], description: 'Tolerations of the pods.' }),
      affinity: Values.object({ default: {}, description: 'Affinity rules of the pods.' }),
    };
  }

  /**
   * The standard values of a chart, declared by the first call (later props must match or be
   * omitted): like `Symbol.for`, it returns the one registered for the chart or registers it.
   */
  public static for(chart: HelmChart, props: StandardValuesProps = {}): StandardValues {
    const holder = chart as unknown as { [STANDARD_VALUES]?: StandardValues };
    const existing = holder[STANDARD_VALUES];
    if (existing) {
      if (Object.keys(props).length && JSON.stringify(props) !== JSON.stringify(existing.props)) {
        throw new HelmSynthError(chart.node.path, 'StandardValues.for(chart) was already called with other props; declare them once');
      }
      return existing;
    }
    const made = new StandardValues(chart, props);
    Object.defineProperty(chart, STANDARD_VALUES, { value: made });
    return made;
  }

  /**
   * Same as {@link StandardValues.for}.
   * @deprecated Use `StandardValues.for`; `of` is kept for one minor version.
   */
  public static of(chart: HelmChart, props: StandardValuesProps = {}): StandardValues {
    return StandardValues.for(chart, props);
  }

  /** `replicaCount`. */
  public readonly replicaCount: NumericValue;
  /** `imagePullSecrets`. */
  public readonly imagePullSecrets: ListValue;
  /** `serviceAccount.create`, when the chart has a ServiceAccount. */
  public readonly serviceAccountCreate?: BooleanValue;
  /** `serviceAccount.automount`, when the chart has a ServiceAccount. */
  public readonly serviceAccountAutomount?: BooleanValue;
  /** `serviceAccount.name`, when the chart has a ServiceAccount. */
  public readonly serviceAccountNameValue?: StringValue;
  /** `podAnnotations`. */
  public readonly podAnnotations: ObjectValue;
  /** `podLabels`. */
  public readonly podLabels: ObjectValue;
  /** `podSecurityContext`. */
  public readonly podSecurityContext: ObjectValue;
  /** `securityContext`. */
  public readonly securityContext: ObjectValue;
  /** `resources`. */
  public readonly resources: ObjectValue;
  /** `image.pullPolicy`. */
  public readonly imagePullPolicy: EnumValue;
  /** `nodeSelector`. */
  public readonly nodeSelector: ObjectValue;
  /** `tolerations`. */
  public readonly tolerations: ListValue;
  /** `affinity`. */
  public readonly affinity: ObjectValue;
  /** The ServiceAccount object, when the chart has one (rendered when `serviceAccount.create` is true). */
  public readonly serviceAccount?: ApiObject;
  /** The service account name as a string token (`<chart>.serviceAccountName`), when the chart has one. */
  public readonly serviceAccountName?: string;
  private readonly chart: HelmChart;
  private readonly autoscaled = new Set<IConstruct>();
  /** Objects `applyTo` gave the chart's ServiceAccount. */
  private readonly runAsChartAccount = new Set<ApiObject>();
  private hookAccount?: { readonly object: ApiObject; readonly name: string };
  private readonly serviceAccountAnnotations?: ObjectValue;
  private readonly applied = new Set<IConstruct>();

  private constructor(
    chart: HelmChart,
    private readonly props: StandardValuesProps,
  ) {
    super(chart, 'StandardValues');
    Object.defineProperty(this, STANDARD_VALUES_BRAND, { value: true });
    this.chart = chart;
    const v = chart.values.define(StandardValues.values(props));
    this.replicaCount = v.replicaCount;
    this.imagePullSecrets = v.imagePullSecrets;
    if (v.serviceAccount) {
      this.serviceAccountCreate = v.serviceAccount.create;
      this.serviceAccountAutomount = v.serviceAccount.automount;
      this.serviceAccountNameValue = v.serviceAccount.name;
      this.serviceAccountName = new Token({
        use: TokenUse.STRING,
        owner: chart,
        description: 'service account name',
        operand: (context) => `(include ${goString(helperName(context.chartName, 'serviceAccountName'))} .)`,
        preview: () => 'release-name',
      }).marker;
      this.serviceAccount = new ApiObject(this, 'ServiceAccount', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: this.serviceAccountName },
        automountServiceAccountToken: this.serviceAccountAutomount.asBoolean(),
      });
      this.serviceAccountAnnotations = v.serviceAccount.annotations;
      Template.of(this.serviceAccount)
        .nameSuffix('')
        .enableWhen(this.serviceAccountCreate)
        .set('metadata.annotations', this.serviceAccountAnnotations.asObject());
      this.node.addValidation({ validate: () => this.hooksRunAsChartAccount() });
    }
    this.podAnnotations = v.podAnnotations;
    this.podLabels = v.podLabels;
    this.podSecurityContext = v.podSecurityContext;
    this.securityContext = v.securityContext;
    this.resources = v.resources;
    this.imagePullPolicy = v.image.pullPolicy;
    this.nodeSelector = v.nodeSelector;
    this.tolerations = v.tolerations;
    this.affinity = v.affinity;
    chart.addReadmeSection(
      [
        '## Standard values',
        '',
        "The chart takes `helm create`'s values with their usual meaning:",
        '',
        '- `replicaCount` sets the pods of each workload when autoscaling is off.',
        ...(this.serviceAccountCreate
          ? [
              '- `serviceAccount.create` makes a ServiceAccount named after the release (or `serviceAccount.name`); with `create: false` the pods run as `serviceAccount.name`, else `default`. `serviceAccount.automount` mounts its API token.',
            ]
          : []),
        "- `podAnnotations` and `podLabels` are added to what the chart sets (the chart's own labels and `checksum/*` annotations win); pods restart when a ConfigMap or Secret they read changes.",
        '- `podSecurityContext` and `securityContext` (every container) default to the Pod Security Standard "restricted": relax them only knowingly, where the namespace allows it.',
        '- `image.pullPolicy` is the pull policy of every container that sets none (default `IfNotPresent`, as `helm create`).',
        "- `resources` are the main container's requests and limits (none by default, as `helm create`); no container gets the requests and limits cdk8s-plus would invent.",
        '- `nodeSelector`, `tolerations`, `affinity` and `imagePullSecrets` are passed to the pods as given.',
      ].join('\n'),
    );
  }

  /**
   * Wires the values into a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job, CronJob,
   * Pod...): replicas (Deployments and StatefulSets, unless autoscaled), the service account, pod
   * annotations and labels (added to what the workload sets), security contexts, the first
   * container's resources, scheduling and image pull secrets, and `image.pullPolicy` as the pull
   * policy of every container and init container that sets none. cdk8s-plus writes `Always` for a
   * container that sets none, so `Always` is read as unset: pin it with the `imagePullPolicy` prop
   * of `StandardValues.for`, or `Template.of(workload).set(...)` after this call. Call it once per
   * workload, after the containers are added; a second call is an error.
   */
  public applyTo(workload: IConstruct): this {
    const { object, spec, metadata } = this.podPaths(workload, 'applyTo');
    if (this.applied.has(object)) {
      throw new HelmSynthError(
        workload.node.path,
        'StandardValues.applyTo was already called for this workload: call it once, after adding its containers',
      );
    }
    const template = Template.of(object);
    if ((object.kind === 'Deployment' || object.kind === 'StatefulSet') && !this.autoscaled.has(object)) {
      template.set('spec.replicas', this.replicaCount.asNumber());
    }
    const podSpec = object.toJson() as Record<string, any>;
    const specJson = spec.reduce<any>((node, key) => node?.[key], podSpec) ?? {};
    if (this.serviceAccountName) {
      template.set([...spec, 'serviceAccountName'], this.serviceAccountNameFor(object));
      template.set([...spec, 'automountServiceAccountToken'], this.serviceAccountAutomount!.asBoolean());
    }
    template
      .merge([...metadata, 'annotations'], this.podAnnotations.asObject())
      .merge([...metadata, 'labels'], this.podLabels.asObject())
      .set([...spec, 'securityContext'], this.podSecurityContext.asObject())
      .set([...spec, 'imagePullSecrets'], this.imagePullSecrets.asList())
      .set([...spec, 'nodeSelector'], this.nodeSelector.asObject())
      .set([...spec, 'tolerations'], this.tolerations.asList())
      .set([...spec, 'affinity'], this.affinity.asObject());
    const containers: unknown[] = Array.isArray(specJson.containers) ? specJson.containers : [];
    if (containers.length === 0)
      throw new HelmSynthError(workload.node.path, "StandardValues.applyTo needs the workload's containers: call it after adding them");
    const initContainers: unknown[] = Array.isArray(specJson.initContainers) ? specJson.initContainers : [];
    for (const [group, list] of [
      ['containers', containers],
      ['initContainers', initContainers],
    ] as const) {
      list.forEach((container, i) => {
        template.set([...spec, group, i, 'securityContext'], this.securityContext.asObject());
        if (unsetPullPolicy(container)) template.set([...spec, group, i, 'imagePullPolicy'], this.imagePullPolicy.asString());
      });
    }
    template.set([...spec, 'containers', 0, 'resources'], this.resources.asObject());
    this.applied.add(object);
    return this;
  }

  /**
   * Adds `helm create`'s autoscaling to a Deployment or StatefulSet: `autoscaling.enabled`,
   * `minReplicas`, `maxReplicas`, `targetCPUUtilizationPercentage`,
   * `targetMemoryUtilizationPercentage` values and a HorizontalPodAutoscaler rendered when
   * enabled; the workload's `spec.replicas` (from `replicaCount`) is rendered only when it is not.
   */
  public autoscale(workload: IConstruct, options: AutoscaleOptions = {}): Autoscaling {
    const { object } = this.podPaths(workload, 'autoscale');
    if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') {
      throw new HelmSynthError(workload.node.path, `autoscale takes a Deployment or StatefulSet, not a ${object.kind}`);
    }
    if (this.autoscaled.size)
      throw new HelmSynthError(workload.node.path, 'the chart already autoscales a workload: autoscaling.* values belong to one workload');
    const autoscaling = new Autoscaling(this, 'Autoscaling', { ...options, target: object });
    this.chart.addReadmeSection(
      [
        '## Autoscaling',
        '',
        `With \`autoscaling.enabled=true\` a HorizontalPodAutoscaler scales ${object.kind} \`${workload.node.path}\` between \`autoscaling.minReplicas\` and \`autoscaling.maxReplicas\`, ` +
          'at `autoscaling.targetCPUUtilizationPercentage` (and `autoscaling.targetMemoryUtilizationPercentage`, when not 0) of the requests; ' +
          'the workload then has no `spec.replicas`, so Helm and the autoscaler never fight over it. With it off, `replicaCount` applies.',
      ].join('\n'),
    );
    this.autoscaled.add(object);
    Template.of(object)
      .removeIfPresent('spec.replicas')
      .setIf('spec.replicas', Condition.from(autoscaling.enabled).not(), this.replicaCount.asNumber());
    return autoscaling;
  }

  /**
   * The ServiceAccount `applyTo` gives hooks that run where the chart's own may be missing
   * (pre-install, pre-upgrade, post-delete): `<fullname>-hooks`, a hook owned by them (their
   * events, a lower weight, their delete policies), rendered when `serviceAccount.create` is true,
   * with the same annotations and automount. Made on the first such `applyTo`; bind the same
   * Roles to it as to `serviceAccount` when hooks call the Kubernetes API.
   */
  public get hookServiceAccount(): ApiObject | undefined {
    return this.hookAccount?.object;
  }

  private serviceAccountNameFor(object: ApiObject): string {
    const hook = Hook.forObject(object);
    if (!hook || !hook.events.some((event) => EVENTS_WITHOUT_CHART_ACCOUNT.includes(event))) {
      this.runAsChartAccount.add(object);
      return this.serviceAccountName!;
    }
    const account = this.hookServiceAccountFor();
    hook.owns(account.object);
    return account.name;
  }

  private hookServiceAccountFor(): { object: ApiObject; name: string } {
    if (this.hookAccount) return this.hookAccount;
    const object = new ApiObject(this, 'HookServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      automountServiceAccountToken: this.serviceAccountAutomount!.asBoolean(),
    });
    Template.of(object)
      .nameSuffix('hooks')
      .enableWhen(this.serviceAccountCreate!)
      .merge('metadata.annotations', this.serviceAccountAnnotations!.asObject());
    const hookName = wholeToken(this.chart.resourceName(object))!;
    const create = this.serviceAccountCreate!;
    const chartName = this.serviceAccountName!;
    const name = new Token({
      use: TokenUse.STRING,
      owner: this.chart,
      description: 'hook service account name',
      operand: (context) => `(ternary ${hookName.operand(context)} ${wholeToken(chartName)!.operand(context)} ${create.expression})`,
      preview: () => 'release-name-hooks',
    }).marker;
    this.hookAccount = { object, name };
    return this.hookAccount;
  }

  /** Hooks given the chart's ServiceAccount by an `applyTo` made before they were hooks, where it may be missing. */
  private hooksRunAsChartAccount(): string[] {
    return [...this.runAsChartAccount].flatMap((object) => {
      const hook = Hook.forObject(object);
      const missingAt = hook?.events.filter((event) => EVENTS_WITHOUT_CHART_ACCOUNT.includes(event)) ?? [];
      if (!missingAt.length) return [];
      return [
        `StandardValues.applyTo(${object.node.path}) made it run as the chart's ServiceAccount, which may not exist at ${missingAt.join(', ')} (Helm creates it after the pre-install and pre-upgrade hooks and deletes it before the post-delete ones): the pod would wait until the hook times out. Call applyTo after making it a hook (Hook.apply, or a HookJob), so that it runs as the hook ServiceAccount <fullname>-hooks.`,
      ];
    });
  }

  /** The paths of a workload's pod spec and pod metadata, checking it is a pod-holding object of this chart. */
  private podPaths(workload: IConstruct, method: string): { object: ApiObject; spec: string[]; metadata: string[] } {
    const object = workload && typeof workload === 'object' && 'node' in workload ? ownedObject(workload) : undefined;
    const spec = object && POD_SPEC_PATHS[object.kind];
    if (!object || !spec || HelmChart.of(object) !== this.chart) {
      throw new HelmSynthError(
        this.node.path,
        `${method} takes a workload of chart ${this.chart.chartName} (a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod), got ${workload?.node?.path ?? describeValue(workload)}`,
      );
    }
    return { object, spec: [...spec], metadata: [...POD_METADATA_PATHS[object.kind]] };
  }
}

/** A container whose pull policy is cdk8s-plus's default (`Always`, written when none is given) or missing. */
function unsetPullPolicy(container: unknown): boolean {
  const policy = (container as { imagePullPolicy?: unknown } | null)?.imagePullPolicy;
  return policy === undefined || policy === kplus.ImagePullPolicy.ALWAYS;
}
