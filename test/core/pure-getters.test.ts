import { IConstruct } from 'constructs';
import { buildApp } from '../../charts/app';
import { HelmApp, HelmChart } from '../../src';
import { Testing } from '../../src/testing';

/** Every chart of an app, synthesized in memory: chart name → file → text. */
function synthesized(app: HelmApp): Record<string, Record<string, string>> {
  return Object.fromEntries(app.helmCharts.map((chart) => [chart.chartName, Object.fromEntries(Testing.synth(chart).files)]));
}

/** Names of the accessors with a getter on the prototype chain of `x` (up to, not including, Object.prototype). */
function getterNames(x: object): string[] {
  const names = new Set<string>();
  for (let proto = Object.getPrototypeOf(x); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) if (descriptor.get) names.add(name);
  }
  return [...names];
}

/** Reads every getter of `x` and of the objects its own fields hold (one level), `rounds` times; a getter that throws is skipped. */
function readEveryGetter(x: object, rounds: number): number {
  let reads = 0;
  const targets = [x, ...Object.values(x).filter((v): v is object => typeof v === 'object' && v !== null && !Array.isArray(v))];
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      for (const name of getterNames(target)) {
        try {
          void (target as Record<string, unknown>)[name];
          reads++;
        } catch {
          // A getter may refuse (e.g. externalConnection of a chart without fixed install names); refusing changes nothing either.
        }
      }
    }
  }
  return reads;
}

describe('getters have no side effects', () => {
  test('reading every getter of every construct of the example apps, once or twice, leaves every chart file as it was', () => {
    const untouched = synthesized(buildApp(Testing.app()));
    for (const rounds of [1, 2]) {
      const app = buildApp(Testing.app());
      const reads = app.node.findAll().reduce((total, construct: IConstruct) => total + readEveryGetter(construct, rounds), 0);
      expect(reads).toBeGreaterThan(100);
      expect(synthesized(app)).toEqual(untouched);
    }
  });

  test('reading the getters of a chart before adding to it changes nothing the later additions make', () => {
    const build = (readFirst: boolean): Record<string, string> => {
      const chart = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
      if (readFirst) readEveryGetter(chart, 1);
      chart.values.string('image.tag', { default: '1.0', description: 'Tag.' });
      chart.addReadmeSection('## Notes');
      if (readFirst) readEveryGetter(chart, 1);
      return Object.fromEntries(Testing.synth(chart).files);
    };
    expect(build(true)).toEqual(build(false));
  });
});
