import { Chart, Cron, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { KUBERNETES_SCHEMA_VERSION, strictify, validateManifest, validateManifests } from './support/kube-schema';

type Doc = Record<string, any>;

const labels = { app: 'web' };
const podTemplate = (extra: Doc = {}): Doc => ({
  metadata: { labels },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.25',
        ports: [{ name: 'http', containerPort: 8080 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: 0.5, memory: '1Gi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 8080 } },
        env: [
          { name: 'A', value: '1' },
          { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        ],
        securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      },
    ],
    ...extra,
  },
});

function deployment(overrides: (d: Doc) => void = () => undefined): Doc {
  const d: Doc = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels, annotations: { 'helm.sh/hook-weight': '1' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: podTemplate(),
    },
  };
  overrides(d);
  return d;
}

const validManifests: Doc[] = [
  deployment(),
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      replicas: 1,
      selector: { matchLabels: labels },
      template: podTemplate(),
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } },
      ],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
    },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', annotations: { 'helm.sh/hook': 'pre-install' } },
    spec: { backoffLimit: 3, ttlSecondsAfterFinished: 600, template: podTemplate({ restartPolicy: 'Never' }) },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'backup' },
    spec: {
      schedule: '0 3 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      jobTemplate: { spec: { template: podTemplate({ restartPolicy: 'OnFailure' }) } },
    },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'test-connection' }, spec: podTemplate({ restartPolicy: 'Never' }).spec },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: {
      type: 'ClusterIP',
      selector: labels,
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { 'app.yaml': 'a: 1\n' }, binaryData: { blob: 'AAEC' } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds' },
    type: 'Opaque',
    data: { password: 'aHVudGVyMg==' },
    stringData: { user: 'admin' },
  },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web' }, automountServiceAccountToken: false },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['example.com'], secretName: 'tls' }],
      rules: [
        {
          host: 'example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] },
        },
      ],
    },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web' },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 'http' }, { port: 5432 }] },
      ],
    },
  },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      ],
    },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'reader' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'default' }],
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web' },
    spec: { minAvailable: '50%', selector: { matchLabels: labels } },
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } },
  },
];

