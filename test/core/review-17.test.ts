import { ApiObject } from 'cdk8s';
import { HelmChart } from '../../src';
import { Testing } from '../../src/testing';

/** Defects found by the generated-charts property test (test/synth/generated-charts.property.test.ts), each with its shrunk case. */

const withHelm = Testing.ifHelm(test);

function newChart(): HelmChart {
  return new HelmChart(Testing.app(), 'gen', { version: '1.0.0', appVersion: '1.0.0' });
}

describe('Testing.render passes values to Helm unchanged', () => {
  withHelm.each(['\u0085@', 'a\u2028b', 'a\u2029b', '\u007f\u0080\u009f', '\ufeffx', 'tab\tcr\r'])(
    'a string holding %j (Go’s YAML reader reads U+0085, U+2028, U+2029 as line breaks)',
    (text) => {
      const chart = newChart();
      const value = chart.values.enum('app.mode', { values: [text, 'other'], default: 'other', description: 'Mode.' });
      new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { mode: value.asString() } });
      expect(Testing.render(chart, { values: { app: { mode: text } } }).find('ConfigMap').data.mode).toBe(text);
    },
  );
});
