import { join } from 'node:path';
import { parse } from 'yaml';
import { HelmChart } from '../../src';
import { valuesTypes } from '../../src/release';
import { Testing } from '../../src/testing';
import { typeCheck } from '../support/typecheck';
import { shopValues } from './shop-values';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'values-tree-snippets');

/** The chart every snippet uses: the tree of shop-values.ts. */
const CHART = `import { HelmApp, HelmChart, ValuesOf, ValuesTree } from 'helm-synth';
import { WebService } from '../test/support/web-service';
import { shopValues } from '../test/values/shop-values';

export const chart = new HelmChart(new HelmApp(), 'shop', { version: '1.0.0' });
export const v = shopValues(chart);
export type ShopValues = ValuesOf<typeof v>;
export type WebServiceBlock = ValuesTree<ReturnType<typeof WebService.values>>;
`;

const file = (name: string, body: string): [string, string] => [
  join(DIR, `${name}.ts`),
  `import { chart, v, ShopValues, WebServiceBlock } from './chart';\nimport { WebService } from '../test/support/web-service';\nimport { ChartValuesOf, ValuesOf, StringValue, NumericValue, EnumValue, SecretString, StandardValues, Values } from 'helm-synth';\nexport {};\n${body}\n`,
];

/** Snippets that must fail tsc, each with the message tsc gives. */
const WRONG: ReadonlyArray<[string, string, string]> = [
  ['path typo at the top', 'v.imagee;', "Property 'imagee' does not exist"],
  ['path typo in a block', 'v.frontend.imag.tag.asString();', "Property 'imag' does not exist"],
  ['path typo in a nested group', 'v.database.pasword;', "Property 'pasword' does not exist"],
  ['a required value left out', "const x: ShopValues = { database: { password: 'p' } }; x;", "Property 'owner' is missing"],
  ['a required value of a group left out', "const x: ShopValues = { owner: 'a', database: {} }; x;", "Property 'password' is missing"],
  ['an unknown key', "const x: ShopValues = { owner: 'a', database: { password: 'p' }, frontnd: {} }; x;", "'frontnd' does not exist"],
  ['an enum value outside it', "const x: ValuesOf<typeof v.frontend> = { logLevel: 'loud' }; x;", `Type '"loud"' is not assignable`],
  [
    'a string for an integer',
    "const x: ValuesOf<typeof v.backend> = { port: '80' }; x;",
    "Type 'string' is not assignable to type 'number'",
  ],
  [
    'a number in a map of strings',
    'const x: ValuesOf<typeof v.frontend> = { extraLabels: { a: 1 } }; x;',
    "Type 'number' is not assignable to type 'string'",
  ],
  [
    'a number in a list of strings',
    'const x: ValuesOf<typeof v> = { owner: "a", database: { password: "p" }, hosts: [1] }; x;',
    "Type 'number' is not assignable to type 'string'",
  ],
  [
    'a string for a boolean',
    'const x: ValuesOf<typeof v.flags> = { debug: "yes" }; x;',
    "Type 'string' is not assignable to type 'boolean | undefined'",
  ],
  [
    'a block of another shape handed to the construct',
    "new WebService(chart, 'x', { values: v.database });",
    'is missing the following properties',
  ],
  [
    'a default of the wrong type for a mount',
    "Values.withDefaults(WebService.values(), { port: '80' });",
    "Type 'string' is not assignable to type 'number'",
  ],
  ['a default for a key the block lacks', 'Values.withDefaults(WebService.values(), { image: { tagg: "x" } });', "'tagg' does not exist"],
  [
    'a standard value of the wrong type',
    "const x: ValuesOf<ReturnType<typeof StandardValues.values>> = { replicaCount: 'two' }; x;",
    "Type 'string' is not assignable to type 'number'",
  ],
  ['a value read as the wrong kind', 'const n: NumericValue = v.frontend.image.tag; n;', 'is missing'],
];

