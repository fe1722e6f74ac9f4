import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Template } from '../../src';
import { NameToken } from '../../src/chart/resource-naming';
import { Testing } from '../../src/testing';
import { templateWithHelpersInline } from '../support/named-helpers';

// A name token renders from what collection decided about its object (ResolveContext.names): the
// suffix and the replacing value are read from there, not computed again from template settings.

describe('name tokens', () => {
  const setup = () => {
    const chart = new HelmChart(Testing.app(), 'web', { version: '1.0.0' });
    const map = new kplus.ConfigMap(chart, 'Settings', { data: { a: 'b' } });
    const existing = chart.values.string('settings.existing', { description: 'An existing ConfigMap.', default: '' });
    Template.of(map).nameSuffix('config').replaceableBy(existing);
    const object = ApiObject.of(map);
    return { chart, token: NameToken.of(object, chart), object };
  };

  test('read the suffix and replacing value collection stored', () => {
    const { token, object } = setup();
    const names = new Map([[object, { suffix: 'stored', replacedBy: { expression: '.Values.other' } }]]);
    expect(token.operand({ chartName: 'web', names })).toBe('(default (include "web.resourceName" (list . "stored")) .Values.other)');
    expect(token.preview({ chartName: 'web', names })).toBe('release-name-web-stored');
  });

  test('outside a synthesis, compute them from the template settings', () => {
    const { token } = setup();
    expect(token.operand({ chartName: 'web' })).toBe('(default (include "web.resourceName" (list . "config")) .Values.settings.existing)');
  });

  test('in a chart, render as collection named the object', () => {
    const { chart } = setup();
    new kplus.Deployment(chart, 'Server', {
      containers: [
        { image: 'nginx', envVariables: { CONFIG: kplus.EnvValue.fromValue(chart.resourceName(chart.node.findChild('Settings'))) } },
      ],
    });
    expect(templateWithHelpersInline(Testing.synth(chart).files, 'templates/server-deployment.yaml')).toContain(
      'value: {{ default (include "web.resourceName" (list . "config")) .Values.settings.existing | quote }}',
    );
  });
});
