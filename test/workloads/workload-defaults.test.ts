import { ApiObject, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, StandardValues, Template } from '../../src';
import { Testing } from '../../src/testing';
import { CDK8S_PLUS_DEFAULT_RESOURCES } from '../../src/synth/container-defaults';
import { expectHelmSynthError } from '../support/errors';
import { seededRandom, testSeeds } from '../support/seeded-random';
import { validateManifests } from '../support/kube-schema';

const withHelm = Testing.ifHelm(test);

/** A pod spec's containers and init containers, by name. */
type Containers = Record<string, Record<string, any>>;

interface KindCase {
  readonly kind: string;
  /** The workload's template file. */
  readonly file: string;
  /** Makes the workload with a main container and a sidecar, neither setting resources or a pull policy. */
  readonly make: (chart: HelmChart) => kplus.AbstractPod;
  /** The pod spec in a rendered object. */
  readonly podSpec: (object: Record<string, any>) => Record<string, any>;
  readonly replicas: boolean;
}

const containers = (): kplus.ContainerProps[] => [
  { name: 'main', image: 'example.com/app:1.0', portNumber: 8080 },
  { name: 'sidecar', image: 'example.com/proxy:2.0' },
];
const template = (o: Record<string, any>) => o.spec.template.spec;

const KINDS: readonly KindCase[] = [
  {
    kind: 'Deployment',
    file: 'templates/work-deployment.yaml',
    make: (chart) => new kplus.Deployment(chart, 'Work', { containers: containers() }),
    podSpec: template,
    replicas: true,
  },
  {
    kind: 'StatefulSet',
    file: 'templates/work-stateful-set.yaml',
    make: (chart) => {
      const service = new kplus.Service(chart, 'Headless', { clusterIP: 'None', ports: [{ port: 8080 }] });
      return new kplus.StatefulSet(chart, 'Work', { containers: containers(), service });
    },
    podSpec: template,
    replicas: true,
  },
  {
    kind: 'DaemonSet',
    file: 'templates/work-daemon-set.yaml',
    make: (chart) => new kplus.DaemonSet(chart, 'Work', { containers: containers() }),
    podSpec: template,
    replicas: false,
  },
  {
    kind: 'Job',
    file: 'templates/work-job.yaml',
    make: (chart) => new kplus.Job(chart, 'Work', { containers: containers() }),
    podSpec: template,
    replicas: false,
  },
  {
    kind: 'CronJob',
    file: 'templates/work-cron-job.yaml',
    make: (chart) => new kplus.CronJob(chart, 'Work', { containers: containers(), schedule: Cron.daily() }),
    podSpec: (o) => o.spec.jobTemplate.spec.template.spec,
    replicas: false,
  },
];

function chartWith(kind: KindCase, props: ConstructorParameters<typeof HelmChart>[2] = { version: '1.0.0' }) {
  const chart = new HelmChart(Testing.app(), 'demo', props);
  const workload = kind.make(chart);
  workload.addInitContainer({ name: 'init', image: 'example.com/init:1.0' });
  StandardValues.for(chart, { replicaCount: 3 }).applyTo(workload);
  return chart;
}

function containersOf(spec: Record<string, any>): Containers {
  return Object.fromEntries([...(spec.initContainers ?? []), ...spec.containers].map((c: Record<string, any>) => [c.name, c]));
}

