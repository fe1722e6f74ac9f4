import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { HelmRunner } from '../../src/helm';
import {
  checkUpgrade,
  compareRenders,
  FindingSeverity,
  IMMUTABLE_FIELD_RULES,
  packChart,
  readChartDirectory,
  UpgradeFinding,
} from '../../src/release/internal';
import { deployment, removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { Testing } from '../../src/testing';

type Obj = Record<string, any>;

const workload = (kind: string, name: string, selector: Record<string, string>): Obj => ({ ...deployment(name, { selector }), kind });
const statefulSet = (name: string, spec: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: {
    serviceName: `${name}-headless`,
    replicas: 1,
    podManagementPolicy: 'OrderedReady',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
    volumeClaimTemplates: [
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    ],
    ...spec,
  },
});
const job = (name: string, image: string, annotations?: Record<string, string>, spec: Obj = {}): Obj => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, ...(annotations ? { annotations } : {}) },
  spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] } }, ...spec },
});
const service = (name: string, spec: Obj): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ports: [{ port: 80 }], ...spec },
});
const claim = (name: string, spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, ...metadata },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } }, ...spec },
});
const configMap = (name: string, data: Record<string, string>, annotations?: Record<string, string>): Obj => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(annotations ? { annotations } : {}) },
  data,
});
const binding = (kind: string, name: string, role: string): Obj => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'default' }],
});
const hook = (events: string, weight?: string, policy?: string): Record<string, string> => ({
  'helm.sh/hook': events,
  ...(weight !== undefined ? { 'helm.sh/hook-weight': weight } : {}),
  ...(policy !== undefined ? { 'helm.sh/hook-delete-policy': policy } : {}),
});

/** What one finding must say: severity, object, field path with both values, and a fragment of the message. */
interface Expected {
  readonly severity: FindingSeverity;
  readonly object: string;
  readonly path?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly says: string;
}

const error = (object: string, path: string | undefined, before: unknown, after: unknown, says: string): Expected => ({
  severity: FindingSeverity.ERROR,
  object,
  path,
  before,
  after,
  says,
});
const warning = (object: string, path: string | undefined, before: unknown, after: unknown, says: string): Expected => ({
  severity: FindingSeverity.WARNING,
  object,
  path,
  before,
  after,
  says,
});

