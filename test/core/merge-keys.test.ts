import * as kplus from 'cdk8s-plus-27';
import { EnvironmentValues, HelmChart, Template } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { seededRandom, testSeeds } from '../support/seeded-random';
import { validateManifests } from '../support/kube-schema';

const withHelm = Testing.ifHelm(test);

function newChart(): HelmChart {
  return new HelmChart(Testing.app(), 'demo', { version: '1.0.0', appVersion: '1.0.0' });
}

function web(chart: HelmChart, id = 'Web'): kplus.Deployment {
  const deployment = new kplus.Deployment(chart, id, {
    containers: [
      {
        image: 'nginx',
        portNumber: 8080,
        envVariables: { MODE: kplus.EnvValue.fromValue('prod'), LEVEL: kplus.EnvValue.fromValue('info') },
      },
    ],
  });
  return deployment;
}

/** Every list-map list of a rendered object, with the keys of its entries. */
function listKeys(object: Record<string, any>): Array<{ path: string; keys: string[] }> {
  const found: Array<{ path: string; keys: string[] }> = [];
  const spec = object.spec?.template?.spec ?? object.spec;
  const add = (path: string, items: any[] | undefined, key: (item: any) => string) => {
    if (items) found.push({ path, keys: items.map(key) });
  };
  for (const group of ['containers', 'initContainers'] as const) {
    const containers: any[] = spec?.[group] ?? [];
    add(group, containers, (c) => c.name);
    containers.forEach((c, i) => {
      add(`${group}[${i}].env`, c.env, (e) => e.name);
      add(`${group}[${i}].ports`, c.ports, (p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`);
      add(`${group}[${i}].volumeMounts`, c.volumeMounts, (m) => m.mountPath);
    });
  }
  add('volumes', spec?.volumes, (v) => v.name);
  add('imagePullSecrets', spec?.imagePullSecrets, (s) => s.name);
  if (object.kind === 'Service') add('ports', object.spec?.ports, (p) => `${p.port}/${p.protocol ?? 'TCP'}`);
  return found;
}

function duplicates(keys: readonly string[]): string[] {
  return keys.filter((k, i) => keys.indexOf(k) !== i);
}

describe('duplicate list-map keys in what the construct writes are refused at synthesis', () => {
  test('an env var set twice by name', () => {
    const chart = newChart();
    Template.of(web(chart)).set('spec.template.spec.containers[0].env[2]', { name: 'MODE', value: 'debug' });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Web',
      'spec.template.spec.containers[0].env: entries [0] and [2] both have name "MODE"',
      'server-side apply (Helm 4) refuses two entries with one key',
    );
  });

  test('a container port with the default protocol and the same port with TCP written out', () => {
    const chart = newChart();
    Template.of(web(chart)).set('spec.template.spec.containers[0].ports[1]', { containerPort: 8080, protocol: 'TCP' });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Web',
      'spec.template.spec.containers[0].ports: entries [0] and [1] both have containerPort "8080" and protocol "TCP"',
    );
  });

  test('the same port with another protocol is no duplicate', () => {
    const chart = newChart();
    Template.of(web(chart)).set('spec.template.spec.containers[0].ports[1]', { containerPort: 8080, protocol: 'UDP' });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('two containers of one name, two volumes, two mounts of one path, two Service ports', () => {
    const cases: Array<[(chart: HelmChart) => void, string, string]> = [
      [
        (chart) => Template.of(web(chart)).set('spec.template.spec.containers[1]', { name: 'main', image: 'busybox' }),
        'demo/Web',
        'spec.template.spec.containers: entries [0] and [1] both have name "main"',
      ],
      [
        (chart) =>
          Template.of(web(chart))
            .set('spec.template.spec.volumes[0]', { name: 'data', emptyDir: {} })
            .set('spec.template.spec.volumes[1]', { name: 'data', emptyDir: {} }),
        'demo/Web',
        'spec.template.spec.volumes: entries [0] and [1] both have name "data"',
      ],
      [
        (chart) =>
          Template.of(web(chart))
            .set('spec.template.spec.containers[0].volumeMounts[0]', { name: 'a', mountPath: '/data' })
            .set('spec.template.spec.containers[0].volumeMounts[1]', { name: 'b', mountPath: '/data' }),
        'demo/Web',
        'volumeMounts: entries [0] and [1] both have mountPath "/data"',
      ],
      [
        (chart) => {
          const service = new kplus.Service(chart, 'Svc', { ports: [{ port: 80, targetPort: 8080 }] });
          Template.of(service).set('spec.ports[1]', { port: 80, targetPort: 9090, name: 'other' });
        },
        'demo/Svc',
        'spec.ports: entries [0] and [1] both have port "80" and protocol "TCP"',
      ],
    ];
    for (const [build, path, message] of cases) {
      const chart = newChart();
      build(chart);
      expectHelmSynthError(() => Testing.synth(chart), path, message);
    }
  });

  test('entries under different conditions may share a key (an if/else); the same condition may not', () => {
    const chart = newChart();
    const debug = chart.values.boolean('debug', { default: false, description: 'Debug.' });
    const container = { image: 'nginx', portNumber: 8080, envVariables: { LOG: kplus.EnvValue.fromValue('info') } };
    const deployment = new kplus.Deployment(chart, 'Web', { containers: [container] });
    Template.of(deployment)
      .setIf('spec.template.spec.containers[0].env[1]', debug, { name: 'MODE', value: 'debug' })
      .setIf('spec.template.spec.containers[0].env[1]', debug.not(), { name: 'MODE', value: 'prod' });
    expect(() => Testing.synth(chart)).not.toThrow();
    const same = newChart();
    const on = same.values.boolean('debug', { default: false, description: 'Debug.' });
    const other = new kplus.Deployment(same, 'Web', { containers: [container] });
    Template.of(other)
      .setIf('spec.template.spec.containers[0].env[1]', on, { name: 'MODE', value: 'debug' })
      .setIf('spec.template.spec.containers[0].env[2]', on, { name: 'MODE', value: 'prod' });
    expectHelmSynthError(() => Testing.synth(same), 'demo/Web', 'both have name "MODE"');
  });
});

test('generated literal lists: synthesis fails exactly when two entries share a key', () => {
  const names = ['A', 'B', 'C', 'D', 'E'];
  let refused = 0;
  for (const seed of testSeeds(21, 22)) {
    const next = seededRandom(seed);
    for (let n = 0; n < 60; n++) {
      const env = Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({
        name: names[Math.floor(next() * names.length)],
        value: 'v',
      }));
      const ports = Array.from({ length: Math.floor(next() * 3) }, () => ({
        containerPort: 80 + Math.floor(next() * 2),
        ...(next() < 0.5 && { protocol: next() < 0.5 ? 'TCP' : 'UDP' }),
      }));
      const chart = newChart();
      const pod = new kplus.Pod(chart, 'Pod', { containers: [{ image: 'nginx' }] });
      Template.of(pod).set('spec.containers[0].env', env).set('spec.containers[0].ports', ports);
      const envDuplicate = duplicates(env.map((e) => e.name)).length > 0;
      const portDuplicate = duplicates(ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`)).length > 0;
      const context = `seed ${seed}, case ${n}: ${JSON.stringify({ env, ports })}`;
      let failure = '';
      try {
        Testing.synth(chart);
      } catch (error) {
        failure = (error as Error).message;
      }
      if (envDuplicate || portDuplicate) {
        expect([context, failure]).toEqual([context, expect.stringContaining(envDuplicate ? 'env: entries [' : 'ports: entries [')]);
        refused++;
      } else expect([context, failure]).toEqual([context, '']);
    }
  }
  expect(refused).toBeGreaterThan(10);
});

