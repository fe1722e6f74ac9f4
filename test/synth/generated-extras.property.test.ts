import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import { HelmChart, HelmSynthError, Release, StandardValues, Values } from '../../src';
import { Testing } from '../../src/testing';
import { failingProgramReporter } from '../support/program-reporter';

/**
 * Generated chart programs for what generated-charts.property.test.ts leaves out: NOTES.txt (the
 * `notes` prop and `chart.addNotes` with values in it), a CustomResourceDefinition (crds/), the
 * standard values (`StandardValues.for(chart, props).applyTo`, `autoscale`), values declared by
 * path or as a typed tree (`chart.values.define`, `Values.group`, `Values.withDefaults`, with or
 * without `StandardValues.values(props)` spread in) and an environment (`chart.environment`), all
 * with hostile text. Each program either fails synthesis with a HelmSynthError naming a construct
 * path of the chart, or renders, under the defaults, with the environment and with the environment's
 * values given as a values file, exactly the independent expectation: the NOTES text is the literal
 * text with each value printed as the README says; the CRD file read by Go's YAML reader (Helm's
 * `fromYaml`) is the object's JSON; the pod spec holds the standard values in effect (each omitted
 * when empty); the environment renders as its values given at install.
 *
 * Seeds: a fixed one, then HELM_SYNTH_PROPERTY_SEED when set, else a random one (printed on failure).
 */

const FIXED_SEED = 18;
const RUNS_PER_SEED = Number(process.env.HELM_SYNTH_EXTRAS_RUNS ?? 150);
const randomSeed = process.env.HELM_SYNTH_PROPERTY_SEED
  ? Number(process.env.HELM_SYNTH_PROPERTY_SEED)
  : (Date.now() ^ (Math.random() * 2 ** 31)) >>> 0;

const FRAGMENTS = [
  '{', '}', '{{', '}}', '{{ .Values.x }}', '{{-', '-}}', '{{/* c */}}', '{{ define "x" }}', '{{ end }}', '"', '\\', "'", '`', '%', '%v',
  '$', '.', ':', ': ', '#', ' #', '- ', '---', '...', '|', '>', '\n', '\r\n', '\t', ' ', '  lead', 'trail ', 'yes', 'no', 'on', '~',
  'null', 'true', '0x1F', '1e3', '0o17', '-1', '3.14', '<', '&a', '*a', '!t', '<<', '@', '[', ']', ',', '?', 'é', '✓', '日本', '🙂',
  '\u0085', '\u2028', '\ufeff', 'a', 'web',
]; // prettier-ignore

const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 8 },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }), weight: 2 },
);
const hostileText = fc.string({ unit: piece, maxLength: 6 });
/** Text a value holds: without Helm's `<no value>` (deleted from every render, a documented limitation). */
const valueText = hostileText;
/** Strings inside maps and lists of values: without the line breaks Helm's `toYaml` writes raw (a limitation of Helm). */
const yamlSafeText = valueText.filter((s) => !/[\u0085\u2028\u2029]/.test(s));
const INT_EDGE = [0, -1, 1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1e15];
const integerLiteral = fc.oneof(fc.integer(), fc.constantFrom(...INT_EDGE));
const numberLiteral = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }).map((x) => (Object.is(x, -0) ? 0 : x)),
  fc.constantFrom(0.1, -2.5, 1e21, 1e-7, 123456.789, 5),
);
const JSON_KEYS = ['a', 'b.c', 'x/y', 'ключ', '{{k}}', '- d', 'yes', '#c', 'k: v', '~', '<<', '1', 'null', '? q', ' ', 'true'];

/** Keys of value maps: "<<" left out (refused, Helm's toYaml writes it as a merge key; review-17). */
const VALUE_KEYS = JSON_KEYS.filter((k) => k !== '<<');

