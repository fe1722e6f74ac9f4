import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { RE2JS } from 're2js';
import { parse } from 'yaml';
import { buildApp } from '../../charts/app';
import { HelmChart, JsonValue } from '../../src';
import { PostgresRelease } from '../../src/postgres';
import { BitnamiLayout, bitnamiValuesSchema, STORAGE_CLASS_RULE } from '../../src/postgres/bitnami-postgresql';
import {
  DNS_LABEL_RULE,
  DNS_SUBDOMAIN_RULE,
  IMAGE_DIGEST_RULE,
  IMAGE_REGISTRY_RULE,
  IMAGE_REPOSITORY_RULE,
  IMAGE_TAG_RULE,
  orEmpty,
  orLiteral,
  PLAIN_POSTGRES_NAME_RULE,
  QUANTITY_RULE,
  SECRET_KEY_RULE,
  TEMPLATE_FREE_RULE,
  TextRule,
} from '../../src/tokens/checks';
import { HelmRunner, NO_HELM_MESSAGE } from '../../src/helm';
import { Testing } from '../../src/testing';
import { SHARED_CHARTS, sharedPostgresChartsPresent, withDependencies } from '../support/dependencies';
import { expectHelmSynthError as expectError } from '../support/errors';
import { reportMissingTool } from '../support/tools';

const helm = HelmRunner.find()?.binary;
const HEX = '0123456789abcdef'.repeat(4);

const RULES: ReadonlyArray<readonly [string, TextRule]> = [
  ['DNS label', DNS_LABEL_RULE],
  ['DNS subdomain', DNS_SUBDOMAIN_RULE],
  ['quantity', QUANTITY_RULE],
  ['Secret key', SECRET_KEY_RULE],
  ['image registry', IMAGE_REGISTRY_RULE],
  ['image repository', IMAGE_REPOSITORY_RULE],
  ['image tag', IMAGE_TAG_RULE],
  ['image digest', IMAGE_DIGEST_RULE],
  ['plain PostgreSQL name', PLAIN_POSTGRES_NAME_RULE],
  ['template-free text', TEMPLATE_FREE_RULE],
  ['StorageClass', STORAGE_CLASS_RULE],
  ['StorageClass or empty', orEmpty(STORAGE_CLASS_RULE)],
  ['digest or empty', orEmpty(IMAGE_DIGEST_RULE)],
  ['DNS label or a literal with regexp syntax', orLiteral(DNS_LABEL_RULE, 'a.b*(c)|[d]{e}^$\\/')],
];

/** Inputs every rule is tried on: valid and invalid for each, and what breaks YAML or Go templates. */
const INPUTS: readonly string[] = [
  '',
  'a',
  'A',
  '0',
  '_',
  '-',
  '.',
  'a-b',
  'a--b',
  '-a',
  'a-',
  'a.b',
  '.a',
  'a.',
  'a..b',
  'a_b',
  'a__b',
  'a___b',
  'a/b',
  'a//b',
  '/a',
  'a/',
  'a"b',
  "a'b",
  "'",
  'a: b',
  'a:b',
  'a #b',
  'a b',
  'a\tb',
  'a\nb',
  'a\n',
  '\na',
  'a\r',
  'a\u0085b',
  'a\u2028b',
  'a\u0000b',
  'é',
  'ａ',
  '😀',
  'a😀',
  '{{ .Release.Name }}',
  '{{',
  '}}',
  '{',
  'a{',
  '{a{',
  'a{b{c',
  'a{{',
  'a{\n{',
  '{{-',
  'a}}b',
  'x'.repeat(62),
  'x'.repeat(63),
  'x'.repeat(64),
  `${'a.'.repeat(126)}a`,
  `${'a.'.repeat(126)}ab`,
  'x'.repeat(255),
  'x'.repeat(256),
  'docker.io',
  'Docker.IO',
  'registry.example.com:5000',
  'localhost:5000',
  'host:',
  'host:123456',
  '10.0.0.1',
  '[::1]:5000',
  'bitnamilegacy/postgresql',
  'mirror/bitnamilegacy/postgres-exporter',
  'Mirror/postgresql',
  'a-b_c.d',
  '10Gi',
  '+1Gi',
  '-1Gi',
  '1.5Gi',
  '1.',
  '.5',
  '1e3',
  '1E+3',
  '1Gib',
  '500m',
  '1 Gi',
  ' 1Gi',
  '8Gi\n',
  `sha256:${HEX}`,
  `sha256:${HEX.toUpperCase()}`,
  `sha256:${HEX}0`,
  `sha512:${HEX}`,
  'sha256:abc',
  '17.6.0-debian-12-r4',
  `17.6.0-debian-12-r4@sha256:${HEX}`,
  `17.6.0@sha256:${HEX}@sha256:${HEX}`,
  'x'.repeat(128),
  'x'.repeat(129),
  '.tag',
  'v1.0.0+build',
  'postgres',
  'app_user',
  'app$x',
  'tks-user.1',
  '1st',
  'postgresql-password',
  'postgres-password',
  'a.b*(c)|[d]{e}^$\\/',
  'a.b*(c)|[d]{e}^$\\/x',
];

