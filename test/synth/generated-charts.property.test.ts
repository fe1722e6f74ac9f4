import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import { Condition, HelmChart, HelmSynthError, Hook, HookDeletePolicy, HookEvent, Release, StringValue, Template, Value } from '../../src';
import { Testing } from '../../src/testing';
import { applyModel, ModelCondition, ModelOp, ModelValue, normalized } from './override-model';
import { failingProgramReporter } from '../support/program-reporter';

/**
 * Whole chart programs, generated the way a team writes them through the public API (values of every
 * kind with hostile defaults; Widgets, ConfigMaps, Secrets, Deployments, Jobs and Services; labels and
 * annotations with dotted and slashed keys; values whole and inside text, release fields and resource
 * names in text; `set`/`setIf` chains/`remove`/`merge`/`append` with paths as segments, quoted brackets
 * or dotted keys; `enableWhen` with and/or/not over booleans and enum comparisons, `enableWith`,
 * `replaceableBy`; hooks, also after one another), rendered by
 * Helm (or helm-oracle) under the default values and under generated override values, and compared
 * with an independent expectation: each object's own cdk8s `toJson()` with its overrides applied by
 * the reference model of docs/ARCHITECTURE.md ("Field overrides", `override-model.ts`) and every
 * token replaced by the value in effect, printed as the README says (a string as it is, an integer
 * in decimal, a number as JSON, a map or list whole and omitted when empty, a list marker inside a
 * list spliced). A program either fails synthesis with a HelmSynthError naming a construct path, or
 * passes `helm lint` and renders exactly that: never exit 0 with a chart that fails or differs.
 *
 * Seeds: a fixed one, then HELM_SYNTH_PROPERTY_SEED when set, else a random one (printed on failure).
 */

const FIXED_SEED = 17;
const RUNS_PER_SEED = Number(process.env.HELM_SYNTH_PROPERTY_RUNS ?? 150);
const randomSeed = process.env.HELM_SYNTH_PROPERTY_SEED
  ? Number(process.env.HELM_SYNTH_PROPERTY_SEED)
  : (Date.now() ^ (Math.random() * 2 ** 31)) >>> 0;

// ---- generators of hostile data

const FRAGMENTS = [
  '{', '}', '{{', '}}', '{{ .Values.x }}', '{{-', '-}}', '{{/* c */}}', '{"a":{"b":{}}}', '{"plugins":{"x":[{}]}}', '{{{}}}', '"', '\\',
  "'", '`', '%', '%v', '%%', '$', '.', ':', ': ', '#', ' #', '- ', '- x', '|', '>', '\n', '\t', ' ', '  lead', 'trail ', 'yes', 'no',
  'on', '~', 'null', 'true', '0x1F', '1e3', '0o17', '1_0', '-1', '3.14', '<no value>', '<', '&a', '*a', '!t', '@', '[', ']', ',', '?',
  'é', '✓', '日本', '🙂', '\u2028', '\u0085', 'a', 'b', 'web',
]; // prettier-ignore

const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 8 },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }), weight: 2 },
);
const hostileText = fc.string({ unit: piece, maxLength: 6 });
const nonEmptyText = fc.string({ unit: piece, minLength: 1, maxLength: 6 });
/** Descriptions: one line, not blank (helm-synth refuses others with a clear error). */
const descriptionText = nonEmptyText.filter((s) => s.trim() !== '' && !/[\r\n\u0085\u2028\u2029]/.test(s));
/**
 * Text a value is given at install. Leaves out Helm's `<no value>`: Helm deletes it from every
 * rendered template and a value's text is printed as it is, so such a value renders without it (a
 * limitation the README states); literal text and defaults holding it are covered.
 */
const valueText = hostileText.filter((s) => !s.includes('<no value>'));
/** Whether synthesis refused a program because a printed value's default holds `<no value>`. */
const NO_VALUE_REFUSAL = /holds "<no value>", which Helm deletes/;
const nonEmptyValueText = nonEmptyText.filter((s) => !s.includes('<no value>'));

/** Integers a JavaScript number holds exactly (helm-synth refuses a default beyond them, as it could not be the one written). */
const INT64_EDGE = [0, -1, 1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1000000, 1e15];
const integerLiteral = fc.oneof(fc.integer(), fc.constantFrom(...INT64_EDGE));
const numberLiteral = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }).map((x) => (Object.is(x, -0) ? 0 : x)),
  fc.constantFrom(0.1, -2.5, 1e21, 1e-7, 123456.789, 5, 1e300),
);

/** Keys of maps in values (values.yaml keys): dotted, slashed, YAML-special. */
const JSON_KEYS = ['a', 'b.c', 'x/y', 'ключ', '{{k}}', '- d', 'yes', '#c', 'k: v', '~'];
/** Keys Kubernetes accepts both as ConfigMap data keys and as annotation keys. */
const DATA_KEYS = ['k1', 'a.b', 'x_y', 'cfg.json', 'Z-9', 'app.properties'];
const ANNOTATION_KEYS = ['example.com/owner', 'a.b.c', 'team', 'x.io/y-z', 'note'];
const LABEL_KEYS = ['example.com/tier', 'a.b.c', 'app'];
const LABEL_VALUES = ['web', 'a.b', 'x-1', 'A_9', ''];
const SPEC_KEYS = ['a', 'b', 'x.y', 'k/z'];

/** Numbers a construct writes literally: below 1e200, where helm-synth reads a number as computed from a number token and refuses it. */
const literalNumber = numberLiteral.filter((x) => Math.abs(x) < 1e200);

function jsonTreeOf(text: fc.Arbitrary<string>, number: fc.Arbitrary<number>): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(text, integerLiteral, number, fc.boolean());
  return fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('tree'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...JSON_KEYS), tie('tree'), { maxKeys: 3 }),
    ),
  })).tree;
}
const jsonTree = jsonTreeOf(hostileText, literalNumber);
/**
 * Maps and lists in values render through Helm's `toYaml` (Go's yaml.v2), which writes U+0085,
 * U+2028 and U+2029 raw, where its own reader then takes them as line breaks: a limitation of Helm's
 * `toYaml`, not of the chart, so their strings leave those three out.
 */
