import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../charts/app';
import { HelmChart, ValueType } from '../../src';
import { HelmRunner } from '../../src/helm';
import { Testing } from '../../src/testing';
import { ChartFiles, synthesizeChart } from '../../src/synth/chart-files';
import { emitTree } from '../../src/synth/emit-template';
import { renderHelpers } from '../../src/synth/helpers-tpl';
import { MAX_INLINE_ACTION_LENGTH, NamedHelpers, NamedObjectTree } from '../../src/synth/named-helpers';
import { ChoiceNode, MapNode, TemplateNode } from '../../src/synth/template-tree';
import { Token, TokenUse, TextPart } from '../../src/tokens/token';
import { Condition } from '../../src/values/condition';
import { sharedDependencies } from '../support/dependencies';
import { seededRandom, testSeeds } from '../support/seeded-random';
import { reportMissingTool } from '../support/tools';

const withHelm = Testing.ifHelm(test);
const INCLUDE = /\{\{ include "([^"]+)" \. \}\}/g;
/** Every scalar action written after `key:` or `-` in a template. */
const SCALAR_ACTION = /(?:^\s*-|:) (\{\{ .* \}\})$/gm;

const templatesOf = (files: ChartFiles) => [...files.files].filter(([path]) => path.startsWith('templates/') && path.endsWith('.yaml'));

describe('named helpers in the example charts', () => {
  const charts = () => buildApp(Testing.app()).helmCharts;

  test("the bundled database's host is one helper, included by every file that reads it", () => {
    const chart = charts().find((c) => c.chartName === 'tks-contract-with-db')!;
    const files = synthesizeChart(chart);
    const helpers = files.files.get('templates/_helpers.tpl')!;
    expect(helpers.match(/\{\{- define "tks-contract-with-db\.databaseHost" -\}\}/g)).toHaveLength(1);
    expect(helpers).toMatch(
      /databaseHost: host of bitnami\/postgresql 17\.1\.0 of chart tks-contract-with-db\.\nUsed by:\n- Job tks-contract-with-db\/DbBootstrap: /,
    );
    const users = templatesOf(files).filter(([, text]) => text.includes('{{ include "tks-contract-with-db.databaseHost" . }}'));
    expect(users.map(([path]) => path).sort()).toEqual(['templates/db-bootstrap-job.yaml', 'templates/deployment.yaml']);
    for (const [, text] of templatesOf(files)) expect(text).not.toContain('value database.external.host is required');
  });

  test('no scalar action longer than 120 characters is left inline; every include names a helper defined once', () => {
    for (const chart of charts()) {
      const files = synthesizeChart(chart);
      const helpers = files.files.get('templates/_helpers.tpl')!;
      for (const [path, text] of templatesOf(files)) {
        const tooLong = [...text.matchAll(SCALAR_ACTION)].map((m) => m[1]).filter((a) => a.length > MAX_INLINE_ACTION_LENGTH);
        expect({ path, tooLong }).toEqual({ path, tooLong: [] });
        for (const [, name] of text.matchAll(INCLUDE)) {
          expect(helpers.split(`{{- define "${name}" -}}`)).toHaveLength(2);
        }
      }
    }
  });

  test('deterministic: the same helpers and templates in every synthesis', () => {
    const first = charts().map((c) => [...synthesizeChart(c).files]);
    const second = charts().map((c) => [...synthesizeChart(c).files]);
    expect(second).toEqual(first);
  });

  test('inlineExpressions: no named helper, every expression in place', () => {
    for (const chart of charts()) {
      const files = synthesizeChart(chart, { inlineExpressions: true });
      expect(files.files.get('templates/_helpers.tpl')).toBe(renderHelpers(chart.chartName));
      for (const [, text] of templatesOf(files)) expect(text).not.toMatch(INCLUDE);
    }
  });
});

