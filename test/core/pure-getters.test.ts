import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { buildApp } from '../../charts/app';
import { HelmApp, HelmChart, Release } from '../../src';
import { Token, TokenUse } from '../../src/tokens/token';
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

describe('handing out tokens is not a side effect a reader sees', () => {
  const RELEASE_TOKENS = Symbol.for('helm-synth.release-tokens.v2');

  /**
   * A chart whose objects use release fields and values as strings and numbers (tokens are refused as map keys). `readFirst`
   * lists the tokens to read before the chart uses any, in that order (the release tokens made anew,
   * as in a fresh process).
   */
  const build = (readFirst: ReadonlyArray<'name' | 'namespace' | 'tag' | 'replicas' | 'port'>): Record<string, string> => {
    delete (globalThis as Record<symbol, unknown>)[RELEASE_TOKENS];
    const chart = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    const tag = chart.values.string('image.tag', { default: '1.0', description: 'Tag.' });
    const replicas = chart.values.integer('replicaCount', { default: 2, description: 'Replicas.' });
    const port = chart.values.integer('service.port', { default: 80, description: 'Port.' });
    const read = {
      name: () => Release.name,
      namespace: () => Release.namespace,
      tag: () => tag.asString(),
      replicas: () => replicas.asNumber(),
      port: () => port.asNumber(),
    };
    for (const what of readFirst) void read[what]();
    new ApiObject(chart, 'Config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: {
        owner: `${Release.namespace}/${tag.asString()}`,
        conf: `${tag.asString()}.conf`,
        url: `http://${Release.name}:${port.asNumber()}`,
      },
    });
    new ApiObject(chart, 'Scaled', {
      apiVersion: 'example.com/v1',
      kind: 'Scaled',
      spec: { replicas: replicas.asNumber(), port: port.asNumber() },
    });
    return Object.fromEntries(Testing.synth(chart).files);
  };

  test('the chart is the same whether and in which order tokens were first read', () => {
    const reference = build([]);
    expect(Object.values(reference).join('\n')).toMatch(/\.Release\.Name[\s\S]*\.Values\.service\.port/);
    for (const order of [
      ['name', 'namespace', 'tag', 'replicas', 'port'],
      ['port', 'replicas', 'tag', 'namespace', 'name'],
      ['namespace', 'port', 'name'],
      ['replicas', 'replicas', 'tag'],
    ] as const)
      expect({ order, files: build(order) }).toEqual({ order, files: reference });
  });

  test("a token's marker and number come from when it was made, not from when it was first read", () => {
    const make = (description: string) => new Token({ use: TokenUse.INTEGER, description, operand: `.Values.${description}` });
    const [first, second] = [make('first'), make('second')];
    const [secondNumber, firstNumber] = [second.number, first.number];
    expect(firstNumber).toBeLessThan(secondNumber);
    const [secondMarker, firstMarker] = [second.marker, first.marker];
    const id = (marker: string) => Number(/(\d+)z$/.exec(marker)![1]);
    expect(id(firstMarker)).toBe(id(secondMarker) - 1);
    expect([first.marker, first.number, second.marker]).toEqual([firstMarker, firstNumber, secondMarker]);
  });
});
