import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { Template } from '../chart/template';
import { checkInteger } from '../tokens/checks';
import { goString } from '../tokens/go-template';
import { Token, TokenUse } from '../tokens/token';
import { BooleanValue, NumericValue } from '../values/value';

/** Defaults of `helm create`'s `autoscaling.*` values, as `StandardValues.autoscale` takes them. */
export interface AutoscaleOptions {
  /** Default of `autoscaling.enabled`. @default false */
  readonly enabled?: boolean;
  /** Default of `autoscaling.minReplicas`. @default 1 */
  readonly minReplicas?: number;
  /** Default of `autoscaling.maxReplicas`. @default 100 */
  readonly maxReplicas?: number;
  /** Default of `autoscaling.targetCPUUtilizationPercentage`; 0 leaves CPU out. @default 80 */
  readonly targetCPUUtilizationPercentage?: number;
  /** Default of `autoscaling.targetMemoryUtilizationPercentage`; 0 leaves memory out. @default 0 */
  readonly targetMemoryUtilizationPercentage?: number;
}

/** Settings of an Autoscaling. */
export interface AutoscalingProps extends AutoscaleOptions {
  /** The Deployment or StatefulSet object it scales. */
  readonly target: ApiObject;
}

/**
 * Settings of an Autoscaling.
 * @deprecated Use `AutoscalingProps` (cdk8s names a construct's settings `Props`). Kept for one minor version.
 */
export type AutoscalingOptions = AutoscalingProps;

const AUTOSCALING_BRAND = Symbol.for('helm-synth.Autoscaling');

/**
 * `autoscaling.*` values and the autoscaling/v2 HorizontalPodAutoscaler they render (only when
 * `autoscaling.enabled`, and only when its target is rendered: `Template.enableWith`), targeting
 * one workload by its release-scoped name. Made by
 * `StandardValues.autoscale`, which also renders the workload's `spec.replicas` only when
 * autoscaling is off, so `--set replicaCount=5` works without it and the two never fight with it.
 */
export class Autoscaling extends Construct {
  /** True for a Autoscaling of any copy of the library (a brand check, not `instanceof`). */
  public static isAutoscaling(x: unknown): x is Autoscaling {
    return typeof x === 'object' && x !== null && AUTOSCALING_BRAND in x;
  }

  /** `autoscaling.enabled`. */
  public readonly enabled: BooleanValue;
  /** `autoscaling.minReplicas`. */
  public readonly minReplicas: NumericValue;
  /** `autoscaling.maxReplicas`. */
  public readonly maxReplicas: NumericValue;
  /** `autoscaling.targetCPUUtilizationPercentage`. */
  public readonly targetCPUUtilizationPercentage: NumericValue;
  /** `autoscaling.targetMemoryUtilizationPercentage`. */
  public readonly targetMemoryUtilizationPercentage: NumericValue;
  /** The HorizontalPodAutoscaler. */
  public readonly horizontalPodAutoscaler: ApiObject;

  constructor(scope: Construct, id: string, props: AutoscalingProps) {
    super(scope, id);
    Object.defineProperty(this, AUTOSCALING_BRAND, { value: true });
    const where = this.node.path;
    const min = checkInteger(props.minReplicas ?? 1, 'minReplicas', where, 1);
    const max = checkInteger(props.maxReplicas ?? 100, 'maxReplicas', where, 1);
    if (min > max) throw new HelmSynthError(where, `minReplicas ${min} is greater than maxReplicas ${max}`);
    const cpu = checkInteger(props.targetCPUUtilizationPercentage ?? 80, 'targetCPUUtilizationPercentage', where, 0, 1000);
    const memory = checkInteger(props.targetMemoryUtilizationPercentage ?? 0, 'targetMemoryUtilizationPercentage', where, 0, 1000);
    const v = HelmChart.of(this).values;
    v.describe(
      'autoscaling',
      `A HorizontalPodAutoscaler for ${props.target.kind} ${props.target.node.scope?.node.path ?? props.target.node.path}; replicaCount applies only when it is off.`,
    );
    this.enabled = v.boolean('autoscaling.enabled', {
      default: props.enabled ?? false,
      description: 'Scale the pods with a HorizontalPodAutoscaler instead of replicaCount.',
    });
    this.minReplicas = v.integer('autoscaling.minReplicas', { default: min, minimum: 1, description: 'Fewest pods.' });
    this.maxReplicas = v.integer('autoscaling.maxReplicas', { default: max, minimum: 1, description: 'Most pods.' });
    this.targetCPUUtilizationPercentage = v.integer('autoscaling.targetCPUUtilizationPercentage', {
      default: cpu,
      minimum: 0,
      description: 'Average CPU use, in percent of the requests, to scale at (0: not by CPU).',
    });
    this.targetMemoryUtilizationPercentage = v.integer('autoscaling.targetMemoryUtilizationPercentage', {
      default: memory,
      minimum: 0,
      description: 'Average memory use, in percent of the requests, to scale at (0: not by memory).',
    });
    v.addRule((values, at) => {
      const given = (values as { autoscaling?: Record<string, unknown> } | null)?.autoscaling ?? {};
      const [low, high] = [given.minReplicas, given.maxReplicas];
      return given.enabled === true && typeof low === 'number' && typeof high === 'number' && low > high
        ? `${at}autoscaling.minReplicas (${low}) is greater than ${at}autoscaling.maxReplicas (${high}): the HorizontalPodAutoscaler's render fails`
        : undefined;
    });
    this.horizontalPodAutoscaler = new ApiObject(this, 'Resource', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      spec: {
        scaleTargetRef: { apiVersion: props.target.apiVersion, kind: props.target.kind, name: props.target.name },
        minReplicas: this.minReplicas.asNumber(),
        maxReplicas: this.maxReplicas.asNumber(),
        metrics: [],
      },
    });
    const metric = (name: string, value: NumericValue): object => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization: value.asNumber() } },
    });
    Template.of(this.horizontalPodAutoscaler)
      .sameNameAs(props.target)
      .enableWith(props.target)
      .enableWhen(this.enabled)
      .setIf('spec.metrics[0]', this.targetCPUUtilizationPercentage.ne(0), metric('cpu', this.targetCPUUtilizationPercentage))
      .setIf('spec.metrics[1]', this.targetMemoryUtilizationPercentage.ne(0), metric('memory', this.targetMemoryUtilizationPercentage));
  }
}

/** One of a HorizontalPodAutoscaler's replica bounds: a literal or a chart value. */
export interface ReplicaBound {
  /** How the message names it: the value's path, or the field for a literal. */
  readonly name: string;
  /** Its Go-template operand. */
  readonly expression: string;
  /** What it renders as with the default values. */
  readonly preview: unknown;
}

/**
 * `minReplicas` as a number token that fails the render, naming both bounds, when it is greater
 * than `maxReplicas` (Kubernetes would refuse the HorizontalPodAutoscaler at install instead):
 * `required` fails on the empty string the `ternary` gives then, else passes the value on.
 */
export function checkedMinReplicas(min: ReplicaBound, max: ReplicaBound, owner: HelmChart): Token {
  const [low, high] = [min, max].map((bound) => `(${bound.expression} | int64)`);
  const message = `(printf ${goString(`${min.name} (%v) is greater than ${max.name} (%v)`)} ${low} ${high})`;
  return new Token({
    use: TokenUse.INTEGER,
    owner,
    description: `value ${min.name}`,
    operand: `(required ${message} (ternary "" ${min.expression} (gt ${low} ${high})))`,
    preview: () => min.preview,
  });
}