describe('which expressions become helpers, and their names', () => {
  const context = { chartName: 'c' };
  const token = (operand: string, description: string, use = TokenUse.STRING) => new Token({ use, description, operand });
  const field = (key: string, value: TemplateNode) => ({ kind: 'field' as const, key, value });
  const scalar = (...parts: TextPart[]): TemplateNode => ({ kind: 'scalar', parts, stringField: false });
  const object = (source: string, ...fields: Array<[string, TemplateNode]>) => ({
    source,
    tree: { kind: 'map', entries: fields.map(([k, v]) => field(k, v)) } as MapNode,
  });

  test('a computed expression shared by two objects, and any long one; plain values and names stay inline', () => {
    const computed = token('(default "x" .Values.a)', 'value a');
    const plain = token('.Values.b', 'value b');
    const name = token('(include "c.resourceName" (list . "web"))', 'name of c/Web');
    const long = token(`(printf "%s" ${JSON.stringify('y'.repeat(120))})`, 'value long.text');
    const helpers = NamedHelpers.plan(
      [
        object('ConfigMap c/A', ['x', scalar(computed)], ['y', scalar(plain)], ['z', scalar(name)], ['w', scalar(long)]),
        object('ConfigMap c/B', ['x', scalar(computed)], ['y', scalar(plain)], ['z', scalar(name)]),
      ],
      context,
    );
    expect(helpers.names).toEqual(['a', 'longText']);
    expect(helpers.action('{{ default "x" .Values.a | quote }}')).toBe('{{ include "c.a" . }}');
    expect(helpers.action('{{ .Values.b | quote }}')).toBe('{{ .Values.b | quote }}');
    expect(helpers.definitions()).toContain('{{- define "c.a" -}}\n{{ default "x" .Values.a | quote }}\n{{- end }}');
    expect(helpers.definitions()).toContain('Used by:\n- ConfigMap c/A: x\n- ConfigMap c/B: x\n');
  });

  test('names are unique, never those of the standard helpers, and valid for define whatever the description', () => {
    const shared = (description: string, operand: string) => scalar(token(operand, description));
    const helpers = NamedHelpers.plan(
      [1, 2].map((n) =>
        object(
          `ConfigMap c/${n}`,
          ['a', shared('value labels', '(default "a" .Values.labels)')],
          ['b', shared('value labels', '(default "b" .Values.labels)')],
          ['c', shared('17 */ "odd" {{ text', '(default "c" .Values.x)')],
          ['d', shared('name of c/Web/Service', '(default "d" .Values.x)')],
          ['e', shared('', '(default "e" .Values.x)')],
        ),
      ),
      context,
    );
    expect(helpers.names).toEqual(['labels2', 'labels3', 'x17Odd', 'webServiceName', 'expression']);
    expect(helpers.definitions()).not.toMatch(/\*\/(?!\}\})/);
  });

  test('an action reading a template variable stays inline', () => {
    const variable = token('(default "v" $x)', 'value v');
    const helpers = NamedHelpers.plan(
      [1, 2].map((n) => object(`ConfigMap c/${n}`, ['a', scalar(variable)])),
      context,
    );
    expect(helpers.names).toEqual([]);
  });
});

/**
 * Renders a chart folder; the output (passwords bitnami/postgresql generates at random masked), or
 * Helm's message without the positions it names (for an error inside an included helper Helm
 * names the include and then the helper: the innermost cause is compared).
 */
function renderOutcome(helm: HelmRunner, dir: string, release: string, set: readonly string[]): string {
  try {
    return helm.template(dir, { release, namespace: 'team-a', set }).replace(/^(\s*[\w-]*password[\w-]*: ).*$/gim, '$1<random>');
  } catch (error) {
    const message = String((error as Error).message).replace(dir, '<chart>');
    const innermost = message.lastIndexOf(': executing "');
    const cause = innermost < 0 ? message : message.slice(message.indexOf('>: ', innermost) + 3);
    return `FAILED: ${cause.replace(/\(([\w.-]+\/)*[\w.-]+\.(yaml|tpl|txt):\d+:\d+\)/g, '(…)')}`;
  }
}

const exampleCharts = buildApp(Testing.app()).helmCharts.filter((chart) => {
  const { missing } = sharedDependencies(chart);
  if (missing.length) reportMissingTool(`chart ${chart.chartName} under helm: ${missing.join(', ')} not in ../shared/charts`);
  return !missing.length;
});