/** A JSON tree; null among its leaves unless `nulls` is false (a CRD's list holding null is refused: review-17). */
function jsonTreeOf(text: fc.Arbitrary<string>, keys: readonly string[] = JSON_KEYS, nulls = true): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(text, integerLiteral, numberLiteral, fc.boolean(), ...(nulls ? [fc.constant(null)] : []));
  return fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('tree'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...keys), tie('tree'), { maxKeys: 3, noNullPrototype: true }),
    ),
  })).tree;
}
const jsonMap = (text: fc.Arbitrary<string>, keys: readonly string[] = VALUE_KEYS, nulls = true) =>
  fc.dictionary(fc.constantFrom(...keys), jsonTreeOf(text, keys, nulls), { maxKeys: 3, noNullPrototype: true });

// ---- a program as plain data

type ScalarKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum';

interface Scalar {
  readonly kind: ScalarKind;
  readonly default: unknown;
  /** The value the environment gives, when it gives one. */
  readonly env?: unknown;
  readonly choices?: readonly string[];
}

/** A piece of text: literal, or the scalar with this index printed. */
type Piece = string | number | { readonly release: 'name' | 'namespace' };

interface StandardSpec {
  readonly replicaCount?: number;
  readonly resources?: Record<string, unknown>;
  readonly securityContext?: Record<string, unknown>;
  readonly podSecurityContext?: Record<string, unknown>;
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  readonly autoscale?: { readonly enabled: boolean; readonly minReplicas: number; readonly maxReplicas: number };
  /** Values the environment gives (paths as helm create names them). */
  readonly env: Record<string, unknown>;
}

interface Program {
  /** How the scalars are declared: by path, as a `values.define` tree, or as a block with `Values.withDefaults`. */
  readonly declare: 'paths' | 'define' | 'withDefaults';
  readonly scalars: readonly Scalar[];
  /** Each scalar's key in its group: identifiers, Go template keywords and YAML-special words among them. */
  readonly keys: readonly string[];
  readonly notesProp?: string;
  readonly notes: ReadonlyArray<readonly Piece[]>;
  /** Text of a ConfigMap (one entry each). */
  readonly data: ReadonlyArray<readonly Piece[]>;
  readonly crd?: { readonly description: string; readonly extra: Record<string, unknown> };
  readonly standard?: StandardSpec;
  /** With `define`: the standard values spread into the tree (`StandardValues.values(props)`). */
  readonly spreadStandard: boolean;
  readonly environment: boolean;
  /** With an environment: its value of the first scalar of the wrong type (or outside an enum's choices), which synthesis must refuse naming the environment. */
  readonly badEnvironment?: boolean;
  /** With an environment and standard values: one of them wrong for its schema (by index into BAD_STANDARD), to be refused naming the environment. */
  readonly badStandard?: number;
}

function scalarArbitrary(): fc.Arbitrary<Scalar> {
  const of = (kind: ScalarKind, arb: fc.Arbitrary<unknown>) =>
    fc.record({ kind: fc.constant(kind), default: arb, env: fc.option(arb, { nil: undefined }) }) as fc.Arbitrary<Scalar>;
  return fc.oneof(
    of('string', valueText),
    of('integer', integerLiteral),
    of('number', numberLiteral),
    of('boolean', fc.boolean()),
    fc
      .uniqueArray(
        valueText.filter((s) => s !== ''),
        { minLength: 1, maxLength: 3 },
      )
      .chain((choices) =>
        fc.record({
          kind: fc.constant('enum' as const),
          default: fc.constantFrom(...choices),
          env: fc.option(fc.constantFrom(...choices), { nil: undefined }),
          choices: fc.constant(choices),
        }),
      ),
  );
}

