import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ApiObject } from 'cdk8s';
import fc from 'fast-check';
import { HelmChart, Release, Template } from '../../src';
import { Testing } from '../../src/testing';
import { ChartFiles } from '../../src/synth/chart-files';
import { HELM_NO_VALUE, LINE_BREAKS } from '../../src/synth/yaml-text';
import { expectHelmSynthError } from '../support/errors';

/**
 * Literal text, proven: generated strings are written everywhere helm-synth writes literal text
 * into a chart, rendered by Helm (or helm-oracle), read back by Go's YAML reader (`include … |
 * fromYaml` inside the chart, `.Files.Get` for crds/) and compared with what was written; the
 * objects are also compared as Helm printed them (after its last pass, which deletes `<no value>`),
 * read by a YAML 1.1 reader. Places: ConfigMap data values and keys, annotations, list items, `printf` scalars
 * with string, integer and number tokens on both sides, conditional keys and values after literal
 * fields and blocks, keys before whole-map blocks, a spread map after literal fields, a whole-file
 * condition, enum literals in `eq`/`ne` actions, values.yaml defaults, keys and comments,
 * Chart.yaml, crds/, template header comments (construct ids) and NOTES.txt beside every kind of
 * action. Many strings share one chart, so a run takes one render per batch; a failed render is
 * narrowed down by halving the batch.
 *
 * Seeds: a fixed one, then HELM_SYNTH_PROPERTY_SEED when set, else a random one (printed on failure).
 */

const BATCH = 2500;
const BATCHES_PER_SEED = 2;
const FIXED_SEED = 16;
const randomSeed = process.env.HELM_SYNTH_PROPERTY_SEED
  ? Number(process.env.HELM_SYNTH_PROPERTY_SEED)
  : (Date.now() ^ (Math.random() * 2 ** 31)) >>> 0;

/** Pieces that matter to Go's template lexer, Go's YAML reader, printf and Helm, weighted over arbitrary code points. */
const FRAGMENTS = [
  '{', '}', '{{', '}}', '{{-', '-}}', '{{ ', ' }}', '{{/*', '*/}}', '"', '\\', "'", '`', '%', '%v', '%%', '$', '.', ':', ': ', '#', ' #',
  '-', '- ', '|', '>', '\n', '\t', ' ', '\r', '\r\n', '\u0085', '\u2028', '\u2029', '\ufeff', '\u0000', '\u007f', HELM_NO_VALUE, '<',
  '.Values.x', 'yes', '~', '0x1F', '1e3', '?', '*', '&', '!', '@', '[', ']', ',',
]; // prettier-ignore

const piece = fc.oneof(
  { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 8 },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 3 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }), weight: 2 },
);
const literalText = fc.string({ unit: piece, maxLength: 10 });

/** Defaults of the tokens placed between literal pieces, and how each prints. */
const TOKENS = {
  text: { value: 'S{', printed: 'S{' },
  integer: { value: 1500000, printed: '1500000' },
  number: { value: 0.25, printed: '0.25' },
  flag: { value: true, printed: 'true' },
};

/** Keys cdk8s's own resolve loses (`__proto__`, silently) or fails on (`constructor`) before helm-synth sees an object: left out of object keys. */
const CDK8S_DROPS = new Set(['__proto__', 'constructor']);
/** Names of every object's internals, which value defaults may not use as keys (helm-synth refuses them). */
const OBJECT_INTERNALS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** The objects read back through Go's YAML reader and also compared as Helm printed them. */
const PRINTED = ['values', 'mixed', 'keys', 'blocks'] as const;

interface Difference {
  readonly place: string;
  readonly written: unknown;
  readonly rendered: unknown;
}

