import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { HelmChart, Hook, HookEvent, Template } from '../../src';
import { templateSettings } from '../../src/chart/template';
import { Testing } from '../../src/testing';
import { seededRandom } from '../support/seeded-random';

const INSTALL = [HookEvent.PRE_INSTALL];
const newChart = () => new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
const configMap = (scope: Construct, id: string) => new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });

/** A second copy of a module of the library, as a construct library built against its own copy would load it. */
function secondCopy<T>(path: string): T {
  let copy: T | undefined;
  jest.isolateModules(() => {
    copy = require(path) as T;
  });
  return copy!;
}

describe('hook state: one record per construct, shared by every copy of the library', () => {
  test('a solved order follows every later change of hook state (after, dependsOn, a new hook, a new weight)', () => {
    const chart = newChart();
    const first = Hook.apply(configMap(chart, 'First'), { events: INSTALL, weight: 3 });
    const second = Hook.apply(configMap(chart, 'Second'), { events: INSTALL, after: [first.construct] });
    expect(second.weight).toBe(4);
    const third = Hook.apply(configMap(chart, 'Third'), { events: INSTALL, weight: 10 });
    second.after(third.construct);
    expect(second.weight).toBe(11);
    const input = configMap(chart, 'Input');
    second.dependsOn(input);
    expect(Hook.find(input)!.weight).toBe(10);
    Hook.apply(third.construct, { events: INSTALL, weight: 20 });
    expect(second.weight).toBe(21);
    expect(Hook.find(input)!.weight).toBe(20);
    expect(Hook.orderProblems(chart)).toEqual([]);
  });

  test('generated chains read after each step agree with the chain solved at once', () => {
    const random = seededRandom(17);
    for (let run = 0; run < 30; run++) {
      const length = 2 + Math.floor(random() * 6);
      const weights = Array.from({ length }, () => (random() < 0.5 ? undefined : Math.floor(random() * 5)));
      const build = (readEachStep: boolean): number[] => {
        const chart = newChart();
        const hooks: Hook[] = [];
        for (const [i, weight] of weights.entries()) {
          const hook = Hook.apply(configMap(chart, `H${i}`), {
            events: INSTALL,
            ...(weight === undefined ? {} : { weight: 100 * i + weight }),
          });
          if (i > 0) hook.after(hooks[i - 1].construct);
          hooks.push(hook);
          if (readEachStep) hooks.forEach((h) => h.weight);
        }
        return hooks.map((h) => h.weight);
      };
      expect(build(true)).toEqual(build(false));
    }
  });

  test('hooks applied by another copy of the library are seen, ordered and annotated by this one', () => {
    const other = secondCopy<typeof import('../../src/hooks/hook')>('../../src/hooks/hook');
    expect(other.Hook).not.toBe(Hook);
    const chart = newChart();
    const job = new kplus.Job(chart, 'Library', { containers: [{ image: 'boot:1' }] });
    const theirs = other.Hook.apply(job, { events: INSTALL, weight: 7 });
    expect(Hook.find(job)).toBe(theirs);
    expect(Hook.forObject(ApiObject.of(job))).toBe(theirs);
    const ours = Hook.apply(configMap(chart, 'Ours'), { events: INSTALL, after: [job] });
    expect(ours.weight).toBe(8);
    expect(other.Hook.find(ours.construct)!.weight).toBe(8);
    const files = Testing.synth(chart);
    expect(files.objects.find((o) => o.kind === 'Job')?.hook?.annotations['helm.sh/hook-weight']).toBe('7');
  });
});

describe('template settings: recording order per object, over every construct and copy standing for it', () => {
  test('overrides set through a resource, its ApiObject and another copy apply in the order they were recorded', () => {
    const other = secondCopy<typeof import('../../src/chart/template')>('../../src/chart/template');
    expect(other.Template).not.toBe(Template);
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'web:1', portNumber: 80 }] });
    const random = seededRandom(5);
    const expected: string[] = [];
    for (let i = 0; i < 40; i++) {
      const target = random() < 0.5 ? deployment : ApiObject.of(deployment);
      const template = random() < 0.5 ? Template.of(target) : other.Template.of(target);
      const path = `metadata.annotations["example.com/step-${i % 7}"]`;
      template.set(path, String(i));
      expected.push(`${path}=${i}`);
    }
    const settings = templateSettings(ApiObject.of(deployment));
    expect(settings.overrides.map((o) => `${o.text}=${String(o.value)}`)).toEqual(expected);
    const annotations = Testing.file(chart, 'templates/web-deployment.yaml');
    for (let step = 0; step < 7; step++) {
      const last = Math.max(...expected.map((e, i) => (e.includes(`step-${step}"`) ? i : -1)));
      expect(annotations).toContain(`example.com/step-${step}: "${last}"`);
    }
  });
});