describe.each(KINDS)('StandardValues on a $kind', (kind) => {
  test("every container's pull policy reads image.pullPolicy; no container keeps cdk8s-plus's invented resources", () => {
    const text = Testing.synth(chartWith(kind)).files.get(kind.file);
    expect(text).toBeDefined();
    expect(text!.match(/imagePullPolicy: \{\{ \.Values\.image\.pullPolicy \| quote \}\}/g)).toHaveLength(3);
    expect(text).not.toMatch(/imagePullPolicy: Always|1500m|2048Mi|1000m|512Mi/);
  });

  withHelm('default values: IfNotPresent, no requests or limits; lint passes', () => {
    expect(Testing.lint(chartWith(kind))).toContain('0 chart(s) failed');
    const rendered = Testing.render(chartWith(kind), { releaseName: 'rel' });
    expect(validateManifests(rendered.manifests)).toEqual([]);
    const object = rendered.find(kind.kind);
    const spec = kind.podSpec(object);
    const byName = containersOf(spec);
    expect(Object.keys(byName).sort()).toEqual(['init', 'main', 'sidecar']);
    for (const container of Object.values(byName)) {
      expect(container.imagePullPolicy).toBe('IfNotPresent');
      expect(container.resources ?? {}).toEqual({});
    }
    expect(spec.serviceAccountName).toBe('rel-demo');
    if (kind.replicas) expect(object.spec.replicas).toBe(3);
    else expect(object.spec.replicas).toBeUndefined();
  });

  withHelm('overrides: image.pullPolicy reaches every container, resources the main one', () => {
    const resources = { requests: { cpu: '250m', memory: '100Mi' }, limits: { memory: '200Mi' } };
    const rendered = Testing.render(chartWith(kind), { values: { image: { pullPolicy: 'Always' }, resources, replicaCount: 2 } });
    expect(validateManifests(rendered.manifests)).toEqual([]);
    const byName = containersOf(kind.podSpec(rendered.find(kind.kind)));
    for (const container of Object.values(byName)) expect(container.imagePullPolicy).toBe('Always');
    expect(byName.main.resources).toEqual(resources);
    expect(byName.sidecar.resources ?? {}).toEqual({});
    expect(byName.init.resources ?? {}).toEqual({});
    const never = Testing.render(chartWith(kind), { set: { 'image.pullPolicy': 'Never', 'resources.limits.cpu': '500m' } });
    const main = containersOf(kind.podSpec(never.find(kind.kind))).main;
    expect(main.imagePullPolicy).toBe('Never');
    expect(main.resources).toEqual({ limits: { cpu: '500m' } });
  });

  withHelm('a pull policy outside Always, IfNotPresent and Never fails the render', () => {
    expect(() => Testing.render(chartWith(kind), { set: { 'image.pullPolicy': 'Sometimes' } })).toThrow(/pullPolicy/);
  });
});

describe('pull policies and resources a container sets itself', () => {
  test('a literal IfNotPresent or Never, or a value of its own, stays; Always is read as unset', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    const sidecarPolicy = chart.values.enum('sidecar.pullPolicy', {
      values: ['Always', 'IfNotPresent', 'Never'],
      default: 'Always',
      description: 'Pull policy of the sidecar.',
    });
    const job = new kplus.Job(chart, 'Work', {
      containers: [
        { name: 'main', image: 'a', imagePullPolicy: kplus.ImagePullPolicy.ALWAYS },
        { name: 'never', image: 'b', imagePullPolicy: kplus.ImagePullPolicy.NEVER },
        { name: 'own', image: 'c', imagePullPolicy: sidecarPolicy.asString() as kplus.ImagePullPolicy },
        { name: 'sized', image: 'd', resources: { cpu: { request: kplus.Cpu.millis(100) } } },
      ],
    });
    StandardValues.for(chart).applyTo(job);
    const text = Testing.synth(chart).files.get('templates/work-job.yaml')!;
    const policies = [...text.matchAll(/imagePullPolicy: (.*)/g)].map((m) => m[1]);
    expect(policies).toEqual([
      '{{ .Values.image.pullPolicy | quote }}',
      'Never',
      '{{ .Values.sidecar.pullPolicy | quote }}',
      '{{ .Values.image.pullPolicy | quote }}',
    ]);
    expect(text).toContain('cpu: 100m');
  });

  test('imagePullPolicy prop: the default of image.pullPolicy', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    StandardValues.for(chart, { imagePullPolicy: kplus.ImagePullPolicy.ALWAYS });
    expect(Testing.synth(chart).files.get('values.yaml')).toMatch(/image:\n(?:.*\n)*?\s+pullPolicy: Always\n/);
  });

  test("a chart's own image.pullPolicy declaration must agree with StandardValues'", () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    chart.values.enum('image.pullPolicy', { values: ['Always', 'IfNotPresent'], default: 'Always', description: 'Pull policy.' });
    expectHelmSynthError(() => StandardValues.for(chart), 'demo', 'image.pullPolicy');
  });
});