/** A chart writing every string in every place, and what each place must render. */
function probeChart(strings: readonly string[]): { chart: HelmChart; expectations: Expectation[] } {
  const description = strings.find((s) => s.trim() !== '' && !LINE_BREAKS.test(s)) ?? 'probe';
  const chart = new HelmChart(Testing.app(), 'probe', { version: '1.0.0', description });
  const text = chart.values.string('tok.text', { default: TOKENS.text.value, description: 'Text token.' });
  const integer = chart.values.integer('tok.integer', { default: TOKENS.integer.value, description: 'Integer token.' });
  const number = chart.values.number('tok.number', { default: TOKENS.number.value, description: 'Number token.' });
  const flag = chart.values.boolean('tok.flag', { default: TOKENS.flag.value, description: 'Boolean token.' });
  const extra = chart.values.object('tok.extra', { default: { spread: 'x' }, description: 'Map spread into data.' });
  const expectations: Expectation[] = [];

  const values: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const mixed: Record<string, string> = {};
  strings.forEach((s, i) => {
    values[`v${i}`] = s;
    annotations[`a${i}`] = s;
    const next = strings[(i + 1) % strings.length];
    mixed[`m${i}`] = `${s}${text}${next}${integer.asNumber()}${s}${number.asNumber()}${next}`;
    expectations.push(
      { place: `ConfigMap data value v${i}`, written: s, read: (o) => o.values.data?.[`v${i}`] },
      { place: `annotation a${i}`, written: s, read: (o) => o.values.metadata?.annotations?.[`a${i}`] },
      {
        place: `printf scalar m${i} (text, string, integer and number tokens)`,
        written: `${s}${TOKENS.text.printed}${next}${TOKENS.integer.printed}${s}${TOKENS.number.printed}${next}`,
        read: (o) => o.mixed.data?.[`m${i}`],
      },
    );
  });
  const keys = Object.fromEntries(strings.filter((s) => !CDK8S_DROPS.has(s)).map((s, i) => [s, `k${i}`]));
  for (const [key, id] of Object.entries(keys)) {
    expectations.push({
      place: `map key ${id}`,
      written: key,
      read: (o) => Object.keys(o.keys.data ?? {}).find((k) => o.keys.data[k] === id),
    });
  }
  expectations.push({
    place: 'map key count',
    written: Object.keys(keys).length,
    read: (o) => Object.keys(o.keys.data ?? {}).length,
  });

  const valuesMap = new ApiObject(chart, 'Values', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations }, data: values });
  Template.of(valuesMap).merge('data', extra.asObject());
  expectations.push({ place: 'map value spread after literal fields', written: 'x', read: (o) => o.values.data?.spread });
  const mixedMap = new ApiObject(chart, 'Mixed', { apiVersion: 'v1', kind: 'ConfigMap', data: mixed });
  strings.forEach((s, i) => {
    if (i % 5 !== 0) return;
    Template.of(mixedMap).setIf(`data.c${i}`, flag, s);
    expectations.push({ place: `conditional field c${i} after literal fields`, written: s, read: (o) => o.mixed.data?.[`c${i}`] });
  });
  const items = strings.filter((_, i) => i % 4 === 1);
  const itemMaps = items.filter((s) => !CDK8S_DROPS.has(s)).map((s) => ({ [s]: s, after: s }));
  const lists = { items, maps: itemMaps, nested: items.map((s) => [s]) };
  const blocks = new ApiObject(chart, 'Blocks', { apiVersion: 'example.com/v1', kind: 'Blocks', spec: { fixed: 'f', lists } });
  expectations.push({ place: 'list items, maps in lists and nested lists', written: lists, read: (o) => o.blocks.spec?.lists });
  const blockKeys = [...new Set(strings.filter((s, i) => i % 10 === 7 && s !== ''))];
  blockKeys.forEach((key, i) => {
    Template.of(blocks).set(['spec', 'whole', key], extra.asObject()).setIf(['spec', 'when', key], flag, key);
    expectations.push(
      { place: `key before a whole-map block b${i}`, written: { spread: 'x' }, read: (o) => o.blocks.spec?.whole?.[key] },
      { place: `conditional key and value w${i}`, written: key, read: (o) => o.blocks.spec?.when?.[key] },
    );
  });
  expectations.push({ place: 'Chart.yaml description', written: description, read: (o) => o.chartDescription });
  const properties = Object.fromEntries(strings.filter((s) => !CDK8S_DROPS.has(s)).map((s) => [s, { type: 'string', description: s }]));
  new ApiObject(chart, 'Crd', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'probes.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Probe', plural: 'probes' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties } } }],
    },
  });
  expectations.push({
    place: 'crds/ (plain YAML) keys and values',
    written: properties,
    read: (o) => o.crd.spec?.versions?.[0]?.schema?.openAPIV3Schema?.properties,
  });
  const choices = [...new Set(strings.filter((_, i) => i % 10 === 3))];
  if (choices.length) {
    const choice = chart.values.enum('tok.choice', {
      values: choices,
      default: choices[0],
      description: 'Strings in quoted action literals.',
    });
    choices.forEach((c, i) => {
      Template.of(mixedMap).setIf(`data.eq${i}`, choice.eq(c), 'on').setIf(`data.ne${i}`, choice.ne(c), 'on');
      expectations.push(
        { place: `condition eq ${JSON.stringify(c)}`, written: i === 0 ? 'on' : undefined, read: (o) => o.mixed.data?.[`eq${i}`] },
        { place: `condition ne ${JSON.stringify(c)}`, written: i === 0 ? undefined : 'on', read: (o) => o.mixed.data?.[`ne${i}`] },
      );
    });
  }
  // ConfigMap data keys must match Kubernetes' key rule (helm-synth refuses others), so arbitrary keys go into a custom resource's map.
  Template.of(new ApiObject(chart, 'Keys', { apiVersion: 'example.com/v1', kind: 'KeyProbe', data: keys })).enableWhen(flag);

  const ids = new Set<string>();
  strings.forEach((s, i) => {
    // the constructs library refuses ids an object's prototype has (`toString`), and ours are taken
    if (i % 20 !== 0 || !s || ids.has(s) || s in {} || ['Values', 'Mixed', 'Keys'].includes(s)) return;
    ids.add(s);
    Template.of(new ApiObject(chart, s, { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } })).nameSuffix(`h${i}`);
    const file = `templates/h${i}-config-map.yaml`;
    expectations.push({
      place: `template header comment of ${file}`,
      written: (o: Probe) => unescape(o.files.files.get(file)!.split('\n')[0]),
      read: (o) => new RegExp(`^# Source: probe/${file}\n(.*)$`, 'm').exec(o.text)?.[1],
    });
  });

  const defaults: Record<string, string> = {};
  strings.forEach((s, i) => {
    const description = s.trim() ? s : `d${s}`;
    chart.values.string(`lit.s${i}`, { default: s, description });
    defaults[`s${i}`] = s;
  });
  // A values map key `<<` is refused at synthesis (Helm's toYaml writes it as a YAML merge key; test/core/review-17.test.ts).
  const keyed = Object.fromEntries(strings.filter((s) => !OBJECT_INTERNALS.has(s) && s !== '<<').map((s) => [s, s]));
  chart.values.object('lit.keyed', { default: keyed, description: strings.join('') || 'keys' });
  expectations.push({ place: 'values.yaml defaults and comments', written: { ...defaults, keyed }, read: (o) => o.chartValues.lit });

  const tokens = [
    { text: `${text}`, printed: TOKENS.text.printed },
    { text: `${integer.asNumber()}`, printed: TOKENS.integer.printed },
    { text: `${number.asNumber()}`, printed: TOKENS.number.printed },
    { text: `${flag}`, printed: String(TOKENS.flag.value) },
    { text: Release.name, printed: 'release-name' },
    { text: Release.namespace, printed: 'default' },
  ];
  const printable = strings.filter((s) => !s.includes(HELM_NO_VALUE));
  const written = printable.map((s, i) => `${s}${tokens[i % tokens.length].text}`).join('');
  const printed = printable.map((s, i) => `${s}${tokens[i % tokens.length].printed}`).join('');
  chart.addNotes(`<${written}>`);
  expectations.push({ place: 'NOTES.txt', written: `<${printed}>`, read: (o) => o.notes.slice(o.notes.indexOf('\n\n<') + 2, -1) });
  for (const name of PRINTED) {
    expectations.push({ place: `${name} as Helm printed it`, written: (o: Probe) => o[name], read: (o) => o.printed[name] });
  }
  return { chart, expectations };
}