const valueJsonTree = jsonTreeOf(
  valueText.filter((s) => !/[\u0085\u2028\u2029]/.test(s)),
  numberLiteral,
);
/** Env vars a values list appends to a container: names none of the construct's env vars has. */
const envList = fc
  .uniqueArray(fc.constantFrom('EXTRA_A', 'EXTRA_B', 'x.y-z'), { maxLength: 3 })
  .chain((names) =>
    fc.tuple(...names.map((name) => valueText.filter((t) => !/[\u0085\u2028\u2029]/.test(t)).map((value) => ({ name, value })))),
  );
const stringMap = fc.dictionary(
  fc.constantFrom(...DATA_KEYS),
  valueText.filter((s) => !/[\u0085\u2028\u2029]/.test(s)),
  { maxKeys: 3 },
);

// ---- a program as plain data (so fast-check can shrink it)

type Kind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'list'
  | 'object'
  | 'strmap'
  | 'secret'
  | 'envlist'
  | 'secretName'
  | 'port'
  | 'replicas'
  | 'labelValue';

interface ValueSpec {
  readonly kind: Kind;
  readonly default: unknown;
  /** The value in each generated override set. */
  readonly overrides: readonly unknown[];
  /** For enums: the allowed strings. */
  readonly choices?: readonly string[];
  readonly description: string;
}

/** A leaf written by the program: a literal, a value used whole, or text around a value. */
type Leaf =
  | { readonly lit: unknown }
  | { readonly whole: number }
  | { readonly text: readonly [string, number, string] }
  | { readonly release: 'name' | 'namespace'; readonly around: readonly [string, string] }
  /** `chart.resourceName(...)` of an earlier object (taken modulo the objects before), in text. */
  | { readonly nameOf: number; readonly around: readonly [string, string] };

/** A condition atom: a boolean value (maybe negated) or an enum compared with one of its strings. */
type Atom =
  | { readonly bool: number; readonly negated: boolean }
  | { readonly enumEq: number; readonly choice: number; readonly equal: boolean };

type Cond = { readonly atom: number } | { readonly all: readonly Cond[] } | { readonly any: readonly Cond[] } | { readonly not: Cond };

type OpSpec =
  | { readonly op: 'set'; readonly path: readonly (string | number)[]; readonly value: Leaf }
  | { readonly op: 'setIf'; readonly path: readonly (string | number)[]; readonly cond: Cond; readonly value: Leaf }
  | { readonly op: 'remove'; readonly path: readonly (string | number)[] }
  | { readonly op: 'merge'; readonly path: readonly (string | number)[]; readonly value: number }
  | { readonly op: 'append'; readonly path: readonly (string | number)[]; readonly value: number };

interface ObjectSpec {
  readonly kind: 'Widget' | 'ConfigMap' | 'Secret' | 'Deployment' | 'Job' | 'Service';
  /** Read the first value of its kind where the object has such a field: a Deployment's replicas, a Service's port, a label. */
  readonly fromValues?: { readonly replicas: boolean; readonly port: boolean; readonly label?: string };
  /** Widget spec, ConfigMap data, Secret stringData, container env. */
  readonly body: Record<string, unknown>;
  readonly list: readonly Leaf[];
  readonly annotations: Record<string, Leaf>;
  readonly labels: Record<string, string>;
  readonly ops: readonly OpSpec[];
  readonly enableWhen?: Cond;
  /** Rendered only with this earlier object (`enableWith`), taken modulo the objects before it. */
  readonly enableWith?: number;
  /** A Secret replaced by the Secret named by value 2 when it is set (`replaceableBy`). */
  readonly replaceable?: boolean;
  readonly hook?: {
    readonly events: readonly HookEvent[];
    readonly afterPrevious: boolean;
    /** A weight given (without `after`): written as Helm's hook-weight annotation. */
    readonly weight?: number;
    readonly deletePolicies?: readonly HookDeletePolicy[];
  };
  /** How override paths are written: segment lists, text with quoted brackets, or text with the documented dotted keys of string maps. */
  readonly pathStyle: 'segments' | 'brackets' | 'dotted';
}

interface Program {
  readonly description: string;
  readonly values: readonly ValueSpec[];
  readonly atoms: readonly Atom[];
  readonly objects: readonly ObjectSpec[];
}

const OVERRIDE_SETS = 2;

function valueSpec(kind: Kind): fc.Arbitrary<ValueSpec> {
  const description = fc.oneof({ arbitrary: fc.constant('A value.'), weight: 3 }, { arbitrary: descriptionText, weight: 1 });
  const of = (arb: fc.Arbitrary<unknown>, defaultArb: fc.Arbitrary<unknown> = arb) =>
    fc.record({
      kind: fc.constant(kind),
      default: kind === 'secret' ? fc.constant(undefined) : defaultArb,
      overrides: fc.array(arb, { minLength: OVERRIDE_SETS, maxLength: OVERRIDE_SETS }),
      description,
    }) as fc.Arbitrary<ValueSpec>;
  switch (kind) {
    case 'string':
      // a default holding Helm's `<no value>` is refused at synthesis where the value is printed
      return of(valueText, hostileText);
    case 'secret':
      return of(valueText);
    case 'integer':
      return of(integerLiteral);
    case 'number':
      return of(numberLiteral);
    case 'boolean':
      return of(fc.boolean());
    case 'list':
      return of(fc.array(valueJsonTree, { maxLength: 3 }));
    case 'object':
      return of(fc.dictionary(fc.constantFrom(...JSON_KEYS), valueJsonTree, { maxKeys: 3 }));
    case 'strmap':
      return of(stringMap);
    case 'envlist':
      return of(envList);
    case 'secretName':
      return of(fc.constantFrom('', 'ext-secret', 'my.secret-2'));
    case 'port':
      return of(fc.integer({ min: 1, max: 65535 }));
    case 'replicas':
      return of(fc.integer({ min: 0, max: 50 }));
    case 'labelValue':
      return of(fc.constantFrom(...LABEL_VALUES, 'v1.2.3', 'Z', 'a-b_c.d'));
    case 'enum':
      return fc.uniqueArray(nonEmptyValueText, { minLength: 1, maxLength: 3 }).chain((choices) =>
        fc.record({
          kind: fc.constant(kind),
          default: fc.constantFrom(...choices),
          overrides: fc.array(fc.constantFrom(...choices), { minLength: OVERRIDE_SETS, maxLength: OVERRIDE_SETS }),
          description,
          choices: fc.constant(choices),
        }),
      );
  }
}

