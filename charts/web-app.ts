import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmChart, Release, StandardValues, Template } from '../src';

/** nginx-unprivileged's user and group. */
const NGINX_USER = 101;

/**
 * The example chart: a web server Deployment (cdk8s-plus-27) with its Service and ConfigMap,
 * `helm create`'s standard values (replicas, service account, pod annotations and labels, security
 * contexts, resources, scheduling) and autoscaling, values for image and service port, an optional
 * Ingress, and a PodDisruptionBudget switched on by a value.
 */
export class WebAppChart extends HelmChart {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      version: '0.1.0',
      appVersion: '1.27.3',
      description: 'An nginx web server with its configuration, Service and optional Ingress.',
      keywords: ['web', 'nginx', 'example'],
      home: 'https://github.com/helm-synth/helm-synth',
      maintainers: [{ name: 'Platform team', email: 'platform@example.com' }],
    });
    const v = this.values;

    v.describe('image', 'Container image of the web server.');
    const repository = v.string('image.repository', { default: 'nginxinc/nginx-unprivileged', description: 'Image repository.' });
    const tag = v.string('image.tag', { default: '1.27.3-alpine', description: 'Image tag.', pattern: '^[\\w][\\w.-]{0,127}$' });
    const pullPolicy = v.enum('image.pullPolicy', {
      values: ['Always', 'IfNotPresent', 'Never'],
      default: 'IfNotPresent',
      description: 'When the kubelet pulls the image.',
    });
    v.describe('service', 'The Service in front of the pods.');
    const serviceType = v.enum('service.type', {
      values: ['ClusterIP', 'NodePort', 'LoadBalancer'],
      default: 'ClusterIP',
      description: 'Service type.',
    });
    const servicePort = v.integer('service.port', { default: 80, minimum: 1, maximum: 65535, description: 'Port the Service listens on.' });
    const greeting = v.string('greeting', { default: 'Hello from helm-synth', description: 'Text of the page the server returns at /.' });
    const standard = StandardValues.for(this, {
      replicaCount: 2,
      podSecurityContext: { runAsNonRoot: true, runAsUser: NGINX_USER, runAsGroup: NGINX_USER, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: NGINX_USER,
        runAsGroup: NGINX_USER,
      },
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    });

    v.describe('ingress', 'An Ingress routing a host to the Service.');
    const ingressEnabled = v.boolean('ingress.enabled', { default: false, description: 'Create the Ingress.' });
    const ingressClass = v.string('ingress.className', { default: 'nginx', description: 'IngressClass that serves it.' });
    const ingressHost = v.string('ingress.host', { default: 'web.example.com', description: 'Host name routed to the Service.' });

    v.describe('podDisruptionBudget', 'A PodDisruptionBudget that keeps pods up during node drains.');
    const pdbEnabled = v.boolean('podDisruptionBudget.enabled', { default: false, description: 'Create the PodDisruptionBudget.' });
    const minAvailable = v.integer('podDisruptionBudget.minAvailable', {
      default: 1,
      minimum: 0,
      description: 'Pods that must stay available.',
    });

    const config = new kplus.ConfigMap(this, 'Config', {
      data: {
        'default.conf': [
          'server {',
          '  listen 8080;',
          '  location = /healthz { default_type text/plain; return 200 "ok\\n"; }',
          '  location / { root /etc/nginx/conf.d; try_files /index.html =404; }',
          '}',
          '',
        ].join('\n'),
        'index.html': greeting.asString(),
      },
    });

    const server = new kplus.Deployment(this, 'Server', {
      containers: [
        {
          name: 'nginx',
          image: `${repository}:${tag}`,
          imagePullPolicy: pullPolicy.asString() as kplus.ImagePullPolicy,
          portNumber: 8080,
          readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
        },
      ],
    });
    const container = server.containers[0];
    container.mount('/etc/nginx/conf.d', kplus.Volume.fromConfigMap(this, 'ConfigVolume', config, { name: 'config' }));
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp'));
    Template.of(server).nameSuffix('');
    standard.applyTo(server);
    standard.autoscale(server, { maxReplicas: 10 });

    const service = server.exposeViaService({
      serviceType: serviceType.asString() as kplus.ServiceType,
      ports: [{ port: servicePort.asNumber(), targetPort: 8080, name: 'http' }],
    });
    Template.of(service).nameSuffix('');
    this.addNotes(
      `Inside the cluster the server answers at http://${this.resourceName(service)}.${Release.namespace}.svc:${servicePort.asNumber()}/`,
    );

    const ingress = new kplus.Ingress(this, 'Ingress', { className: ingressClass.asString() });
    ingress.addHostDefaultBackend(ingressHost.asString(), kplus.IngressBackend.fromService(service));
    Template.of(ingress).nameSuffix('').enableWhen(ingressEnabled);

    const pdb = new ApiObject(this, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      spec: {
        minAvailable: minAvailable.asNumber(),
        selector: { matchLabels: server.matchLabels },
      },
    });
    Template.of(pdb).nameSuffix('').enableWhen(pdbEnabled);

    this.environment('prod', {
      replicaCount: 3,
      ingress: { enabled: true, host: 'www.example.com' },
      podDisruptionBudget: { enabled: true, minAvailable: 2 },
    });
  }
}
