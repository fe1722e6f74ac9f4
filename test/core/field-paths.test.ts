import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Template } from '../../src';
import { checkFieldPath, fieldPathText, FieldPathSegment, parseFieldPath } from '../../src/chart/field-path';
import { closestNames, SchemaCursor } from '../../src/chart/kubernetes-schema';
import { KUBERNETES_SCHEMA_DATA } from '../../src/chart/kubernetes-schema-data';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { seededRandom, testSeeds } from '../support/seeded-random';

function newChart(): HelmChart {
  return new HelmChart(Testing.app(), 'demo', { version: '1.0.0', appVersion: '1.0.0' });
}

const SEEDS = testSeeds(1, 2, 3);

describe('string paths with bracket-quoted keys', () => {
  const cases: Array<[string, FieldPathSegment[]]> = [
    ['spec.template.spec.containers[0].image', ['spec', 'template', 'spec', 'containers', 0, 'image']],
    ['metadata.annotations["example.com/owner"]', ['metadata', 'annotations', 'example.com/owner']],
    ["metadata.annotations['example.com/owner']", ['metadata', 'annotations', 'example.com/owner']],
    ['data["a\\"b"]', ['data', 'a"b']],
    ["data['it\\'s']", ['data', "it's"]],
    ['data["back\\\\slash"]', ['data', 'back\\slash']],
    ['data["with ]bracket[ and .dot"]', ['data', 'with ]bracket[ and .dot']],
    ['a[0][1].b', ['a', 0, 1, 'b']],
    ['["x.y"].z', ['x.y', 'z']],
  ];
  test.each(cases)('%s', (text, segments) => {
    expect(parseFieldPath(text, 'here')).toEqual(segments);
  });

  test('the list form is taken as given', () => {
    expect(parseFieldPath(['metadata', 'annotations', 'a.b', 'c'], 'here')).toEqual(['metadata', 'annotations', 'a.b', 'c']);
  });

  const malformed: Array<[string, string]> = [
    ['metadata.annotations["example.com/owner"', 'not closed'],
    ['metadata.annotations["example.com/owner', 'not closed by "]'],
    ["data['x", "not closed by ']"],
    ['data[""]', 'a quoted key is empty'],
    ['a..b', 'a key is empty'],
    ['.a', 'a key is empty'],
    ['a.', 'ends in "."'],
    ['a[0', 'the bracket of [0 is not closed'],
    ['a[x]', 'a bracket holds a list index such as [0] or a quoted key'],
    ['a]', '"]" without "["'],
    ['a["b"]c', 'cannot follow a bracket'],
    ['a["\\n"]', 'is no escape'],
    ['', 'it is empty'],
    ['a[-1]', 'a bracket holds a list index'],
    ['a.[0]', 'a key is empty'],
    ['metadata.annotations.["x"]', 'a bracket follows "."'],
  ];
  test.each(malformed)('%s is refused naming the construct and the path', (text, why) => {
    const chart = newChart();
    const cm = new kplus.ConfigMap(chart, 'Cm');
    expectHelmSynthError(() => Template.of(cm).set(text, 'v'), 'demo/Cm', `field path ${JSON.stringify(text)} is invalid`, why);
  });

  test('generated keys written with fieldPathText read back as the same segments', () => {
    const alphabet = ['a', 'Z', '0', '.', '[', ']', '"', "'", '\\', '/', '-', '_', ' ', 'é', '{'];
    for (const seed of SEEDS) {
      const next = seededRandom(seed);
      for (let n = 0; n < 500; n++) {
        const path: FieldPathSegment[] = [];
        const length = 1 + Math.floor(next() * 5);
        for (let i = 0; i < length; i++) {
          if (i > 0 && next() < 0.25) path.push(Math.floor(next() * 20));
          else {
            let key = '';
            const size = 1 + Math.floor(next() * 8);
            for (let j = 0; j < size; j++) key += alphabet[Math.floor(next() * alphabet.length)];
            path.push(key);
          }
        }
        const text = fieldPathText(path);
        try {
          expect(parseFieldPath(text, 'here')).toEqual(path);
        } catch (error) {
          throw new Error(`seed ${seed}, case ${n}: ${JSON.stringify(path)} written as ${text}: ${(error as Error).message}`);
        }
      }
    }
  });
});