describe('a values list appended to a list-map list refuses, at render, a key the list already has', () => {
  function appendChart() {
    const chart = newChart();
    const extraEnv = chart.values.list('extraEnv', { default: [], description: 'Extra env vars.' });
    const extraPorts = chart.values.list('extraPorts', { default: [], description: 'Extra container ports.' });
    const extraVolumes = chart.values.list('extraVolumes', { default: [], description: 'Extra volumes.' });
    const extraMounts = chart.values.list('extraMounts', { default: [], description: 'Extra volume mounts.' });
    const sidecars = chart.values.list('sidecars', { default: [], description: 'Extra containers.' });
    const port = chart.values.integer('port', { default: 9090, minimum: 1, maximum: 65535, description: 'Metrics port.' });
    const deployment = web(chart);
    Template.of(deployment)
      .set('spec.template.spec.containers[0].ports[1]', { containerPort: port.asNumber(), name: 'metrics' })
      .append('spec.template.spec.containers[0].env', extraEnv.asList())
      .append('spec.template.spec.containers[0].ports', extraPorts.asList())
      .set('spec.template.spec.volumes', extraVolumes.asList())
      .append('spec.template.spec.containers[0].volumeMounts', extraMounts.asList())
      .append('spec.template.spec.containers', sidecars.asList());
    return chart;
  }

  withHelm('no collision renders every entry once; valid for Kubernetes 1.27', () => {
    const rendered = Testing.render(appendChart(), {
      values: {
        extraEnv: [{ name: 'EXTRA', value: '1' }],
        extraPorts: [{ containerPort: 8080, protocol: 'UDP' }],
        extraVolumes: [{ name: 'data', emptyDir: {} }],
        extraMounts: [{ name: 'data', mountPath: '/data' }],
        sidecars: [{ name: 'sidecar', image: 'busybox' }],
      },
    });
    const deployment = rendered.find('Deployment');
    expect(deployment.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual(['MODE', 'LEVEL', 'EXTRA']);
    for (const list of listKeys(deployment)) expect([list.path, duplicates(list.keys)]).toEqual([list.path, []]);
    expect(validateManifests(rendered.manifests)).toEqual([]);
  });

  const collisions: Array<[string, EnvironmentValues, string]> = [
    [
      'an env var of the construct',
      { extraEnv: [{ name: 'MODE', value: 'debug' }] },
      'value extraEnv: an entry with name MODE is already in',
    ],
    ['two env vars of the values', { extraEnv: [{ name: 'X' }, { name: 'X' }] }, 'an entry with name X is already in'],
    ['a port, protocol left out', { extraPorts: [{ containerPort: 8080 }] }, 'containerPort/protocol 8080/TCP'],
    ['a port from a value', { extraPorts: [{ containerPort: 9090, protocol: 'TCP' }] }, 'containerPort/protocol 9090/TCP'],
    ['a port from a value set at install', { port: 7000, extraPorts: [{ containerPort: 7000 }] }, 'containerPort/protocol 7000/TCP'],
    [
      'two volumes of one name',
      {
        extraVolumes: [
          { name: 'v', emptyDir: {} },
          { name: 'v', emptyDir: {} },
        ],
      },
      'value extraVolumes',
    ],
    [
      'two mounts of one path',
      {
        extraMounts: [
          { name: 'a', mountPath: '/m' },
          { name: 'b', mountPath: '/m' },
        ],
      },
      'mountPath /m',
    ],
    ['a container of the construct', { sidecars: [{ name: 'main', image: 'busybox' }] }, 'an entry with name main is already in'],
  ];
  withHelm.each(collisions)('%s fails the render with the key named', (_name, values, message) => {
    const chart = appendChart();
    let failure = '';
    try {
      Testing.render(chart, { values });
    } catch (error) {
      failure = (error as Error).message;
    }
    expect(failure).toContain(message);
    expect(failure).toContain('server-side apply refuses two entries with one key');
  });

  function dynamicChart() {
    const chart = newChart();
    const extraName = chart.values.string('extraName', { default: 'EXTRA', description: 'Name of an env var.' });
    const debug = chart.values.boolean('debug', { default: false, description: 'Debug mode.' });
    const verbose = chart.values.boolean('verbose', { default: false, description: 'Verbose mode.' });
    const sidecar = chart.values.object('sidecar', { default: { name: 'sidecar', image: 'busybox' }, description: 'A sidecar.' });
    Template.of(web(chart))
      .set('spec.template.spec.containers[0].env[2]', { name: extraName.asString(), value: 'x' })
      .setIf('spec.template.spec.containers[0].env[3]', debug, { name: 'LOG', value: 'debug' })
      .setIf('spec.template.spec.containers[0].env[4]', verbose, { name: 'LOG', value: 'verbose' })
      .set('spec.template.spec.containers[1]', sidecar.asObject());
    return chart;
  }
  const dynamic: Array<[string, EnvironmentValues, string | undefined]> = [
    ['defaults', {}, undefined],
    ['one of two conditional entries', { debug: true }, undefined],
    ['a key from a value that no other entry has', { extraName: 'OTHER' }, undefined],
    [
      'a key from a value that a literal entry has',
      { extraName: 'MODE' },
      'spec.template.spec.containers[0].env[2]: an entry with name MODE is already in',
    ],
    [
      'two conditional entries with one key, both on',
      { debug: true, verbose: true },
      'containers[0].env[4]: an entry with name LOG is already in',
    ],
    [
      'a container from a values map named like the construct',
      { sidecar: { name: 'main', image: 'busybox' } },
      'value sidecar (spec.template.spec.containers[1]): an entry with name main',
    ],
  ];
  withHelm.each(dynamic)('entries with keys known at render: %s', (_name, values, message) => {
    let failure = '';
    let rendered;
    try {
      rendered = Testing.render(dynamicChart(), { values });
    } catch (error) {
      failure = (error as Error).message;
    }
    if (message === undefined) {
      expect(failure).toBe('');
      for (const list of listKeys(rendered!.find('Deployment'))) expect([list.path, duplicates(list.keys)]).toEqual([list.path, []]);
    } else expect(failure).toContain(message);
  });

  withHelm('generated values: a render either fails naming a duplicate key or has no list with one', () => {
    const names = ['MODE', 'LEVEL', 'A', 'B'];
    const seeds = testSeeds(11, 12);
    let failed = 0;
    let passed = 0;
    for (const seed of seeds) {
      const next = seededRandom(seed);
      for (let n = 0; n < 8; n++) {
        const extraEnv = Array.from({ length: Math.floor(next() * 4) }, () => ({
          name: names[Math.floor(next() * names.length)],
          value: 'v',
        }));
        const extraPorts = Array.from({ length: Math.floor(next() * 3) }, () => ({
          containerPort: [8080, 9090, 7000][Math.floor(next() * 3)],
          ...(next() < 0.5 && { protocol: next() < 0.5 ? 'TCP' : 'UDP' }),
        }));
        const envKeys = ['MODE', 'LEVEL', ...extraEnv.map((e) => e.name)];
        const portKeys = ['8080/TCP', '9090/TCP', ...extraPorts.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`)];
        const expectFailure = duplicates(envKeys).length > 0 || duplicates(portKeys).length > 0;
        const context = `seed ${seed}, case ${n}: ${JSON.stringify({ extraEnv, extraPorts })}`;
        let failure = '';
        let rendered;
        try {
          rendered = Testing.render(appendChart(), { values: { extraEnv, extraPorts } });
        } catch (error) {
          failure = (error as Error).message;
        }
        if (expectFailure) {
          expect([context, failure]).toEqual([context, expect.stringContaining('is already in spec.template.spec.containers[0]')]);
          failed++;
        } else {
          expect([context, failure]).toEqual([context, '']);
          for (const list of listKeys(rendered!.find('Deployment')))
            expect([context, list.path, duplicates(list.keys)]).toEqual([context, list.path, []]);
          passed++;
        }
      }
    }
    expect(failed).toBeGreaterThan(0);
    expect(passed).toBeGreaterThan(0);
  });
});
