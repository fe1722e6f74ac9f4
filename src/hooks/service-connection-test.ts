import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { describeValue, HelmSynthError } from '../errors';
import { HelmChart } from '../chart/helm-chart';
import { ownedObject, Template } from '../chart/template';
import { checkInteger, checkText } from '../tokens/checks';
import { hasToken } from '../tokens/token';
import { Hook } from './hook';
import { hookContainerSecurity, hookPodSecurity } from './hook-pod';
import { HookDeletePolicy, HookEvent } from './hook-types';

/** Settings of a ServiceConnectionTest. */
export interface ServiceConnectionTestProps {
  /** The Service of this chart to connect to: a cdk8s-plus Service or an `ApiObject` of kind Service. */
  readonly service: IConstruct;
  /**
   * The port to connect to (a number or a value token).
   * @default the Service's first port
   */
  readonly port?: number;
  /**
   * Send an HTTP GET to this path and require a 2xx/3xx answer.
   * @default none: a TCP connection is enough
   */
  readonly httpPath?: string;
  /**
   * Image with BusyBox's `nc` and `wget`.
   * @default 'busybox:1.36'
   */
  readonly image?: string;
  /**
   * Connection attempts, two seconds apart, before the test fails.
   * @default 5
   */
  readonly attempts?: number;
  /**
   * Seconds one attempt may take.
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * Order among the chart's tests: lower runs first.
   * @default 0
   */
  readonly weight?: number;
  /**
   * When Helm deletes the test Pod.
   * @default `[BEFORE_HOOK_CREATION, HOOK_SUCCEEDED]`: a failed test Pod stays for `kubectl logs` until the next `helm test`
   */
  readonly deletePolicies?: readonly HookDeletePolicy[];
}

const SERVICE_CONNECTION_TEST_BRAND = Symbol.for('helm-synth.ServiceConnectionTest');

/**
 * A `helm test` hook: a Pod that connects to a Service of the chart (TCP, or an HTTP GET) and
 * succeeds when it answers. Written to `templates/tests/`.
 */
export class ServiceConnectionTest extends Construct {
  /** True for a ServiceConnectionTest of any copy of the library (a brand check, not `instanceof`). */
  public static isServiceConnectionTest(x: unknown): x is ServiceConnectionTest {
    return typeof x === 'object' && x !== null && SERVICE_CONNECTION_TEST_BRAND in x;
  }

  /** The test Pod. */
  public readonly pod: kplus.Pod;
  /** The hook (event `test`). */
  public readonly hook: Hook;

  constructor(scope: Construct, id: string, props: ServiceConnectionTestProps) {
    super(scope, id);
    Object.defineProperty(this, SERVICE_CONNECTION_TEST_BRAND, { value: true });
    const where = this.node.path;
    if (!props || typeof props !== 'object') throw new HelmSynthError(where, 'ServiceConnectionTest needs props with a service');
    const host = HelmChart.of(this).resourceName(checkService(props.service, where));
    const port = checkInteger(props.port ?? servicePort(props.service, where), 'port', where, 1, 65535);
    const attempts = checkInteger(props.attempts ?? 5, 'attempts', where, 1, 100);
    const timeout = checkInteger(props.timeoutSeconds ?? 5, 'timeoutSeconds', where, 1, 300);
    const httpPath = props.httpPath === undefined ? undefined : checkText(props.httpPath, 'httpPath', where);
    // eslint-disable-next-line no-control-regex -- a path with control characters is refused on purpose
    if (httpPath !== undefined && !hasToken(httpPath) && (!httpPath.startsWith('/') || /[\s\x00-\x1f]/.test(httpPath))) {
      throw new HelmSynthError(where, `httpPath ${describeValue(httpPath)} must start with / and hold no spaces or control characters`);
    }

    this.hook = Hook.apply(this, {
      events: [HookEvent.TEST],
      weight: props.weight,
      deletePolicies: props.deletePolicies ?? [HookDeletePolicy.BEFORE_HOOK_CREATION, HookDeletePolicy.HOOK_SUCCEEDED],
    });
    this.pod = new kplus.Pod(this, 'Default', {
      restartPolicy: kplus.RestartPolicy.NEVER,
      securityContext: hookPodSecurity(),
      containers: [
        {
          name: 'test',
          image: props.image === undefined ? 'busybox:1.36' : checkText(props.image, 'image', where),
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: ['sh', '-c', CONNECTION_SCRIPT],
          envVariables: {
            TARGET_HOST: kplus.EnvValue.fromValue(host),
            TARGET_PORT: kplus.EnvValue.fromValue(String(port)),
            ...(httpPath !== undefined && { HTTP_PATH: kplus.EnvValue.fromValue(httpPath) }),
            ATTEMPTS: kplus.EnvValue.fromValue(String(attempts)),
            TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(timeout)),
          },
          securityContext: hookContainerSecurity(),
        },
      ],
    });
    Template.of(this.pod).set('spec.containers[0].resources', { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } });
  }
}

/**
 * The test's script: static, reading everything from the environment, so no host, port or path
 * (literal or from values) is ever parsed by the shell.
 */
const CONNECTION_SCRIPT = [
  'if [ -n "${HTTP_PATH:-}" ]; then target="http://${TARGET_HOST}:${TARGET_PORT}${HTTP_PATH}"; else target="${TARGET_HOST}:${TARGET_PORT}"; fi',
  'attempt=1',
  'while [ "$attempt" -le "$ATTEMPTS" ]; do',
  '  if [ -n "${HTTP_PATH:-}" ]; then',
  '    if wget -q -O /dev/null -T "$TIMEOUT_SECONDS" "$target"; then echo "connected to $target"; exit 0; fi',
  '  elif nc -z -w "$TIMEOUT_SECONDS" "$TARGET_HOST" "$TARGET_PORT"; then',
  '    echo "connected to $target"; exit 0',
  '  fi',
  '  sleep 2',
  '  attempt=$((attempt + 1))',
  'done',
  'echo "no answer from $target after $ATTEMPTS attempts" >&2',
  'exit 1',
  '',
].join('\n');

function checkService(service: IConstruct, where: string): IConstruct {
  const object = service && typeof service === 'object' && 'node' in service ? ownedObject(service) : undefined;
  if (!object || object.kind !== 'Service') {
    throw new HelmSynthError(
      where,
      `service ${service?.node?.path ?? describeValue(service)} is not a Service (a cdk8s-plus Service or an ApiObject of kind Service)`,
    );
  }
  return service;
}

function servicePort(service: IConstruct, where: string): number {
  const ports = (service as { ports?: Array<{ port?: number }> }).ports;
  const port = Array.isArray(ports)
    ? ports[0]?.port
    : (ownedObject(service)!.toJson() as { spec?: { ports?: Array<{ port?: number }> } })?.spec?.ports?.[0]?.port;
  if (port === undefined) throw new HelmSynthError(where, `service ${service.node.path} has no port; give port`);
  return port;
}