/** What one place must render: `written` (or what it computes from the probe) equals what `read` finds. */
interface Expectation {
  readonly place: string;
  readonly written: unknown;
  readonly read: (probe: Probe) => unknown;
}

/** The text a template prints for its literal text: the escaping actions evaluated. */
function unescape(template: string): string {
  return template.replaceAll('{{ "{{" }}', '{{').replaceAll('{{ "{" }}', '{');
}

/**
 * What the chart rendered: templates read back by Go's YAML reader (`values`, `mixed`, `keys`,
 * through `include`, before Helm's last pass over the output) and as Helm printed them (`printed`).
 */
interface Probe {
  readonly printed: Record<(typeof PRINTED)[number], Record<string, any>>;
  readonly files: ChartFiles;
  readonly text: string;
  readonly values: Record<string, any>;
  readonly mixed: Record<string, any>;
  readonly keys: Record<string, any>;
  readonly blocks: Record<string, any>;
  readonly crd: Record<string, any>;
  readonly chartDescription: string;
  readonly chartValues: Record<string, any>;
  readonly notes: string;
}

/** Renders the chart with a probe template that reads every template back through Go's YAML reader; undefined with Helm's error when rendering fails. */
function render(chart: HelmChart): Probe | string {
  const files = Testing.synth(chart);
  const template = (kind: string): string => {
    const file = [...files.files.keys()].find((f) => f.startsWith(`templates/${kind.toLowerCase()}-`));
    if (!file) throw new Error(`no template for ${kind}`);
    return `(include ${JSON.stringify(`probe/${file}`)} . | fromYaml)`;
  };
  const crd = [...files.files.keys()].find((f) => f.startsWith('crds/'));
  const dir = Testing.writeChart(files);
  try {
    writeFileSync(
      join(dir, 'templates', 'zz-probe.yaml'),
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: zz-probe',
        'data:',
        `  json: {{ dict "values" ${template('Values')} "mixed" ${template('Mixed')} "keys" ${template('Keys')} "blocks" ${template('Blocks')} "crd" (.Files.Get ${JSON.stringify(crd)} | fromYaml) "chartDescription" .Chart.Description "chartValues" .Values "notes" (include "probe/templates/NOTES.txt" .) | toJson | b64enc | quote }}`,
        '',
      ].join('\n'),
    );
    let rendered;
    try {
      rendered = Testing.render(dir);
    } catch (error) {
      return String(error);
    }
    const probe = rendered.find('ConfigMap', 'zz-probe');
    const output = (suffix: string) => rendered.manifests.find((m) => m.metadata?.name === `release-name-probe-${suffix}`);
    const printed = Object.fromEntries(PRINTED.map((name) => [name, output(name)]));
    return { ...JSON.parse(Buffer.from(probe.data.json, 'base64').toString('utf8')), files, text: rendered.text, printed } as Probe;
  } finally {
    Testing.removeChart(dir);
  }
}

