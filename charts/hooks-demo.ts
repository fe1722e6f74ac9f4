import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  DNS_SUBDOMAIN_RULE,
  Hook,
  HookDeletePolicy,
  HookEvent,
  HookJob,
  HelmChart,
  orEmpty,
  PreInstallJob,
  Release,
  ServiceConnectionTest,
  Template,
} from '../src';

const OPTIONAL_NAME = orEmpty(DNS_SUBDOMAIN_RULE);

/**
 * The hooks example: a web server whose release runs a hook at every Helm event. A pre-install
 * Job (weight -5, before-hook-creation) reads the chart's Secret and runs as the chart's
 * ServiceAccount, both declared as its dependencies, so they become hooks that run just before
 * it; post-install, pre/post-upgrade, pre/post-delete and pre/post-rollback Jobs, a ConfigMap
 * hook switched on by a value, and two `helm test` hooks. `npm run plan -- hooks-demo` prints the
 * order Helm runs them in.
 */
export class HooksDemoChart extends HelmChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      version: '0.1.0',
      appVersion: '1.27.3',
      description: 'A web server whose release lifecycle runs Helm hooks at every event.',
      keywords: ['hooks', 'example'],
      maintainers: [{ name: 'Platform team', email: 'platform@example.com' }],
    });
    const v = this.values;
    v.describe('image', 'Container image of the web server.');
    const repository = v.string('image.repository', { default: 'nginxinc/nginx-unprivileged', description: 'Image repository.' });
    const tag = v.string('image.tag', { default: '1.27.3-alpine', description: 'Image tag.', pattern: '^[\\w][\\w.-]{0,127}$' });
    const replicas = v.integer('replicaCount', { default: 1, minimum: 0, description: 'Number of web server pods.' });
    const resources = v.object('resources', {
      default: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      description: 'Container resource requests and limits of the web server.',
    });
    const port = v.integer('service.port', { default: 80, minimum: 1, maximum: 65535, description: 'Port the Service listens on.' });
    v.describe('auth', 'The API token the server and the hooks read.');
    const apiToken = v.string('auth.apiToken', {
      default: '',
      description: "API token the server and the hooks read from the chart's Secret (empty: none).",
    });
    const existingSecret = v.string('auth.existingSecret', {
      default: '',
      description: "A Secret of the release's namespace to read the token from (key api-token) instead of the chart's own.",
      pattern: OPTIONAL_NAME.schema.pattern,
      maxLength: OPTIONAL_NAME.schema.maxLength,
    });
    v.describe('hooks', 'The Jobs that run at Helm hook events.');
    const hookImage = v.string('hooks.image', { default: 'busybox:1.36', description: 'Image of every hook Job.' });
    const greeting = v.string('greeting', { default: 'Hello from hooks-demo', description: 'Text of the page the server returns at /.' });
    const releaseInfo = v.boolean('releaseInfo.enabled', {
      default: true,
      description: 'Record the last install or upgrade in a ConfigMap hook.',
    });

    const credentials = new kplus.Secret(this, 'Credentials', { stringData: { 'api-token': apiToken.asString() } });
    Template.of(credentials).replaceableBy(existingSecret);
    const hookRunner = new kplus.ServiceAccount(this, 'HookRunner', { automountToken: false });

    const server = new kplus.Deployment(this, 'Server', {
      replicas: replicas.asNumber(),
      securityContext: { ensureNonRoot: true, user: 101, group: 101 },
      containers: [
        {
          name: 'nginx',
          image: `${repository}:${tag}`,
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          portNumber: 8080,
          securityContext: { ensureNonRoot: true, user: 101, group: 101, readOnlyRootFilesystem: true },
          envVariables: { API_TOKEN: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'api-token' }) },
        },
      ],
    });
    const content = new kplus.ConfigMap(this, 'Content', { data: { 'index.html': greeting.asString() } });
    server.containers[0].mount('/usr/share/nginx/html', kplus.Volume.fromConfigMap(this, 'ContentVolume', content, { name: 'content' }));
    server.containers[0].mount('/tmp', kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp'));
    Template.of(server).nameSuffix('').set('spec.template.spec.containers[0].resources', resources.asObject());
    const service = server.exposeViaService({ ports: [{ port: port.asNumber(), targetPort: 8080, name: 'http' }] });
    Template.of(service).nameSuffix('');
    const serviceHost = this.resourceName(service);
    const serviceUrl = `http://${serviceHost}:${port}/`;

    new PreInstallJob(this, 'PreInstall', {
      image: hookImage.asString(),
      weight: -5,
      deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION],
      serviceAccount: hookRunner,
      env: { API_TOKEN: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'api-token' }), RELEASE: Release.name },
      script: [
        'set -eu',
        'echo "preparing release ${RELEASE}"',
        'if [ -z "${API_TOKEN}" ]; then echo "auth.apiToken is empty: the server will run without an API token" >&2; fi',
        '',
      ].join('\n'),
      valuesPath: 'hooks.preInstall',
    }).addDependency(credentials, hookRunner);

    new HookJob(this, 'PostInstall', {
      events: [HookEvent.POST_INSTALL],
      image: hookImage.asString(),
      env: { URL: serviceUrl },
      script:
        'for i in $(seq 1 30); do wget -q -O /dev/null -T 2 "$URL" && exit 0; sleep 2; done\necho "no answer from $URL" >&2\nexit 1\n',
    });
    new HookJob(this, 'PreUpgrade', {
      events: [HookEvent.PRE_UPGRADE],
      weight: -1,
      image: hookImage.asString(),
      command: ['sh', '-c', 'echo "checking that the upgrade can proceed"'],
    });
    new HookJob(this, 'PostUpgrade', {
      events: [HookEvent.POST_UPGRADE],
      weight: 5,
      deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION, HookDeletePolicy.HOOK_FAILED],
      image: hookImage.asString(),
      env: { URL: serviceUrl },
      command: ['sh', '-c', 'wget -q -O /dev/null -T 5 "$URL" && echo "upgraded server answers"'],
    });
    new HookJob(this, 'PreDelete', {
      events: [HookEvent.PRE_DELETE],
      image: hookImage.asString(),
      command: ['sh', '-c', 'echo "draining before uninstall"'],
      activeDeadlineSeconds: 120,
    });
    new HookJob(this, 'PostDelete', {
      events: [HookEvent.POST_DELETE],
      image: hookImage.asString(),
      command: ['sh', '-c', 'echo "release removed"'],
      ttlSecondsAfterFinished: 600,
    });
    new HookJob(this, 'PreRollback', {
      events: [HookEvent.PRE_ROLLBACK],
      weight: -2,
      image: hookImage.asString(),
      command: ['sh', '-c', 'echo "rolling back"'],
    });
    new HookJob(this, 'PostRollback', {
      events: [HookEvent.POST_ROLLBACK],
      weight: 3,
      deletePolicies: [HookDeletePolicy.BEFORE_HOOK_CREATION, HookDeletePolicy.HOOK_SUCCEEDED, HookDeletePolicy.HOOK_FAILED],
      image: hookImage.asString(),
      command: ['sh', '-c', 'echo "rolled back"'],
    });

    const info = new kplus.ConfigMap(this, 'ReleaseInfo', { data: { release: Release.name, chart: 'hooks-demo 0.1.0' } });
    Hook.apply(info, { events: [HookEvent.POST_INSTALL, HookEvent.POST_UPGRADE], weight: 10 });
    Template.of(info).enableWhen(releaseInfo);

    new ServiceConnectionTest(this, 'ConnectionTest', { service, httpPath: '/' });
    new HookJob(this, 'TokenTest', {
      events: [HookEvent.TEST],
      weight: 1,
      image: hookImage.asString(),
      env: { API_TOKEN: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'api-token' }) },
      command: ['sh', '-c', 'test "${API_TOKEN+set}" = set && echo "the API token reaches hook pods"'],
    });
  }
}