/** Keys of the scalars: identifiers (others are refused with a clear error), among them Go template keywords and functions and YAML-special words. */
const SCALAR_KEYS = [
  's0',
  's1',
  'yes',
  'null',
  'true',
  'on',
  'y',
  '_x',
  'Z9',
  'if',
  'nil',
  'range',
  'end',
  'else',
  'with',
  'define',
  'template',
  'block',
  'len',
  'and',
  'not',
  'Values',
  'Chart',
  '_',
];
/** Standard values an environment may not give: each breaks the schema StandardValues declares. */
const BAD_STANDARD: ReadonlyArray<Record<string, unknown>> = [
  { nodeSelector: { disktype: 1 } },
  { podAnnotations: { 'bad key!': 'x' } },
  { podLabels: { tier: 'bad value!' } },
  { image: { pullPolicy: 'Sometimes' } },
  { replicaCount: -1 },
  { replicaCount: 1.5 },
  { serviceAccount: { name: 'Bad_Name' } },
  { serviceAccount: { create: 'yes' } },
  { tolerations: { key: 'x' } },
  { imagePullSecrets: [{ nam: 'x' }] },
  { resources: 'small' },
];
const ANNOTATION_KEYS = ['example.com/owner', 'a.b.c', 'team', 'x.io/y-z'];
const NODE_KEYS = ['disktype', 'kubernetes.io/os', 'zone.example.com/a'];
/** Pod label keys, the chart's own among them (its own labels win). */
const POD_LABEL_KEYS = ['tier', 'example.com/team', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'helm.sh/chart'];
const CHART_LABEL = /^(helm\.sh\/chart|app\.kubernetes\.io\/)/;

const standardArbitrary: fc.Arbitrary<StandardSpec> = fc.record(
  {
    replicaCount: fc.integer({ min: 0, max: 50 }),
    resources: jsonMap(yamlSafeText),
    securityContext: jsonMap(yamlSafeText),
    podSecurityContext: jsonMap(yamlSafeText),
    imagePullPolicy: fc.constantFrom(kplus.ImagePullPolicy.ALWAYS, kplus.ImagePullPolicy.IF_NOT_PRESENT, kplus.ImagePullPolicy.NEVER),
    autoscale: fc
      .tuple(fc.boolean(), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 20 }))
      .map(([enabled, minReplicas, extra]) => ({ enabled, minReplicas, maxReplicas: minReplicas + extra })),
    env: fc.record(
      {
        replicaCount: fc.integer({ min: 0, max: 50 }),
        podAnnotations: fc.dictionary(fc.constantFrom(...ANNOTATION_KEYS), yamlSafeText, { maxKeys: 3, noNullPrototype: true }),
        nodeSelector: fc.dictionary(fc.constantFrom(...NODE_KEYS), yamlSafeText, { maxKeys: 2, noNullPrototype: true }),
        tolerations: fc.array(jsonMap(yamlSafeText), { maxLength: 2 }),
        affinity: jsonMap(yamlSafeText),
        resources: jsonMap(yamlSafeText),
        image: fc.constantFrom('Always', 'IfNotPresent', 'Never').map((pullPolicy) => ({ pullPolicy })),
        autoscaling: fc.record(
          { enabled: fc.boolean(), minReplicas: fc.integer({ min: 1, max: 6 }), maxReplicas: fc.integer({ min: 1, max: 6 }) },
          { requiredKeys: [] },
        ),
        podLabels: fc.dictionary(fc.constantFrom(...POD_LABEL_KEYS), fc.constantFrom('', 'web', 'a.b', 'x-1', 'A_9'), {
          maxKeys: 3,
          noNullPrototype: true,
        }),
        serviceAccount: fc.record(
          { create: fc.boolean(), automount: fc.boolean(), name: fc.constantFrom('', 'custom-sa', 'a.b') },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['env'] },
);

const pieces = (count: number) =>
  fc.array(
    fc.oneof<fc.Arbitrary<Piece>[]>(
      hostileText,
      count ? fc.nat({ max: count - 1 }) : hostileText,
      fc.constantFrom('name' as const, 'namespace' as const).map((release) => ({ release })),
    ),
    { minLength: 1, maxLength: 4 },
  );

const programArbitrary: fc.Arbitrary<Program> = fc.array(scalarArbitrary(), { minLength: 1, maxLength: 5 }).chain((scalars) =>
  fc.record(
    {
      declare: fc.constantFrom('paths' as const, 'define' as const, 'withDefaults' as const),
      scalars: fc.constant(scalars),
      keys: fc.uniqueArray(fc.constantFrom(...SCALAR_KEYS), { minLength: scalars.length, maxLength: scalars.length }),
      notesProp: hostileText.filter((t) => t.trim() !== ''),
      notes: fc.array(
        pieces(scalars.length).filter((ps) => ps.some((p) => p !== '')),
        { maxLength: 3 },
      ),
      data: fc.array(pieces(scalars.length), { maxLength: 3 }),
      crd: fc.record({ description: hostileText, extra: jsonMap(hostileText, JSON_KEYS, false) }),
      standard: standardArbitrary,
      spreadStandard: fc.boolean(),
      environment: fc.boolean(),
      badStandard: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 8 },
        { arbitrary: fc.nat({ max: BAD_STANDARD.length - 1 }), weight: 1 },
      ),
      badEnvironment: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constant(true), weight: 1 }),
    },
    { requiredKeys: ['declare', 'scalars', 'keys', 'notes', 'data', 'spreadStandard', 'environment'] },
  ),
);