const KINDS: Kind[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'enum',
  'list',
  'object',
  'strmap',
  'secret',
  'envlist',
  'port',
  'replicas',
  'labelValue',
];
/** Kinds with a shape of their own, used only where that shape fits. */
const SHAPED_KINDS: ReadonlySet<Kind> = new Set(['secret', 'strmap', 'envlist', 'secretName', 'port', 'replicas', 'labelValue']);
const SCALAR_TEXT_KINDS: ReadonlySet<Kind> = new Set(['string', 'integer', 'number', 'boolean', 'enum']);
const STRING_KINDS: ReadonlySet<Kind> = new Set(['string', 'enum']);

function programArbitrary(): fc.Arbitrary<Program> {
  return fc
    .tuple(
      fc.array(fc.constantFrom(...KINDS), { minLength: 2, maxLength: 8 }).chain((kinds) =>
        fc.tuple(fc.boolean(), fc.boolean(), valueSpec('secretName'), ...kinds.map(valueSpec)).map(([b0, b1, secretName, ...rest]) => [
          // two booleans every program has for its conditions, and the name of a Secret that replaces the chart's
          { kind: 'boolean' as const, default: b0, overrides: [!b0, b1], description: 'A switch.' },
          { kind: 'boolean' as const, default: b1, overrides: [b1, !b1], description: 'Another switch.' },
          { ...secretName, default: '' },
          ...rest,
        ]),
      ),
      fc.oneof(fc.constant('Generated.'), descriptionText),
    )
    .chain(([values, description]) => {
      const indexes = (ok: (v: ValueSpec) => boolean) => values.map((v, i) => (ok(v) ? i : -1)).filter((i) => i >= 0);
      const enums = indexes((v) => v.kind === 'enum');
      const atom: fc.Arbitrary<Atom> = fc.oneof(
        fc.record({ bool: fc.constantFrom(...indexes((v) => v.kind === 'boolean')), negated: fc.boolean() }),
        ...(enums.length
          ? [
              fc
                .constantFrom(...enums)
                .chain((e) =>
                  fc.record({ enumEq: fc.constant(e), choice: fc.nat({ max: values[e].choices!.length - 1 }), equal: fc.boolean() }),
                ),
            ]
          : []),
      );
      return fc.array(atom, { minLength: 1, maxLength: 4 }).chain((atoms) => {
        const cond: fc.Arbitrary<Cond> = fc.letrec<{ cond: Cond }>((tie) => ({
          cond: fc.oneof(
            { depthSize: 'small', withCrossShrink: true },
            { weight: 4, arbitrary: fc.nat({ max: atoms.length - 1 }).map((atom): Cond => ({ atom })) },
            { weight: 1, arbitrary: fc.array(tie('cond'), { minLength: 2, maxLength: 3 }).map((all): Cond => ({ all })) },
            { weight: 1, arbitrary: fc.array(tie('cond'), { minLength: 2, maxLength: 3 }).map((any): Cond => ({ any })) },
            { weight: 1, arbitrary: tie('cond').map((not): Cond => ({ not })) },
          ),
        })).cond;
        const stringLeaf = leafOf(values, STRING_KINDS, hostileText);
        const anyLeaf = leafOf(values, new Set(KINDS.filter((k) => !SHAPED_KINDS.has(k))), jsonTree);
        const envLists = indexes((v) => v.kind === 'envlist');
        const strmaps = indexes((v) => v.kind === 'strmap');
        const podAnnotations = ['spec', 'template', 'metadata', 'annotations'];
        const podAnnotationPath = fc.constantFrom(...ANNOTATION_KEYS).map((k) => [...podAnnotations, k]);
        /** Overrides of a workload: its pod annotations (dotted keys, if/else chains, a merged map) and an env list appended. */
        const workloadOp: fc.Arbitrary<OpSpec[]> = fc.oneof(
          fc.record({ op: fc.constant('set' as const), path: podAnnotationPath, value: stringLeaf }).map((o) => [o]),
          fc
            .tuple(podAnnotationPath, fc.array(fc.tuple(cond, stringLeaf), { minLength: 1, maxLength: 3 }))
            .map(([p, links]) => links.map(([c, v]): OpSpec => ({ op: 'setIf', path: p, cond: c, value: v }))),
          ...(strmaps.length ? [fc.constantFrom(...strmaps).map((value): OpSpec[] => [{ op: 'merge', path: podAnnotations, value }])] : []),
          ...(envLists.length
            ? [
                fc
                  .constantFrom(...envLists)
                  .map((value): OpSpec[] => [{ op: 'append', path: ['spec', 'template', 'spec', 'containers', 0, 'env'], value }]),
              ]
            : []),
        );
        const secretLeaf = leafOf(values, new Set<Kind>([...STRING_KINDS, 'secret']), hostileText);
        const objects = indexes((v) => v.kind === 'object' || v.kind === 'strmap');
        const lists = indexes((v) => v.kind === 'list');
        const annotationPath = fc.constantFrom(...ANNOTATION_KEYS).map((k) => ['metadata', 'annotations', k]);
        const op = (bodyField: string, bodyKeys: readonly string[], leaf: fc.Arbitrary<Leaf>, deep: boolean): fc.Arbitrary<OpSpec[]> => {
          const path = deep
            ? fc.array(fc.constantFrom(...bodyKeys), { minLength: 1, maxLength: 2 }).map((ks) => [bodyField, ...ks])
            : fc.constantFrom(...bodyKeys).map((k) => [bodyField, k]);
          const one = (o: fc.Arbitrary<OpSpec>) => o.map((x) => [x]);
          /** setIf after setIf on one path: if / else if, with what was there before as else. */
          const chain = (at: fc.Arbitrary<string[]>, value: fc.Arbitrary<Leaf>) =>
            fc
              .tuple(at, fc.array(fc.tuple(cond, value), { minLength: 2, maxLength: 3 }))
              .map(([p, links]) => links.map(([c, v]): OpSpec => ({ op: 'setIf', path: p, cond: c, value: v })));
          const choices: Array<fc.WeightedArbitrary<OpSpec[]>> = [
            { weight: 3, arbitrary: one(fc.record({ op: fc.constant('set' as const), path, value: leaf })) },
            { weight: 3, arbitrary: one(fc.record({ op: fc.constant('setIf' as const), path, cond, value: leaf })) },
            { weight: 2, arbitrary: chain(path, leaf) },
            { weight: 1, arbitrary: one(fc.record({ op: fc.constant('remove' as const), path })) },
            { weight: 2, arbitrary: one(fc.record({ op: fc.constant('set' as const), path: annotationPath, value: stringLeaf })) },
            { weight: 2, arbitrary: one(fc.record({ op: fc.constant('setIf' as const), path: annotationPath, cond, value: stringLeaf })) },
            { weight: 2, arbitrary: chain(annotationPath, stringLeaf) },
            { weight: 1, arbitrary: one(fc.record({ op: fc.constant('remove' as const), path: annotationPath })) },
          ];
          const mergeable = deep ? objects : strmaps;
          const merge = (at: string[], from: number[]) =>
            one(fc.record({ op: fc.constant('merge' as const), path: fc.constant(at), value: fc.constantFrom(...from) }));
          if (mergeable.length) choices.push({ weight: 2, arbitrary: merge([bodyField], mergeable) });
          if (strmaps.length) choices.push({ weight: 2, arbitrary: merge(['metadata', 'annotations'], strmaps) });
          if (deep && lists.length) {
            choices.push({
              weight: 2,
              arbitrary: one(
                fc.record({ op: fc.constant('append' as const), path: fc.constant([bodyField, 'l']), value: fc.constantFrom(...lists) }),
              ),
            });
          }
          return fc.oneof(...choices);
        };
        const ops = (bodyField: string, bodyKeys: readonly string[], leaf: fc.Arbitrary<Leaf>, deep: boolean, max: number) =>
          fc.array(op(bodyField, bodyKeys, leaf, deep), { maxLength: max }).map((groups) => groups.flat());
        const common = {
          annotations: fc.dictionary(fc.constantFrom(...ANNOTATION_KEYS), stringLeaf, { maxKeys: 2 }),
          labels: fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { maxKeys: 2 }),
          enableWhen: fc.option(cond, { nil: undefined, freq: 3 }),
          enableWith: fc.option(fc.nat({ max: 3 }), { nil: undefined, freq: 5 }),
          replaceable: fc.boolean(),
          fromValues: fc.record({
            replicas: fc.boolean(),
            port: fc.boolean(),
            label: fc.option(fc.constantFrom(...LABEL_KEYS), { nil: undefined }),
          }),
          hook: fc.option(
            fc.record({
              events: fc.uniqueArray(fc.constantFrom(HookEvent.PRE_INSTALL, HookEvent.POST_INSTALL, HookEvent.PRE_UPGRADE), {
                minLength: 1,
                maxLength: 2,
              }),
              afterPrevious: fc.boolean(),
              weight: fc.option(fc.integer({ min: -20, max: 20 }), { nil: undefined }),
              deletePolicies: fc.option(
                fc.uniqueArray(fc.constantFrom(...Object.values(HookDeletePolicy)), { minLength: 1, maxLength: 3 }),
                {
                  nil: undefined,
                },
              ),
            }),
            { nil: undefined, freq: 4 },
          ),
          pathStyle: fc.constantFrom('segments' as const, 'brackets' as const, 'dotted' as const),
        };
        const widget = fc.record({
          kind: fc.constant('Widget' as const),
          body: fc.dictionary(fc.constantFrom(...SPEC_KEYS), anyLeaf, { maxKeys: 3 }),
          list: fc.array(anyLeaf, { maxLength: 3 }),
          ops: ops('spec', SPEC_KEYS, anyLeaf, true, 4),
          ...common,
        });
        const configMap = fc.record({
          kind: fc.constant('ConfigMap' as const),
          body: fc.dictionary(fc.constantFrom(...DATA_KEYS), stringLeaf, { maxKeys: 3 }),
          list: fc.constant([]),
          ops: ops('data', DATA_KEYS, stringLeaf, false, 3),
          ...common,
        });
        const secret = fc.record({
          kind: fc.constant('Secret' as const),
          body: fc.dictionary(fc.constantFrom(...DATA_KEYS), secretLeaf, { minKeys: 1, maxKeys: 3 }),
          list: fc.constant([]),
          ops: fc.constant([]),
          ...common,
        });
        const workload = (kind: 'Deployment' | 'Job') =>
          fc.record({
            kind: fc.constant(kind),
            body: fc.dictionary(fc.constantFrom('MODE', 'JSON_CFG', 'LEVEL'), stringLeaf, { maxKeys: 2 }),
            list: fc.array(stringLeaf, { maxLength: 3 }),
            ops: fc.array(workloadOp, { maxLength: 3 }).map((groups) => groups.flat()),
            ...common,
          });
        const service = fc.record({
          kind: fc.constant('Service' as const),
          body: fc.constant({}),
          list: fc.constant([]),
          ops: fc.constant([]),
          ...common,
        });
        return fc.record({
          description: fc.constant(description),
          values: fc.constant(values),
          atoms: fc.constant(atoms),
          objects: fc.array(fc.oneof(widget, widget, configMap, configMap, secret, workload('Deployment'), workload('Job'), service), {
            minLength: 1,
            maxLength: 4,
          }),
        });
      });
    }) as fc.Arbitrary<Program>;
}

