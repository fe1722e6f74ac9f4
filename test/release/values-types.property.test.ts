import Ajv from 'ajv';
import { valuesTypes } from '../../src/release';
import { seededRandom, testSeeds } from '../support/seeded-random';
import { typeCheck, typeProblemLines } from '../support/typecheck';

type Schema = Record<string, any>;

const KEYS = ['name', 'port', 'dotted.key', 'with-dash', '0digit', 'constructor', 'a"quote', 'end*/comment', 'enabled', 'items'];

/**
 * Generated JSON schemas (objects, arrays, enums, consts, nullable types, anyOf, allOf, open and
 * closed maps, `definitions` that reference each other, cycles included) and values sampled from
 * them: every value ajv accepts type-checks against `valuesTypes`' declarations under `--strict`,
 * and a value with one field of the wrong type fails `tsc` at that line.
 */
class SchemaGenerator {
  public readonly definitions: Record<string, Schema> = {};
  constructor(private readonly random: () => number) {}

  public pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  public document(): Schema {
    for (const name of ['alpha', 'beta', 'gamma']) {
      this.definitions[name] = this.guarded(this.node(1));
    }
    return { ...this.object(0, true), definitions: this.definitions };
  }

  public node(depth: number): Schema {
    const leafOnly = depth >= 3;
    const kind = this.pick(leafOnly ? ['leaf', 'leaf', 'ref'] : ['leaf', 'leaf', 'object', 'array', 'anyOf', 'allOf', 'ref', 'map']);
    switch (kind) {
      case 'object':
        return this.object(depth, false);
      case 'array':
        return { type: 'array', items: this.node(depth + 1) };
      case 'anyOf':
        return { anyOf: [this.leaf(), this.guarded(this.node(depth + 1))] };
      case 'allOf':
        return { allOf: [this.object(depth + 1, false, true), this.object(depth + 1, false, true)] };
      case 'map':
        return { type: 'object', additionalProperties: this.node(depth + 1), description: 'A map. */ ends no comment.' };
      case 'ref':
        return { $ref: `#/definitions/${this.pick(['alpha', 'beta', 'gamma'])}` };
      default:
        return this.leaf();
    }
  }

  /** A reference inside a list, so that no definition refers to itself with no value between (ajv would recurse forever). */
  private guarded(node: Schema): Schema {
    return node.$ref ? { type: 'array', items: node } : node;
  }

  private object(depth: number, root: boolean, open = false): Schema {
    const properties: Record<string, Schema> = {};
    for (let i = 0, n = 1 + Math.floor(this.random() * 4); i < n; i++) properties[this.pick(KEYS)] = this.node(depth + 1);
    const required = Object.keys(properties).filter((key) => properties[key].type && !properties[key].$ref && this.random() < 0.4);
    const additional = open ? undefined : this.pick([false, true, undefined, { type: 'integer' }]);
    return {
      type: 'object',
      ...(!root && this.random() < 0.5 && { description: `Object at depth ${depth}.` }),
      properties,
      ...(required.length && { required }),
      ...(additional !== undefined && { additionalProperties: additional }),
    };
  }

  private leaf(): Schema {
    return this.pick<Schema>([
      { type: 'string', description: 'Text.\nTwo lines.' },
      { type: 'integer', default: 3 },
      { type: 'number' },
      { type: 'boolean' },
      { type: ['string', 'null'] },
      { enum: ['a', 'b', 1, true, null] },
      { const: 'fixed' },
    ]);
  }
}

