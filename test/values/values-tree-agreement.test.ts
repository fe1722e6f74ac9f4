import { join } from 'node:path';
import { parse } from 'yaml';
import { HelmChart, Values } from '../../src';
import { coalesceValues } from '../../src/helm/coalesce-values';
import { valuesTypes } from '../../src/release';
import { Testing } from '../../src/testing';
import { compiledSchema } from '../../src/values/values';
import { seededRandom, testSeeds } from '../support/seeded-random';
import { typeCheck } from '../support/typecheck';

const DIR = join(__dirname, '..', '..', 'values-tree-agreement');

/** A leaf of a generated tree: the Values factory it calls and its options (JSON). */
interface Leaf {
  readonly kind: 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'list' | 'object' | 'secret';
  readonly options: Record<string, unknown>;
}
type Node = Leaf | { readonly group?: string; readonly keys: Record<string, Node> };

const isLeaf = (node: Node): node is Leaf => 'kind' in node;

/** A random tree of every kind of leaf, plain and described groups, some values required. */
function randomTree(random: () => number, depth = 0): { keys: Record<string, Node>; group?: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const keys: Record<string, Node> = {};
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const key = `${pick(['a', 'b', 'port', 'default', 'enabled', 'class'])}${i}`;
    if (depth < 2 && random() < 0.3) {
      keys[key] = random() < 0.5 ? randomTree(random, depth + 1) : { ...randomTree(random, depth + 1), group: `Group ${key}.` };
      continue;
    }
    const kind = pick(['string', 'integer', 'number', 'boolean', 'enum', 'list', 'object', 'secret'] as const);
    const required = random() < 0.25;
    const withDefault = !required && random() < 0.6;
    const defaults: Record<Leaf['kind'], unknown> = {
      string: 'x',
      integer: 3,
      number: 2.5,
      boolean: true,
      enum: 'b',
      list: ['one'],
      object: { k: 'v' },
      secret: undefined,
    };
    const options: Record<string, unknown> = { description: `Value ${key}.` };
    if (kind === 'enum') options.values = ['a', 'b', 'c'];
    if (kind === 'list' && random() < 0.5) options.items = { type: 'string' };
    if (kind === 'object' && random() < 0.5) options.entries = { type: 'string' };
    if (kind !== 'secret' && withDefault) options.default = defaults[kind];
    if (kind !== 'secret' && !withDefault && (required || kind === 'integer' || kind === 'number' || kind === 'boolean'))
      options.required = true;
    keys[key] = { kind, options };
  }
  return { keys };
}

/** A candidate values object for a tree: keys left out, given right, given wrong, null, or unknown keys added. */
function randomValues(random: () => number, node: Node): unknown {
  if (isLeaf(node)) {
    const r = random();
    if (r < 0.1) return null;
    const wrong = r < 0.3;
    switch (node.kind) {
      case 'string':
      case 'secret':
        return wrong ? 1 : 'given';
      case 'integer':
        return wrong ? 'three' : 7;
      case 'number':
        return wrong ? true : 1.5;
      case 'boolean':
        return wrong ? 'yes' : false;
      case 'enum':
        return wrong ? 'z' : 'c';
      case 'list':
        return wrong ? (node.options.items ? [1] : 'one') : ['p', 'q'];
      case 'object':
        return wrong ? (node.options.entries ? { k: 1 } : 'map') : { k: 'w' };
    }
  }
  if (random() < 0.08) return 'not a group';
  const values: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node.keys)) if (random() < 0.6) values[key] = randomValues(random, child);
  if (random() < 0.08) values.unknownKey = 'x';
  return values;
}

/** Whether a node holds a value a user must give (required with no default): values.schema.json leaves it to the template's `required`, ValuesOf requires the key. */
function mustGive(node: Node): boolean {
  return isLeaf(node) ? node.options.required === true : Object.values(node.keys).some(mustGive);
}

/** Whether `values` give every value a user must give, as ValuesOf requires. */
function givesRequired(node: Node, values: unknown): boolean {
  if (isLeaf(node) || typeof values !== 'object' || values === null) return true;
  return Object.entries(node.keys).every(([key, child]) =>
    key in values ? givesRequired(child, (values as Record<string, unknown>)[key]) : !mustGive(child),
  );
}

function source(node: Node): string {
  if (isLeaf(node)) return `Values.${node.kind}(${JSON.stringify(node.options)})`;
  const body = `{ ${Object.entries(node.keys)
    .map(([key, child]) => `${key}: ${source(child)}`)
    .join(', ')} }`;
  return node.group === undefined ? body : `Values.group(${JSON.stringify(node.group)}, ${body})`;
}

function shape(node: Node): any {
  if (isLeaf(node)) return (Values as any)[node.kind](node.options);
  const keys = Object.fromEntries(Object.entries(node.keys).map(([key, child]) => [key, shape(child)]));
  return node.group === undefined ? keys : Values.group(node.group, keys);
}

describe('generated trees: ValuesOf, the .d.ts helm-synth types writes and values.schema.json (ajv, over values.yaml) accept the same values', () => {
  test.each(testSeeds(1, 2))('seed %i', (seed) => {
    const random = seededRandom(seed);
    const files = new Map<string, string>();
    const expected: string[] = [];
    const lines: string[] = ["import { ChartValuesOf, Values } from 'helm-synth';"];
    for (let t = 0; t < 6; t++) {
      const tree = randomTree(random);
      const chart = new HelmChart(Testing.app(), 'gen', { version: '1.0.0' });
      chart.values.define(shape(tree));
      const synthesized = Testing.synth(chart).files;
      const schema = JSON.parse(synthesized.get('values.schema.json')!);
      const defaults = parse(synthesized.get('values.yaml')!);
      files.set(join(DIR, `generated${t}.ts`), valuesTypes(schema, { name: `Generated${t}`, defaults }));
      lines.push(`import type { Generated${t} } from './generated${t}';`, `const tree${t} = ${source(tree)};`);
      for (let c = 0; c < 12; c++) {
        const candidate = randomValues(random, tree);
        if (typeof candidate !== 'object' || candidate === null) continue;
        const admitted = compiledSchema(schema, false)(coalesceValues(defaults, candidate));
        const literal = JSON.stringify(candidate);
        lines.push(`export const own${t}_${c}: ChartValuesOf<typeof tree${t}> = ${literal};`);
        lines.push(`export const generated${t}_${c}: Generated${t} = ${literal};`);
        const ownAdmitted = admitted && givesRequired(tree, candidate);
        expected.push(`own${t}_${c} ${ownAdmitted ? 'admitted' : 'refused'}`, `generated${t}_${c} ${admitted ? 'admitted' : 'refused'}`);
      }
    }
    const use = join(DIR, 'use.ts');
    files.set(use, lines.join('\n'));
    const problems = typeCheck(files);
    const unexpected = problems.filter((p) => !p.file.endsWith('use.ts'));
    expect(unexpected).toEqual([]);
    const refusedLines = new Set(problems.map((p) => p.line));
    const actual = lines.flatMap((line, index) => {
      const name = /^export const (\w+):/.exec(line)?.[1];
      return name ? [`${name} ${refusedLines.has(index + 1) ? 'refused' : 'admitted'}`] : [];
    });
    expect({ seed, verdicts: actual }).toEqual({ seed, verdicts: expected });
  });
});