describe('validateManifest: valid manifests', () => {
  it.each(validManifests.map((m) => [`${m.apiVersion} ${m.kind}`, m] as const))('%s passes', (_name, manifest) => {
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('accepts null for optional fields, as the API server does', () => {
    expect(
      validateManifest(
        deployment((d) => {
          d.metadata.creationTimestamp = null;
          d.spec.strategy = null;
          d.spec.template.spec.containers[0].args = null;
        }),
      ),
    ).toEqual([]);
  });

  it('accepts int-or-string and quantity values in both forms', () => {
    expect(
      validateManifest(
        deployment((d) => {
          d.spec.strategy.rollingUpdate = { maxSurge: 1, maxUnavailable: '0%' };
          d.spec.template.spec.containers[0].resources = { requests: { cpu: 1, memory: '1.5Gi', 'ephemeral-storage': '2e9' } };
        }),
      ),
    ).toEqual([]);
  });

  it('accepts everything cdk8s-plus-27 synthesizes', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const cfg = new kplus.ConfigMap(chart, 'cfg', { data: { a: '1' } });
    const secret = new kplus.Secret(chart, 'secret', { stringData: { password: 'p' } });
    const sa = new kplus.ServiceAccount(chart, 'sa');
    const dep = new kplus.Deployment(chart, 'dep', {
      serviceAccount: sa,
      containers: [
        {
          image: 'nginx',
          portNumber: 8080,
          resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { limit: Size.mebibytes(256) } },
          envVariables: { A: kplus.EnvValue.fromConfigMap(cfg, 'a'), P: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
          readiness: kplus.Probe.fromHttpGet('/healthz'),
        },
      ],
    });
    const svc = dep.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    new kplus.Ingress(chart, 'ing', { rules: [{ host: 'example.com', path: '/', backend: kplus.IngressBackend.fromService(svc) }] });
    new kplus.HorizontalPodAutoscaler(chart, 'hpa', {
      target: dep,
      maxReplicas: 5,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
    new kplus.StatefulSet(chart, 'sts', { service: svc, containers: [{ image: 'postgres' }] });
    new kplus.CronJob(chart, 'cron', { schedule: Cron.daily(), containers: [{ image: 'busybox' }] });
    new kplus.Job(chart, 'job', { containers: [{ image: 'busybox' }], ttlAfterFinished: Duration.minutes(5) });
    new kplus.PersistentVolumeClaim(chart, 'pvc', { storage: Size.gibibytes(1) });
    const role = new kplus.Role(chart, 'role');
    role.allowRead(cfg);
    role.bind(sa);
    new kplus.NetworkPolicy(chart, 'np', { selector: dep });

    const docs = Testing.synth(chart);
    const kinds = new Set(docs.map((d: Doc) => d.kind));
    for (const kind of [
      'Deployment',
      'Service',
      'Ingress',
      'HorizontalPodAutoscaler',
      'StatefulSet',
      'CronJob',
      'Job',
      'Role',
      'RoleBinding',
      'NetworkPolicy',
      'PersistentVolumeClaim',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(validateManifests(docs)).toEqual([]);
  });
});

describe('validateManifest: errors', () => {
  it('reports an unknown field with the kind, name and path', () => {
    const errors = validateManifest(
      deployment((d) => {
        d.spec.template.spec.containers[0].imagee = d.spec.template.spec.containers[0].image;
      }),
    );
    expect(errors).toEqual(['Deployment/web: spec.template.spec.containers[0]: unknown field "imagee"']);
  });

  it('reports unknown fields at every level, including the root and metadata', () => {
    const errors = validateManifest(
      deployment((d) => {
        d.spec.replica = 3;
        d.metadata.lables = { a: 'b' };
        d.extra = true;
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'Deployment/web: spec: unknown field "replica"',
        'Deployment/web: metadata: unknown field "lables"',
        'Deployment/web: unknown field "extra"',
      ]),
    );
    expect(errors).toHaveLength(3);
  });

  it('reports a wrong type', () => {
    expect(
      validateManifest(
        deployment((d) => {
          d.spec.replicas = '2';
        }),
      ),
    ).toEqual(['Deployment/web: spec.replicas: must be integer (got string "2")']);
  });

  it('reports a missing required field', () => {
    expect(
      validateManifest(
        deployment((d) => {
          delete d.spec.template.spec.containers[0].name;
        }),
      ),
    ).toEqual(['Deployment/web: spec.template.spec.containers[0]: missing required field "name"']);
    expect(validateManifest({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: {} } })).toEqual([
      'Deployment/x: spec: missing required field "selector"',
    ]);
  });

  it('reports bad int-or-string, quantity, enum and base64 values', () => {
    expect(
      validateManifest(
        deployment((d) => {
          d.spec.strategy.rollingUpdate.maxSurge = true;
          d.spec.template.spec.containers[0].resources.limits.memory = 'lots';
          d.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
        }),
      ),
    ).toEqual([
      'Deployment/web: spec.strategy.rollingUpdate.maxSurge: must be string or integer (got boolean true)',
      'Deployment/web: spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never" (got string "Sometimes")',
      'Deployment/web: spec.template.spec.containers[0].resources.limits.memory: must be a valid quantity (got string "lots")',
    ]);
    expect(validateManifest({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'not base64!' } })).toEqual([
      'Secret/s: data.password: must be a valid byte (got string "not base64!")',
    ]);
  });

  it('reports an object where a list is expected, and a list where an object is expected', () => {
    expect(
      validateManifest(
        deployment((d) => {
          d.spec.template.spec.containers = { name: 'web' };
        }),
      ),
    ).toEqual(['Deployment/web: spec.template.spec.containers: must be array (got object)']);
    expect(
      validateManifest(
        deployment((d) => {
          d.spec.selector = [];
        }),
      ),
    ).toEqual(['Deployment/web: spec.selector: must be object (got array)']);
  });

  it('reports an unknown kind or apiVersion instead of skipping it', () => {
    expect(validateManifest({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'web' } })).toEqual([
      'Deploymnet/web: unknown kind "Deploymnet" in apiVersion "apps/v1" (no Kubernetes 1.27 schema)',
    ]);
    expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget/w: apiVersion "example.com/v1" is not served by Kubernetes 1.27 (kind Widget)',
    ]);
    // kubernetes-models still ships schemas for APIs removed before 1.27; they must not pass.
    for (const [apiVersion, kind] of [
      ['extensions/v1beta1', 'Ingress'],
      ['policy/v1beta1', 'PodDisruptionBudget'],
      ['batch/v1beta1', 'CronJob'],
      ['autoscaling/v2beta2', 'HorizontalPodAutoscaler'],
    ]) {
      expect(validateManifest({ apiVersion, kind, metadata: { name: 'old' } })).toEqual([
        `${kind}/old: apiVersion "${apiVersion}" is not served by Kubernetes 1.27 (kind ${kind})`,
      ]);
    }
  });

  it('reports manifests that are not objects or lack apiVersion/kind', () => {
    expect(validateManifest('kind: Pod')).toEqual(['<manifest>: must be an object (got string "kind: Pod")']);
    expect(validateManifest({ kind: 'Pod', metadata: { name: 'p' } })).toEqual([
      'Pod/p: apiVersion must be a non-empty string (got undefined undefined)',
    ]);
    expect(validateManifest({ apiVersion: 'v1', metadata: {} })).toEqual([
      '<no kind>/<unnamed>: kind must be a non-empty string (got undefined undefined)',
    ]);
  });

  it('validateManifests concatenates errors and skips empty YAML documents', () => {
    const bad = deployment((d) => {
      d.spec.replicas = '2';
    });
    expect(validateManifests([validManifests[5], null, bad, undefined])).toEqual([
      'Deployment/web: spec.replicas: must be integer (got string "2")',
    ]);
  });
});

