import * as kplus from 'cdk8s-plus-27';
import { HelmApp, HelmChart, HelmSynthError } from '../../src';
import { expectHelmSynthError } from '../support/errors';

// Props an app is given from plain JavaScript are checked, and a chart whose props were refused
// leaves nothing behind that a later synth() would trip on.

describe('HelmApp props', () => {
  test.each<[object, ...string[]]>([
    [{ output: 'elsewhere' }, 'has no prop "output"', 'outdir'],
    [{ outDir: 'elsewhere' }, 'has no prop "outDir"; did you mean outdir?'],
    [{ dryRun: 'yes' }, 'prop dryRun must be a boolean, not "yes"'],
    [{ outdir: '' }, 'prop outdir must be a non-empty string'],
    [{ inMemory: 1 }, 'prop inMemory must be a boolean, not 1'],
  ])('%j is refused naming the prop', (props, ...fragments) => {
    expectHelmSynthError(() => new HelmApp(props as never), 'HelmApp', ...fragments);
  });

  test('every documented prop is accepted', () => {
    const app = new HelmApp({ outdir: 'out', dryRun: true, inMemory: true, projectDir: '.', appFile: 'app.js' });
    expect(app.chartsOutdir).toBe('out');
  });
});

describe('a chart whose props were refused', () => {
  test.each([
    ['a bad name', { name: 'Bad Name', version: '1.0.0' }],
    ['a bad version', { version: 'one' }],
    ['no props', undefined],
  ])('%s: the error names it, and the app still synthesizes its other charts', (_, props) => {
    const app = new HelmApp({ inMemory: true });
    const good = new HelmChart(app, 'good', { version: '1.0.0' });
    new kplus.ConfigMap(good, 'Settings', { data: { a: 'b' } });
    expect(() => new HelmChart(app, 'bad', props as never)).toThrow(HelmSynthError);
    expect(app.node.tryFindChild('bad')).toBeUndefined();
    const result = app.synth();
    expect(result.charts.map((chart) => chart.name)).toEqual(['good']);
  });
});