// ---- building a program

interface Built {
  readonly chart: HelmChart;
  /** Each scalar's path in values.yaml. */
  readonly paths: readonly string[];
  /** Each scalar's text token. */
  readonly tokens: readonly string[];
  readonly crd?: ApiObject;
  readonly envValues: Record<string, unknown>;
}

const CRD_NAME = 'widgets.example.com';

function scalarSpec(s: Scalar, defaultValue: unknown) {
  const options = { description: 'A value.', default: defaultValue } as any;
  switch (s.kind) {
    case 'string':
      return Values.string(options);
    case 'integer':
      return Values.integer(options);
    case 'number':
      return Values.number(options);
    case 'boolean':
      return Values.boolean(options);
    case 'enum':
      return Values.enum({ ...options, values: s.choices! });
  }
}

function placeholder(s: Scalar): unknown {
  return s.kind === 'string' ? 'placeholder' : s.kind === 'boolean' ? !s.default : s.kind === 'enum' ? s.choices![0] : 7;
}

function standardProps(spec: StandardSpec) {
  return {
    replicaCount: spec.replicaCount,
    resources: spec.resources,
    securityContext: spec.securityContext,
    podSecurityContext: spec.podSecurityContext,
    imagePullPolicy: spec.imagePullPolicy,
  } as any;
}

function build(program: Program): Built {
  const chart = new HelmChart(Testing.app(), 'gen', { version: '1.0.0', notes: program.notesProp });
  let leaves: any[];
  let paths: string[];
  if (program.declare === 'paths') {
    paths = program.scalars.map((_, i) => `grp.${program.keys[i]}`);
    leaves = program.scalars.map((s, i) => {
      const options = { description: 'A value.', default: s.default } as any;
      const path = paths[i];
      if (s.kind === 'enum') return chart.values.enum(path, { ...options, values: s.choices! });
      return (chart.values as any)[s.kind](path, options);
    });
  } else {
    const block = Object.fromEntries(
      program.scalars.map((s, i) => [program.keys[i], scalarSpec(s, program.declare === 'withDefaults' ? placeholder(s) : s.default)]),
    );
    const grp =
      program.declare === 'withDefaults'
        ? Values.withDefaults(block, Object.fromEntries(program.scalars.map((s, i) => [program.keys[i], s.default])) as never)
        : block;
    const spread = program.standard && program.spreadStandard ? StandardValues.values(standardProps(program.standard)) : {};
    const tree = chart.values.define({ ...spread, grp: Values.group('A group.', grp) } as any) as any;
    paths = program.scalars.map((_, i) => `grp.${program.keys[i]}`);
    leaves = program.scalars.map((_, i) => tree.grp[program.keys[i]]);
  }
  const tokens = leaves.map((leaf, i) =>
    program.scalars[i].kind === 'integer' || program.scalars[i].kind === 'number' ? `${leaf.asNumber()}` : leaf.asString(),
  );
  const text = (ps: readonly Piece[]) =>
    ps.map((p) => (typeof p === 'number' ? tokens[p] : typeof p === 'string' ? p : Release[p.release])).join('');
  for (const note of program.notes) chart.addNotes(text(note));
  new ApiObject(chart, 'Data', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    data: Object.fromEntries(program.data.map((ps, i) => [`k${i}`, text(ps)])),
  });
  let crd: ApiObject | undefined;
  if (program.crd) {
    crd = new ApiObject(chart, 'Crd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: CRD_NAME },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', description: program.crd.description, 'x-extra': program.crd.extra } },
          },
        ],
      },
    });
  }
  if (program.standard) {
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    const standard = StandardValues.for(chart, standardProps(program.standard));
    standard.applyTo(web);
    if (program.standard.autoscale) standard.autoscale(web, program.standard.autoscale);
  }
  const envValues: Record<string, any> = { ...(program.standard?.env ?? {}) };
  if (!program.standard) delete envValues.replicaCount;
  if (!program.standard?.autoscale) delete envValues.autoscaling;
  program.scalars.forEach((s, i) => {
    if (s.env === undefined) return;
    envValues.grp ??= {};
    envValues.grp[program.keys[i]] = s.env;
  });
  if (program.environment && program.badEnvironment) {
    envValues.grp ??= {};
    envValues.grp[program.keys[0]] = wrongValue(program.scalars[0]);
  }
  if (program.environment && program.standard && program.badStandard !== undefined) {
    Object.assign(envValues, coalesced(envValues, BAD_STANDARD[program.badStandard]));
  }
  if (program.environment) chart.environment('prod', envValues as never);
  return { chart, paths, tokens, crd, envValues };
}