describe('after a string-map field the rest of a dotted path is one key', () => {
  test('annotations, labels, ConfigMap data, nodeSelector and resource limits', () => {
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    Template.of(deployment)
      .set('metadata.annotations.example.com/owner', 'team-a')
      .set('spec.template.metadata.annotations.prometheus.io/scrape', 'true')
      .set('spec.template.spec.nodeSelector.kubernetes.io/os', 'linux')
      .set('spec.template.spec.containers[0].resources.limits.nvidia.com/gpu', 1)
      .set('spec.template.metadata.labels.team.example.com/name', 'a');
    const cm = new kplus.ConfigMap(chart, 'Settings');
    Template.of(cm).set('data.config.json', '{}').set('binaryData.blob.bin', 'AAAA');
    const secret = new kplus.Secret(chart, 'Creds');
    Template.of(secret).set('stringData.app.properties', 'a=b');
    const web = Testing.file(chart, 'templates/web-deployment.yaml');
    expect(web).toMatch(/annotations:\n {4}example\.com\/owner: team-a/);
    expect(web).toContain('prometheus.io/scrape: "true"');
    expect(web).toContain('kubernetes.io/os: linux');
    expect(web).toContain('nvidia.com/gpu: 1');
    expect(web).toContain('team.example.com/name: a');
    expect(web).not.toMatch(/^\s*example:/m);
    const settings = Testing.file(chart, 'templates/settings-config-map.yaml');
    expect(settings).toContain('config.json: "{}"');
    expect(settings).toContain('blob.bin: AAAA');
    expect(Testing.file(chart, 'templates/creds-secret.yaml')).toContain('app.properties: a=b');
  });

  test('generated keys after a string-map field read back as one key, whatever they hold', () => {
    const alphabet = ['a', '9', '.', '/', '-', '_', '[', ']', '"', "'", '\\', ' ', ':'];
    const maps: Array<[string, string, string]> = [
      ['apps/v1', 'Deployment', 'metadata.annotations'],
      ['apps/v1', 'Deployment', 'spec.template.spec.nodeSelector'],
      ['apps/v1', 'Deployment', 'spec.template.spec.containers[0].resources.limits'],
      ['v1', 'ConfigMap', 'data'],
      ['v1', 'Secret', 'stringData'],
      ['example.com/v1', 'Widget', 'metadata.labels'],
    ];
    for (const seed of SEEDS) {
      const next = seededRandom(seed);
      for (let n = 0; n < 400; n++) {
        const [apiVersion, kind, map] = maps[Math.floor(next() * maps.length)];
        let key = '';
        const size = 1 + Math.floor(next() * 12);
        for (let j = 0; j < size; j++) key += alphabet[Math.floor(next() * alphabet.length)];
        if (key.startsWith('[')) key = `k${key}`;
        const cursor = SchemaCursor.forKind(apiVersion, kind);
        const expected = [...parseFieldPath(map, 'here'), key];
        const context = `seed ${seed}, ${kind} ${map}.${key}`;
        expect([context, parseFieldPath(`${map}.${key}`, 'here', cursor)]).toEqual([context, expected]);
        expect([context, parseFieldPath(fieldPathText(expected), 'here', cursor)]).toEqual([context, expected]);
        expect([context, checkFieldPath(cursor, expected, 'set')]).toEqual([context, undefined]);
      }
    }
  });

  test('a number or boolean token in any map of strings of the schema is written as a string', () => {
    const chart = newChart();
    const iops = chart.values.integer('iops', { default: 3000, description: 'IOPS.' });
    const encrypted = chart.values.boolean('encrypted', { default: true, description: 'Encrypted.' });
    new ApiObject(chart, 'Fast', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      provisioner: 'ebs.csi.aws.com',
      parameters: { iops: iops.asNumber(), encrypted: encrypted.asBoolean() },
    });
    const text = Testing.file(chart, 'templates/fast-storage-class.yaml');
    expect(text).toContain('iops: {{ .Values.iops | int64 | toString | quote }}');
    expect(text).toContain('encrypted: {{ .Values.encrypted | toJson | quote }}');
  });

  test('the bracket form and the list form give the same key', () => {
    const forms = [
      'metadata.annotations.example.com/owner',
      'metadata.annotations["example.com/owner"]',
      ['metadata', 'annotations', 'example.com/owner'],
    ] as const;
    const texts = forms.map((form) => {
      const chart = newChart();
      Template.of(new kplus.ConfigMap(chart, 'Cm')).set(form as string, 'x');
      return Testing.file(chart, 'templates/cm-config-map.yaml');
    });
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
  });

  test('a custom resource knows its metadata only', () => {
    const chart = newChart();
    const cr = new ApiObject(chart, 'Widget', { apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 1 } });
    Template.of(cr).set('metadata.annotations.example.com/owner', 'team-a').set('spec.any.thing.goes', 1);
    const text = Testing.file(chart, 'templates/widget-widget.yaml');
    expect(text).toContain('example.com/owner: team-a');
    expect(text).toMatch(/any:\n\s+thing:\n\s+goes: 1/);
  });

  test('more segments after a key of a string map are refused, with the bracket form named', () => {
    const chart = newChart();
    Template.of(new kplus.ConfigMap(chart, 'Cm')).set(['metadata', 'annotations', 'example', 'com'], 'x');
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Cm',
      'Template.of(demo/Cm).set("[\\"metadata\\",\\"annotations\\",\\"example\\",\\"com\\"]")',
      'metadata.annotations is a map of strings: its key "example" holds a string and nothing can follow it; for the key "example.com" write metadata.annotations["example.com"]',
    );
  });
});

