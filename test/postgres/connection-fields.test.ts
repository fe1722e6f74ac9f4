import { isIPv6 } from 'node:net';
import { RE2JS } from 're2js';
import { PostgresConnection, PostgresRelease } from '../../src/postgres';
import { Testing } from '../../src/testing';
import { HOST_RULE, isDnsSubdomain, isPlainPostgresName, PLAIN_POSTGRES_NAME_RULE } from '../../src/tokens/checks';

/** Candidate texts for a field: every character class at every position, IPv4 and IPv6 forms, lengths around the limits. */
function candidates(): string[] {
  const pieces = ['a', 'Z', '0', '-', '.', '_', ':', '::', 'ff', ' ', '/', '@', 'é', '"'];
  const texts = new Set<string>([
    'db',
    'postgres',
    '10.0.0.5',
    '999.1.1.1',
    '::1',
    '2001:db8::1',
    'fe80::1:2:3:4:5:6',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:8:9',
    ':::',
    'db.',
    '.db',
  ]);
  for (const a of pieces) for (const b of pieces) for (const c of pieces) texts.add(`${a}x${b}${c}`);
  for (const length of [62, 63, 64, 253, 254]) texts.add('a'.repeat(length));
  return [...texts];
}

/** What each path accepts for one field: the literal check of `external`, and the values.schema.json pattern of `withValues` and of the external server values. */
function accepted(field: 'host' | 'adminUser', text: string): boolean[] {
  let literal = true;
  try {
    PostgresConnection.external({
      host: field === 'host' ? text : 'db',
      adminUser: field === 'adminUser' ? text : 'postgres',
      adminSecret: { name: 'pg', key: 'password' },
    });
  } catch {
    literal = false;
  }
  return [literal, ...schemas(field).map((schema) => schemaAccepts(schema, text))];
}

const schemaCache = new Map<string, Array<Record<string, unknown>>>();

/** The schema of the field as `withValues` declares it and as a PostgresRelease's external server declares it. */
function schemas(field: 'host' | 'adminUser'): Array<Record<string, unknown>> {
  if (!schemaCache.has(field)) {
    const chart = Testing.chart();
    PostgresConnection.external({ host: 'db', adminSecret: { name: 'pg', key: 'password' } }).withValues(chart, 'database');
    void new PostgresRelease(chart, 'Database', { chartVersion: '17.1.0' }).connection;
    const properties = JSON.parse(Testing.synth(chart).files.get('values.schema.json')!).properties;
    schemaCache.set(field, [properties.database.properties[field], properties.externalDatabase.properties[field]]);
  }
  return schemaCache.get(field)!;
}

const compiled = new Map<string, RE2JS>();

/** JSON Schema `pattern` (searched, in Go's RE2 as Helm does) and `maxLength` (code points). */
function schemaAccepts(schema: Record<string, unknown>, text: string): boolean {
  const pattern = schema.pattern as string;
  const maxLength = schema.maxLength as number | undefined;
  if (!compiled.has(pattern)) compiled.set(pattern, RE2JS.compile(pattern));
  return compiled.get(pattern)!.matcher(text).find() && (maxLength === undefined || [...text].length <= maxLength);
}

describe('each PostgreSQL connection field has one rule, the same on every path that declares it', () => {
  const TEXTS = candidates();

  test(`host: ${TEXTS.length} generated texts are accepted by external(), withValues and the external server values alike`, () => {
    for (const text of TEXTS) {
      const expected = isDnsSubdomain(text) || (isIPv6(text) && !text.includes('.'));
      expect([text, ...accepted('host', text)]).toEqual([text, expected, expected, expected]);
    }
  });

  test(`adminUser: ${TEXTS.length} generated texts are accepted by external(), withValues and the external server values alike`, () => {
    for (const text of TEXTS) {
      const expected = isPlainPostgresName(text);
      expect([text, ...accepted('adminUser', text)]).toEqual([text, expected, expected, expected]);
    }
  });

  test('the rules are the ones of src/tokens/checks.ts, and their patterns are what the schemas hold', () => {
    expect(schemas('host').map((s) => s.pattern)).toEqual([HOST_RULE.schema.pattern, HOST_RULE.schema.pattern]);
    expect(schemas('adminUser').map((s) => s.pattern)).toEqual([
      PLAIN_POSTGRES_NAME_RULE.schema.pattern,
      PLAIN_POSTGRES_NAME_RULE.schema.pattern,
    ]);
  });
});
