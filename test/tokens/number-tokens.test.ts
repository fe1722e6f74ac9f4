import * as kplus from 'cdk8s-plus-27';
import { ApiObject } from 'cdk8s';
import { HelmChart, Hook, HookEvent } from '../../src';
import { Testing } from '../../src/testing';
import { classifyNumber, hasToken, NumberKind, readableText, splitTokens, wholeToken } from '../../src/tokens/token';
import { expectHelmSynthError } from '../support/errors';
import { seededRandom } from '../support/seeded-random';

const withHelm = Testing.ifHelm(test);
const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });

function doubleOf(high: number, low: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, high >>> 0);
  view.setUint32(4, low >>> 0);
  return view.getFloat64(0);
}

function highWord(value: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getUint32(0);
}

describe('encoding', () => {
  test('a number token is a positive whole number in the reserved range, recognised by value and printed', () => {
    const c = newChart();
    const replicas = c.values.integer('replicas', { default: 2, description: 'R.' });
    const n = replicas.asNumber();
    expect(typeof n).toBe('number');
    expect(n).toBeGreaterThan(1.8e289);
    expect(n).toBeLessThan(2e289);
    expect(Number.isInteger(n)).toBe(true);
    expect(n > 0 && !(n < 0)).toBe(true);
    expect(highWord(n) >>> 16).toBe(0x7bff);
    expect(replicas.asNumber()).toBe(n);
    expect(wholeToken(n)?.description).toBe('value replicas');
    expect(hasToken(n)).toBe(true);
    expect(String(n)).toMatch(/^1\.(8[89]|9[0-4])\d{0,15}e\+289$/);
    expect(wholeToken(String(n))).toBe(wholeToken(n));
    expect(wholeToken(JSON.parse(JSON.stringify({ n })).n)).toBe(wholeToken(n));
    expect(splitTokens(`x${n}y${n}`)?.map((p) => (typeof p === 'string' ? p : p.description))).toEqual([
      'x',
      'value replicas',
      'y',
      'value replicas',
    ]);
    expect(readableText(`replicas (${n})`)).toBe('replicas (.Values.replicas)');
    for (const [text, parts] of [
      [`${n}0`, ['value replicas', '0']],
      [`5${n}`, ['5', 'value replicas']],
      [`1.5${n}9.5`, ['1.5', 'value replicas', '9.5']],
    ] as const) {
      expect(splitTokens(text)?.map((p) => (typeof p === 'string' ? p : p.description))).toEqual(parts);
    }
  });

  test('another copy of the library reads the same tokens (one table on globalThis)', () => {
    const copy = require('../../lib/src/tokens/token') as typeof import('../../src/tokens/token');
    const c = newChart();
    const value = c.values.integer('n', { default: 1, description: 'N.' });
    const n = value.asNumber();
    expect(copy.classifyNumber(n).kind).toBe(NumberKind.TOKEN);
    expect(copy.wholeToken(n)).toBe(wholeToken(n));
    expect(copy.wholeToken(`${value}`)).toBe(wholeToken(`${value}`));
  });

  test('two number tokens compare in the order they were first handed out, whatever their defaults', () => {
    const c = newChart();
    const big = c.values.integer('big', { default: 100, description: 'B.' });
    const small = c.values.integer('small', { default: 1, description: 'S.' });
    const first = big.asNumber();
    const second = small.asNumber();
    expect(first < second).toBe(true);
    expect(big.asNumber() < small.asNumber()).toBe(true);
  });

  test.each([1, Number(process.env.TOKEN_SEED ?? Date.now() % 2 ** 31)])(
    'generated ordinary numbers are never read as tokens; huge ones are reserved, not tokens (seed %p)',
    (seed) => {
      const next = seededRandom(seed);
      const c = newChart();
      const token = c.values.number('ratio', { default: 0.5, description: 'R.' }).asNumber();
      const nonce = highWord(token) & 0xffff;
      for (let i = 0; i < 20000; i++) {
        const kind = i % 4;
        const value =
          kind === 0
            ? Math.floor((next() - 0.5) * 2 ** 64)
            : kind === 1
              ? (next() - 0.5) * 10 ** Math.floor(next() * 40)
              : kind === 2
                ? doubleOf(next() * 2 ** 32, next() * 2 ** 32)
                : doubleOf((0x7bff << 16) | ((nonce + 1 + Math.floor(next() * 0xfffe)) & 0xffff), next() * 2 ** 32);
        const { kind: read } = classifyNumber(value);
        const expected = Math.abs(value) >= 1e200 ? NumberKind.RESERVED : NumberKind.PLAIN;
        const printedLikeAToken = kind !== 3 || /^1\.(8[89]|9[0-4])\d{0,15}e\+289$/.test(String(value));
        if (read !== expected || hasToken(value) || (Number.isFinite(value) && hasToken(String(value))) || !printedLikeAToken) {
          throw new Error(`seed ${seed}: ${value} read as ${read}`);
        }
      }
    },
  );
});