/** A JSON Schema validator for a rule's schema, as Helm's (draft-07) would run it. */
function ajvCheck(rule: TextRule): (text: string) => boolean {
  return new Ajv({ strict: true }).compile(rule.schema) as (text: string) => boolean;
}

/** The rule's schema read as Go does: the pattern by RE2 (a search; the patterns are anchored), maxLength in code points. */
function re2Check(rule: TextRule): (text: string) => boolean {
  const re2 = RE2JS.compile(rule.schema.pattern);
  return (text) => re2.test(text) && (rule.schema.maxLength === undefined || [...text].length <= rule.schema.maxLength);
}

describe('text rules: the check and the schema pattern accept the same strings', () => {
  test.each(RULES)('%s: the JS check, RE2 and ajv agree on every input', (_name, rule) => {
    const re2 = re2Check(rule);
    const ajv = ajvCheck(rule);
    const disagreements = INPUTS.filter((text) => rule.test(text) !== re2(text) || rule.test(text) !== ajv(text));
    expect(disagreements).toEqual([]);
    expect(INPUTS.some((text) => rule.test(text))).toBe(true);
    expect(INPUTS.some((text) => !rule.test(text))).toBe(true);
  });

  test('each rule accepts and rejects what it says', () => {
    const accepts = (rule: TextRule, ...texts: string[]) =>
      texts.forEach((text) => expect({ text, ok: rule.test(text) }).toEqual({ text, ok: true }));
    const rejects = (rule: TextRule, ...texts: string[]) =>
      texts.forEach((text) => expect({ text, ok: rule.test(text) }).toEqual({ text, ok: false }));
    accepts(DNS_LABEL_RULE, 'a', 'main-db', 'x'.repeat(63));
    rejects(DNS_LABEL_RULE, '', 'A', 'a.b', 'a_b', '-a', 'x'.repeat(64), 'a\n');
    accepts(STORAGE_CLASS_RULE, '-', 'rbd', 'fast.ssd');
    rejects(STORAGE_CLASS_RULE, '', 'a"b', 'Fast SSD', '--');
    accepts(QUANTITY_RULE, '10Gi', '1.5Gi', '500m', '1e3');
    rejects(QUANTITY_RULE, '1Gib', '8Gi\n', '1 Gi', '');
    accepts(IMAGE_TAG_RULE, '17.6.0-debian-12-r4', `11.12.0-debian-10-r44@sha256:${HEX}`);
    rejects(IMAGE_TAG_RULE, 'a"b', "it's", 'a:b', '.tag', 'x'.repeat(129));
    accepts(PLAIN_POSTGRES_NAME_RULE, 'postgres', 'app_user', 'tks-user.1', '1st');
    rejects(PLAIN_POSTGRES_NAME_RULE, 'app #1', 'a: b', 'a"b', 'a\nb', 'é', '-a', 'x'.repeat(64));
    accepts(TEMPLATE_FREE_RULE, '', 'p"w\nx', 'a{b}', '}}', 'a{');
    rejects(TEMPLATE_FREE_RULE, '{{ .Release.Name }}', 'a{{', 'a{b{{c');
    accepts(orLiteral(DNS_LABEL_RULE, 'a.b*(c)|[d]{e}^$\\/'), 'a.b*(c)|[d]{e}^$\\/');
    rejects(orLiteral(DNS_LABEL_RULE, 'a.b*(c)|[d]{e}^$\\/'), 'aab*(c)|[d]{e}^$\\/');
  });

  Testing.ifHelm(test)("Helm (Go's regexp and JSON Schema validator) rejects exactly the inputs the checks reject", () => {
    // NUL cannot travel through a YAML values file; Go and the checks agree on it by the RE2 test above.
    const inputs = INPUTS.filter((text) => !text.includes('\u0000'));
    const properties: Record<string, unknown> = {};
    const values: Record<string, string> = {};
    const expected: string[] = [];
    RULES.forEach(([, rule], r) =>
      inputs.forEach((text, i) => {
        const key = `r${r}_${i}`;
        properties[key] = rule.schema;
        values[key] = text;
        if (!rule.test(text)) expected.push(key);
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'helm-synth-rules-'));
    try {
      const chartDir = join(dir, 'rules');
      mkdirSync(join(chartDir, 'templates'), { recursive: true });
      writeFileSync(join(chartDir, 'Chart.yaml'), 'apiVersion: v2\nname: rules\nversion: 0.1.0\n');
      writeFileSync(
        join(chartDir, 'values.schema.json'),
        JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties }),
      );
      writeFileSync(join(dir, 'values.json'), JSON.stringify(values));
      const result = spawnSync(helm!, ['template', 'rules', chartDir, '-f', join(dir, 'values.json')], { encoding: 'utf8' });
      const rejected = [...result.stderr.matchAll(/^- (r\d+_\d+): /gm)].map((m) => m[1]);
      expect(new Set(rejected)).toEqual(new Set(expected));
      expect(expected.length).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the schema of the values handed to bitnami/postgresql', () => {
  const cases = [
    ['10.8.0', BitnamiLayout.LEGACY],
    ['17.1.0', BitnamiLayout.AUTH],
  ] as const;

  test.each(cases)('bitnami/postgresql %s: its own values.yaml (merged under our key before Helm validates) passes', (version, layout) => {
    if (!sharedPostgresChartsPresent()) {
      reportMissingTool(`bitnami's own values against our schema: ${SHARED_CHARTS}/bitnami is absent`);
      return;
    }
    const bitnami = parse(readFileSync(join(SHARED_CHARTS, 'bitnami', `postgresql-${version}`, 'values.yaml'), 'utf8'));
    const validate = new Ajv({ strict: true, allErrors: true }).compile({ type: 'object', properties: bitnamiValuesSchema(layout) });
    expect({ valid: validate(bitnami), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  });

  test.each(cases)("%s: every pattern is valid RE2 and every typed key exists in bitnami's values.yaml", (version, layout) => {
    if (!sharedPostgresChartsPresent()) return;
    const bitnami = parse(readFileSync(join(SHARED_CHARTS, 'bitnami', `postgresql-${version}`, 'values.yaml'), 'utf8'));
    const walk = (properties: Record<string, any>, values: any, path: string): string[] =>
      Object.entries(properties).flatMap(([key, schema]) => {
        const at = path ? `${path}.${key}` : key;
        if (schema.pattern) RE2JS.compile(schema.pattern);
        if (values === undefined || values === null || !(key in values)) return [at];
        return schema.properties ? walk(schema.properties, values[key], at) : [];
      });
    expect(walk(bitnamiValuesSchema(layout), bitnami, '')).toEqual([]);
  });

  test('every value helm-synth writes passes, for every prop it maps (checked when the chart is built)', () => {
    const everything = {
      user: 'shop_app',
      database: 'shop',
      existingSecret: 'shop-db',
      fullnameOverride: 'shop-db',
      persistence: { enabled: true, size: '10Gi', storageClass: '-' },
      images: {
        postgresql: { registry: 'registry.example.com:5000', repository: 'mirror/postgresql', tag: '1.0', digest: `sha256:${HEX}` },
      },
      resources: { requests: { cpu: '250m', memory: '256Mi' } },
    };
    for (const chartVersion of ['10.8.0', '17.1.0']) {
      const release = new PostgresRelease(new HelmChart(Testing.app(), 'shop', { version: '1.0.0' }), 'Database', {
        chartVersion,
        ...everything,
      });
      const layout = release.version.layout;
      const validate = new Ajv({ strict: true }).compile({ type: 'object', properties: bitnamiValuesSchema(layout) });
      expect({ chartVersion, valid: validate(release.chartValues) }).toEqual({ chartVersion, valid: true });
      if (layout === BitnamiLayout.AUTH)
        expect(release.chartValues).toMatchObject({
          global: { security: { allowInsecureImages: true } },
          image: { digest: `sha256:${HEX}` },
        });
      else expect(release.chartValues).toMatchObject({ image: { tag: `1.0@sha256:${HEX}` } });
    }
  });

  test("a passthrough default that breaks the chart's own schema, or a pattern Go cannot compile, fails synthesis naming the key", () => {
    const c = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    const dependency = (name: string) => ({ name, version: '1.0.0', repository: 'https://charts.example.com' });
    const persistence = {
      persistence: {
        type: 'object',
        properties: { size: QUANTITY_RULE.schema, accessModes: { type: 'array', items: { enum: ['ReadWriteOnce'] } } },
      },
    };
    expectError(
      () => c.addChartDependency(dependency('one'), { persistence: { size: '10 Gi' } }, persistence),
      'shop',
      'value one.persistence.size: default "10 Gi" does not pass the chart\'s own schema: must match pattern',
    );
    expectError(
      () => c.addChartDependency(dependency('two'), { persistence: { accessModes: ['ReadWriteOnce', 'Sometimes'] } }, persistence),
      'shop',
      'value two.persistence.accessModes[1]: default "Sometimes" does not pass the chart\'s own schema: must be equal to one of the allowed values',
    );
    expectError(
      () => c.addChartDependency(dependency('three'), {}, { name: { type: 'string', pattern: '^(?!x)' } }),
      'shop',
      'value three.name: pattern "^(?!x)" is not valid in Go\'s RE2',
    );
    expectError(
      () => c.addChartDependency(dependency('four'), {}, { list: { type: 'array', items: { type: 'string', pattern: '\\p{Lu}(?<=A)' } } }),
      'shop',
      'value four.list[]: pattern',
    );
    expectError(
      () => c.addChartDependency(dependency('five'), { name: 'x' }, { name: { type: 'strin' } }),
      'shop',
      'value five: properties is not a valid JSON Schema (draft-07): type must be JSONType',
    );
    c.addChartDependency(dependency('six'), { persistence: { size: '10Gi' }, other: { anything: [1, 'x'] } }, persistence);
    expect(JSON.parse(Testing.synth(c).files.get('values.schema.json')!).properties.six.properties).toEqual(persistence);
  });

  test('PostgresRelease rejects a tag that already pins a digest when a digest is given too (10.x writes <tag>@<digest>)', () => {
    const c = new HelmChart(Testing.app(), 'shop', { version: '1.0.0' });
    expectError(
      () =>
        new PostgresRelease(c, 'Database', {
          chartVersion: '10.8.0',
          images: { postgresql: { tag: `1.0@sha256:${HEX}`, digest: `sha256:${HEX}` } },
        }),
      'shop',
      `value postgresql.image.tag: default "1.0@sha256:${HEX}@sha256:${HEX}" does not pass the chart's own schema`,
    );
  });
});

const describeWithCharts = helm && sharedPostgresChartsPresent() ? describe : describe.skip;
if (!helm) reportMissingTool(`hostile values against the real bitnami/postgresql charts: ${NO_HELM_MESSAGE}`);
if (!sharedPostgresChartsPresent())
  reportMissingTool(`hostile values against the real bitnami/postgresql charts: ${SHARED_CHARTS}/bitnami is absent`);

/** A typed key under `postgresql.`, a value our schema must reject, and a normal one that renders. */
type KeyCase = readonly [key: string, hostile: JsonValue, normal: JsonValue];

const LEGACY_CASES: readonly KeyCase[] = [
  ['persistence.storageClass', 'a"b', 'fast-ssd'],
  ['persistence.size', '1Gi\nx: y', '20Gi'],
  ['persistence.existingClaim', 'claim: x', 'data-claim'],
  ['persistence.accessModes', ['ReadWriteOnce"'], ['ReadWriteOnce']],
  ['image.registry', 'a: b', 'registry.example.com:5000'],
  ['image.repository', 'Mirror/PostgreSQL', 'mirror/postgresql'],
  ['image.tag', 'a"b', `11.12.0-debian-10-r44@sha256:${HEX}`],
  ['image.pullPolicy', 'Sometimes', 'Always'],
  ['volumePermissions.image.tag', 'x y', '10-debian-10-r125'],
  ['metrics.image.repository', 'a b', 'bitnamilegacy/postgres-exporter'],
  ['postgresqlUsername', 'app #1', 'app_user'],
  ['postgresqlDatabase', 'a\nb', 'app'],
  ['postgresqlPassword', 12345, 'any "text" {{ .Release.Name }}\nwith a newline'],
  ['postgresqlPostgresPassword', true, 'p: #w'],
  ['existingSecret', 'a: b', 'db-passwords'],
  ['fullnameOverride', 'Main DB', 'main-db'],
  ['nameOverride', 'pg:', 'pg'],
  ['service.port', 'x', 6543],
  ['replication.user', 'repl user', 'repl'],
  ['global.storageClass', "'", 'rbd'],
  ['global.imageRegistry', 'a b', 'registry.example.com'],
  ['global.postgresql.postgresqlUsername', 'a: b', 'app_user'],
];

const AUTH_CASES: readonly KeyCase[] = [
  ['primary.persistence.storageClass', 'a"b', '-'],
  ['primary.persistence.size', '8Gi\n', '20Gi'],
  ['readReplicas.persistence.storageClass', 'Fast', 'fast'],
  ['image.registry', 'a b', 'docker.io'],
  ['image.repository', 'a"b', 'bitnamilegacy/postgresql'],
  ['image.tag', "it's", '17.6.0-debian-12-r4'],
  ['image.digest', 'sha256:abc', `sha256:${HEX}`],
  ['metrics.image.tag', 'a: b', '0.17.1-debian-12-r16'],
  ['volumePermissions.image.pullPolicy', 'always', 'Never'],
  ['auth.username', 'a: b', 'app'],
  ['auth.database', 'a\nb', 'app'],
  ['auth.password', '{{ .Release.Name }}', 'any "text"\nwith a newline'],
  ['auth.postgresPassword', 12345, 'p"w {{ not run through tpl }}'],
  ['auth.replicationPassword', '{{ fail "x" }}', 'r'],
  ['auth.replicationUsername', '', 'repl'],
  ['auth.existingSecret', 'a: b', 'db-passwords'],
  ['auth.secretKeys.adminPasswordKey', 'a b', 'admin'],
  ['architecture', 'cluster', 'replication'],
  ['primary.name', 'Main', 'main'],
  ['primary.service.ports.postgresql', '5432', 6543],
  ['fullnameOverride', 'a_b', 'main-db'],
  ['nameOverride', 'a.b', 'pg'],
  ['global.storageClass', 'a b', 'rbd'],
  ['global.defaultStorageClass', 'a"b', 'rbd'],
  ['global.imageRegistry', 'a b', ''],
  ['global.security.allowInsecureImages', 'yes', true],
  ['global.postgresql.auth.username', 'a: b', ''],
  ['global.postgresql.auth.password', '{{ .Release.Name }}', ''],
];

/** `{ a: { b: value } }` for `a.b`. */
function nested(entries: ReadonlyArray<readonly [string, JsonValue]>): Record<string, JsonValue> {
  const root: Record<string, any> = {};
  for (const [path, value] of entries) {
    const keys = path.split('.');
    let node = root;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys[keys.length - 1]] = value;
  }
  return root;
}

/**
 * The keys a schema failure names for `chart`, list indexes dropped (Helm lists failures per chart:
 * `<chart>:` then one `- <key>: <problem>` line each).
 */
function schemaFailures(message: string, chart: string): string[] {
  const lines = (message.split(`\n${chart}:\n`)[1] ?? '').split('\n');
  const end = lines.findIndex((line) => !line.startsWith('- '));
  const block = end === -1 ? lines : lines.slice(0, end);
  return block.map((line) => /^- ([^:]+): /.exec(line)![1].replace(/\.\d+$/, ''));
}

describeWithCharts('hostile values for bitnami/postgresql fail our schema, naming the key, with the real charts in place', () => {
  const seeds = buildApp(Testing.app()).helmCharts;
  const charts = [
    ['decapod-db (10.8.0)', seeds.find((c) => c.chartName === 'decapod-db')!, LEGACY_CASES, {}],
    [
      'tks-contract-with-db (17.1.0)',
      seeds.find((c) => c.chartName === 'tks-contract-with-db')!,
      AUTH_CASES,
      { database: { password: 'x' } },
    ],
  ] as const;

  /** Renders with a values file (so no --set parsing stands between the value and the schema); returns the error, or undefined. */
  function renderError(dir: string, values: unknown, set: Record<string, string> = {}): string | undefined {
    const file = join(dir, '..', 'hostile-values.json');
    writeFileSync(file, JSON.stringify(values));
    try {
      Testing.render(dir, { releaseName: 'db', namespace: 'db', valuesFiles: [file], set });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  test.each(charts)('%s: every hostile value is rejected by our schema, each naming its key', (_name, chart, cases, required) => {
    withDependencies(chart, (dir) => {
      const error = renderError(dir, { ...required, postgresql: nested(cases.map(([key, hostile]) => [key, hostile])) });
      expect(error).toContain("values don't meet the specifications of the schema(s)");
      expect(error).not.toContain('YAML parse error');
      expect(schemaFailures(error!, chart.chartName).sort()).toEqual(cases.map(([key]) => `postgresql.${key}`).sort());
    });
  });

  test.each(charts)('%s: the normal value of every key renders', (_name, chart, cases, required) => {
    withDependencies(chart, (dir) => {
      expect(renderError(dir, { ...required, postgresql: nested(cases.map(([key, , normal]) => [key, normal])) })).toBeUndefined();
    });
  });

  test.each(charts)(
    "%s: --set of a quoted StorageClass, a size with a newline, a quote in a tag: our schema error, not a parse error in bitnami's templates",
    (_name, chart, _cases, required) => {
      const persistence = chart.chartName === 'decapod-db' ? 'persistence' : 'primary.persistence';
      withDependencies(chart, (dir) => {
        for (const [key, value] of [
          [`${persistence}.storageClass`, 'a"b'],
          [`${persistence}.size`, '1Gi\nx: y'],
          ['image.tag', 'a"b'],
        ]) {
          const error = renderError(dir, required, { [`postgresql.${key}`]: value });
          expect({ key, failures: schemaFailures(error ?? '', chart.chartName) }).toEqual({ key, failures: [`postgresql.${key}`] });
        }
      });
    },
  );

  test("a top-level global is checked where bitnami reads it (Helm copies it under the dependency's key)", () => {
    const chart = charts[1][1];
    withDependencies(chart, (dir) => {
      const error = renderError(dir, { database: { password: 'x' }, global: { storageClass: 'a"b' } });
      expect(schemaFailures(error ?? '', chart.chartName)).toEqual(['postgresql.global.storageClass']);
    });
  });
});