function leafOf(values: readonly ValueSpec[], wholeKinds: ReadonlySet<Kind>, literal: fc.Arbitrary<unknown>): fc.Arbitrary<Leaf> {
  const whole = values.map((v, i) => (wholeKinds.has(v.kind) ? i : -1)).filter((i) => i >= 0);
  const textual = values
    .map((v, i) => (SCALAR_TEXT_KINDS.has(v.kind) || (wholeKinds.has('secret') && v.kind === 'secret') ? i : -1))
    .filter((i) => i >= 0);
  const options: Array<fc.Arbitrary<Leaf>> = [literal.map((lit) => ({ lit }))];
  if (whole.length) options.push(fc.constantFrom(...whole).map((i) => ({ whole: i })));
  if (textual.length) {
    options.push(fc.tuple(hostileText, fc.constantFrom(...textual), hostileText).map((text) => ({ text })));
  }
  options.push(fc.record({ release: fc.constantFrom('name' as const, 'namespace' as const), around: fc.tuple(hostileText, hostileText) }));
  options.push(fc.record({ nameOf: fc.nat({ max: 3 }), around: fc.tuple(hostileText, hostileText) }));
  return fc.oneof(...options);
}

// ---- building the program through the public API, and what it must render

/** The tokens of a built program: each marker or number, the value it stands for, and how it is used. */
interface TokenUseOf {
  readonly value: number;
  readonly as: 'whole' | 'text';
  /** A resource name: of the object with this index. */
  readonly object?: number;
}

