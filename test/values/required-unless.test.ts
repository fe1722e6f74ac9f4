import * as kplus from 'cdk8s-plus-27';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EnvironmentValues, HelmChart, Template, Values } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { templateWithHelpersInline } from '../support/named-helpers';

const Ajv = require('ajv').default as new (options: object) => { compile(schema: object): (data: unknown) => boolean };

/** A database password required unless an existing Secret is named; declared by path or as a tree (password before the key it names). */
function databaseChart(form: 'path' | 'tree'): HelmChart {
  const chart = new HelmChart(Testing.app(), 'orders', { version: '1.0.0' });
  let existingSecret, password;
  if (form === 'path') {
    chart.values.describe('db', 'The database credentials.');
    existingSecret = chart.values.string('db.existingSecret', {
      default: '',
      description: 'A Secret holding the password (key password).',
    });
    password = chart.values.secret('db.password', { description: 'Password of the database user.', requiredUnless: existingSecret });
  } else {
    const v = chart.values.define({
      db: Values.group('The database credentials.', {
        password: Values.secret({ description: 'Password of the database user.', requiredUnless: 'existingSecret' }),
        existingSecret: Values.string({ default: '', description: 'A Secret holding the password (key password).' }),
      }),
    });
    ({ existingSecret, password } = v.db);
  }
  const secret = new kplus.Secret(chart, 'Db', { stringData: { password: password.asString() } });
  Template.of(secret).replaceableBy(existingSecret);
  new kplus.Secret(chart, 'Mirror', { stringData: { password: password.asString() } });
  new kplus.Deployment(chart, 'App', {
    containers: [
      { image: 'example/orders:1.0', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) } },
    ],
  });
  return chart;
}

