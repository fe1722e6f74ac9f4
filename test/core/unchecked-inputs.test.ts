import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

const JS_INTERNALS = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

describe('value paths and keys that are JavaScript object internals are refused', () => {
  test.each(JS_INTERNALS.flatMap((name) => [[name], [`a.${name}`], [`${name}.b`]]))('value path %s', (path) => {
    const chart = Testing.chart();
    expectHelmSynthError(() => chart.values.string(path, { description: 'x' }), 'test', JSON.stringify(path), "every object's internals");
  });

  test.each(JS_INTERNALS)('describe, passthrough and default keys %s', (name) => {
    const chart = Testing.chart();
    expectHelmSynthError(() => chart.values.describe(name, 'x'), 'test', JSON.stringify(name));
    expectHelmSynthError(() => chart.values.allowPassthrough(name, 'x'), 'test', JSON.stringify(name));
    const defaults = JSON.parse(`{"ok": {${JSON.stringify(name)}: 1}}`);
    expectHelmSynthError(() => chart.values.object('map', { description: 'x', default: defaults }), 'test', JSON.stringify(name));
  });

  test('ordinary paths that only contain such names are fine', () => {
    const chart = Testing.chart();
    chart.values.string('protoName.constructorArgs', { description: 'x', default: '' });
    chart.values.string('to_string', { description: 'x', default: '' });
  });
});

describe('eq/ne of an enum value take one of its values', () => {
  test.each([
    ['z', true],
    ['z', false],
    ['Fast', true],
    ['', false],
  ] as const)('%j (eq: %s) is an error naming the value and the enum', (literal, equal) => {
    const chart = Testing.chart();
    const mode = chart.values.enum('mode', { values: ['fast', 'safe'], default: 'safe', description: 'Mode.' });
    expectHelmSynthError(
      () => (equal ? mode.eq(literal) : mode.ne(literal)),
      'test',
      'value mode (enum)',
      JSON.stringify(literal),
      '["fast","safe"]',
      equal ? 'always false' : 'always true',
    );
  });

  test('every allowed value compares', () => {
    const chart = Testing.chart();
    const mode = chart.values.enum('mode', { values: ['fast', 'safe'], default: 'safe', description: 'Mode.' });
    expect(mode.eq('fast').expression).toBe('(eq (.Values.mode | toString) "fast")');
    expect(mode.ne('safe').expression).toBe('(ne (.Values.mode | toString) "safe")');
  });
});

describe('a value declared twice must be declared the same way', () => {
  test('the same declaration twice is one value', () => {
    const chart = Testing.chart();
    const first = chart.values.integer('port', { description: 'Port.', default: 80, minimum: 1 });
    expect(chart.values.integer('port', { description: 'Port.', default: 80, minimum: 1 })).toBe(first);
  });

  test.each<[string, (chart: ReturnType<typeof Testing.chart>) => unknown, string[]]>([
    [
      'required',
      (c) => {
        c.values.string('host', { description: 'Host.' });
        c.values.string('host', { description: 'Host.', required: true });
      },
      ['different required (false, then true)'],
    ],
    [
      'description',
      (c) => {
        c.values.boolean('on', { description: 'On.', default: false });
        c.values.boolean('on', { description: 'Switch.', default: false });
      },
      ['different descriptions ("On.", then "Switch.")'],
    ],
    [
      'bounds',
      (c) => {
        c.values.integer('n', { description: 'N.', default: 1, minimum: 0 });
        c.values.integer('n', { description: 'N.', default: 1, minimum: 1 });
      },
      ['different constraints', '"minimum":0', '"minimum":1'],
    ],
    [
      'required and description together',
      (c) => {
        c.values.secret('password', { description: 'Password.' });
        c.values.secret('password', { description: 'The password.', required: true });
      },
      ['different required (false, then true), descriptions ("Password.", then "The password.")'],
    ],
  ])('differing %s is an error naming what differs', (_name, declare, fragments) => {
    const chart = Testing.chart();
    expectHelmSynthError(() => declare(chart), 'test', 'declared twice', ...fragments);
  });
});