interface Built {
  readonly chart: HelmChart;
  readonly declared: Value[];
  readonly markers: Map<string, TokenUseOf>;
  readonly numbers: Map<number, TokenUseOf>;
  readonly objects: Array<{
    readonly spec: ObjectSpec;
    readonly object: ApiObject;
    readonly json: Record<string, any>;
    /** The events of a hook. */
    readonly hookEvents?: readonly HookEvent[];
  }>;
  /** What each leaf of the program was written as (markers and number tokens included). */
  readonly leaves: WeakMap<Leaf, unknown>;
}

function build(program: Program): Built {
  const chart = new HelmChart(Testing.app(), 'gen', { version: '1.0.0', appVersion: '1.0.0', description: program.description });
  const markers = new Map<string, TokenUseOf>();
  const numbers = new Map<number, TokenUseOf>();
  const declared = program.values.map((spec, i) => {
    const path = `${['app', 'cfg.x', 'a.b.c'][i % 3].replace('.x', '')}.v${i}`;
    const options = { description: spec.description, default: spec.default } as any;
    switch (spec.kind) {
      case 'string':
        return chart.values.string(path, options);
      case 'secret':
        return chart.values.secret(path, { description: spec.description });
      case 'integer':
        return chart.values.integer(path, options);
      case 'number':
        return chart.values.number(path, options);
      case 'boolean':
        return chart.values.boolean(path, options);
      case 'enum':
        return chart.values.enum(path, { ...options, values: spec.choices! });
      case 'list':
      case 'envlist':
        return chart.values.list(path, options);
      case 'object':
      case 'strmap':
        return chart.values.object(path, options);
      case 'secretName':
      case 'labelValue':
        return chart.values.string(path, options);
      case 'port':
      case 'replicas':
        return chart.values.integer(path, options);
    }
  });
  const wholeOf = (i: number): unknown => {
    const value = declared[i] as any;
    const kind = program.values[i].kind;
    const token =
      kind === 'integer' || kind === 'number' || kind === 'port' || kind === 'replicas'
        ? value.asNumber()
        : kind === 'boolean'
          ? value.asBoolean()
          : kind === 'list' || kind === 'envlist'
            ? value.asList()
            : kind === 'object' || kind === 'strmap'
              ? value.asObject()
              : value.asString();
    if (typeof token === 'number') numbers.set(token, { value: i, as: 'whole' });
    else markers.set(token as string, { value: i, as: 'whole' });
    return token;
  };
  const textOf = (i: number): string => {
    const kind = program.values[i].kind;
    const value = declared[i] as any;
    if (kind === 'integer' || kind === 'number') {
      const n: number = value.asNumber();
      numbers.set(n, { value: i, as: 'whole' });
      markers.set(`${n}`, { value: i, as: 'text' });
      return `${n}`;
    }
    const marker: string = value.asString();
    markers.set(marker, { value: i, as: 'text' });
    return marker;
  };
  const leaves = new WeakMap<Leaf, unknown>();
  /** The name of an earlier object; before the first object is made, no name (empty text). */
  const nameOf = (index: number): string => {
    if (!objects.length) return '';
    const k = index % objects.length;
    const marker = chart.resourceName(objects[k].object);
    markers.set(marker, { value: program.values.length, as: 'text', object: k });
    return marker;
  };
  const releaseOf = (field: 'name' | 'namespace'): string => {
    const marker = field === 'name' ? Release.name : Release.namespace;
    markers.set(marker, { value: program.values.length + (field === 'name' ? 0 : 1), as: 'text' });
    return marker;
  };
  const leaf = (l: Leaf): unknown => {
    const json =
      'lit' in l
        ? structuredClone(l.lit)
        : 'whole' in l
          ? wholeOf(l.whole)
          : 'text' in l
            ? `${l.text[0]}${textOf(l.text[1])}${l.text[2]}`
            : 'release' in l
              ? `${l.around[0]}${releaseOf(l.release)}${l.around[1]}`
              : `${l.around[0]}${nameOf(l.nameOf)}${l.around[1]}`;
    leaves.set(l, structuredClone(json));
    return json;
  };
  const conditionOf = (c: Cond): Condition =>
    'atom' in c
      ? atomCondition(program, declared, program.atoms[c.atom])
      : 'all' in c
        ? Condition.and(...c.all.map(conditionOf))
        : 'any' in c
          ? Condition.or(...c.any.map(conditionOf))
          : conditionOf(c.not).not();

  const firstOf = (kind: Kind): number | undefined => {
    const index = program.values.findIndex((v) => v.kind === kind);
    return index < 0 ? undefined : index;
  };
  const objects: Built['objects'] = [];
  const hookEvents = new Map<ApiObject, readonly HookEvent[]>();
  let previousHook: { object: ApiObject; events: readonly HookEvent[] } | undefined;
  program.objects.forEach((spec, n) => {
    const id = `O${n}`;
    const body = Object.fromEntries(Object.entries(spec.body).map(([k, l]) => [k, leaf(l as Leaf)]));
    const list = spec.list.map(leaf);
    let object: ApiObject;
    switch (spec.kind) {
      case 'Widget':
        object = new ApiObject(chart, id, { apiVersion: 'example.com/v1', kind: 'Widget', spec: { ...body, l: list } });
        break;
      case 'ConfigMap':
        object = ApiObject.of(new kplus.ConfigMap(chart, id, { data: body as Record<string, string> }));
        break;
      case 'Secret':
        object = ApiObject.of(new kplus.Secret(chart, id, { stringData: body as Record<string, string> }));
        break;
      case 'Deployment':
      case 'Job': {
        const container = {
          image: 'nginx:1.27',
          args: list as string[],
          envVariables: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, kplus.EnvValue.fromValue(v as string)])),
        };
        const replicas = spec.fromValues?.replicas ? firstOf('replicas') : undefined;
        const workload =
          spec.kind === 'Deployment'
            ? new kplus.Deployment(chart, id, {
                containers: [container],
                ...(replicas === undefined ? {} : { replicas: wholeOf(replicas) as number }),
              })
            : new kplus.Job(chart, id, { containers: [container] });
        object = ApiObject.of(workload);
        break;
      }
      case 'Service': {
        const port = spec.fromValues?.port ? firstOf('port') : undefined;
        object = ApiObject.of(
          new kplus.Service(chart, id, { ports: [{ port: port === undefined ? 80 : (wholeOf(port) as number), targetPort: 8080 }] }),
        );
        break;
      }
    }
    for (const [k, l] of Object.entries(spec.annotations)) object.metadata.addAnnotation(k, leaf(l) as string);
    for (const [k, v] of Object.entries(spec.labels)) object.metadata.addLabel(k, v);
    const labelValue = spec.fromValues?.label ? firstOf('labelValue') : undefined;
    if (labelValue !== undefined) object.metadata.addLabel(spec.fromValues!.label!, wholeOf(labelValue) as string);
    const template = Template.of(object).nameSuffix(`o${n}`);
    for (const op of spec.ops) {
      const path = spec.pathStyle === 'segments' ? [...op.path] : pathText(op.path, spec.pathStyle === 'dotted');
      if (op.op === 'set') template.set(path, leaf(op.value));
      else if (op.op === 'setIf') template.setIf(path, conditionOf(op.cond), leaf(op.value));
      else if (op.op === 'remove') template.remove(path);
      else if (op.op === 'merge') template.merge(path, wholeOf(op.value));
      else template.append(path, wholeOf(op.value));
    }
    if (spec.enableWhen) template.enableWhen(conditionOf(spec.enableWhen));
    if (spec.enableWith !== undefined && n > 0) template.enableWith(objects[spec.enableWith % n].object);
    if (spec.replaceable && spec.kind === 'Secret') template.replaceableBy(declared[2] as StringValue);
    if (spec.hook) {
      // a hook runs after another only at events they share: it takes the other's
      const after = spec.hook.afterPrevious ? previousHook : undefined;
      const events = after ? after.events : spec.hook.events;
      Hook.apply(object, {
        events,
        after: after ? [after.object] : undefined,
        weight: after ? undefined : spec.hook.weight,
        deletePolicies: spec.hook.deletePolicies,
      });
      previousHook = { object, events };
      hookEvents.set(object, events);
    }
    objects.push({ spec, object, json: object.toJson(), hookEvents: hookEvents.get(object) });
  });
  return { chart, declared, markers, numbers, objects, leaves };
}

