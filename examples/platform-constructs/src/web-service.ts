import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Condition, HelmSynthError, JsonValue, Template, Values, ValuesTree } from 'helm-synth';
import { blockName } from './block-name';
import { imageValues } from './image-values';

/** Defaults of one WebService values block; each mount of the block can have its own. */
export interface WebServiceValuesProps {
  /** One sentence on what the service is: the comment above its block in values.yaml and its README row. */
  readonly description: string;
  /** Default of `image.repository`. */
  readonly imageRepository: string;
  /** Default of `image.tag`. */
  readonly imageTag: string;
  /** Default of `replicaCount`. @default 2 */
  readonly replicas?: number;
  /** Default of `service.port`. @default 80 */
  readonly servicePort?: number;
  /** Default of `resources`. @default { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } */
  readonly resources?: { readonly [key: string]: JsonValue };
  /** Default of `ingress.enabled`. @default false */
  readonly ingress?: boolean;
  /** Default of `ingress.host`. @default 'chart-example.local' */
  readonly ingressHost?: string;
  /** Default of `autoscaling.maxReplicas` (the autoscaler is off until `autoscaling.enabled`). @default 10 */
  readonly maxReplicas?: number;
}

/** The declared values of one mounted WebService block (`chart.values.define({ web: WebService.values(...) }).web`). */
export type WebServiceValues = ValuesTree<ReturnType<typeof WebService.values>>;

/** What a WebService runs; what an installer may change is in its values block. */
export interface WebServiceProps {
  /**
   * Its values block, as mounted on the chart: `chart.values.define({ frontend: WebService.values({...}) }).frontend`.
   * The block's key names the objects (`<release>-<chart>-frontend`).
   */
  readonly values: WebServiceValues;
  /** Arguments of the container. @default - the image's own */
  readonly args?: readonly string[];
  /** Environment variables of the container (text may hold value tokens and resource names). @default {} */
  readonly env?: { readonly [name: string]: string };
  /** Port the container listens on. @default 8080 */
  readonly containerPort?: number;
  /** Path of the readiness probe (HTTP GET on the container port). @default '/healthz' */
  readonly healthPath?: string;
  /** User and group the pod runs as (the root file system is read-only; `/tmp` is an emptyDir). @default 65532 */
  readonly runAsUser?: number;
}

/**
 * An HTTP service: a Deployment, its ClusterIP Service, an Ingress and a HorizontalPodAutoscaler
 * (each of the last two rendered only when its `enabled` value is on). It brings its own values
 * block (`WebService.values()`), which a chart mounts under a key per service.
 */
export class WebService extends Construct {
  /** The values block of one WebService: image, replicas, resources, Service port, Ingress and autoscaling. */
  public static values(props: WebServiceValuesProps) {
    return Values.group(props.description, {
      image: imageValues(props.imageRepository, props.imageTag),
      replicaCount: Values.integer({ description: 'Pods, when autoscaling is off.', default: props.replicas ?? 2, minimum: 0 }),
      resources: Values.object({
        description: 'Requests and limits of the container.',
        default: props.resources ?? { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      }),
      service: Values.group('The ClusterIP Service in front of the pods.', {
        port: Values.integer({ description: 'Port the Service listens on.', default: props.servicePort ?? 80, minimum: 1, maximum: 65535 }),
      }),
      ingress: Values.group('An Ingress routing a host to the Service.', {
        enabled: Values.boolean({ description: 'Create the Ingress.', default: props.ingress ?? false }),
        className: Values.string({ description: 'IngressClass that serves it.', default: 'nginx' }),
        host: Values.string({ description: 'Host name routed to the Service.', default: props.ingressHost ?? 'chart-example.local' }),
      }),
      autoscaling: Values.group('A HorizontalPodAutoscaler; replicaCount applies only when it is off.', {
        enabled: Values.boolean({ description: 'Scale the pods on CPU use.', default: false }),
        minReplicas: Values.integer({ description: 'Fewest pods.', default: 1, minimum: 1 }),
        maxReplicas: Values.integer({ description: 'Most pods.', default: props.maxReplicas ?? 10, minimum: 1 }),
        targetCPUUtilizationPercentage: Values.integer({
          description: 'Average CPU use, in percent of the requests, to scale at.',
          default: 80,
          minimum: 1,
        }),
      }),
    });
  }

  /** The Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The Service in front of the pods. */
  public readonly service: kplus.Service;
  /** `service.port` of its block, as a number token (for another object's connection string). */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const v = props.values;
    const name = blockName(this, v.replicaCount);
    const containerPort = props.containerPort ?? 8080;
    if (!Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) {
      throw new HelmSynthError(this.node.path, `containerPort ${containerPort} is not a port (1-65535)`);
    }
    const user = props.runAsUser ?? 65532;

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      securityContext: { user, group: user },
      containers: [
        {
          name,
          image: `${v.image.repository}:${v.image.tag}`,
          imagePullPolicy: v.image.pullPolicy.asString() as kplus.ImagePullPolicy,
          args: props.args ? [...props.args] : undefined,
          envVariables: Object.fromEntries(
            Object.entries(props.env ?? {}).map(([variable, text]) => [variable, kplus.EnvValue.fromValue(text)]),
          ),
          portNumber: containerPort,
          readiness: kplus.Probe.fromHttpGet(props.healthPath ?? '/healthz', { port: containerPort }),
        },
      ],
    });
    this.deployment.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp'));
    Template.of(this.deployment)
      .nameSuffix(name)
      .set('spec.template.spec.containers[0].resources', v.resources.asObject())
      .removeIfPresent('spec.replicas')
      .setIf('spec.replicas', Condition.from(v.autoscaling.enabled).not(), v.replicaCount.asNumber());

    this.port = v.service.port.asNumber();
    this.service = this.deployment.exposeViaService({ ports: [{ port: this.port, targetPort: containerPort, name: 'http' }] });
    Template.of(this.service).nameSuffix(name);

    const ingress = new kplus.Ingress(this, 'Ingress', { className: v.ingress.className.asString() });
    ingress.addHostDefaultBackend(v.ingress.host.asString(), kplus.IngressBackend.fromService(this.service));
    Template.of(ingress).nameSuffix(name).enableWhen(v.ingress.enabled);

    const autoscaler = new ApiObject(this, 'Autoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.name },
        minReplicas: v.autoscaling.minReplicas.asNumber(),
        maxReplicas: v.autoscaling.maxReplicas.asNumber(),
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: v.autoscaling.targetCPUUtilizationPercentage.asNumber() },
            },
          },
        ],
      },
    });
    Template.of(autoscaler).nameSuffix(name).enableWhen(v.autoscaling.enabled).enableWith(this.deployment);
  }
}