describe('schema source', () => {
  it('is Kubernetes 1.27: has 1.27 fields and rejects 1.28 ones', () => {
    expect(KUBERNETES_SCHEMA_VERSION).toMatch(/^1\.27\./);
    // Container.resizePolicy was added in 1.27.
    expect(
      validateManifest(
        deployment((d) => {
          d.spec.template.spec.containers[0].resizePolicy = [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }];
        }),
      ),
    ).toEqual([]);
    // Container.restartPolicy (sidecars) and Job.spec.podReplacementPolicy arrived in 1.28.
    expect(
      validateManifest(
        deployment((d) => {
          d.spec.template.spec.containers[0].restartPolicy = 'Always';
        }),
      ),
    ).toEqual(['Deployment/web: spec.template.spec.containers[0]: unknown field "restartPolicy"']);
    expect(validateManifest({ ...validManifests[2], spec: { ...validManifests[2].spec, podReplacementPolicy: 'Failed' } })).toEqual([
      'Job/migrate: spec: unknown field "podReplacementPolicy"',
    ]);
  });

  it('strictify closes object schemas but leaves maps and free-form objects open', () => {
    expect(strictify({ type: 'object', properties: { a: { type: 'object', additionalProperties: { type: 'string' } } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'object', additionalProperties: { type: 'string' } } },
      additionalProperties: false,
    });
    expect(strictify({ type: 'object' })).toEqual({ type: 'object' });
  });

  it('is fast once compiled', () => {
    for (const m of validManifests) validateManifest(m); // compile every kind
    const docs = Array.from({ length: 2000 }, (_, i) => validManifests[i % validManifests.length]);
    const start = performance.now();
    for (const d of docs) expect(validateManifest(d)).toHaveLength(0);
    const perDoc = (performance.now() - start) / docs.length;
    expect(perDoc).toBeLessThan(2); // ms; measured ~0.02 ms on the 2-core dev machine
  });
});