Testing.ifHelm(describe).each(exampleCharts.map((chart) => [chart.chartName, chart] as const))(
  'chart %s renders byte for byte the same with and without named helpers',
  (_name, chart: HelmChart) => {
    const booleans = chart.values.all.filter((v) => v.type === ValueType.BOOLEAN).map((v) => v.path);
    const required = chart.values.all.filter((v) => v.required && v.default === undefined).map((v) => `${v.path}=required-value`);
    const strings = chart.values.all
      .filter(
        (v) => v.type === ValueType.STRING && (v.schema as { pattern?: string }).pattern === undefined && !v.path.endsWith('Override'),
      )
      .map((v) => `${v.path}=x-${v.path.replace(/\W/g, '-').toLowerCase()}`);
    const combinations: Array<[string, string[]]> = [
      ['rel', required],
      ['rel', [...required, ...booleans.map((b) => `${b}=true`)]],
      ['rel', [...required, ...booleans.map((b) => `${b}=false`)]],
      ['rel', [...booleans.map((b) => `${b}=false`), ...strings, ...required]],
      [
        'a-very-long-release-name-that-passes-the-sixty-three-characters-of-a-name',
        [...required, 'fullnameOverride=', 'nameOverride=renamed'],
      ],
      [
        'postgresql-rel',
        [...required, 'postgresql.fullnameOverride=pg', 'postgresql.architecture=replication', 'postgresql.auth.existingSecret=mine'],
      ],
      ['rel', [...required, 'postgresql.enabled=false']],
      [
        'rel',
        ['postgresql.enabled=false', 'database.external.host=db.example.com', 'database.external.adminSecret.name=admin', ...required],
      ],
    ];
    let withHelpers: string;
    let inline: string;
    beforeAll(() => {
      const dependencies = sharedDependencies(chart).found;
      withHelpers = Testing.writeChart(synthesizeChart(chart), { dependencies });
      inline = Testing.writeChart(synthesizeChart(chart, { inlineExpressions: true }), { dependencies });
    });
    afterAll(() => {
      Testing.removeChart(withHelpers);
      Testing.removeChart(inline);
    });

    test.each(combinations)('release %s, --set %j', (release, set) => {
      const helm = HelmRunner.find()!;
      const declared = (assignment: string) =>
        chart.values.all.some((v) => assignment.startsWith(`${v.path}=`)) ||
        (chart.dependencies.length > 0 && assignment.startsWith('postgresql.'));
      const applicable = set.filter(declared);
      const expected = renderOutcome(helm, inline, release, applicable);
      expect(renderOutcome(helm, withHelpers, release, applicable)).toBe(expected);
    });
  },
);

/** Operands of every type a value can have at render time, nil and errors included. */
const OPERANDS: ReadonlyArray<string> = [
  '.Values.s',
  '.Values.hostile',
  '.Values.n',
  '.Values.big',
  '.Values.f',
  '.Values.b',
  '.Values.m',
  '.Values.l',
  '.Values.empty',
  '.Values.missing',
  '(.Values.missing).x',
  '(default "d" .Values.missing)',
  '(ternary .Values.s .Values.missing .Values.b)',
  '(ternary .Values.missing .Values.s .Values.b)',
  '.Release.Name',
  '$.Release.Namespace',
  '(include "c.fullname" .)',
  '(printf "%s-<no value>" .Values.s)',
  '(toJson .Values.m)',
  '(.Values.n | int64 | toString)',
  '(list 1 "a" nil)',
  '(dict "k" .Values.missing)',
];
const LITERALS: ReadonlyArray<string> = ['', 'text', ' 100% ', '"q" \\ back', '{{ x }}', '<no value>', 'ünï ☃', 'a:b # c', '{', '}}'];
const USES = [TokenUse.STRING, TokenUse.INTEGER, TokenUse.NUMBER, TokenUse.BOOLEAN];

/** Writes chart `c` with a template per object, its expressions inline or through the helpers planned. */
function writeChart(dir: string, objects: readonly NamedObjectTree[], helpers: NamedHelpers, values = ''): string {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 1.0.0\n');
  writeFileSync(join(dir, 'values.yaml'), values);
  writeFileSync(join(dir, 'templates', '_helpers.tpl'), renderHelpers('c') + helpers.definitions());
  objects.forEach(({ tree }, o) =>
    writeFileSync(join(dir, 'templates', `o${o}.yaml`), emitTree(tree, { chartName: 'c', scalarAction: (a) => helpers.action(a) })),
  );
  return dir;
}