const CASES: Array<[string, Obj[], Obj[], Expected[]]> = [
  [
    'Deployment spec.selector',
    [deployment('web')],
    [deployment('web', { selector: { app: 'web', tier: 'front' } })],
    [error('Deployment default/web', 'spec.selector.matchLabels.tier', undefined, 'front', 'selector is immutable')],
  ],
  [
    'DaemonSet spec.selector',
    [workload('DaemonSet', 'agent', { app: 'agent' })],
    [workload('DaemonSet', 'agent', { app: 'agent2' })],
    [error('DaemonSet default/agent', 'spec.selector.matchLabels.app', 'agent', 'agent2', 'field is immutable')],
  ],
  [
    'ReplicaSet spec.selector',
    [workload('ReplicaSet', 'rs', { app: 'rs' })],
    [workload('ReplicaSet', 'rs', { name: 'rs' })],
    [
      error('ReplicaSet default/rs', 'spec.selector.matchLabels.app', 'rs', undefined, 'field is immutable'),
      error('ReplicaSet default/rs', 'spec.selector.matchLabels.name', undefined, 'rs', 'field is immutable'),
    ],
  ],
  [
    'StatefulSet volumeClaimTemplates',
    [statefulSet('db')],
    [
      statefulSet('db', {
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } },
        ],
      }),
    ],
    [
      error(
        'StatefulSet default/db',
        'spec.volumeClaimTemplates[0].spec.resources.requests.storage',
        '1Gi',
        '5Gi',
        'updates to statefulset spec',
      ),
    ],
  ],
  [
    'StatefulSet serviceName',
    [statefulSet('db')],
    [statefulSet('db', { serviceName: 'db-hl' })],
    [error('StatefulSet default/db', 'spec.serviceName', 'db-headless', 'db-hl', 'StatefulSet spec field other than replicas')],
  ],
  [
    'StatefulSet podManagementPolicy',
    [statefulSet('db')],
    [statefulSet('db', { podManagementPolicy: 'Parallel' })],
    [error('StatefulSet default/db', 'spec.podManagementPolicy', 'OrderedReady', 'Parallel', 'immutable')],
  ],
  [
    'StatefulSet spec.selector',
    [statefulSet('db')],
    [statefulSet('db', { selector: { matchLabels: { app: 'db', role: 'primary' } } })],
    [error('StatefulSet default/db', 'spec.selector.matchLabels.role', undefined, 'primary', 'immutable')],
  ],
  [
    "a release (non-hook) Job's spec.template",
    [job('migrate', 'tool:1')],
    [job('migrate', 'tool:2')],
    [error('Job default/migrate', 'spec.template.spec.containers[0].image', 'tool:1', 'tool:2', 'Helm patches a release Job in place')],
  ],
  [
    "a release Job's spec.selector",
    [job('migrate', 'tool:1', undefined, { selector: { matchLabels: { run: 'a' } } })],
    [job('migrate', 'tool:1', undefined, { selector: { matchLabels: { run: 'b' } } })],
    [error('Job default/migrate', 'spec.selector.matchLabels.run', 'a', 'b', 'immutable')],
  ],
  [
    'Service clusterIP (headless to allocated)',
    [service('db-hl', { clusterIP: 'None' })],
    [service('db-hl', {})],
    [error('Service default/db-hl', 'spec.clusterIP', 'None', undefined, 'clusterIP is immutable')],
  ],
  [
    'Service clusterIP (a fixed address changes)',
    [service('dns', { clusterIP: '10.0.0.10' })],
    [service('dns', { clusterIP: '10.0.0.11' })],
    [error('Service default/dns', 'spec.clusterIP', '10.0.0.10', '10.0.0.11', 'clusterIP is immutable')],
  ],
  [
    'Service type to ExternalName',
    [service('api', { type: 'ClusterIP' })],
    [service('api', { type: 'ExternalName', externalName: 'api.example.com' })],
    [error('Service default/api', 'spec.type', 'ClusterIP', 'ExternalName', 'to or from ExternalName')],
  ],
  [
    'Service type from ExternalName',
    [service('api', { type: 'ExternalName', externalName: 'api.example.com' })],
    [service('api', { type: 'ClusterIP' })],
    [error('Service default/api', 'spec.type', 'ExternalName', 'ClusterIP', 'to or from ExternalName')],
  ],
  [
    'PVC storageClassName',
    [claim('data')],
    [claim('data', { storageClassName: 'slow' })],
    [error('PersistentVolumeClaim default/data', 'spec.storageClassName', 'fast', 'slow', 'storageClassName is immutable')],
  ],
  [
    'PVC accessModes',
    [claim('data')],
    [claim('data', { accessModes: ['ReadWriteMany'] })],
    [error('PersistentVolumeClaim default/data', 'spec.accessModes[0]', 'ReadWriteOnce', 'ReadWriteMany', 'accessModes is immutable')],
  ],
  [
    'PVC storage request decrease',
    [claim('data')],
    [claim('data', { resources: { requests: { storage: '9500Mi' } } })],
    [error('PersistentVolumeClaim default/data', 'spec.resources.requests.storage', '10Gi', '9500Mi', 'cannot shrink')],
  ],
  [
    'PVC storage request increase (a warning)',
    [claim('data')],
    [claim('data', { resources: { requests: { storage: '20Gi' } } })],
    [warning('PersistentVolumeClaim default/data', 'spec.resources.requests.storage', '10Gi', '20Gi', 'allowVolumeExpansion')],
  ],
  [
    'a renamed Deployment (a likely rename pair)',
    [deployment('web'), configMap('settings', { a: '1' })],
    [deployment('web-frontend', { selector: { app: 'web' } }), configMap('settings', { a: '1' })],
    [error('Deployment default/web', 'metadata.name', 'web', 'web-frontend', 'likely renamed to Deployment default/web-frontend')],
  ],
  [
    'a renamed StatefulSet (data loss)',
    [statefulSet('db')],
    [statefulSet('database')],
    [
      error(
        'StatefulSet default/db',
        'metadata.name',
        'db',
        'database',
        'DATA LOSS: the pods of database get new, empty PVCs (<template>-database-<ordinal>)',
      ),
    ],
  ],
  [
    'a renamed PVC (data loss)',
    [claim('data')],
    [claim('storage')],
    [error('PersistentVolumeClaim default/data', 'metadata.name', 'data', 'storage', 'DATA LOSS: the new claim gets a new, empty volume')],
  ],
  [
    'a removed PVC (data loss)',
    [claim('data'), deployment('web')],
    [deployment('web')],
    [
      error(
        'PersistentVolumeClaim default/data',
        undefined,
        undefined,
        undefined,
        'removed from the chart: helm upgrade deletes it; DATA LOSS: the claim is deleted',
      ),
    ],
  ],
  [
    'a removed object kept by helm.sh/resource-policy (a warning)',
    [configMap('seed', { a: '1' }, { 'helm.sh/resource-policy': 'keep' })],
    [],
    [warning('ConfigMap default/seed', undefined, undefined, undefined, 'helm.sh/resource-policy: keep leaves the old object')],
  ],
  [
    'a clean upgrade: replicas, image and config change',
    [deployment('web'), configMap('settings', { a: '1' }), claim('data')],
    [deployment('web', { replicas: 3, image: 'nginx:1.28' }), configMap('settings', { a: '2', b: '3' }), claim('data')],
    [],
  ],
  [
    "a hook Job's template changes (Helm recreates hooks: no error)",
    [job('migrate', 'tool:1', hook('pre-upgrade'))],
    [job('migrate', 'tool:2', hook('pre-upgrade'))],
    [],
  ],
  [
    'hook events, weight and delete policy change (warnings)',
    [job('migrate', 'tool:1', hook('pre-install,pre-upgrade', '1', 'before-hook-creation'))],
    [job('migrate', 'tool:1', hook('pre-install', '5', 'before-hook-creation,hook-succeeded'))],
    [
      warning(
        'Job default/migrate',
        'metadata.annotations["helm.sh/hook"]',
        'pre-install,pre-upgrade',
        'pre-install',
        'no longer runs on pre-upgrade',
      ),
      warning(
        'Job default/migrate',
        'metadata.annotations["helm.sh/hook-delete-policy"]',
        'before-hook-creation',
        'before-hook-creation,hook-succeeded',
        'delete policies change',
      ),
      warning('Job default/migrate', 'metadata.annotations["helm.sh/hook-weight"]', 1, 5, 'weight changes'),
    ],
  ],
  [
    "a hook's name pattern changes (a warning: the old object is left behind)",
    [job('migrate-v1', 'tool:1', hook('post-upgrade'))],
    [job('migrate-v2', 'tool:1', hook('post-upgrade'))],
    [
      warning(
        'Job default/migrate-v1',
        'metadata.name',
        'migrate-v1',
        'migrate-v2',
        'before-hook-creation deletes only an object of the new name; Job default/migrate-v1 from earlier runs stays',
      ),
    ],
  ],
  [
    'a hook without before-hook-creation that stays after success (a warning)',
    [job('migrate', 'tool:1', hook('pre-upgrade', '0', 'hook-failed'))],
    [job('migrate', 'tool:1', hook('pre-upgrade', '0', 'hook-failed'))],
    [
      warning(
        'Job default/migrate',
        'metadata.annotations["helm.sh/hook-delete-policy"]',
        'hook-failed',
        'hook-failed',
        'fails with "already exists"',
      ),
    ],
  ],
  [
    'a release object becomes a pre-upgrade hook',
    [configMap('settings', { a: '1' })],
    [{ ...configMap('settings', { a: '1' }, hook('pre-install,pre-upgrade')) }],
    [
      error(
        'ConfigMap default/settings',
        'metadata.annotations["helm.sh/hook"]',
        undefined,
        'pre-install,pre-upgrade',
        'fails with "already exists"',
      ),
    ],
  ],
  [
    'an immutable ConfigMap changes its data',
    [{ ...configMap('settings', { mode: 'a' }), immutable: true }],
    [{ ...configMap('settings', { mode: 'b' }), immutable: true }],
    [error('ConfigMap default/settings', 'data.mode', 'a', 'b', 'immutable: true')],
  ],
  [
    'an immutable ConfigMap is made mutable',
    [{ ...configMap('settings', { mode: 'a' }), immutable: true }],
    [configMap('settings', { mode: 'a' })],
    [error('ConfigMap default/settings', 'immutable', true, undefined, 'cannot be made mutable again')],
  ],
  ['a mutable ConfigMap changes its data (fine)', [configMap('settings', { mode: 'a' })], [configMap('settings', { mode: 'b' })], []],
  [
    'an immutable Secret changes its stringData',
    [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, immutable: true, stringData: { 'db.password': 'old' } }],
    [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, immutable: true, stringData: { 'db.password': 'new' } }],
    [error('Secret default/creds', 'stringData["db.password"]', 'old', 'new', 'immutable: true')],
  ],
  [
    "a Secret's type",
    [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, type: 'Opaque', stringData: { a: 'b' } }],
    [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, type: 'kubernetes.io/tls', stringData: { a: 'b' } }],
    [error('Secret default/tls', 'type', 'Opaque', 'kubernetes.io/tls', "Secret's type is immutable")],
  ],
  [
    "a RoleBinding's roleRef",
    [binding('RoleBinding', 'reader', 'view')],
    [binding('RoleBinding', 'reader', 'edit')],
    [error('RoleBinding default/reader', 'roleRef.name', 'view', 'edit', 'roleRef is immutable')],
  ],
  [
    "a ClusterRoleBinding's roleRef",
    [binding('ClusterRoleBinding', 'reader', 'view')],
    [binding('ClusterRoleBinding', 'reader', 'edit')],
    [error('ClusterRoleBinding default/reader', 'roleRef.name', 'view', 'edit', 'roleRef is immutable')],
  ],
  [
    "a Job's completionMode",
    [job('migrate', 'tool:1', undefined, { completions: 2 })],
    [job('migrate', 'tool:1', undefined, { completions: 2, completionMode: 'Indexed' })],
    [error('Job default/migrate', 'spec.completionMode', undefined, 'Indexed', 'completionMode')],
  ],
  [
    "a NonIndexed Job's completions",
    [job('migrate', 'tool:1', undefined, { completions: 2 })],
    [job('migrate', 'tool:1', undefined, { completions: 3 })],
    [error('Job default/migrate', 'spec.completions', 2, 3, 'completions is immutable')],
  ],
  [
    'a bare Pod: its image may change, its command may not',
    [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tool' }, spec: { containers: [{ name: 't', image: 'a:1', command: ['one'] }] } }],
    [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tool' }, spec: { containers: [{ name: 't', image: 'a:2', command: ['two'] }] } }],
    [error('Pod default/tool', 'spec.containers[0].command[0]', 'one', 'two', "Pod's spec is immutable except container images")],
  ],
  [
    'PVC volumeName',
    [claim('data', { volumeName: 'pv-1' })],
    [claim('data', { volumeName: 'pv-2' })],
    [error('PersistentVolumeClaim default/data', 'spec.volumeName', 'pv-1', 'pv-2', 'volumeName is immutable')],
  ],
  [
    'Service loadBalancerClass',
    [service('lb', { type: 'LoadBalancer', loadBalancerClass: 'a.example.com/lb' })],
    [service('lb', { type: 'LoadBalancer', loadBalancerClass: 'b.example.com/lb' })],
    [error('Service default/lb', 'spec.loadBalancerClass', 'a.example.com/lb', 'b.example.com/lb', 'loadBalancerClass cannot change')],
  ],
];
function documents(objects: Obj[]) {
  return objects.map((object, i) => ({ object, source: `chart/templates/object-${i}.yaml` }));
}

function expectFindings(findings: readonly UpgradeFinding[], expected: readonly Expected[]): void {
  expect(findings.map(({ severity, object, path, before, after }) => ({ severity, object, path, before, after }))).toEqual(
    expected.map(({ severity, object, path, before, after }) => ({ severity, object, path, before, after })),
  );
  expected.forEach((e, i) => expect(findings[i].message).toContain(e.says));
}

describe('compareRenders (rendered objects in memory)', () => {
  test.each(CASES)('%s', (_title, before, after, expected) => {
    expectFindings(compareRenders(documents(before), documents(after), 'default'), expected);
  });

  const rows = IMMUTABLE_FIELD_RULES.flatMap((rule) =>
    rule.kinds.flatMap((kind) => rule.fields.map((field) => [rule, kind, field] as const)),
  );
  test.each(rows.map(([rule, kind, field]) => [`${rule.group || 'core'} ${kind} ${field}`, rule, kind, field] as const))(
    'every row of the immutable-field table is checked: %s',
    (_title, rule, kind, field) => {
      const object = (value: string | boolean): Obj => {
        const manifest: Obj = {
          apiVersion: rule.group ? `${rule.group}/v1` : 'v1',
          kind,
          metadata: { name: 'x' },
          immutable: true,
          spec: { completionMode: field === 'spec.completionMode' ? value : undefined },
        };
        const keys = field.split('.');
        let at = manifest;
        for (const key of keys.slice(0, -1)) at = at[key] ??= {};
        at[keys[keys.length - 1]] = value;
        return manifest;
      };
      const label = `${kind} default/x`;
      const [before, after] = field === 'immutable' ? [true, false] : ['a', 'b'];
      const findings = compareRenders(documents([object(before)]), documents([object(after)]), 'default');
      expect(findings.map((f) => [f.severity, f.object, f.path, f.before, f.after])).toContainEqual([
        FindingSeverity.ERROR,
        label,
        field,
        before,
        after,
      ]);
    },
  );
});

const helmBinary = HelmRunner.find()?.binary;

Testing.ifHelm(describe)('checkUpgrade (baseline and new chart rendered by helm)', () => {
  const helm = new HelmRunner(helmBinary ?? 'helm');
  let work: string;
  beforeEach(() => {
    work = tempFolder();
  });
  afterEach(() => removeFolder(work));

  const chart = (folder: string, version: string, objects: Obj[], extra: Partial<Parameters<typeof writeFixtureChart>[1]> = {}) =>
    writeFixtureChart(join(work, folder), {
      name: 'app',
      version,
      objects: Object.fromEntries(objects.map((o, i) => [`object-${i}.yaml`, o])),
      ...extra,
    });

  test.each(CASES)('%s', (_title, before, after, expected) => {
    const baseline = chart('released', '1.0.0', before);
    const current = chart('dist', '1.1.0', after);
    const [report] = checkUpgrade([current], { baseline, helm });
    expect(report).toMatchObject({ chart: 'app', version: '1.1.0', baselineVersion: '1.0.0' });
    expectFindings(report.findings, expected);
    for (const finding of report.findings) expect(finding.source).toMatch(/^app\/templates\/object-\d+\.yaml$/);
  });

  test('the baseline may be an archive or a folder of archives (the highest version is used); values files and --set apply to both renders', () => {
    const selectorTemplate =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  selector:\n    matchLabels: {tier: {{ .Values.tier | quote }}}\n' +
      '  template:\n    metadata:\n      labels: {tier: {{ .Values.tier | quote }}}\n    spec:\n      containers: [{name: web, image: {{ .Values.image | quote }}}]\n';
    const released = (version: string, tier: string) =>
      readChartDirectory(
        writeFixtureChart(join(work, `src-${version}`), {
          name: 'app',
          version,
          values: { tier, image: 'web:1' },
          templates: { 'deployment.yaml': selectorTemplate },
        }),
      );
    const repo = join(work, 'repo');
    writeFixtureChart(repo, { name: 'unrelated', version: '0.0.1' });
    writeFileSync(join(work, 'app-1.0.0.tgz'), packChart(released('1.0.0', 'old')));
    writeFileSync(join(repo, 'app-0.9.0.tgz'), packChart(released('0.9.0', 'older')));
    writeFileSync(join(repo, 'app-1.0.0.tgz'), packChart(released('1.0.0', 'old')));
    const current = writeFixtureChart(join(work, 'dist'), {
      name: 'app',
      version: '1.1.0',
      values: { tier: 'new', image: 'web:2' },
      templates: { 'deployment.yaml': selectorTemplate },
    });

    for (const baseline of [join(work, 'app-1.0.0.tgz'), repo]) {
      const [report] = checkUpgrade([current], { baseline, helm, release: 'prod', namespace: 'shop' });
      expect(report.baselineVersion).toBe('1.0.0');
      expect(report.findings.map((f) => [f.object, f.path, f.before, f.after])).toEqual([
        ['Deployment shop/prod-web', 'spec.selector.matchLabels.tier', 'old', 'new'],
      ]);
    }
    const valuesFile = join(work, 'prod-values.yaml');
    writeFileSync(valuesFile, stringify({ tier: 'pinned' }));
    expect(checkUpgrade([current], { baseline: repo, helm, valuesFiles: [valuesFile] })[0].findings).toEqual([]);
    expect(checkUpgrade([current], { baseline: repo, helm, set: ['tier=pinned'] })[0].findings).toEqual([]);
  });

  test('subchart objects are compared too, from vendored folders and vendored archives', () => {
    const dbChart = (storageClassName: string) => ({
      name: 'db',
      version: '1.0.0',
      objects: { 'pvc.yaml': claim('db-data', { storageClassName }) },
    });
    const baseline = chart('released', '1.0.0', [deployment('web')], { metadata: { dependencies: [{ name: 'db', version: '1.0.0' }] } });
    writeFixtureChart(join(baseline, 'charts'), dbChart('fast'));
    const current = chart('dist', '1.1.0', [deployment('web')], { metadata: { dependencies: [{ name: 'db', version: '1.0.0' }] } });
    const vendored = writeFixtureChart(join(work, 'vendor'), dbChart('slow'));
    mkdirSync(join(current, 'charts'));
    writeFileSync(join(current, 'charts', 'db-1.0.0.tgz'), packChart(readChartDirectory(vendored)));
    const [report] = checkUpgrade([current], { baseline, helm });
    expect(report.findings.map((f) => [f.severity, f.object, f.path, f.before, f.after, f.source])).toEqual([
      [
        FindingSeverity.ERROR,
        'PersistentVolumeClaim default/db-data',
        'spec.storageClassName',
        'fast',
        'slow',
        'app/charts/db/templates/pvc.yaml',
      ],
    ]);
  });

  test('a chart the baseline does not have is reported as new, with nothing to check', () => {
    chart('released', '1.0.0', [deployment('web')]);
    const other = writeFixtureChart(join(work, 'dist'), { name: 'other', version: '0.1.0' });
    const current = chart('dist', '1.1.0', [deployment('web')]);
    const reports = checkUpgrade([current, other], { baseline: join(work, 'released'), helm });
    expect(reports.map((r) => [r.chart, r.baselineVersion, r.findings.length])).toEqual([
      ['app', '1.0.0', 0],
      ['other', undefined, 0],
    ]);
  });
});
