import * as kplus from 'cdk8s-plus-27';
import { HelmChart, StandardValues, StandardValuesProps, Values } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

const PROPS: StandardValuesProps = { replicaCount: 2, resources: { requests: { cpu: '100m' } }, serviceAccount: { automount: true } };

function chart(declareTree: boolean, props: StandardValuesProps = PROPS): HelmChart {
  const c = new HelmChart(Testing.app(), 'std', { version: '1.0.0' });
  if (declareTree) c.values.define({ ...StandardValues.values(props) });
  const server = new kplus.Deployment(c, 'Server', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
  StandardValues.of(c, props).applyTo(server);
  return c;
}

describe('StandardValues.values(): helm create values as a values tree', () => {
  test('declared as a tree first, StandardValues.of uses those values: the chart files are the same', () => {
    const [byTree, byOf] = [Testing.synth(chart(true)), Testing.synth(chart(false))];
    expect([...byTree.files.keys()]).toEqual([...byOf.files.keys()]);
    for (const [file, text] of byOf.files) expect({ file, text: byTree.files.get(file) }).toEqual({ file, text });
  });

  test('the tree holds the values StandardValues uses', () => {
    const c = new HelmChart(Testing.app(), 'std', { version: '1.0.0' });
    const v = c.values.define({ ...StandardValues.values(PROPS), image: { tag: Values.string({ description: 'Tag.', default: '1' }) } });
    const standard = StandardValues.of(c, PROPS);
    expect(standard.replicaCount).toBe(v.replicaCount);
    expect(standard.serviceAccountAutomount).toBe(v.serviceAccount?.automount);
    expect(v.replicaCount.default).toBe(2);
    expect(StandardValues.values({ serviceAccount: false })).not.toHaveProperty('serviceAccount');
  });

  test('other props than the tree was declared with fail naming the value', () => {
    const c = new HelmChart(Testing.app(), 'std', { version: '1.0.0' });
    c.values.define({ ...StandardValues.values({ replicaCount: 3 }) });
    expectHelmSynthError(() => StandardValues.of(c, { replicaCount: 1 }), 'std', 'value replicaCount is declared twice');
  });
});