function atomCondition(program: Program, declared: Value[], atom: Atom): Condition {
  if ('bool' in atom) {
    const condition = Condition.from(declared[atom.bool] as any);
    return atom.negated ? condition.not() : condition;
  }
  const choice = program.values[atom.enumEq].choices![atom.choice];
  return atom.equal ? declared[atom.enumEq].eq(choice) : declared[atom.enumEq].ne(choice);
}

/** Fields whose map holds strings: after them the rest of a dotted path is one key (README, "Field paths"). */
const STRING_MAPS = new Set(['annotations', 'labels', 'data', 'stringData']);

/**
 * A path as text: dotted, with keys that hold dots or slashes in quoted brackets; `dotted`: a key in a
 * map of strings written after a plain dot.
 */
function pathText(path: readonly (string | number)[], dotted: boolean): string {
  const last = path.length - 1;
  if (dotted && path.length >= 2 && STRING_MAPS.has(String(path[last - 1])) && typeof path[last] === 'string') {
    return `${pathText(path.slice(0, -1), false)}.${path[last]}`;
  }
  return path
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z0-9_-]+$/.test(s) ? (i ? `.${s}` : s) : `[${JSON.stringify(s)}]`))
    .join('');
}

/** The release of each render (the defaults, then each override set). */
const RELEASES = [
  { releaseName: 'release-name', namespace: 'default' },
  { releaseName: 'rel-a', namespace: 'team-a' },
  { releaseName: 'b', namespace: 'ns-1' },
];

/** The values in effect in one render: the defaults (set -1) or an override set; then the release name and namespace. */
function valuesInEffect(program: Program, set: number): unknown[] {
  const values = program.values.map((v) => (set < 0 ? (v.kind === 'secret' ? '' : v.default) : coalesced(v.default, v.overrides[set])));
  return [...values, RELEASES[set + 1].releaseName, RELEASES[set + 1].namespace];
}

/** Helm's merge of a values file over values.yaml: maps merged key by key, anything else replaced. */
function coalesced(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = key in base ? coalesced(base[key], value) : value;
  return merged;
}

function isMap(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The values file of an override set, keyed like the declared paths. */
function valuesFile(built: Built, inEffect: readonly unknown[]): Record<string, unknown> {
  const file: Record<string, any> = {};
  built.declared.forEach((value, i) => {
    const keys = value.path.split('.');
    let node = file;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys[keys.length - 1]] = inEffect[i];
  });
  return file;
}

/** How a scalar value prints inside text. */
function printed(value: unknown, kind: Kind): string {
  if (typeof value === 'string') return value;
  if (kind === 'integer') return BigInt(value as number).toString();
  return JSON.stringify(value);
}

/** Every token of a JSON tree replaced by the value in effect. */
function substitute(tree: unknown, built: Built, program: Program, inEffect: readonly unknown[]): unknown {
  const wholeValue = (x: unknown): { found: boolean; value?: unknown; list?: boolean } => {
    const use = typeof x === 'number' ? built.numbers.get(x) : typeof x === 'string' ? built.markers.get(x) : undefined;
    if (!use || use.as !== 'whole') return { found: false };
    const value = structuredClone(inEffect[use.value]);
    const kind = program.values[use.value].kind;
    if (kind === 'list') return { found: true, value, list: true };
    if (typeof value !== 'string' && STRING_KINDS.has(kind)) return { found: true, value: printed(value, kind) };
    return { found: true, value };
  };
  const text = (s: string): string => {
    let out = s;
    for (const [marker, use] of [...built.markers].sort((a, b) => b[0].length - a[0].length)) {
      if (!out.includes(marker)) continue;
      // a resource name: the release name (never holding the chart's name here), the chart's, the object's suffix
      const text =
        use.object !== undefined
          ? resourceName(program, use.object, inEffect)
          : printed(inEffect[use.value], program.values[use.value]?.kind ?? 'string');
      out = out.split(marker).join(text);
    }
    return out;
  };
  const walk = (x: unknown): unknown => {
    const whole = wholeValue(x);
    if (whole.found) return whole.value;
    if (typeof x === 'string') return text(x);
    if (Array.isArray(x)) {
      return x.flatMap((item) => {
        const w = wholeValue(item);
        if (w.found && w.list) return w.value as unknown[];
        return [walk(item)];
      });
    }
    if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, walk(v)]));
    return x;
  };
  return walk(tree);
}