describe('at synthesis', () => {
  test('a number token renders by its use in number fields and inside text', () => {
    const c = newChart();
    const port = c.values.integer('port', { default: 8080, description: 'P.' });
    const ratio = c.values.number('ratio', { default: 0.25, description: 'R.' });
    new ApiObject(c, 'Thing', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { url: `http://host:${port.asNumber()}/x`, ratio: `${ratio.asNumber()}`, both: `${port.asNumber()}-${ratio.asNumber()}` },
    });
    new ApiObject(c, 'Svc', {
      apiVersion: 'v1',
      kind: 'Service',
      spec: { ports: [{ port: port.asNumber(), targetPort: port.asNumber() }] },
    });
    const files = Testing.synth(c).files;
    const cm = files.get('templates/thing-config-map.yaml')!;
    expect(cm).toContain('url: {{ printf "http://host:%v/x" (.Values.port | int64) | quote }}');
    expect(cm).toContain('ratio: {{ .Values.ratio | toJson | quote }}');
    expect(cm).toContain('both: {{ printf "%v-%v" (.Values.port | int64) (.Values.ratio | toJson) | quote }}');
    expect(files.get('templates/svc-service.yaml')).toContain(
      '- port: {{ .Values.port | int64 }}\n      targetPort: {{ .Values.port | int64 }}',
    );
    expect([...files.values()].join('')).not.toMatch(/e\+289|helmsynth/);
  });

  withHelm('rendered with other values, the numbers are the values given', () => {
    const c = newChart();
    const port = c.values.integer('port', { default: 8080, description: 'P.' });
    new ApiObject(c, 'Thing', { apiVersion: 'v1', kind: 'ConfigMap', data: { url: `http://host:${port.asNumber()}/x` } });
    new ApiObject(c, 'Svc', { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: port.asNumber() }] } });
    const rendered = Testing.render(c, { set: { port: '1234567' } });
    expect(rendered.find('ConfigMap').data.url).toBe('http://host:1234567/x');
    expect(rendered.find('Service').spec.ports[0].port).toBe(1234567);
  });

  test.each([
    ['a product', (n: number) => n * 2],
    ['a quotient', (n: number) => n / 60],
    ['a large sum', (n: number) => n + n],
  ])('arithmetic on a number token (%s) is refused, in a number field and in text', (_what, compute) => {
    for (const inText of [false, true]) {
      const c = newChart();
      const n = c.values.integer('n', { default: 60, description: 'N.' }).asNumber();
      const computed = compute(n);
      new ApiObject(c, 'Thing', { apiVersion: 'v1', kind: 'Thing', spec: { x: inText ? `${computed}s` : computed } });
      expectHelmSynthError(() => Testing.synth(c), 'demo/Thing', 'spec.x: ', 'is no number Kubernetes takes', 'Duration.seconds');
    }
  });

  test('a negated number token is refused in a number field', () => {
    const c = newChart();
    const n = c.values.integer('n', { default: 60, description: 'N.' }).asNumber();
    new ApiObject(c, 'Thing', { apiVersion: 'v1', kind: 'Thing', spec: { x: -n } });
    expectHelmSynthError(() => Testing.synth(c), 'demo/Thing', 'spec.x: -.Values.n is no number Kubernetes takes');
  });

  test('a literal number in the reserved range that is no token of this process is refused', () => {
    const c = newChart();
    const n = c.values.integer('n', { default: 1, description: 'N.' }).asNumber();
    const foreign = doubleOf((highWord(n) & 0xffff0000) | ((highWord(n) + 1) & 0xffff), 7);
    new ApiObject(c, 'Thing', { apiVersion: 'v1', kind: 'Thing', spec: { x: foreign } });
    const error = expectHelmSynthError(
      () => Testing.synth(c),
      'demo/Thing',
      `spec.x: ${foreign} (computed from a number token) is no number`,
    );
    expect(error.message.split('(computed from').length).toBe(2);
  });

  test('a number token of another chart is refused like any of its tokens', () => {
    const app = Testing.app();
    const a = new HelmChart(app, 'a', { version: '1.0.0' });
    const b = new HelmChart(app, 'b', { version: '1.0.0' });
    const n = a.values.integer('n', { default: 1, description: 'N.' }).asNumber();
    new kplus.Deployment(b, 'D', { replicas: n, containers: [{ image: 'x' }] });
    expectHelmSynthError(() => Testing.synth(b), 'b/D', 'spec.replicas: value n belongs to chart a');
  });
});

describe('where a number is written without a template', () => {
  test('a number token as a default or a bound of another value is refused', () => {
    const c = newChart();
    const n = c.values.integer('n', { default: 1, description: 'N.' }).asNumber();
    expectHelmSynthError(() => c.values.number('a', { default: n, description: 'A.' }), 'demo', 'value a: default ${value n} is a token');
    expectHelmSynthError(
      () => c.values.integer('b', { default: 1, minimum: n, description: 'B.' }),
      'demo',
      'value b: minimum .Values.n must be a finite number',
    );
    expectHelmSynthError(
      () => c.values.list('c', { default: [1, n], description: 'C.' }),
      'demo',
      'value c: default [1] ${value n} is a token',
    );
  });

  test('a condition compares a value with literals only', () => {
    const c = newChart();
    const count = c.values.integer('count', { default: 1, description: 'C.' });
    const ratio = c.values.number('ratio', { default: 0.5, description: 'R.' });
    const name = c.values.string('name', { default: 'x', description: 'N.' });
    expectHelmSynthError(
      () => ratio.eq(count.asNumber()),
      'demo',
      'value ratio can only be compared with a literal, not with ${value count}',
    );
    expectHelmSynthError(() => name.ne(`${count.asNumber()}`), 'demo', 'value name can only be compared with a literal');
  });

  test('a hook weight must be a literal integer', () => {
    const c = newChart();
    const weight = c.values.integer('weight', { default: 1, description: 'W.' }).asNumber();
    const cm = new kplus.ConfigMap(c, 'Cm', { data: { a: 'b' } });
    expectHelmSynthError(
      () => Hook.apply(cm, { events: [HookEvent.PRE_INSTALL], weight }),
      'demo/Cm',
      'hook weight ${value weight} must be a literal integer',
    );
  });
});