/** A value of the wrong type for a scalar, or outside an enum's choices. */
function wrongValue(s: Scalar): unknown {
  switch (s.kind) {
    case 'string':
      return 5;
    case 'integer':
      return 1.5;
    case 'number':
      return '1';
    case 'boolean':
      return 'true';
    case 'enum':
      return `${s.choices!.join('')}!`;
  }
}

// ---- the expectation

function printed(value: unknown, kind: ScalarKind): string {
  if (typeof value === 'string') return value;
  if (kind === 'integer') return BigInt(value as number).toString();
  return JSON.stringify(value);
}

/** Helm's merge of given values over the defaults: maps key by key, a null deleting a default's key, anything else replaced. */
function coalesced(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null && key in base) delete merged[key];
    else merged[key] = key in base ? coalesced(base[key], value) : value;
  }
  return merged;
}

function isMap(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The values in effect: every default, with the given values over them. */
function inEffect(program: Program, given: Record<string, unknown> | undefined): Record<string, any> {
  const defaults: Record<string, any> = { grp: Object.fromEntries(program.scalars.map((s, i) => [program.keys[i], s.default])) };
  if (program.standard) {
    const s = program.standard;
    Object.assign(defaults, {
      replicaCount: s.replicaCount ?? 1,
      podAnnotations: {},
      podLabels: {},
      serviceAccount: { create: true, automount: false, annotations: {}, name: '' },
      nodeSelector: {},
      tolerations: [],
      affinity: {},
      resources: s.resources ?? {},
      securityContext: s.securityContext ?? {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
      },
      podSecurityContext: s.podSecurityContext ?? { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      image: { pullPolicy: s.imagePullPolicy ?? 'IfNotPresent' },
      autoscaling: s.autoscale
        ? { enabled: s.autoscale.enabled, minReplicas: s.autoscale.minReplicas, maxReplicas: s.autoscale.maxReplicas }
        : undefined,
    });
  }
  return (given ? coalesced(defaults, given) : defaults) as Record<string, any>;
}

interface ReleaseOf {
  readonly name: string;
  readonly namespace: string;
}

function textOf(program: Program, ps: readonly Piece[], values: Record<string, any>, release: ReleaseOf): string {
  return ps
    .map((p) =>
      typeof p === 'number'
        ? printed(values.grp[program.keys[p]], program.scalars[p].kind)
        : typeof p === 'string'
          ? p
          : release[p.release],
    )
    .join('');
}

/**
 * NOTES.txt: the chart's line, then the notes prop and each `addNotes` text joined by a blank line,
 * the whole without trailing white space (as written, before values are printed into it).
 */
function expectedNotes(program: Program, values: Record<string, any>, release: ReleaseOf): string {
  const header = `gen 1.0.0 is installed as release ${release.name} in namespace ${release.namespace}.`;
  const texts: Piece[][] = [...(program.notesProp !== undefined ? [[program.notesProp]] : []), ...program.notes.map((ps) => [...ps])];
  if (!texts.length) return `${header}\n`;
  const joined = texts.flatMap((ps, i) => (i ? ['\n\n', ...ps] : ps));
  while (joined.length && typeof joined[joined.length - 1] === 'string') {
    const last = (joined[joined.length - 1] as string).trimEnd();
    if (last) {
      joined[joined.length - 1] = last;
      break;
    }
    joined.pop();
  }
  return `${header}\n\n${textOf(program, joined, values, release)}\n`;
}

/** Fields of a map omitted when empty (Go's `with`). */
function present(x: unknown): unknown {
  if (x === undefined || x === null) return undefined;
  if (Array.isArray(x)) return x.length ? x : undefined;
  if (isMap(x)) return Object.keys(x).length ? x : undefined;
  return x;
}

function expectedPod(values: Record<string, any>, release: ReleaseOf): Record<string, unknown> {
  const account = values.serviceAccount;
  const labels = Object.fromEntries(Object.entries(values.podLabels).filter(([k]) => !CHART_LABEL.test(k)));
  return sorted({
    labels: present(labels),
    serviceAccountName: account.name || (account.create ? `${release.name}-gen` : 'default'),
    serviceAccount: account.create ? account.name || `${release.name}-gen` : undefined,
    automount: account.automount,
    replicas: values.autoscaling?.enabled ? undefined : values.replicaCount,
    annotations: present(values.podAnnotations),
    imagePullPolicy: values.image.pullPolicy,
    resources: present(values.resources),
    securityContext: present(values.securityContext),
    podSecurityContext: present(values.podSecurityContext),
    nodeSelector: present(values.nodeSelector),
    tolerations: present(values.tolerations),
    affinity: present(values.affinity),
    hpa: values.autoscaling?.enabled ? { min: values.autoscaling.minReplicas, max: values.autoscaling.maxReplicas } : undefined,
  }) as Record<string, unknown>;
}

function observedPod(manifests: ReadonlyArray<Record<string, any>>): Record<string, unknown> {
  const deployment = manifests.find((m) => m.kind === 'Deployment');
  if (!deployment) throw new Error('no Deployment rendered');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const hpa = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler');
  const annotations = Object.fromEntries(Object.entries(pod.metadata?.annotations ?? {}).filter(([k]) => !k.startsWith('checksum/')));
  const labels = Object.fromEntries(Object.entries(pod.metadata?.labels ?? {}).filter(([k]) => !CHART_LABEL.test(k)));
  const accounts = manifests.filter((m) => m.kind === 'ServiceAccount');
  if (accounts.length > 1) throw new Error(`${accounts.length} ServiceAccounts rendered`);
  return sorted({
    labels: present(labels),
    serviceAccountName: pod.spec.serviceAccountName,
    serviceAccount: accounts[0]?.metadata.name,
    automount: pod.spec.automountServiceAccountToken,
    replicas: deployment.spec.replicas,
    annotations: present(annotations),
    imagePullPolicy: container.imagePullPolicy,
    resources: container.resources,
    securityContext: container.securityContext,
    podSecurityContext: pod.spec.securityContext,
    nodeSelector: pod.spec.nodeSelector,
    tolerations: pod.spec.tolerations,
    affinity: pod.spec.affinity,
    hpa: hpa ? { min: hpa.spec.minReplicas, max: hpa.spec.maxReplicas } : undefined,
  }) as Record<string, unknown>;
}

function sorted(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sorted);
  if (isMap(x)) {
    return Object.fromEntries(
      Object.keys(x)
        .filter((k) => x[k] !== undefined)
        .sort()
        .map((k) => [k, sorted(x[k])]),
    );
  }
  return x;
}

// ---- running a program

/** Templates reading back NOTES.txt (as a named template) and the CRD file (through Go's YAML reader). */
function addProbes(dir: string, hasCrd: boolean): void {
  const notes = readFileSync(join(dir, 'templates', 'NOTES.txt'), 'utf8');
  writeFileSync(join(dir, 'templates', '_probe.tpl'), `{{ define "probe.notes" }}${notes}{{ end }}`);
  writeFileSync(
    join(dir, 'templates', 'probe.yaml'),
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: probe',
      'data:',
      '  notes: {{ include "probe.notes" . | b64enc | quote }}',
      ...(hasCrd ? [`  crd: {{ .Files.Get "crds/${CRD_NAME}.yaml" | fromYaml | toJson | b64enc | quote }}`] : []),
      '',
    ].join('\n'),
  );
}