describe('secret(..., { requiredUnless })', () => {
  test.each(['path', 'tree'] as const)('declared by %s: values.yaml, README and the schema say it, the template checks it', (form) => {
    const files = Testing.synth(databaseChart(form)).files;
    expect(files.get('values.yaml')).toContain(
      [
        '  # Password of the database user.',
        '  # (required unless db.existingSecret is set)',
        '  # password: ""  # secret: pass it at install time, never commit it',
      ].join('\n'),
    );
    expect(files.get('README.md')).toContain(
      '| `db.password` | secret | *(secret)* | Password of the database user. **Required unless `db.existingSecret` is set.** |',
    );
    const schema = JSON.parse(files.get('values.schema.json')!);
    expect(schema.properties.db).toMatchObject({
      if: { type: 'object', required: ['existingSecret'], properties: { existingSecret: { type: 'string', minLength: 1 } } },
      else: { type: 'object', required: ['password'], properties: { password: { type: 'string', minLength: 1 } } },
    });
    expect(schema.properties.db.allOf).toBeUndefined();
    expect(schema.allOf).toBeUndefined();
    expect(templateWithHelpersInline(files, 'templates/db-secret.yaml')).toContain(
      'password: {{ or .Values.db.password (and (empty .Values.db.existingSecret) (required "value db.password is required unless db.existingSecret is set: Password of the database user." "")) | default "" | quote }}',
    );
  });

  test('the schema (draft-07, ajv) refuses values with neither and accepts either, wherever the two values sit', () => {
    const chart = new HelmChart(Testing.app(), 'mixed', { version: '1.0.0' });
    const external = chart.values.boolean('external.enabled', { default: false, description: 'Use an external database.' });
    chart.values.secret('auth.db.password', { description: 'Password.', requiredUnless: external });
    chart.values.string('tokenSecret', { default: '', description: 'A Secret with the token.' });
    chart.values.secret('token', { description: 'Token.', requiredUnless: 'tokenSecret' });
    const schema = JSON.parse(Testing.file(chart, 'values.schema.json'));
    const validate = new Ajv({ strict: true }).compile(schema);
    const defaults = parse(Testing.file(chart, 'values.yaml'));
    const cases: Array<[Record<string, any>, boolean]> = [
      [{ tokenSecret: 'tokens' }, false],
      [{ tokenSecret: 'tokens', auth: { db: { password: '' } } }, false],
      [{ tokenSecret: 'tokens', auth: { db: { password: 'p' } } }, true],
      [{ tokenSecret: 'tokens', external: { enabled: true } }, true],
      [{ external: { enabled: true } }, false],
      [{ external: { enabled: true }, token: 't' }, true],
    ];
    const merged = (over: Record<string, any>) => ({
      ...defaults,
      ...over,
      auth: { db: { ...defaults.auth?.db, ...over.auth?.db } },
      external: { ...defaults.external, ...over.external },
    });
    expect(cases.map(([values]) => validate(merged(values)))).toEqual(cases.map(([, valid]) => valid));
    expect(schema.allOf).toHaveLength(2);
  });

  test('a tree declared again is the same values; the same secret with another requiredUnless is an error', () => {
    const chart = new HelmChart(Testing.app(), 'twice', { version: '1.0.0' });
    const tree = () => ({
      db: {
        password: Values.secret({ description: 'P.', requiredUnless: 'existingSecret' }),
        existingSecret: Values.string({ description: 'E.', default: '' }),
        otherSecret: Values.string({ description: 'O.', default: '' }),
      },
    });
    const first = chart.values.define(tree());
    const again = chart.values.define(tree());
    expect(again.db.password).toBe(first.db.password);
    expect(again.db.password.requiredUnless).toBe(first.db.existingSecret);
    expectHelmSynthError(
      () => chart.values.define({ db: { password: Values.secret({ description: 'P.', requiredUnless: 'otherSecret' }) } }),
      'twice',
      'value db.password is declared twice with different requiredUnless (db.existingSecret, then db.otherSecret)',
    );
  });

  test('bad requiredUnless fails naming the value', () => {
    const chart = new HelmChart(Testing.app(), 'bad', { version: '1.0.0' });
    const list = chart.values.list('hosts', { default: [], description: 'Hosts.' });
    const other = new HelmChart(Testing.app(), 'other', { version: '1.0.0' }).values.string('x', { default: '', description: 'X.' });
    const at = 'bad';
    expectHelmSynthError(
      () => chart.values.secret('a', { description: 'A.', required: true, requiredUnless: 'hosts' }),
      at,
      'value a: required and requiredUnless exclude each other',
    );
    expectHelmSynthError(
      () => chart.values.secret('a', { description: 'A.', requiredUnless: list }),
      at,
      'a list value; it takes a string, enum or boolean',
    );
    expectHelmSynthError(
      () => chart.values.secret('a', { description: 'A.', requiredUnless: other }),
      at,
      'which is not a value of this chart',
    );
    expectHelmSynthError(
      () => chart.values.secret('g.a', { description: 'A.', requiredUnless: 'missing' }),
      at,
      'requiredUnless "missing" names g.missing, which is not declared',
    );
    expectHelmSynthError(
      () => chart.values.define({ g: { a: Values.secret({ description: 'A.', requiredUnless: 'nope' }) } }),
      at,
      'value g.a: requiredUnless "nope" names g.nope, which is not declared',
    );
    expectHelmSynthError(
      () => chart.values.define({ s: Values.secret({ description: 'S.', requiredUnless: 's' }) }),
      at,
      'requiredUnless names the value itself',
    );
    expectHelmSynthError(
      () => chart.values.define({ r: Values.secret({ description: 'R.', required: true, requiredUnless: 'hosts' }) }),
      at,
      'value r: required and requiredUnless exclude each other',
    );
  });

  Testing.ifHelm(test)(
    'a render with neither fails with a clear message, with either passes: by the schema and, without it, by the template',
    () => {
      for (const form of ['path', 'tree'] as const) {
        const chart = databaseChart(form);
        expect(() => Testing.render(chart)).toThrow(/password/);
        const given = Testing.render(chart, { values: { db: { password: 's3cret' } } });
        expect(given.all('Secret').map((s) => [s.metadata.name, s.stringData])).toEqual([
          ['release-name-orders-db', { password: 's3cret' }],
          ['release-name-orders-mirror', { password: 's3cret' }],
        ]);
        const existing = Testing.render(chart, { values: { db: { existingSecret: 'orders-db' } } });
        expect(existing.all('Secret').map((s) => [s.metadata.name, s.stringData])).toEqual([
          ['release-name-orders-mirror', { password: '' }],
        ]);
        const env = existing.find('Deployment').spec.template.spec.containers[0].env;
        expect(env[0].valueFrom.secretKeyRef.name).toBe('orders-db');

        const dir = Testing.writeChart(chart);
        try {
          rmSync(join(dir, 'values.schema.json'));
          expect(() => Testing.render(dir)).toThrow(
            'value db.password is required unless db.existingSecret is set: Password of the database user.',
          );
          expect(Testing.render(dir, { values: { db: { password: 'p' } } }).find('Secret', 'release-name-orders-db').stringData).toEqual({
            password: 'p',
          });
          const existingOnly = Testing.render(dir, { values: { db: { existingSecret: 'orders-db' } } });
          expect(existingOnly.all('Secret').map((s) => [s.metadata.name, s.stringData])).toEqual([
            ['release-name-orders-mirror', { password: '' }],
          ]);
        } finally {
          Testing.removeChart(dir);
        }
      }
    },
  );

  Testing.ifHelm(test)('schema (ajv), schema (helm) and template (helm without the schema) agree on every combination', () => {
    const chart = databaseChart('tree');
    const files = Testing.synth(chart).files;
    const validate = new Ajv({ strict: true }).compile(JSON.parse(files.get('values.schema.json')!));
    const defaults = parse(files.get('values.yaml')!);
    const dir = Testing.writeChart(chart);
    const noSchema = Testing.writeChart(chart);
    rmSync(join(noSchema, 'values.schema.json'));
    const renders = (folder: string, values: Record<string, unknown>): boolean => {
      try {
        Testing.render(folder, { values: values as EnvironmentValues });
        return true;
      } catch {
        return false;
      }
    };
    try {
      const verdicts = [];
      for (const password of [undefined, '', 'p']) {
        for (const existingSecret of ['', 'orders-db']) {
          const db = { existingSecret, ...(password !== undefined && { password }) };
          verdicts.push({
            db,
            expected: password === 'p' || existingSecret !== '',
            ajv: validate({ ...defaults, db }),
            helm: renders(dir, { db }),
            template: renders(noSchema, { db }),
          });
        }
      }
      expect(verdicts).toEqual(verdicts.map((v) => ({ ...v, ajv: v.expected, helm: v.expected, template: v.expected })));
    } finally {
      Testing.removeChart(dir);
      Testing.removeChart(noSchema);
    }
  });
});
