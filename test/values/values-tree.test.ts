import { HelmChart, NumericValue, StringValue, Value, Values, ValuesShape, ValueSpec, ValuesGroupSpec, ValueType } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { seededRandom, testSeeds } from '../support/seeded-random';

const chart = (id = 'tree'): HelmChart => new HelmChart(Testing.app(), id, { version: '1.0.0' });

const CHART_FILES = ['values.yaml', 'values.schema.json', 'README.md'];

describe('chart.values.define: a typed values tree', () => {
  test('declares each leaf at its path in the one registry, in tree order, and hands back the values by key', () => {
    const c = chart();
    const v = c.values.define({
      image: Values.group('Container image.', {
        repository: Values.string({ description: 'Repository.', default: 'nginx' }),
        tag: Values.string({ description: 'Tag.', required: true }),
      }),
      replicaCount: Values.integer({ description: 'Pods.', default: 2, minimum: 0 }),
      mode: Values.enum({ description: 'Mode.', values: ['fast', 'safe'], default: 'safe' }),
      rate: Values.number({ description: 'Rate.', default: 0.5 }),
      debug: Values.boolean({ description: 'Debug.', default: false }),
      hosts: Values.list({ description: 'Hosts.', default: ['a'], items: { type: 'string' } }),
      labels: Values.object({ description: 'Labels.', default: {}, entries: { type: 'string' } }),
      auth: { token: Values.secret({ description: 'Token.' }) },
    });
    expect(v.image.tag).toBeInstanceOf(StringValue);
    expect(v.replicaCount).toBeInstanceOf(NumericValue);
    expect(Value.isValue(v.auth.token)).toBe(true);
    expect(v.auth.token.type).toBe(ValueType.SECRET);
    expect(v.mode.values).toEqual(['fast', 'safe']);
    expect(c.values.tryGet('image.tag')).toBe(v.image.tag);
    expect(c.values.groups.get('image')).toBe('Container image.');
    expect(c.values.all.map((x) => x.path)).toEqual([
      'nameOverride',
      'fullnameOverride',
      'image.repository',
      'image.tag',
      'replicaCount',
      'mode',
      'rate',
      'debug',
      'hosts',
      'labels',
      'auth.token',
    ]);
    expect(v.image.tag.expression).toBe('(required "value image.tag is required: Tag." .Values.image.tag)');
    expect(Object.isFrozen(v) && Object.isFrozen(v.image)).toBe(true);
  });

  test('interoperates with the string API: both register in one registry, an identical declaration is the same value, a different one fails', () => {
    const c = chart();
    const repository = c.values.string('image.repository', { description: 'Repository.', default: 'nginx' });
    const v = c.values.define({
      image: {
        repository: Values.string({ description: 'Repository.', default: 'nginx' }),
        tag: Values.string({ description: 'Tag.', default: '1.0' }),
      },
    });
    expect(v.image.repository).toBe(repository);
    expect(c.values.string('image.tag', { description: 'Tag.', default: '1.0' })).toBe(v.image.tag);
    expectHelmSynthError(
      () => c.values.define({ image: { tag: Values.string({ description: 'Tag.', default: '2.0' }) } }),
      'tree',
      'value image.tag is declared twice',
    );
    expectHelmSynthError(
      () => c.values.define({ image: Values.integer({ description: 'x', default: 1 }) }),
      'tree',
      'would replace the group',
    );
  });

  test('one descriptor declared at several paths and in several charts gives each its own value', () => {
    const port = Values.integer({ description: 'Port.', default: 80, minimum: 1, maximum: 65535 });
    const a = chart('a');
    const b = chart('b');
    const va = a.values.define({ web: { port }, api: { port } });
    const vb = b.values.define({ port });
    expect([va.web.port.path, va.api.port.path, vb.port.path]).toEqual(['web.port', 'api.port', 'port']);
    expect(va.web.port).not.toBe(va.api.port);
    expect(vb.port.owner).toBe(b);
  });

  test('a descriptor keeps its own copy of the options', () => {
    const options = { description: 'Tag.', default: '1.0' };
    const spec = Values.string(options);
    options.default = '2.0';
    expect(chart().values.define({ tag: spec }).tag.default).toBe('1.0');
  });

  test('bad trees fail naming the chart and the key', () => {
    const c = chart();
    const declared = c.values.string('x', { description: 'X.', default: '' });
    const cases: Array<[unknown, string]> = [
      [{ a: 'text' }, 'values tree key a holds "text"'],
      [{ a: { b: 3 } }, 'values tree key a.b holds 3'],
      [{ a: [Values.string({ description: 'x' })] }, 'values tree key a holds'],
      [{ a: null }, 'values tree key a holds null'],
      [{ a: declared }, 'values tree key a holds the declared value x'],
      [{ a: {} }, 'values tree at a: a group needs at least one value'],
      [{}, 'values tree at (the top of the values): a group needs at least one value'],
      [{ 'bad-key': Values.string({ description: 'x' }) }, 'value path "bad-key" is invalid'],
      [{ constructor: Values.string({ description: 'x' }) }, "a name JavaScript gives to every object's internals"],
      [{ global: Values.string({ description: 'x' }) }, 'is reserved by Helm'],
      [{ a: Values.string({ description: '' }) }, 'value a: description'],
      [{ a: Values.integer({ description: 'n' }) }, 'value a: a number needs a default or required: true'],
      [{ a: Values.group('', { b: Values.string({ description: 'x' }) }) }, 'description of group a'],
      [{ a: Values.enum({ description: 'e', values: ['x'], default: 'y' } as never) }, 'value a: default "y" is not one of'],
      [{ [declared.asString()]: Values.string({ description: 'x' }) }, 'holds a token: a value path must be literal'],
      [{ a: Values.group(`About ${declared}`, { b: Values.string({ description: 'x' }) }) }, 'must be literal text'],
      [{ a: Values.string({ description: 'x', default: `v${declared}` }) }, 'values.yaml holds plain values, not template expressions'],
    ];
    const cyclic: Record<string, unknown> = { a: Values.string({ description: 'x' }) };
    cyclic.self = { again: cyclic };
    cases.push([cyclic, 'values tree at self.again: the group holds itself']);
    for (const [shape, message] of cases) {
      expectHelmSynthError(() => c.values.define(shape as ValuesShape), 'tree', message);
    }
    c.values.define({ g: Values.group('First.', { a: Values.string({ description: 'a' }) }) });
    expectHelmSynthError(
      () => c.values.define({ g: Values.group('Second.', { b: Values.string({ description: 'b' }) }) }),
      'tree',
      'group g is described twice: as "First." and as "Second."',
    );
  });

  test('descriptors are recognized by brand', () => {
    expect(ValueSpec.isValueSpec(Values.string({ description: 'x' }))).toBe(true);
    expect(ValueSpec.isValueSpec({ type: 'string', options: {} })).toBe(false);
    expect(ValuesGroupSpec.isValuesGroupSpec(Values.group('g', {}))).toBe(true);
    expect(ValuesGroupSpec.isValuesGroupSpec({ description: 'g', shape: {} })).toBe(false);
  });

  test.each(testSeeds(1, 2, 3, 4, 5))(
    'generated trees (seed %i) write the same chart files as the same values declared by path',
    (seed) => {
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const byPath: Array<(c: HelmChart) => void> = [];
      let counter = 0;
      const leaf = (path: string): ValueSpec => {
        const description = `Value ${path} (${counter++}).`;
        const kind = pick(['string', 'integer', 'number', 'boolean', 'enum', 'list', 'object', 'secret', 'required'] as const);
        const declare = <O>(spec: (o: O) => ValueSpec, byPathDeclare: (c: HelmChart, o: O) => unknown, options: O): ValueSpec => {
          byPath.push((c) => byPathDeclare(c, options));
          return spec(options);
        };
        switch (kind) {
          case 'string':
            return declare(Values.string, (c, o) => c.values.string(path, o), { description, default: `d${counter}` });
          case 'required':
            return declare(Values.string, (c, o) => c.values.string(path, o), { description, required: true });
          case 'integer':
            return declare(Values.integer, (c, o) => c.values.integer(path, o), { description, default: counter, minimum: 0 });
          case 'number':
            return declare(Values.number, (c, o) => c.values.number(path, o), { description, default: counter / 4 });
          case 'boolean':
            return declare(Values.boolean, (c, o) => c.values.boolean(path, o), { description, default: random() < 0.5 });
          case 'enum':
            return declare(Values.enum, (c, o) => c.values.enum(path, o), { description, values: ['a', 'b'], default: 'b' });
          case 'list':
            return declare(Values.list, (c, o) => c.values.list(path, o), { description, default: [1, 'x'] });
          case 'object':
            return declare(Values.object, (c, o) => c.values.object(path, o), {
              description,
              default: { k: 'v' },
              entries: { type: 'string' },
            });
          case 'secret':
            return declare(Values.secret, (c, o) => c.values.secret(path, o), { description });
        }
      };
      const group = (prefix: string, depth: number): ValuesShape => {
        const shape: Record<string, ValuesShape[string]> = {};
        const keys = 1 + Math.floor(random() * 4);
        for (let i = 0; i < keys; i++) {
          const key = `${pick(['a', 'b', 'c', 'image', 'port'])}${i}`;
          const path = prefix ? `${prefix}.${key}` : key;
          const roll = random();
          if (depth < 3 && roll < 0.25) {
            const description = `Group ${path}.`;
            byPath.push((c) => c.values.describe(path, description));
            shape[key] = Values.group(description, group(path, depth + 1));
          } else if (depth < 3 && roll < 0.45) shape[key] = group(path, depth + 1);
          else shape[key] = leaf(path);
        }
        return shape;
      };
      const shape = group('', 0);
      const tree = chart('generated');
      tree.values.define(shape);
      const declared = chart('generated');
      byPath.forEach((declare) => declare(declared));
      const [a, b] = [Testing.synth(tree), Testing.synth(declared)];
      for (const file of CHART_FILES) expect({ seed, file, text: a.files.get(file) }).toEqual({ seed, file, text: b.files.get(file) });
    },
  );
});