describe('containers no StandardValues governs', () => {
  test("cdk8s-plus's invented requests and limits become resources: {}; its Always pull policy stays", () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    const work = new kplus.Deployment(chart, 'Work', {
      containers: [
        { name: 'main', image: 'a' },
        { name: 'sized', image: 'b', resources: { memory: { limit: Size.mebibytes(64) } } },
      ],
    });
    work.addInitContainer({ name: 'init', image: 'c' });
    const text = Testing.synth(chart).files.get('templates/work-deployment.yaml')!;
    expect(text).not.toMatch(/1500m|2048Mi|1000m|512Mi/);
    expect(text.match(/resources: \{\}/g)).toHaveLength(2);
    expect(text).toContain('memory: 64Mi');
    expect(text.match(/imagePullPolicy: Always/g)).toHaveLength(3);
  });

  test('an object written as a raw ApiObject keeps the resources it says, even those numbers', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    new ApiObject(chart, 'Raw', {
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { containers: [{ name: 'main', image: 'a', resources: CDK8S_PLUS_DEFAULT_RESOURCES }] },
    });
    const text = Testing.synth(chart).files.get('templates/raw-pod.yaml')!;
    expect(text).toContain('cpu: 1500m');
    expect(text).toContain('memory: 512Mi');
  });

  test('a Template override writes resources in their place', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    const work = new kplus.Deployment(chart, 'Work', { containers: [{ name: 'main', image: 'a' }] });
    Template.of(work).set('spec.template.spec.containers[0].resources', CDK8S_PLUS_DEFAULT_RESOURCES);
    expect(Testing.synth(chart).files.get('templates/work-deployment.yaml')).toContain('cpu: 1500m');
  });
});

describe('generated workloads: pull policies and resources follow one rule', () => {
  const POLICIES = [undefined, kplus.ImagePullPolicy.ALWAYS, kplus.ImagePullPolicy.IF_NOT_PRESENT, kplus.ImagePullPolicy.NEVER];

  withHelm.each(testSeeds(7, 8, 9))('seed %i', (seed) => {
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    for (let round = 0; round < 8; round++) {
      const kind = pick(KINDS);
      const governed = random() < 0.6;
      const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
      const specs = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => ({
        name: `c${i}`,
        init: i > 0 && random() < 0.3,
        policy: pick(POLICIES),
        sized: random() < 0.3,
      }));
      const props = (s: (typeof specs)[number]): kplus.ContainerProps => ({
        name: s.name,
        image: `example.com/${s.name}:1`,
        ...(s.policy && { imagePullPolicy: s.policy }),
        ...(s.sized && { resources: { memory: { limit: Size.mebibytes(64) } } }),
      });
      const workload = kind.make(chart);
      const main = workload.containers.map((c) => c.name);
      for (const s of specs) {
        if (s.init) workload.addInitContainer(props(s));
        else workload.addContainer(props(s));
      }
      if (governed) StandardValues.for(chart).applyTo(workload);
      const resources = { limits: { memory: '99Mi' } };
      const rendered = Testing.render(chart, { values: governed ? { image: { pullPolicy: 'Never' }, resources } : {} });
      const byName = containersOf(kind.podSpec(rendered.find(kind.kind)));
      const context = { seed, round, kind: kind.kind, governed };
      for (const s of specs) {
        const container = byName[s.name];
        const policy = governed && (s.policy === undefined || s.policy === kplus.ImagePullPolicy.ALWAYS) ? 'Never' : (s.policy ?? 'Always');
        expect({ ...context, name: s.name, policy: container.imagePullPolicy }).toEqual({ ...context, name: s.name, policy });
        expect({ ...context, name: s.name, resources: container.resources ?? {} }).toEqual({
          ...context,
          name: s.name,
          resources: s.sized ? { limits: { memory: '64Mi' } } : {},
        });
      }
      expect(byName[main[0]].resources ?? {}).toEqual(governed ? resources : {});
      for (const name of main)
        expect({ ...context, name, policy: byName[name].imagePullPolicy }).toEqual({
          ...context,
          name,
          policy: governed ? 'Never' : 'Always',
        });
      expect(byName[main[1]].resources).toEqual({});
    }
  });
});
