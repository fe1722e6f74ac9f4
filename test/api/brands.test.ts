import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as root from '../../src';
import * as postgres from '../../src/postgres';
import * as release from '../../src/release';
import * as testing from '../../src/testing';
import { LockBusyError } from '../../src/output/output-lock';

/**
 * Each public class users may test has `X.isX(x)`: a brand check through `Symbol.for('helm-synth.X')`,
 * so an object made by another copy of the library passes (where `instanceof` fails).
 */
const entryPoints: Record<string, Record<string, unknown>> = {
  'helm-synth': root,
  'helm-synth/postgres': postgres,
  'helm-synth/release': release,
  'helm-synth/testing': testing,
};

/** Classes without a brand, and why. */
const UNBRANDED: Record<string, string> = {
  Testing: 'static helpers only, never instantiated',
  StringValue: 'a Value: Value.isValue and its `type` tell the kinds apart',
  SecretValue: 'a Value: Value.isValue and its `type` tell the kinds apart',
  EnumValue: 'a Value: Value.isValue and its `type` tell the kinds apart',
  NumericValue: 'a Value: Value.isValue and its `type` tell the kinds apart',
  BooleanValue: 'a Value: Value.isValue and its `type` tell the kinds apart',
  ListValue: 'a Value: Value.isValue and its `type` tell the kinds apart',
  ObjectValue: 'a Value: Value.isValue and its `type` tell the kinds apart',
};

const publicClasses = [
  ...new Map(
    Object.values(entryPoints).flatMap((exports) =>
      Object.entries(exports).filter(
        ([name, value]) => typeof value === 'function' && /^[A-Z]/.test(name) && value.prototype !== undefined,
      ),
    ),
  ).entries(),
] as Array<[string, { [key: string]: unknown }]>;

test('the entry points export classes', () => {
  expect(publicClasses.length).toBeGreaterThan(20);
});

describe.each(publicClasses.filter(([name]) => !(name in UNBRANDED)))('%s', (name, cls) => {
  const isX = cls[`is${name}`] as ((x: unknown) => boolean) | undefined;

  test(`has a static is${name}`, () => {
    expect(typeof isX).toBe('function');
  });

  test(`is${name} reads the brand Symbol.for('helm-synth.${name}'), the one another copy of the library sets`, () => {
    expect(isX!({ [Symbol.for(`helm-synth.${name}`)]: true })).toBe(true);
    expect(isX!({})).toBe(false);
    expect(isX!(null)).toBe(false);
    expect(isX!(`helm-synth.${name}`)).toBe(false);
  });
});

test('the brands hold for instances, and for no other kind', () => {
  const app = testing.Testing.app();
  const chart = new root.HelmChart(app, 'demo', { version: '1.0.0' });
  const object = new ApiObject(chart, 'Thing', { apiVersion: 'v1', kind: 'ConfigMap' });
  const deployment = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
  const job = new root.PreInstallJob(chart, 'Job', { image: 'busybox', command: ['true'] });
  const instances: Record<string, unknown> = {
    HelmChart: chart,
    HelmApp: new root.HelmApp({ outdir: 'unused' }),
    Template: root.Template.of(object),
    Hook: root.Hook.apply(object, { events: [root.HookEvent.PRE_INSTALL] }),
    HookJob: job,
    StandardValues: root.StandardValues.for(chart),
    Autoscaling: root.StandardValues.for(chart).autoscale(deployment),
    Values: chart.values,
    Value: chart.values.boolean('x.enabled', { default: true, description: 'X.' }),
    Condition: root.Condition.from(chart.values.boolean('y.enabled', { default: true, description: 'Y.' })),
    HelmSynthError: new root.HelmSynthError('a', 'b'),
    LockBusyError: new LockBusyError(1, 'dist'),
  };
  for (const [name, instance] of Object.entries(instances)) {
    const own = (root as unknown as Record<string, Record<string, (x: unknown) => boolean>>)[name][`is${name}`];
    expect({ name, own: own(instance) }).toEqual({ name, own: true });
    for (const other of Object.keys(instances).filter((o) => o !== name && !(name === 'PreInstallJob' && o === 'HookJob'))) {
      const check = (root as unknown as Record<string, Record<string, (x: unknown) => boolean>>)[other][`is${other}`];
      expect({ name, other, result: check(instance) }).toEqual({ name, other, result: false });
    }
  }
  expect(root.PreInstallJob.isPreInstallJob(job)).toBe(true);
  expect(root.HookJob.isHookJob(job)).toBe(true);
  expect(
    root.PreInstallJob.isPreInstallJob(
      new root.HookJob(chart, 'Other', { image: 'busybox', command: ['true'], events: [root.HookEvent.POST_INSTALL] }),
    ),
  ).toBe(false);
});