/** A value of the schema, small where the schema recurses. */
function sample(schema: Schema, document: Schema, random: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  if (schema.$ref) return depth > 6 ? undefined : sample(document.definitions[schema.$ref.split('/').pop()], document, random, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return pick(schema.enum);
  if (schema.anyOf) return sample(depth > 4 ? schema.anyOf[0] : pick(schema.anyOf), document, random, depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part: Schema) => sample(part, document, random, depth + 1)));
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
  switch (type) {
    case 'string':
      return pick(['', 'text', 'a "quoted" */ text']);
    case 'integer':
      return pick([0, -7, 42]);
    case 'number':
      return pick([1.5, -0.25, 3]);
    case 'boolean':
      return pick([true, false]);
    case 'null':
      return null;
    case 'array': {
      const items = depth > 4 ? 0 : Math.floor(random() * 3);
      return Array.from({ length: items }, () => sample(schema.items, document, random, depth + 1)).filter((item) => item !== undefined);
    }
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, child] of Object.entries<Schema>(schema.properties ?? {})) {
        if (depth > 4 && !(schema.required ?? []).includes(key)) continue;
        if (random() < 0.3 && !(schema.required ?? []).includes(key)) continue;
        const item = sample(child, document, random, depth + 1);
        if (item !== undefined) value[key] = item;
      }
      if (typeof schema.additionalProperties === 'object' && depth <= 4) {
        const item = sample(schema.additionalProperties, document, random, depth + 1);
        if (item !== undefined) value[`extra${depth}`] = item;
      } else if (schema.additionalProperties === true || (schema.additionalProperties === undefined && random() < 0.3)) {
        value.unlisted = pick([1, 'x', { nested: true }]);
      }
      return value;
    }
    default:
      return undefined;
  }
}

/** A top-level property with a plain primitive type in the sample, given a value of another type; undefined when there is none. */
function wrongValue(schema: Schema, value: Record<string, unknown>): { key: string; value: Record<string, unknown> } | undefined {
  for (const [key, child] of Object.entries<Schema>(schema.properties)) {
    if (typeof child.type !== 'string' || !['string', 'integer', 'number', 'boolean'].includes(child.type)) continue;
    return { key, value: { ...value, [key]: child.type === 'string' ? 42 : 'text' } };
  }
  return undefined;
}

describe('valuesTypes on generated schemas: what the schema accepts compiles, a wrongly typed field fails tsc', () => {
  test.each(testSeeds(1, 2, 3))('seed %i', (seed) => {
    const random = seededRandom(seed);
    const ajv = new Ajv({ strict: false, allErrors: false });
    const files = new Map<string, string>();
    const expectedErrors = new Map<string, string>();
    let accepted = 0;
    let cases = 0;
    for (let i = 0; i < 60; i++) {
      const generator = new SchemaGenerator(random);
      const schema = generator.document();
      const types = valuesTypes(schema, { name: 'Values' });
      const validate = ajv.compile(schema);
      const samples: unknown[] = [];
      for (let j = 0; j < 4; j++) {
        const value = sample(schema, schema, random, 0);
        cases++;
        if (validate(value)) samples.push(value);
      }
      accepted += samples.length;
      const lines = [types, ...samples.map((value, j) => `export const sample${j}: Values = ${JSON.stringify(value, null, 2)};`)];
      const wrong = samples.length ? wrongValue(schema, samples[0] as Record<string, unknown>) : undefined;
      if (wrong) {
        expect({ seed, i, valid: validate(wrong.value) }).toEqual({ seed, i, valid: false });
        lines.push(`export const wrong: Values = ${JSON.stringify(wrong.value)};`);
        expectedErrors.set(`case${i}.ts`, wrong.key);
      }
      files.set(`/generated-${seed}/case${i}.ts`, `${lines.join('\n')}\n`);
    }
    expect(accepted).toBeGreaterThan(cases / 2);
    expect(expectedErrors.size).toBeGreaterThanOrEqual(5);
    const problems = typeCheck(files);
    const unexpected = problems.filter((p) => {
      const file = p.file.split('/').pop()!;
      const source = files.get(p.file)!;
      return !expectedErrors.has(file) || !source.split('\n')[p.line - 1].startsWith('export const wrong');
    });
    expect({ seed, problems: typeProblemLines(unexpected) }).toEqual({ seed, problems: [] });
    const failed = new Set(problems.map((p) => p.file.split('/').pop()!));
    expect({ seed, missing: [...expectedErrors.keys()].filter((file) => !failed.has(file)) }).toEqual({ seed, missing: [] });
  });
});
