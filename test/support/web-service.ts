import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Template, Values, ValuesTree } from '../../src';

/** Defaults of an image block that differ per mount. */
export interface ImageDefaults {
  /** Default of `repository`. @default 'nginxinc/nginx-unprivileged' */
  readonly repository?: string;
  /** Default of `tag`. @default '1.27.3-alpine' */
  readonly tag?: string;
}

/** A reusable values block of a container image: `repository` and `tag`. */
export function imageValues(defaults: ImageDefaults = {}) {
  return Values.group('Container image.', {
    repository: Values.string({ description: 'Image repository.', default: defaults.repository ?? 'nginxinc/nginx-unprivileged' }),
    tag: Values.string({ description: 'Image tag.', default: defaults.tag ?? '1.27.3-alpine', pattern: '^[\\w][\\w.-]{0,127}$' }),
  });
}

/** Defaults of a WebService's values block that differ per mount. */
export interface WebServiceValuesProps {
  /** Default of `port`. @default 8080 */
  readonly port?: number;
  /** Default of `replicaCount`. @default 1 */
  readonly replicaCount?: number;
  /** Defaults of `image`. @default the image block's */
  readonly image?: ImageDefaults;
}

/** The declared values of one mounted WebService block. */
export type WebServiceValues = ValuesTree<ReturnType<typeof WebService.values>>;

/** Props of a WebService. */
export interface WebServiceProps {
  /** Its values block, as mounted on the chart (`chart.values.define({ key: WebService.values() }).key`). */
  readonly values: WebServiceValues;
}

/**
 * A reusable construct that brings its own values: a Deployment and its Service. A chart mounts
 * `WebService.values()` under a key per service and hands the mounted block to the construct.
 */
export class WebService extends Construct {
  /** The values block of one web service (its defaults may differ per mount). */
  public static values(props: WebServiceValuesProps = {}) {
    return Values.group('A web service: a Deployment and its Service.', {
      image: imageValues(props.image),
      replicaCount: Values.integer({ description: 'Pods of the service.', default: props.replicaCount ?? 1, minimum: 0 }),
      port: Values.integer({
        description: 'Port the container listens on and the Service exposes.',
        default: props.port ?? 8080,
        minimum: 1,
        maximum: 65535,
      }),
      logLevel: Values.enum({ description: 'Log level.', values: ['debug', 'info', 'warn'], default: 'info' }),
      extraLabels: Values.object({ description: 'Labels added to the pods.', default: {}, entries: { type: 'string' } }),
    });
  }

  /** The service's Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The service's Service. */
  public readonly service: kplus.Service;

  public constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const v = props.values;
    this.deployment = new kplus.Deployment(this, 'Server', {
      replicas: v.replicaCount.asNumber(),
      containers: [
        {
          name: 'web',
          image: `${v.image.repository}:${v.image.tag}`,
          portNumber: v.port.asNumber(),
          envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue(v.logLevel.asString()) },
        },
      ],
    });
    Template.of(this.deployment).merge('spec.template.metadata.labels', v.extraLabels.asObject());
    this.service = this.deployment.exposeViaService({ ports: [{ port: v.port.asNumber(), targetPort: v.port.asNumber() }] });
  }
}