/** An object's name: a Secret replaced by an existing one (value 2 set) is that one's; else `<release>-gen-o<n>` (the release name never holds the chart's name here). */
function resourceName(program: Program, object: number, inEffect: readonly unknown[]): string {
  const spec = program.objects[object];
  if (spec.kind === 'Secret' && spec.replaceable && inEffect[2] !== '') return String(inEffect[2]);
  return `${inEffect[program.values.length]}-gen-o${object}`;
}

function atomHolds(program: Program, atom: Atom, inEffect: readonly unknown[]): boolean {
  if ('bool' in atom) return (inEffect[atom.bool] === true) !== atom.negated;
  return (inEffect[atom.enumEq] === program.values[atom.enumEq].choices![atom.choice]) === atom.equal;
}

/** Whether a condition holds, given each atom's truth. */
function condHolds(c: Cond, atoms: readonly boolean[]): boolean {
  if ('atom' in c) return atoms[c.atom];
  if ('all' in c) return c.all.every((x) => condHolds(x, atoms));
  if ('any' in c) return c.any.some((x) => condHolds(x, atoms));
  return !condHolds(c.not, atoms);
}

/** What one object must render as, for the values in effect; undefined when it is not rendered. */
function expectedObject(built: Built, program: Program, index: number, inEffect: readonly unknown[]): Record<string, any> | undefined {
  const { spec, json } = built.objects[index];
  const atoms = program.atoms.map((a) => atomHolds(program, a, inEffect));
  if (spec.enableWhen && !condHolds(spec.enableWhen, atoms)) return undefined;
  if (spec.enableWith !== undefined && index > 0 && !expectedObject(built, program, spec.enableWith % index, inEffect)) return undefined;
  if (spec.replaceable && spec.kind === 'Secret' && inEffect[2] !== '') return undefined;
  // each setIf's condition, evaluated here, is one boolean of the model
  const booleans: boolean[] = [];
  const modelCondition = (c: Cond): ModelCondition => {
    booleans.push(condHolds(c, atoms));
    return { value: booleans.length - 1, negated: false };
  };
  const maps = program.values.map((v, i) => (v.kind === 'object' || v.kind === 'strmap' ? (inEffect[i] as Record<string, unknown>) : {}));
  const lists = program.values.map((v, i) => (v.kind === 'list' || v.kind === 'envlist' ? (inEffect[i] as unknown[]) : []));
  const ops: ModelOp[] = spec.ops.map((op): ModelOp => {
    const value = (l: Leaf): ModelValue => {
      if ('whole' in l && (program.values[l.whole].kind === 'object' || program.values[l.whole].kind === 'strmap')) return { map: l.whole };
      return { literal: leafJson(built, l) };
    };
    if (op.op === 'set') return { op: 'set', path: op.path, value: value(op.value) };
    if (op.op === 'setIf') return { op: 'setIf', path: op.path, condition: modelCondition(op.cond), value: value(op.value) };
    if (op.op === 'remove') return { op: 'remove', path: op.path };
    if (op.op === 'merge') return { op: 'merge', path: op.path, map: op.value };
    return { op: 'append', path: op.path, list: op.value };
  });
  const base = substitute(
    { metadata: { annotations: json.metadata?.annotations ?? {}, labels: json.metadata?.labels ?? {} }, body: bodyOf(spec.kind, json) },
    built,
    program,
    inEffect,
  ) as Record<string, any>;
  const field = bodyField(spec.kind);
  const modelBase: Record<string, any> = { metadata: base.metadata, [field]: base.body };
  const modelled = applyModel(
    modelBase,
    ops.map((op) => op),
    { booleans, maps, lists },
  );
  // literal values of overrides still hold markers; the model copies them, so substitute once more
  return substitute(modelled, built, program, inEffect) as Record<string, any>;
}

function leafJson(built: Built, l: Leaf): unknown {
  if (!built.leaves.has(l)) throw new Error(`leaf ${JSON.stringify(l)} was not built`);
  return structuredClone(built.leaves.get(l));
}

function bodyField(kind: ObjectSpec['kind']): string {
  return kind === 'ConfigMap' ? 'data' : kind === 'Secret' ? 'stringData' : 'spec';
}

/** The part of an object the program wrote besides metadata. */
function bodyOf(kind: ObjectSpec['kind'], json: Record<string, any>): unknown {
  if (kind === 'Widget') return json.spec;
  if (kind === 'ConfigMap') return json.data;
  if (kind === 'Secret') return json.stringData;
  if (kind === 'Service') return { ports: (json.spec?.ports ?? []).map((p: any) => ({ port: p.port, targetPort: p.targetPort })) };
  const container = json.spec.template.spec.containers[0];
  const annotations = Object.entries(json.spec.template.metadata?.annotations ?? {}).filter(([k]) => !CHART_ANNOTATION.test(k));
  return {
    replicas: json.spec.replicas,
    template: {
      metadata: { annotations: Object.fromEntries(annotations) },
      spec: { containers: [{ image: container.image, args: container.args, env: container.env }] },
    },
  };
}

/** Annotation keys the chart adds by itself (hooks, checksums). */
const CHART_ANNOTATION = /^(helm\.sh\/|checksum\/)/;
/** Label keys the chart's labels helper writes. */
const CHART_LABEL = /^(helm\.sh\/chart|app\.kubernetes\.io\/)/;

function observed(kind: ObjectSpec['kind'], manifest: Record<string, any>): Record<string, any> {
  const annotations = Object.fromEntries(Object.entries(manifest.metadata?.annotations ?? {}).filter(([k]) => !CHART_ANNOTATION.test(k)));
  const labels = Object.fromEntries(Object.entries(manifest.metadata?.labels ?? {}).filter(([k]) => !CHART_LABEL.test(k)));
  return { metadata: { annotations, labels }, [bodyField(kind)]: bodyOf(kind, manifest) };
}

// ---- running a program

interface Outcome {
  readonly refused?: string;
  readonly renders: number;
}

const stats = { programs: 0, refused: 0, renders: 0, objects: 0 };