/** Every difference between what was written and what rendered; a failed render is narrowed down to the strings that cause it. */
function differences(strings: readonly string[]): Difference[] {
  const { chart, expectations } = probeChart(strings);
  const probe = render(chart);
  if (typeof probe === 'string') {
    if (strings.length === 1) return [{ place: 'helm template', written: strings[0], rendered: probe }];
    const half = Math.ceil(strings.length / 2);
    return [...differences(strings.slice(0, half)), ...differences(strings.slice(half))];
  }
  for (const name of [...PRINTED, 'crd'] as const) {
    const doc = probe[name];
    if (doc && typeof doc === 'object' && 'Error' in doc)
      return [{ place: `fromYaml of ${name}`, written: strings.join(''), rendered: doc.Error }];
  }
  return expectations.flatMap((e) => {
    const written = typeof e.written === 'function' ? e.written(probe) : e.written;
    return differingPaths(written, e.read(probe), e.place);
  });
}

/** Where two JSON values differ, as places with both sides: each differing map entry on its own. */
function differingPaths(written: unknown, rendered: unknown, place: string): Difference[] {
  if (isDeepStrictEqual(written, rendered)) return [];
  if (!isMap(written) || !isMap(rendered)) return [{ place, written, rendered }];
  const keys = [...new Set([...Object.keys(written), ...Object.keys(rendered)])];
  return keys.flatMap((key) => differingPaths(written[key], rendered[key], `${place} ${JSON.stringify(key)}`));
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function runSeed(seed: number): number {
  let count = 0;
  for (let batch = 0; batch < BATCHES_PER_SEED; batch++) {
    const strings = fc.sample(literalText, { seed: seed + batch, numRuns: BATCH });
    count += strings.length;
    let found: Difference[];
    try {
      found = differences(strings);
    } catch (error) {
      throw new Error(`seed ${seed} (batch ${batch}), reproduce with HELM_SYNTH_PROPERTY_SEED=${seed}: ${String(error)}`);
    }
    if (found.length) {
      const firstOfEachPlace = [...new Map(found.map((d) => [d.place.split(' "')[0], d])).values()];
      const shown = [...new Set([...firstOfEachPlace, ...found])]
        .slice(0, 8)
        .map(
          (d) =>
            `  ${d.place}:\n    written  ${JSON.stringify(d.written)?.slice(0, 400)}\n    rendered ${JSON.stringify(d.rendered)?.slice(0, 400)}`,
        );
      throw new Error(
        `${found.length} differences with seed ${seed} (batch ${batch}); reproduce with HELM_SYNTH_PROPERTY_SEED=${seed}:\n${shown.join('\n')}`,
      );
    }
  }
  return count;
}

describe('literal text renders exactly as written (generated strings through Go’s template parser and YAML reader)', () => {
  Testing.ifHelm(test)(
    `${2 * BATCH * BATCHES_PER_SEED} generated strings, fixed seed ${FIXED_SEED} and a random seed`,
    () => {
      const started = Date.now();
      const count = runSeed(FIXED_SEED) + runSeed(randomSeed);
      console.log(
        `literal text: ${count} generated strings rendered exactly (seeds ${FIXED_SEED} and ${randomSeed}) in ${Date.now() - started} ms`,
      );
      expect(count).toBeGreaterThanOrEqual(10000);
    },
    300_000,
  );

  Testing.ifHelm(test)('the cases of issue 16: JSON in a ConfigMap, a brace right before a value in NOTES', () => {
    const chart = new HelmChart(Testing.app(), 'probe', { version: '1.0.0' });
    const host = chart.values.string('host', { default: 'web', description: 'Host.' });
    new ApiObject(chart, 'Plugins', { apiVersion: 'v1', kind: 'ConfigMap', data: { 'plugins.json': '{"plugins":{}}', nested: '{{{}}}' } });
    chart.addNotes(`{${host}} {{${host}}} {{{${host}`);
    expect(Testing.file(chart, 'templates/NOTES.txt')).toContain(
      '{{ "{" }}{{ .Values.host }}} {{ "{{" }}{{ .Values.host }}}} {{ "{{" }}{{ "{" }}{{ .Values.host }}',
    );
    expect(Testing.render(chart).find('ConfigMap').data).toEqual({ 'plugins.json': '{"plugins":{}}', nested: '{{{}}}' });
  });

  test('NOTES text holding "<no value>", which Helm deletes from output, is refused', () => {
    const chart = new HelmChart(Testing.app(), 'probe', { version: '1.0.0', notes: `a ${HELM_NO_VALUE} b` });
    expectHelmSynthError(() => Testing.synth(chart), 'probe', 'Helm deletes it');
  });

  test('value descriptions stay one README table row each', () => {
    const strings = fc.sample(literalText, { seed: FIXED_SEED, numRuns: 500 });
    const chart = new HelmChart(Testing.app(), 'probe', { version: '1.0.0' });
    strings.forEach((s, i) => chart.values.string(`lit.s${i}`, { default: s, description: s.trim() ? s : `d${s}` }));
    const rows = Testing.file(chart, 'README.md')
      .split(LINE_BREAKS)
      .filter((line) => line.startsWith('| `lit.'));
    expect(rows).toHaveLength(strings.length);
    rows.forEach((row, i) => expect(row.startsWith(`| \`lit.s${i}\` | string |`)).toBe(true));
  });
});
