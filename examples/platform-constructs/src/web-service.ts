import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Condition, HelmChart, HelmSynthError, Template } from 'helm-synth';
import { blockName } from './block-name';

/** Defaults of a WebService's values block; every one of them can be changed at install. */
export interface WebServiceProps {
  /**
   * Key of the service's values block in the chart's values.yaml (`frontend` → `frontend.image.tag`),
   * and the suffix of its objects' names (`<release>-<chart>-frontend`). One chart can hold several
   * WebServices under different keys.
   */
  readonly valuesKey: string;
  /** One sentence on what the service is, shown above its values block in values.yaml and the README. */
  readonly description: string;
  /** Default of `<key>.image.repository`. */
  readonly imageRepository: string;
  /** Default of `<key>.image.tag`. */
  readonly imageTag: string;
  /** Arguments of the container. @default - the image's own */
  readonly args?: readonly string[];
  /** Environment variables of the container (strings may hold value tokens and resource names). @default {} */
  readonly env?: { readonly [name: string]: string };
  /** Port the container listens on. @default 8080 */
  readonly containerPort?: number;
  /** Path of the readiness probe (HTTP GET on the container port). @default '/healthz' */
  readonly healthPath?: string;
  /** User and group the pod runs as (the container's root file system is read-only, `/tmp` is an emptyDir). @default 65532 */
  readonly runAsUser?: number;
  /** Default of `<key>.replicaCount`. @default 2 */
  readonly replicas?: number;
  /** Default of `<key>.service.port`. @default 80 */
  readonly servicePort?: number;
  /** Default of `<key>.resources`. @default { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } */
  readonly resources?: { readonly [key: string]: unknown };
  /** Default of `<key>.ingress.enabled`. @default false */
  readonly ingress?: boolean;
  /** Default of `<key>.ingress.host`. @default '<key>.example.com' */
  readonly ingressHost?: string;
  /** Default of `<key>.autoscaling.maxReplicas`; the autoscaler itself is off until `<key>.autoscaling.enabled`. @default 10 */
  readonly maxReplicas?: number;
}

/**
 * An HTTP service: a Deployment, its ClusterIP Service, an Ingress and a HorizontalPodAutoscaler
 * (each rendered only when its `enabled` value is on), with the values that configure them in a
 * block of their own under `props.valuesKey`.
 */
export class WebService extends Construct {
  /** The Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The Service in front of the pods. */
  public readonly service: kplus.Service;
  /** `<key>.service.port` as a number token, for another object's connection string. */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const key = props.valuesKey;
    const name = blockName(this, key);
    const containerPort = props.containerPort ?? 8080;
    if (!Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) {
      throw new HelmSynthError(this.node.path, `containerPort ${containerPort} is not a port (1-65535)`);
    }
    const v = HelmChart.helmChartOf(this).values;
    v.describe(key, props.description);
    v.describe(`${key}.image`, 'Container image.');
    const repository = v.string(`${key}.image.repository`, { default: props.imageRepository, description: 'Image repository.' });
    const tag = v.string(`${key}.image.tag`, { default: props.imageTag, description: 'Image tag.', pattern: '^[\\w][\\w.-]{0,127}$' });
    const pullPolicy = v.enum(`${key}.image.pullPolicy`, {
      values: ['Always', 'IfNotPresent', 'Never'],
      default: 'IfNotPresent',
      description: 'When the kubelet pulls the image.',
    });
    const replicas = v.integer(`${key}.replicaCount`, {
      default: props.replicas ?? 2,
      minimum: 0,
      description: 'Pods, when autoscaling is off.',
    });
    const resources = v.object(`${key}.resources`, {
      default: (props.resources ?? { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } }) as never,
      description: 'Requests and limits of the container.',
    });
    v.describe(`${key}.service`, 'The ClusterIP Service in front of the pods.');
    const servicePort = v.integer(`${key}.service.port`, {
      default: props.servicePort ?? 80,
      minimum: 1,
      maximum: 65535,
      description: 'Port the Service listens on.',
    });
    v.describe(`${key}.ingress`, 'An Ingress routing a host to the Service.');
    const ingressEnabled = v.boolean(`${key}.ingress.enabled`, { default: props.ingress ?? false, description: 'Create the Ingress.' });
    const ingressClass = v.string(`${key}.ingress.className`, { default: 'nginx', description: 'IngressClass that serves it.' });
    const ingressHost = v.string(`${key}.ingress.host`, {
      default: props.ingressHost ?? `${name}.example.com`,
      description: 'Host name routed to the Service.',
    });
    v.describe(`${key}.autoscaling`, 'A HorizontalPodAutoscaler; replicaCount applies only when it is off.');
    const autoscale = v.boolean(`${key}.autoscaling.enabled`, { default: false, description: 'Scale the pods on CPU use.' });
    const minReplicas = v.integer(`${key}.autoscaling.minReplicas`, { default: 1, minimum: 1, description: 'Fewest pods.' });
    const maxReplicas = v.integer(`${key}.autoscaling.maxReplicas`, {
      default: props.maxReplicas ?? 10,
      minimum: 1,
      description: 'Most pods.',
    });
    const cpuTarget = v.integer(`${key}.autoscaling.targetCPUUtilizationPercentage`, {
      default: 80,
      minimum: 1,
      description: 'Average CPU use, in percent of the requests, to scale at.',
    });

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      securityContext: { user: props.runAsUser ?? 65532, group: props.runAsUser ?? 65532 },
      containers: [
        {
          name: name,
          image: `${repository}:${tag}`,
          imagePullPolicy: pullPolicy.asString() as kplus.ImagePullPolicy,
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
      .set('spec.template.spec.containers[0].resources', resources.asObject())
      .removeIfPresent('spec.replicas')
      .setIf('spec.replicas', Condition.of(autoscale).not(), replicas.asNumber());

    this.port = servicePort.asNumber();
    this.service = this.deployment.exposeViaService({ ports: [{ port: this.port, targetPort: containerPort, name: 'http' }] });
    Template.of(this.service).nameSuffix(name);

    const ingress = new kplus.Ingress(this, 'Ingress', { className: ingressClass.asString() });
    ingress.addHostDefaultBackend(ingressHost.asString(), kplus.IngressBackend.fromService(this.service));
    Template.of(ingress).nameSuffix(name).enableWhen(ingressEnabled);

    const autoscaler = new ApiObject(this, 'Autoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.name },
        minReplicas: minReplicas.asNumber(),
        maxReplicas: maxReplicas.asNumber(),
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuTarget.asNumber() } } },
        ],
      },
    });
    Template.of(autoscaler).nameSuffix(name).enableWhen(autoscale).enableWith(this.deployment);
  }
}