/** A chart folder of generated scalar expressions, written inline or through named helpers. */
function generatedChart(seed: number, parent: string): { inline: string; helpers: string; count: number } {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const tokens = OPERANDS.flatMap((operand) => USES.map((use) => new Token({ use, description: `value ${operand}`, operand })));
  const chart = new HelmChart(Testing.app(), 'c', { version: '1.0.0' });
  const condition = Condition.from(chart.values.boolean('b', { default: true, description: 'B.' }));
  const objects = Array.from({ length: 4 }, (_, o) => {
    const entries = Array.from({ length: 40 }, (_, i) => {
      const parts: TextPart[] = [];
      const count = 1 + Math.floor(random() * 3);
      for (let p = 0; p < count; p++) parts.push(random() < 0.6 ? pick(tokens) : pick(LITERALS));
      if (!parts.some((p) => typeof p !== 'string')) parts.push(pick(tokens));
      let value: TemplateNode = { kind: 'scalar', parts, stringField: random() < 0.5 };
      if (random() < 0.2)
        value = { kind: 'choice', branches: [{ condition, value }], otherwise: { kind: 'literal', value: 'else' } } as ChoiceNode;
      return { kind: 'field' as const, key: `f${i}`, value };
    });
    return { source: `ConfigMap c/O${o}`, tree: { kind: 'map', entries } as MapNode };
  });
  const context = { chartName: 'c' };
  const values =
    's: text\nhostile: "He said \\"hi\\" {{ .x }} %v <no value> ünï"\nn: 1000000\nbig: 9007199254740993\nf: 1.5\nb: true\nm: {a: 1, b: [x]}\nl: [1, two]\nempty: ""\n';
  const all = NamedHelpers.plan(objects, context, { maxInlineLength: 0 });
  return {
    inline: writeChart(join(parent, 'inline'), objects, NamedHelpers.plan([], context), values),
    helpers: writeChart(join(parent, 'helpers'), objects, all, values),
    count: all.names.length,
  };
}

describe('generated expressions: an include of the helper renders what the action rendered', () => {
  withHelm.each(testSeeds(1, 2, 3))('seed %i', (seed) => {
    const parent = mkdtempSync(join(tmpdir(), 'helm-synth-named-helpers-'));
    try {
      const { inline, helpers, count } = generatedChart(seed, parent);
      expect(count).toBeGreaterThan(50);
      const helm = HelmRunner.find()!;
      const rendering: string[][] = [
        [],
        ['b=false', 's=', 'n=0', 'm=null'],
        ['empty=full', 'f=2.25', 'l={}', 'hostile=x'],
        ['s=1e6', 'n=-3', 'f=0.1'],
      ];
      const failing: string[][] = [['missing=here'], ['b=0']];
      for (const set of [...rendering, ...failing]) {
        const expected = renderOutcome(helm, inline, 'rel', set);
        // An override may make a generated operand render text YAML refuses (a string where a boolean
        // use prints bare, e.g. `-` once Helm deletes `<no value>`): only the defaults must render,
        // the failing sets must fail, and the helpers must render exactly what the inline text does.
        if (set.length === 0 || failing.includes(set)) expect(expected.startsWith('FAILED')).toBe(failing.includes(set));
        expect({ seed, set, rendered: renderOutcome(helm, helpers, 'rel', set) }).toEqual({ seed, set, rendered: expected });
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  withHelm('a failing required in a helper fails the render with the same message', () => {
    const parent = mkdtempSync(join(tmpdir(), 'helm-synth-named-helpers-'));
    try {
      const required = new Token({
        use: TokenUse.STRING,
        description: 'value need',
        operand: '(required "need is required" .Values.need)',
      });
      const objects = [1, 2].map((o) => ({
        source: `ConfigMap c/O${o}`,
        tree: {
          kind: 'map',
          entries: [{ kind: 'field', key: 'a', value: { kind: 'scalar', parts: [required], stringField: true } }],
        } as MapNode,
      }));
      const context = { chartName: 'c' };
      const helpers = NamedHelpers.plan(objects, context);
      expect(helpers.names).toEqual(['need']);
      const helm = HelmRunner.find()!;
      const inline = writeChart(join(parent, 'inline'), objects, NamedHelpers.plan([], context));
      const named = writeChart(join(parent, 'named'), objects, helpers);
      expect(renderOutcome(helm, named, 'rel', [])).toBe(renderOutcome(helm, inline, 'rel', []));
      expect(renderOutcome(helm, named, 'rel', [])).toContain('need is required');
      expect(renderOutcome(helm, named, 'rel', ['need=x'])).toBe(renderOutcome(helm, inline, 'rel', ['need=x']));
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
