import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HelmChart, Template } from '../../src';
import { checkKubeApi, KUBE_API_DEPRECATIONS, KubeApiSeverity } from '../../src/policy/kube-api-versions';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

describe('checkKubeApi: the deprecation guide as data, against a kubeVersion range or one version', () => {
  test.each([
    ['>=1.25.0-0', KubeApiSeverity.REMOVED, 'was removed in Kubernetes 1.25 (kubeVersion ">=1.25.0-0" admits 1.25): use policy/v1'],
    ['>=1.21.0-0', KubeApiSeverity.REMOVED, 'use policy/v1, or limit kubeVersion to "<1.25.0-0"'],
    [
      undefined,
      KubeApiSeverity.REMOVED,
      '(the chart sets no kubeVersion, so it admits every version): use policy/v1, or limit kubeVersion to "<1.25.0-0"',
    ],
    ['>=1.20.0-0 <1.25.0-0', KubeApiSeverity.DEPRECATED, 'is deprecated since Kubernetes 1.21 and removed in 1.25'],
    ['>=1.20.0-0 <1.25.0', KubeApiSeverity.DEPRECATED, 'is deprecated since Kubernetes 1.21'],
    ['1.29', KubeApiSeverity.REMOVED, '(the target is Kubernetes 1.29): use policy/v1'],
    ['v1.29.3-eks-1', KubeApiSeverity.REMOVED, 'the target is Kubernetes v1.29.3-eks-1'],
    ['>=1.25.0-0 <1.31.0-0', KubeApiSeverity.REMOVED, 'use policy/v1'],
    ['<=1.24.0 || >=1.26.0', KubeApiSeverity.REMOVED, '(kubeVersion "<=1.24.0 || >=1.26.0" admits 1.26): use policy/v1'],
  ])('policy/v1beta1 PodDisruptionBudget with kubeVersion %s: %s', (kubeVersion, severity, says) => {
    const finding = checkKubeApi('policy/v1beta1', 'PodDisruptionBudget', kubeVersion);
    expect(finding?.severity).toBe(severity);
    expect(finding?.message).toContain(says);
  });

  test('current APIs, and ranges that end before a deprecation, pass', () => {
    expect(checkKubeApi('policy/v1', 'PodDisruptionBudget', undefined)).toBeUndefined();
    expect(checkKubeApi('policy/v1beta1', 'PodDisruptionBudget', '>=1.16.0 <1.21.0')).toBeUndefined();
    expect(checkKubeApi('policy/v1beta1', 'PodDisruptionBudget', '1.20')).toBeUndefined();
    expect(checkKubeApi('apps/v1', 'Deployment', '>=1.16.0-0')).toBeUndefined();
  });

  test('every row: removed at its version, not before; deprecated from its deprecation on', () => {
    for (const row of KUBE_API_DEPRECATIONS) {
      for (const kind of row.kinds) {
        const minor = (version: string, delta: number) => `1.${Number(version.split('.')[1]) + delta}`;
        if (row.removedIn) {
          expect(checkKubeApi(row.apiVersion, kind, row.removedIn)?.severity).toBe(KubeApiSeverity.REMOVED);
          expect(checkKubeApi(row.apiVersion, kind, minor(row.removedIn, -1))?.severity).toBe(KubeApiSeverity.DEPRECATED);
          expect(checkKubeApi(row.apiVersion, kind, `>=1.0.0-0 <${row.removedIn}.0-0`)?.severity).toBe(KubeApiSeverity.DEPRECATED);
        }
        expect(checkKubeApi(row.apiVersion, kind, row.deprecatedIn)).toBeDefined();
        if (minor(row.deprecatedIn, -1) !== '1.-1') expect(checkKubeApi(row.apiVersion, kind, minor(row.deprecatedIn, -1))).toBeUndefined();
        const replacement = row.replacement;
        expect(checkKubeApi(row.apiVersion, kind, undefined)?.message).toContain(
          replacement.includes(' ') ? replacement : `use ${replacement}`,
        );
      }
    }
  });
});

describe('synthesis checks every object against the chart kubeVersion', () => {
  const pdb = (kubeVersion?: string) => {
    const chart = new HelmChart(Testing.app(), 'web', { version: '1.0.0', ...(kubeVersion && { kubeVersion }) });
    const object = new ApiObject(chart, 'Budget', { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', spec: { minAvailable: 1 } });
    return { chart, object };
  };

  test('a chart whose kubeVersion admits 1.25 and uses policy/v1beta1 PodDisruptionBudget fails synthesis naming policy/v1', () => {
    expectHelmSynthError(
      () => Testing.synth(pdb('>=1.23.0-0').chart),
      'web/Budget',
      'policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25',
      'use policy/v1, or limit kubeVersion to "<1.25.0-0"',
    );
    expectHelmSynthError(() => Testing.synth(pdb().chart), 'web/Budget', 'the chart sets no kubeVersion');
  });

  test('a kubeVersion that ends before the removal makes it a warning', () => {
    const files = Testing.synth(pdb('>=1.22.0-0 <1.25.0-0').chart);
    expect(files.warnings.map((w) => `${w.constructPath}: ${w.message}`)).toEqual([
      expect.stringContaining('web/Budget: policy/v1beta1 PodDisruptionBudget is deprecated since Kubernetes 1.21 and removed in 1.25'),
    ]);
  });

  test('cdk8s-plus objects use current APIs: no finding for a chart of workloads', () => {
    const chart = new HelmChart(Testing.app(), 'web', { version: '1.0.0', kubeVersion: '>=1.27.0-0' });
    const deployment = new kplus.Deployment(chart, 'Server', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    deployment.exposeViaService();
    Template.of(deployment).nameSuffix('');
    expect(Testing.synth(chart).warnings).toEqual([]);
  });
});