const stats = { programs: 0, refused: 0, renders: 0 };
const refusals = new Map<string, number>();

function fail(where: string, rendered: unknown, expected: unknown): never {
  throw new Error(`${where} renders other than expected:\n  rendered ${JSON.stringify(rendered)}\n  expected ${JSON.stringify(expected)}`);
}

function check(program: Program): void {
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
    const reason = process.env.HELM_SYNTH_PROPERTY_REASONS ? error.message : error.message.replace(/"[^"]*"/g, '"…"').slice(0, 140);
    if (process.env.HELM_SYNTH_PROPERTY_REASONS === 'programs') console.log(JSON.stringify(program), error.message);
    refusals.set(reason, (refusals.get(reason) ?? 0) + 1);
    stats.refused++;
    const bad = program.badEnvironment || (program.standard && program.badStandard !== undefined);
    if (program.environment && bad && !/environment prod/.test(error.message))
      throw new Error(`an environment with a wrong value is refused without naming it: ${error.message}`);
    return;
  }
  if (program.environment && program.badEnvironment) throw new Error('an environment with a wrong value synthesized (exit 0)');
  if (program.environment && program.standard && program.badStandard !== undefined)
    throw new Error(`an environment with ${JSON.stringify(BAD_STANDARD[program.badStandard])} synthesized (exit 0)`);
  const scaling = program.environment ? inEffect(program, built.envValues).autoscaling : undefined;
  if (scaling?.enabled && scaling.minReplicas > scaling.maxReplicas)
    throw new Error('an environment whose autoscaling.minReplicas is above maxReplicas synthesized (exit 0; its render fails)');
  if (built.crd) {
    const text = files.files.get(`crds/${CRD_NAME}.yaml`);
    if (text === undefined) throw new Error(`no crds/${CRD_NAME}.yaml among ${[...files.files.keys()].join(', ')}`);
  }
  const dir = Testing.writeChart(files);
  try {
    try {
      Testing.lint(dir);
    } catch (error) {
      throw new Error(`synthesis succeeded but helm lint fails: ${String(error)}`);
    }
    addProbes(dir, built.crd !== undefined);
    const defaultRelease = { name: 'release-name', namespace: 'default' };
    const otherRelease = { name: 'rel-a', namespace: 'team-a' };
    const at = (release: ReleaseOf) => ({ releaseName: release.name, namespace: release.namespace });
    const renders: Array<[string, Record<string, unknown> | undefined, ReleaseOf, () => ReturnType<typeof Testing.render>]> = [
      ['the defaults', undefined, defaultRelease, () => Testing.render(dir)],
    ];
    if (program.environment) {
      renders.push([
        'environment prod',
        built.envValues,
        otherRelease,
        () => Testing.render(dir, { environment: 'prod', ...at(otherRelease) }),
      ]);
      renders.push([
        'the environment’s values as a values file',
        built.envValues,
        otherRelease,
        () => Testing.render(dir, { values: built.envValues, ...at(otherRelease) }),
      ]);
    }
    const texts: string[] = [];
    for (const [where, given, release, render] of renders) {
      let rendered;
      try {
        rendered = render();
      } catch (error) {
        throw new Error(`synthesis succeeded but the render with ${where} fails: ${String(error)}`);
      }
      stats.renders++;
      const values = inEffect(program, given);
      const manifests = rendered.manifests as Array<Record<string, any>>;
      const probe = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'probe')!;
      const data = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name !== 'probe')!;
      const expectedData = Object.fromEntries(program.data.map((ps, i) => [`k${i}`, textOf(program, ps, values, release)]));
      const actualData = Object.fromEntries(Object.entries(data.data ?? {}));
      if (JSON.stringify(sorted(actualData)) !== JSON.stringify(sorted(expectedData)))
        fail(`ConfigMap data with ${where}`, actualData, expectedData);
      const notes = Buffer.from(String(probe.data.notes), 'base64').toString('utf8');
      const wantedNotes = expectedNotes(program, values, release);
      if (notes !== wantedNotes) fail(`NOTES.txt with ${where}`, notes, wantedNotes);
      if (built.crd) {
        const read = JSON.parse(Buffer.from(String(probe.data.crd), 'base64').toString('utf8'));
        const wanted = built.crd.toJson();
        if (JSON.stringify(sorted(read)) !== JSON.stringify(sorted(wanted))) fail(`crds/${CRD_NAME}.yaml read by Go`, read, wanted);
      }
      if (program.standard) {
        const actual = observedPod(manifests);
        const wanted = expectedPod(values, release);
        if (JSON.stringify(actual) !== JSON.stringify(wanted)) fail(`the pod spec with ${where}`, actual, wanted);
      }
      texts.push(rendered.text.replace(/^# Source: .*\n/gm, ''));
    }
    if (texts.length === 3 && texts[1] !== texts[2]) {
      throw new Error(`the environment renders other than its values given as a values file:\n${texts[1]}\n---- vs ----\n${texts[2]}`);
    }
  } finally {
    Testing.removeChart(dir);
  }
}