describe('override paths are checked against the Kubernetes schema', () => {
  test('a misspelt field names the closest valid one', () => {
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    Template.of(deployment).set('spec.template.spec.containers[0].resourcez', {});
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Web',
      'set("spec.template.spec.containers[0].resourcez")',
      `spec.template.spec.containers[0].resourcez: Container has no field resourcez; did you mean resources? (Kubernetes ${KUBERNETES_SCHEMA_DATA.kubernetesVersion} apps/v1 Deployment)`,
    );
  });

  test("a chart whose kubeVersion range leaves out the schema's version is not checked", () => {
    const build = (kubeVersion: string) => {
      const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0', appVersion: '1.0.0', kubeVersion });
      const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
      Template.of(deployment).set('spec.template.spec.containers[0].restartPolicy', 'Always');
      return chart;
    };
    expect(Testing.file(build('>=1.29.0-0'), 'templates/web-deployment.yaml')).toContain('restartPolicy: Always');
    expectHelmSynthError(() => Testing.synth(build('>=1.25.0-0')), 'demo/Web', 'Container has no field restartPolicy');
  });

  const wrong: Array<[string, (t: Template, chart: HelmChart) => unknown, string]> = [
    ['remove', (t) => t.remove('spec.template.spec.securityContex'), 'PodSpec has no field securityContex; did you mean securityContext?'],
    ['set', (t) => t.set('spec.replica', 3), 'DeploymentSpec has no field replica; did you mean replicas?'],
    [
      'setIf',
      (t, chart) => t.setIf('spec.template.spec.hostnetwork', chart.values.boolean('host', { default: false, description: 'Host.' }), true),
      'PodSpec has no field hostnetwork; did you mean hostNetwork?',
    ],
    ['index on an object', (t) => t.set('spec.template[0]', 1), 'PodTemplateSpec is an object, not a list: there is no [0]'],
    ['key on a list', (t) => t.set('spec.template.spec.containers.image', 'x'), 'is a list: it takes an index such as [0]'],
    ['after a scalar', (t) => t.set('spec.replicas.count', 3), 'count cannot follow a scalar field'],
    ['a valid scalar passes', (t) => t.set('spec.paused', true), ''],
  ];
  test.each(wrong)('%s', (_name, override, message) => {
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    override(Template.of(deployment), chart);
    if (message) expectHelmSynthError(() => Testing.synth(chart), 'demo/Web', message);
    else expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('merge takes a map field and append a list field', () => {
    const chart = newChart();
    const extra = chart.values.list('extra', { default: [], description: 'Extra.' });
    const labels = chart.values.object('labels', { default: {}, description: 'Labels.' });
    const a = new kplus.Deployment(chart, 'A', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    Template.of(a).append('spec.template.spec.containers[0].image', extra.asList());
    expectHelmSynthError(() => Testing.synth(chart), 'demo/A', 'append takes a list field, and this is a scalar');
    const other = newChart();
    const objects = other.values.object('labels', { default: {}, description: 'Labels.' });
    const b = new kplus.Deployment(other, 'B', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    Template.of(b).merge('spec.template.spec.containers', objects.asObject());
    expectHelmSynthError(() => Testing.synth(other), 'demo/B', 'merge takes a map field, and this is a list of Container');
    expect(labels).toBeDefined();
  });

  test('closestNames picks the nearest fields only', () => {
    expect(closestNames('resourcez', ['resources', 'resizePolicy', 'readinessProbe'])).toEqual(['resources']);
    expect(closestNames('IMAGE', ['image', 'name'])).toEqual(['image']);
    expect(closestNames('zzzzzz', ['image', 'name'])).toEqual([]);
  });

  test('generated paths: every field of every kind passes, and a one-letter typo of it is refused with it suggested', () => {
    const kinds = Object.keys(KUBERNETES_SCHEMA_DATA.kinds).sort();
    expect(kinds).toEqual(
      expect.arrayContaining(['apps/v1/Deployment', 'v1/ConfigMap', 'batch/v1/CronJob', 'networking.k8s.io/v1/Ingress']),
    );
    let checked = 0;
    for (const seed of SEEDS) {
      const next = seededRandom(seed);
      for (let n = 0; n < 300; n++) {
        const id = kinds[Math.floor(next() * kinds.length)];
        const slash = id.lastIndexOf('/');
        const root = SchemaCursor.forKind(id.slice(0, slash), id.slice(slash + 1));
        const path: FieldPathSegment[] = [];
        let cursor = root;
        let lastField: { at: number; fields: string[] } | undefined;
        for (let depth = 0; depth < 8; depth++) {
          const fields = fieldNames(cursor);
          let segment: FieldPathSegment;
          if (cursor.isList) segment = Math.floor(next() * 3);
          else if (cursor.isScalarMap) segment = 'example.com/key';
          else if (fields) {
            segment = fields[Math.floor(next() * fields.length)];
            lastField = { at: path.length, fields };
          } else break;
          const stepped = cursor.step(segment);
          if (typeof stepped === 'string') throw new Error(`seed ${seed}: ${fieldPathText([...path, segment])}: ${stepped}`);
          path.push(segment);
          cursor = stepped;
          if (next() < 0.15) break;
        }
        const context = `seed ${seed}, ${id} ${fieldPathText(path)}`;
        expect([context, checkFieldPath(root, path, 'set')]).toEqual([context, undefined]);
        if (!lastField) continue;
        const original = path[lastField.at] as string;
        const typo = `${original}x`;
        if (lastField.fields.includes(typo)) continue;
        const problem = checkFieldPath(root, [...path.slice(0, lastField.at), typo, ...path.slice(lastField.at + 1)], 'set');
        expect([context, problem]).toEqual([context, expect.stringContaining(`has no field ${typo}; did you mean`)]);
        expect(problem).toContain(original);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

test('reachesListMap: true exactly where a search of the schema below finds a list with list-map keys', () => {
  const search = (cursor: SchemaCursor, seen: Set<string>): boolean => {
    if (cursor.isFree || cursor.isScalar || cursor.isScalarMap) return false;
    if (cursor.listMapKeys) return true;
    const key = JSON.stringify(cursor.type);
    if (seen.has(key)) return false;
    seen.add(key);
    const segments: FieldPathSegment[] = cursor.isList ? [0] : (fieldNames(cursor) ?? ['any-key']);
    return segments.some((segment) => {
      const next = cursor.step(segment);
      return typeof next !== 'string' && search(next, seen);
    });
  };
  const answers = new Map<boolean, number>();
  for (const id of Object.keys(KUBERNETES_SCHEMA_DATA.kinds)) {
    const slash = id.lastIndexOf('/');
    const root = SchemaCursor.forKind(id.slice(0, slash), id.slice(slash + 1));
    for (const cursor of [root, ...(fieldNames(root) ?? []).map((field) => root.step(field) as SchemaCursor)]) {
      const expected = search(cursor, new Set());
      expect([id, cursor.description, cursor.reachesListMap]).toEqual([id, cursor.description, expected]);
      answers.set(expected, (answers.get(expected) ?? 0) + 1);
    }
  }
  expect(answers.get(true)).toBeGreaterThan(20);
  expect(answers.get(false)).toBeGreaterThan(20);
  expect(SchemaCursor.forKind('example.com/v1', 'Widget').reachesListMap).toBe(true);
  expect((SchemaCursor.forKind('example.com/v1', 'Widget').step('spec') as SchemaCursor).reachesListMap).toBe(false);
});

function fieldNames(cursor: SchemaCursor): string[] | undefined {
  const type = cursor.type;
  if (typeof type !== 'string') return undefined;
  const fields = KUBERNETES_SCHEMA_DATA.definitions[type];
  return fields ? Object.keys(fields) : undefined;
}

test('the schema data is what scripts/kubernetes-schema.mjs generates from the installed kubernetes-models', () => {
  const root = join(__dirname, '..', '..');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'kubernetes-schema.mjs'), '--check'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(KUBERNETES_SCHEMA_DATA.source).toBe(`kubernetes-models@${require('kubernetes-models/package.json').version}`);
  expect(KUBERNETES_SCHEMA_DATA.kubernetesVersion).toMatch(/^1\.27\./);
});
