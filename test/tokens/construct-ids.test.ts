import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as kplus from 'cdk8s-plus-27';
import { Size } from 'cdk8s';
import { HelmChart, Release, Template } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

// cdk8s-plus-27 builds construct ids from names in: PersistentVolume.reserve() (`${pv.name}PVC`),
// pod connections to namespaces (`AllowIngress${namespace}${address}`), ClusterRole.bindInNamespace
// (`RoleBinding-${namespace}`) and Deployment.exposeViaService (`${name}Service`). Our names are
// tokens, so those ids hold markers; a token in an id reads as its literal id text, the same in
// every run (a name: its construct path below the chart; a value: its path; the release fields).

const withHelm = Testing.ifHelm(test);
const ROOT = join(__dirname, '..', '..');

/** Every cdk8s-plus API that makes an id from a name, in one chart. */
function build(id = 'demo'): HelmChart {
  const c = new HelmChart(Testing.app(), id, { version: '1.0.0' });
  const serviceName = c.values.string('serviceName', { default: 'front', description: 'Name of the Service.' });
  const pv = new kplus.GCEPersistentDiskPersistentVolume(c, 'Data', {
    pdName: 'disk',
    storage: Size.gibibytes(1),
    accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
  });
  pv.reserve();
  const ns = new kplus.Namespace(c, 'Other');
  const web = new kplus.Deployment(c, 'Web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
  web.connections.allowTo(ns);
  web.connections.allowFrom(ns);
  web.exposeViaService({ name: serviceName.asString(), ports: [{ port: 80, targetPort: 8080 }] });
  const reader = new kplus.ClusterRole(c, 'Reader');
  reader.allowRead(kplus.ApiResource.PODS);
  reader.bindInNamespace(ns.name, new kplus.ServiceAccount(c, 'Robot'));
  reader.bindInNamespace(Release.namespace, new kplus.ServiceAccount(c, 'Local'));
  return c;
}

test('ids made from name, value and release tokens synthesize, with file names from their literal id text', () => {
  const files = [...Testing.synth(build()).files.keys()].filter((f) => f.startsWith('templates/') && f !== 'templates/_helpers.tpl');
  expect(files).toEqual(
    expect.arrayContaining([
      'templates/data-data-pvc-persistent-volume-claim.yaml',
      'templates/reader-role-binding-other-role-binding.yaml',
      'templates/reader-role-binding-release-namespace-role-binding.yaml',
      'templates/web-service-name-service-service.yaml',
    ]),
  );
  expect(files.filter((f) => f.includes('network-policy')).length).toBe(4);
  expect(files.join(' ')).not.toMatch(/helmsynth|e-289/);
});

test('the output is the same whatever the markers: two builds with other token ids give identical files', () => {
  const first = Testing.synth(build()).files;
  const shift = new HelmChart(Testing.app(), 'shift', { version: '1.0.0' });
  for (let i = 0; i < 17; i++) String(shift.values.string(`v${i}`, { default: 'x', description: 'V.' }));
  const second = Testing.synth(build()).files;
  expect([...second.keys()]).toEqual([...first.keys()]);
  for (const [file, text] of first) expect(second.get(file)).toBe(text);
  expect([...first.values()].join('')).not.toMatch(/helmsynth|e\+289/);
});

test('two processes (other nonces) write the same files', () => {
  const script = [
    `const kplus = require(${JSON.stringify(join(ROOT, 'node_modules', 'cdk8s-plus-27'))});`,
    `const { Size } = require(${JSON.stringify(join(ROOT, 'node_modules', 'cdk8s'))});`,
    `const { HelmChart, Testing } = { ...require(${JSON.stringify(join(ROOT, 'lib', 'src'))}), ...require(${JSON.stringify(join(ROOT, 'lib', 'src', 'testing'))}) };`,
    "const c = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });",
    "const pv = new kplus.GCEPersistentDiskPersistentVolume(c, 'Data', { pdName: 'disk', storage: Size.gibibytes(1) });",
    'pv.reserve();',
    "const ns = new kplus.Namespace(c, 'Other');",
    "const web = new kplus.Deployment(c, 'Web', { containers: [{ image: 'nginx', portNumber: 8080 }] });",
    'web.connections.allowTo(ns);',
    // an id made from a name by the app: the worker's address, in the ids of the policies allowTo makes, depends on the marker
    "const worker = new kplus.Deployment(c, `${ns.name}Worker`, { containers: [{ image: 'nginx', portNumber: 9090 }] });",
    'web.connections.allowTo(worker);',
    'process.stdout.write(JSON.stringify([...Testing.synth(c).files]));',
  ].join('\n');
  const run = () => spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const [first, second] = [run(), run()];
  expect(first.stderr).toBe('');
  expect(first.stdout).toContain('templates/data-data-pvc-persistent-volume-claim.yaml');
  expect(first.stdout).toContain('templates/other-worker-deployment.yaml');
  const files = (JSON.parse(first.stdout) as Array<[string, string]>).map(([file]) => file);
  expect(files.filter((file) => file.endsWith('network-policy.yaml')).length).toBe(4);
  expect(second.stdout).toBe(first.stdout);
});

test('the claim reserve() makes names and binds the volume through the name tokens', () => {
  const pvc = Testing.file(build(), 'templates/data-data-pvc-persistent-volume-claim.yaml');
  expect(pvc).toContain('# PersistentVolumeClaim demo/Data/DataPVC/Resource, written by helm-synth.');
  expect(pvc).toContain('name: {{ printf "pvc-%v" (include "demo.resourceName" (list . "data")) | quote }}');
  expect(pvc).toContain('volumeName: {{ include "demo.resourceName" (list . "data") | quote }}');
});

withHelm('rendered, every object is named and placed by the release', () => {
  const rendered = Testing.render(build(), { releaseName: 'rel', namespace: 'apps' });
  const pv = rendered.find('PersistentVolume');
  const claim = rendered.find('PersistentVolumeClaim');
  expect(claim.metadata.name).toBe(`pvc-${pv.metadata.name}`);
  expect(claim.spec.volumeName).toBe(pv.metadata.name);
  expect(pv.spec.claimRef.name).toBe(claim.metadata.name);
  const other = rendered.find('Namespace').metadata.name;
  expect(other).toBe('rel-demo-other');
  const bindings = rendered.all('RoleBinding').map((b) => b.metadata.namespace);
  expect(bindings.sort()).toEqual(['apps', other].sort());
  const policies = rendered.all('NetworkPolicy').map((p) => p.metadata.namespace);
  expect(policies.sort()).toEqual(['apps', 'apps', other, other].sort());
  expect(rendered.all('Service').map((s) => s.metadata.name)).toEqual(['front']);
});

test('a construct path holding a marker reads as its literal id text in messages', () => {
  const c = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
  const pv = new kplus.GCEPersistentDiskPersistentVolume(c, 'Data', { pdName: 'disk', storage: Size.gibibytes(1) });
  const claim = pv.reserve();
  Template.of(claim).set('spec.resources', 'not a map');
  Template.of(claim).set('spec.resources.requests', 'x');
  const error = expectHelmSynthError(() => Testing.synth(c), 'demo/Data/DataPVC', 'spec.resources');
  expect(error.message).not.toMatch(/helmsynth/);
});