describe('ValuesOf and the tree returned by define, under tsc --strict', () => {
  test('right uses compile; each wrong one fails with its message', () => {
    const defaults = parse(Testing.file(shopChart(), 'values.yaml'));
    const files = new Map<string, string>([
      [join(DIR, 'chart.ts'), CHART],
      file(
        'right',
        [
          'const tag: StringValue = v.frontend.image.tag;',
          'const port: number = v.backend.port.asNumber();',
          'const level: EnumValue = v.backend.logLevel;',
          "new WebService(chart, 'frontend', { values: v.frontend });",
          'const block: WebServiceBlock = v.backend;',
          "const standard: ValuesOf<ReturnType<typeof StandardValues.values>> = { replicaCount: 3, serviceAccount: { create: false, name: 'runner' }, resources: { limits: { memory: '1Gi' } } };",
          "const tuned: ReturnType<typeof WebService.values> = Values.withDefaults(WebService.values(), { image: { tag: '2.0' }, logLevel: 'warn' });",
          "const prod: ShopValues = { owner: 'team-a', database: { password: 'p' }, frontend: { image: { tag: '1.28' }, logLevel: 'debug', extraLabels: { team: 'web' } }, tier: 'gold', hosts: ['a'], extra: [1, 'b', { c: null }], weights: { a: 0.5 }, flags: { debug: true } };",
          'type DeepPartial<T> = T extends object ? (T extends unknown[] ? T : { [K in keyof T]?: DeepPartial<T[K]> }) : T;',
          `const fromValuesYaml: DeepPartial<ChartValuesOf<typeof v>> = ${JSON.stringify(defaults)};`,
          'type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;',
          'const exact: Equal<ValuesOf<WebServiceBlock>, { image?: { repository?: string; tag?: string }; replicaCount?: number; port?: number; logLevel?: "debug" | "info" | "warn"; extraLabels?: { [key: string]: string } }> = true;',
          'const sameFromBlock: Equal<ValuesOf<ReturnType<typeof WebService.values>>, ValuesOf<WebServiceBlock>> = true;',
          "const required: Equal<ShopValues['database'], { password: SecretString; existingSecret?: string }> = true;",
          "const optional: Equal<ShopValues['tier'], 'gold' | 'silver' | undefined> = true;",
          "const unless: Equal<ShopValues['api'], { token?: SecretString; existingSecret?: string } | undefined> = true;",
          'export const used = [standard, tuned, tag, port, level, block, prod, fromValuesYaml, exact, sameFromBlock, required, optional, unless];',
        ].join('\n'),
      ),
      ...WRONG.map(([, body], i) => file(`wrong-${i}`, body)),
    ]);
    const problems = typeCheck(files);
    expect(problems.filter((p) => !/values-tree-snippets\/wrong-/.test(p.file))).toEqual([]);
    const found = WRONG.map(([what, , message], i) => {
      const own = problems.filter((p) => p.file.endsWith(`wrong-${i}.ts`));
      const fails = own.length > 0 && own.every((p) => p.message.includes(message));
      return { what, failsWithMessage: fails ? message : own.map((p) => p.message) };
    });
    expect(found).toEqual(WRONG.map(([what, , message]) => ({ what, failsWithMessage: message })));
  });
});

describe('ValuesOf agrees with helm-synth types (derived from the synthesized schema)', () => {
  test('every values object ValuesOf admits, the schema-derived type admits; both have the same keys', () => {
    const files = Testing.synth(shopChart()).files;
    const generated = valuesTypes(JSON.parse(files.get('values.schema.json')!), {
      name: 'GeneratedShopValues',
      defaults: parse(files.get('values.yaml')!),
    });
    const sources = new Map<string, string>([
      [join(DIR, 'chart.ts'), CHART],
      [join(DIR, 'generated.ts'), generated],
      [
        join(DIR, 'agree.ts'),
        [
          "import type { GeneratedShopValues, GeneratedShopValuesFrontend, GeneratedShopValuesFrontendImage } from './generated';",
          "import { ChartValuesOf, ValuesOf } from 'helm-synth';",
          "import { v } from './chart';",
          'type Mine = ChartValuesOf<typeof v>;',
          'type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;',
          'declare const mine: Mine;',
          'export const generated: GeneratedShopValues = mine;',
          'export const sameKeys: Equal<keyof Mine, keyof GeneratedShopValues> = true;',
          'export const sameBlockKeys: Equal<keyof ValuesOf<typeof v.frontend>, keyof GeneratedShopValuesFrontend> = true;',
          'export const sameImage: Equal<Required<ValuesOf<typeof v.frontend.image>>, Required<GeneratedShopValuesFrontendImage>> = true;',
        ].join('\n'),
      ],
    ]);
    expect(typeCheck(sources)).toEqual([]);
  });
});

/** The chart CHART declares, built here to read its values.yaml. */
function shopChart(): HelmChart {
  const chart = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
  shopValues(chart);
  return chart;
}