function check(program: Program): Outcome {
  let built: Built;
  let files;
  try {
    built = build(program);
    files = Testing.synth(built.chart);
  } catch (error) {
    if (!HelmSynthError.isHelmSynthError(error)) throw error;
    const paths = error.problems.length ? error.problems.map((p) => p.constructPath) : [error.constructPath];
    if (!paths.every((path) => /^gen(\/|$)/.test(path)))
      throw new Error(`HelmSynthError names no construct path of the chart: ${error.message}`);
    if (NO_VALUE_REFUSAL.test(error.message) && !program.values.some((v) => JSON.stringify(v.default ?? '').includes('<no value>'))) {
      throw new Error(`refused for a <no value> default that no value has: ${error.message}`);
    }
    if (process.env.HELM_SYNTH_PROPERTY_REASONS) console.log(`refused: ${error.message}`);
    return { refused: error.message, renders: 0 };
  }
  const dir = Testing.writeChart(files);
  let renders = 0;
  try {
    try {
      Testing.lint(dir);
    } catch (error) {
      throw new Error(`synthesis succeeded but helm lint fails: ${String(error)}`);
    }
    for (let set = -1; set < OVERRIDE_SETS; set++) {
      const inEffect = valuesInEffect(program, set);
      let rendered;
      try {
        rendered = Testing.render(dir, { ...RELEASES[set + 1], ...(set < 0 ? {} : { values: valuesFile(built, inEffect) }) });
      } catch (error) {
        // documented: a values entry repeating a key of a keyed list fails the render, naming the value
        if (set >= 0 && /an entry with name \S+ is already in/.test(String(error)) && repeatsEnvName(built, program, inEffect)) continue;
        throw new Error(
          `synthesis succeeded but the render with ${set < 0 ? 'the defaults' : `override set ${set}`} fails: ${String(error)}\nvalues: ${JSON.stringify(valuesFile(built, inEffect))}`,
        );
      }
      renders++;
      built.objects.forEach(({ spec }, n) => {
        const expected = expectedObject(built, program, n, inEffect);
        const found = rendered.manifests.filter((m) => m.kind === kindOf(spec.kind) && String(m.metadata?.name).endsWith(`-o${n}`));
        const where = `object O${n} (${spec.kind}) with ${set < 0 ? 'the defaults' : `override set ${set}`}`;
        if (expected === undefined) {
          if (found.length) throw new Error(`${where}: rendered although its condition is false`);
          return;
        }
        if (found.length !== 1) throw new Error(`${where}: ${found.length} objects rendered`);
        stats.objects++;
        const actual = normalized(observed(spec.kind, found[0]));
        const wanted = normalized(expected);
        if (!deepEqual(actual, wanted)) {
          throw new Error(
            `${where} renders other than expected:\n  rendered ${JSON.stringify(actual)}\n  expected ${JSON.stringify(wanted)}`,
          );
        }
        if (spec.hook) {
          const events = String(found[0].metadata.annotations?.['helm.sh/hook'] ?? '').split(',');
          const annotations = found[0].metadata.annotations ?? {};
          if (
            !spec.hook.afterPrevious &&
            spec.hook.weight !== undefined &&
            annotations['helm.sh/hook-weight'] !== String(spec.hook.weight)
          ) {
            throw new Error(`${where}: hook weight ${annotations['helm.sh/hook-weight']}, expected ${spec.hook.weight}`);
          }
          const policies = String(annotations['helm.sh/hook-delete-policy'] ?? '').split(',');
          const wantedPolicies = spec.hook.deletePolicies ?? [HookDeletePolicy.BEFORE_HOOK_CREATION];
          if ([...policies].sort().join(',') !== [...wantedPolicies].sort().join(',')) {
            throw new Error(`${where}: hook delete policies ${policies.join(',')}, expected ${wantedPolicies.join(',')}`);
          }
          const wanted = built.objects[n].hookEvents ?? [];
          if ([...events].sort().join(',') !== [...wanted].sort().join(',')) {
            throw new Error(`${where}: hook events ${events.join(',')}, expected ${wanted.join(',')}`);
          }
        }
      });
    }
  } finally {
    Testing.removeChart(dir);
  }
  return { renders };
}

/** Whether a rendered workload's container would hold two env vars of one name (values appended). */
function repeatsEnvName(built: Built, program: Program, inEffect: readonly unknown[]): boolean {
  return built.objects.some(({ spec }, n) => {
    if (spec.kind !== 'Deployment' && spec.kind !== 'Job') return false;
    const env = (expectedObject(built, program, n, inEffect)?.spec?.template?.spec?.containers?.[0]?.env ?? []) as Array<{ name: string }>;
    return new Set(env.map((e) => e.name)).size !== env.length;
  });
}

function kindOf(kind: ObjectSpec['kind']): string {
  return kind;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]),
    );
  }
  return x;
}

function runSeed(seed: number): void {
  fc.assert(
    fc.property(programArbitrary(), (program) => {
      const outcome = check(program);
      stats.programs++;
      stats.renders += outcome.renders;
      if (outcome.refused) stats.refused++;
    }),
    {
      seed,
      numRuns: RUNS_PER_SEED,
      endOnFailure: process.env.HELM_SYNTH_PROPERTY_SHRINK !== '1',
      reporter: failingProgramReporter(seed, 'generated-program', 'HELM_SYNTH_PROGRAM'),
    },
  );
}

describe('generated chart programs render what their constructs say, under the defaults and under overrides', () => {
  if (process.env.HELM_SYNTH_PROGRAM) {
    Testing.ifHelm(test)('the program in HELM_SYNTH_PROGRAM', () => {
      const program = JSON.parse(process.env.HELM_SYNTH_PROGRAM!) as Program;
      if (process.env.HELM_SYNTH_PROGRAM_PRINT) {
        const files = Testing.synth(build(program).chart);
        if (process.env.HELM_SYNTH_PROGRAM_PRINT === 'dir') console.log(Testing.writeChart(files));
        else
          for (const [path, text] of files.files)
            if (path.startsWith('templates/') || path.startsWith('values')) console.log(`${path}\n${text}`);
      }
      console.log(JSON.stringify(check(program)));
    });
    return;
  }
  Testing.ifHelm(test)(
    `${RUNS_PER_SEED} programs with fixed seed ${FIXED_SEED}, ${RUNS_PER_SEED} with a random seed`,
    () => {
      const started = Date.now();
      runSeed(FIXED_SEED);
      runSeed(randomSeed);
      console.log(
        `generated charts: ${stats.programs} programs (${stats.refused} refused with a HelmSynthError), ${stats.renders} renders, ` +
          `${stats.objects} objects compared (seeds ${FIXED_SEED} and ${randomSeed}) in ${Date.now() - started} ms`,
      );
      expect(stats.programs).toBe(2 * RUNS_PER_SEED);
    },
    600_000,
  );
});