function runSeed(seed: number): void {
  fc.assert(
    fc.property(programArbitrary, (program) => {
      check(program);
      stats.programs++;
    }),
    {
      seed,
      numRuns: RUNS_PER_SEED,
      endOnFailure: process.env.HELM_SYNTH_PROPERTY_SHRINK !== '1',
      reporter: failingProgramReporter(seed, 'extras-program', 'HELM_SYNTH_EXTRAS_PROGRAM'),
    },
  );
}

describe('generated programs with NOTES, CRDs, standard values, values trees and environments render what they say', () => {
  if (process.env.HELM_SYNTH_EXTRAS_PROGRAM) {
    Testing.ifHelm(test)('the program in HELM_SYNTH_EXTRAS_PROGRAM', () => {
      const program = JSON.parse(process.env.HELM_SYNTH_EXTRAS_PROGRAM!) as Program;
      if (process.env.HELM_SYNTH_PROGRAM_PRINT) console.log(Testing.writeChart(Testing.synth(build(program).chart)));
      check(program);
    });
    return;
  }
  Testing.ifHelm(test)(
    `${RUNS_PER_SEED} programs with fixed seed ${FIXED_SEED}, ${RUNS_PER_SEED} with a random seed`,
    () => {
      const started = Date.now();
      try {
        runSeed(FIXED_SEED);
        runSeed(randomSeed);
      } finally {
        console.log(
          `generated extras: ${stats.programs} programs (${stats.refused} refused with a HelmSynthError), ${stats.renders} renders ` +
            `(seeds ${FIXED_SEED} and ${randomSeed}) in ${Date.now() - started} ms\nrefusals:\n${[...refusals].map(([r, n]) => `  ${n} × ${r}`).join('\n')}`,
        );
      }
      expect(stats.programs).toBe(2 * RUNS_PER_SEED);
    },
    600_000,
  );
});
