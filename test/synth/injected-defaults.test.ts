import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import fc from 'fast-check';
import { HelmChart, Template } from '../../src';
import { withRestrictedDefaults } from '../../src/synth/pod-security-defaults';
import { Testing } from '../../src/testing';

type Json = Record<string, any>;

/** What the README's "What helm-synth adds to every object" table says synthesis writes where nothing is set. */
const DOCUMENTED_POD = { seccompProfile: { type: 'RuntimeDefault' }, runAsNonRoot: true };
const DOCUMENTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

const explicitPod = fc.record(
  { seccompProfile: fc.constant({ type: 'Unconfined' }), runAsNonRoot: fc.boolean(), runAsUser: fc.integer({ min: 1, max: 65535 }) },
  { requiredKeys: [] },
);
const explicitContainer = fc.record(
  {
    seccompProfile: fc.constant({ type: 'Localhost', localhostProfile: 'p.json' }),
    runAsNonRoot: fc.boolean(),
    allowPrivilegeEscalation: fc.boolean(),
    capabilities: fc.constant({ add: ['NET_BIND_SERVICE'] }),
  },
  { requiredKeys: [] },
);
const containers = fc.array(fc.option(explicitContainer, { nil: undefined }), { minLength: 1, maxLength: 3 });

describe('what synthesis adds to every pod (README: What helm-synth adds to every object)', () => {
  test('only absent fields are filled, with exactly the documented values; explicit ones stay', () => {
    fc.assert(
      fc.property(fc.option(explicitPod, { nil: undefined }), containers, containers, (pod, main, init) => {
        const spec: Json = {
          ...(pod && { securityContext: structuredClone(pod) }),
          containers: main.map((c, i) => ({ name: `c${i}`, ...(c && { securityContext: structuredClone(c) }) })),
          initContainers: init.map((c, i) => ({ name: `i${i}`, ...(c && { securityContext: structuredClone(c) }) })),
        };
        const json = withRestrictedDefaults({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: structuredClone(spec) });
        const all = [...main, ...init];
        const podOut = json.spec.securityContext;
        for (const [field, value] of Object.entries(DOCUMENTED_POD)) {
          const given = (pod as Json | undefined)?.[field];
          const everyContainerDecides = all.every((c) => (c as Json | undefined)?.[field] !== undefined);
          expect(podOut[field]).toEqual(given !== undefined ? given : everyContainerDecides ? undefined : value);
        }
        expect(Object.keys(podOut).filter((k) => !(k in DOCUMENTED_POD) && !(k in (pod ?? {})))).toEqual([]);
        const outContainers = [...json.spec.containers, ...json.spec.initContainers];
        outContainers.forEach((container: Json, i: number) => {
          const given = (all[i] ?? {}) as Json;
          for (const [field, value] of Object.entries(DOCUMENTED_CONTAINER)) {
            expect(container.securityContext[field]).toEqual(given[field] !== undefined ? given[field] : value);
          }
          expect(Object.keys(container.securityContext).filter((k) => !(k in DOCUMENTED_CONTAINER) && !(k in given))).toEqual([]);
        });
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  test('the README lists each field, and Template.of(x).remove() takes an injected one out, as it says', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## What helm-synth adds to every object'));
    for (const field of [...Object.keys(DOCUMENTED_POD), ...Object.keys(DOCUMENTED_CONTAINER)]) expect(section).toContain(`\`${field}`);

    const chart = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    const pod = new ApiObject(chart, 'Runner', {
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
    });
    const before = Testing.file(Testing.synth(chart), 'templates/runner-pod.yaml');
    expect(before).toContain('type: RuntimeDefault');
    expect(before).toContain('runAsNonRoot: true');
    Template.of(pod).remove('spec.securityContext.seccompProfile').remove('spec.containers[0].securityContext.capabilities');
    const after = Testing.file(Testing.synth(chart), 'templates/runner-pod.yaml');
    expect(after).not.toContain('seccompProfile');
    expect(after).not.toContain('capabilities');
    expect(after).toContain('runAsNonRoot: true');
    expect(after).toContain('allowPrivilegeEscalation: false');
  });
});
