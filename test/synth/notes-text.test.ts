import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Release } from '../../src';
import { Testing } from '../../src/testing';
import { unwrapParentheses } from '../../src/tokens/go-template';

// NOTES.txt and templates print a token inside text by one rule (`textPipeline`): for every kind of
// token, the action NOTES.txt writes is the argument the template's `printf` of the same text takes.

type Use = (chart: HelmChart) => string;

const USES: ReadonlyArray<readonly [string, Use]> = [
  ['a string value with a default', (c) => c.values.string('host', { description: 'Host.', default: 'example.com' }).asString()],
  ['a required string value', (c) => c.values.string('host', { description: 'Host.', required: true }).asString()],
  ['an integer value', (c) => `${c.values.integer('port', { description: 'Port.', default: 8080 }).asNumber()}`],
  ['a required integer value', (c) => `${c.values.integer('port', { description: 'Port.', required: true }).asNumber()}`],
  ['a number value', (c) => `${c.values.number('ratio', { description: 'Ratio.', default: 0.5 }).asNumber()}`],
  ['an enum value', (c) => c.values.enum('mode', { description: 'Mode.', values: ['a', 'b'], default: 'a' }).asString()],
  ['the release name', () => Release.name],
  ['the release namespace', () => Release.namespace],
  ['the name of an object of the chart', (c) => new kplus.Service(c, 'Web', { ports: [{ port: 80 }] }).name],
];

describe.each(USES)('%s', (_, use) => {
  test('prints in NOTES.txt as in a template', () => {
    const chart = new HelmChart(Testing.app(), 'demo', { version: '1.0.0' });
    const token = use(chart);
    chart.addNotes(`open <${token}>`);
    new kplus.ConfigMap(chart, 'Config', { data: { text: `open <${token}>` } });
    const template = Testing.file(chart, 'templates/config-config-map.yaml');
    const notes = Testing.file(chart, 'templates/NOTES.txt');
    const printf = /text: \{\{ printf "open <%v>" (.+) \| quote \}\}/.exec(template);
    expect(printf).not.toBeNull();
    expect(notes).toContain(`open <{{ ${unwrapParentheses(printf![1])} }}>`);
  });
});
