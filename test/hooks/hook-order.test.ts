import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  DbBootstrapHook,
  HelmChart,
  HelmSynthError,
  Hook,
  HookEvent,
  HookJob,
  HookStep,
  LifecycleOperation,
  PostgresConnection,
  PreInstallJob,
} from '../../src';
import { lifecyclePlan } from '../../src/plan/lifecycle-plan';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';
import { seededRandom } from '../support/seeded-random';

const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });
const configMap = (scope: Construct, id: string) => new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } });
const INSTALL_UPGRADE = [HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE];

/** A construct someone else wrote: a hook Job with a weight its users never see. */
class ThirdPartyBootstrap extends Construct {
  public readonly job: HookJob;
  constructor(scope: Construct, id: string, internalWeight: number) {
    super(scope, id);
    this.job = new HookJob(this, 'Default', { events: INSTALL_UPGRADE, image: 'boot:1', weight: internalWeight });
    this.job.addDependency(new kplus.Secret(this, 'Password', { stringData: { password: 'x' } }));
  }
}

/** The construct paths of the hooks of one event, in the order the lifecycle plan runs them. */
function planOrder(chart: HelmChart, event: HookEvent): string[] {
  const files = Testing.synth(chart);
  const plan = lifecyclePlan(files.name, files.objects);
  const step = plan.operations.flatMap((o) => o.steps).find((s): s is HookStep => s.step === 'hooks' && s.event === event)!;
  return step.hooks.map((h) => h.construct);
}

describe('after: hooks ordered by what they need', () => {
  test.each([-1000, -3, 0, 5, 2 ** 31 - 3])(
    "a Job after a construct it did not write runs after it, whatever that construct's internal weight (%d)",
    (internal) => {
      const chart = newChart();
      const bootstrap = new ThirdPartyBootstrap(chart, 'Bootstrap', internal);
      const migrate = new PreInstallJob(chart, 'AMigrate', { image: 'migrate:1', after: [bootstrap] });
      expect(migrate.hook.weight).toBe(Math.max(0, internal + 1));
      expect(migrate.hook.runsAfter).toEqual(expect.arrayContaining([bootstrap.job.hook]));
      const order = planOrder(chart, HookEvent.PRE_INSTALL);
      expect(order).toEqual(['demo/Bootstrap/Password', 'demo/Bootstrap', 'demo/AMigrate']);
    },
  );

  test('the migration of the issue: after a DbBootstrapHook, whatever weight its author chose', () => {
    const chart = newChart();
    const connection = PostgresConnection.external({
      host: 'postgresql.db.svc.cluster.local',
      adminSecret: { name: 'postgresql', key: 'postgresql-password' },
    });
    const bootstrap = new DbBootstrapHook(chart, 'Db', { connection, database: 'app', user: 'app_owner', weight: 12 });
    new HookJob(chart, 'Migrate', { events: INSTALL_UPGRADE, image: 'migrate:1', after: [bootstrap] });
    for (const event of INSTALL_UPGRADE) {
      const order = planOrder(chart, event);
      expect(order.indexOf('demo/Migrate')).toBe(order.length - 1);
      expect(order.indexOf('demo/Db')).toBe(order.length - 2);
    }

    const waits = newChart('waits');
    const waitForDb = new HookJob(waits, 'WaitForDb', { events: INSTALL_UPGRADE, image: 'wait:1', weight: 20 });
    const db = new DbBootstrapHook(waits, 'Db', { connection, database: 'app', user: 'app_owner', after: [waitForDb] });
    expect(db.hookJob.hook.weight).toBe(21);
    expect(planOrder(waits, HookEvent.PRE_INSTALL).slice(-2)).toEqual(['waits/WaitForDb', 'waits/Db']);
  });

  test('Hook.apply({ after }) and Hook.find(x).after(...) are the same; a chain derives increasing weights', () => {
    const chart = newChart();
    const a = Hook.apply(configMap(chart, 'A'), { events: INSTALL_UPGRADE, weight: 4 });
    const b = Hook.apply(configMap(chart, 'B'), { events: INSTALL_UPGRADE, after: [a.construct] });
    const c = Hook.apply(configMap(chart, 'C'), { events: INSTALL_UPGRADE }).after(b.construct);
    expect([a.weight, b.weight, c.weight]).toEqual([4, 5, 6]);
    expect(planOrder(chart, HookEvent.PRE_UPGRADE)).toEqual(['demo/A', 'demo/B', 'demo/C']);
  });

  test('a given weight above those it runs after is kept; one not above is an error naming both', () => {
    const chart = newChart();
    const bootstrap = new ThirdPartyBootstrap(chart, 'Bootstrap', 10);
    const ok = new PreInstallJob(chart, 'Ok', { image: 'm', after: [bootstrap], weight: 11 });
    expect(ok.hook.weight).toBe(11);
    new PreInstallJob(chart, 'Migrate', { image: 'm', after: [bootstrap], weight: 10 });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Migrate',
      'has weight 10, but it runs after demo/Bootstrap/Default, of weight 10',
      'give demo/Migrate a weight above 10, or none',
    );
  });

  test('after a hook that does not run at one of its events is an error; after a pre-* hook from the post-* event is kept as it is', () => {
    const chart = newChart();
    const installOnly = Hook.apply(configMap(chart, 'InstallOnly'), { events: [HookEvent.PRE_INSTALL], weight: 3 });
    const later = Hook.apply(configMap(chart, 'Later'), { events: [HookEvent.POST_INSTALL], after: [installOnly.construct] });
    expect(later.weight).toBe(0);
    Hook.apply(configMap(chart, 'Both'), { events: INSTALL_UPGRADE, after: [installOnly.construct] });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Both',
      'runs after demo/InstallOnly, which does not run at pre-upgrade (it runs at pre-install)',
      'give demo/InstallOnly those events',
    );
  });

  test('cycles of after, and of after with dependsOn, are errors naming the cycle', () => {
    const chart = newChart();
    const a = Hook.apply(configMap(chart, 'A'), { events: INSTALL_UPGRADE });
    const b = Hook.apply(configMap(chart, 'B'), { events: INSTALL_UPGRADE, after: [a.construct] });
    const c = Hook.apply(configMap(chart, 'C'), { events: INSTALL_UPGRADE, after: [b.construct] });
    a.after(c.construct);
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/B',
      'hooks would have to run in a cycle: demo/B runs after demo/A, demo/C runs after demo/B, demo/A runs after demo/C',
    );

    const other = newChart('other');
    const job = Hook.apply(configMap(other, 'Job'), { events: INSTALL_UPGRADE });
    const secret = new kplus.Secret(other, 'Secret');
    job.dependsOn(secret);
    Hook.find(secret)!.after(job.construct);
    expectHelmSynthError(
      () => Testing.synth(other),
      'other/Secret',
      'hooks would have to run in a cycle: other/Secret runs after other/Job, other/Job depends on other/Secret',
    );
  });

  test("a derived weight beyond Helm's 32-bit range is an error, not a silent 0", () => {
    const chart = newChart();
    const top = Hook.apply(configMap(chart, 'Top'), { events: INSTALL_UPGRADE, weight: 2 ** 31 - 1 });
    Hook.apply(configMap(chart, 'Above'), { events: INSTALL_UPGRADE, after: [top.construct] });
    expectHelmSynthError(
      () => Testing.synth(chart),
      'demo/Above',
      "derived hook weight 2147483648 is outside Helm's range (a 32-bit integer)",
    );
  });

  test('bad after targets are refused: itself, another chart, not a construct, a construct with no hook', () => {
    const chart = newChart();
    const job = Hook.apply(configMap(chart, 'Job'), { events: INSTALL_UPGRADE });
    expectHelmSynthError(() => job.after(job.construct), 'demo/Job', 'a hook cannot run after itself');
    expectHelmSynthError(() => job.after(configMap(newChart('x'), 'Far')), 'demo/Job', 'belongs to another chart');
    expectHelmSynthError(() => job.after('job' as never), 'demo/Job', 'after takes hooks', '"job"');
    expectHelmSynthError(
      () => Hook.apply(configMap(chart, 'Bad'), { events: INSTALL_UPGRADE, after: 'x' as never }),
      'demo/Bad',
      'after takes a list of hooks',
    );
    job.after(configMap(chart, 'Plain'));
    expectHelmSynthError(() => Testing.synth(chart), 'demo/Job', 'runs after demo/Plain, which holds no hook object', 'use dependsOn');
  });

  test('a dependency of a hook that runs after another goes between them; a squeezed one is an error', () => {
    const chart = newChart();
    const first = Hook.apply(configMap(chart, 'First'), { events: INSTALL_UPGRADE, weight: 2 });
    const job = Hook.apply(configMap(chart, 'Job'), { events: INSTALL_UPGRADE, after: [first.construct] });
    const secret = new kplus.Secret(chart, 'Secret');
    job.dependsOn(secret);
    Hook.find(secret)!.after(first.construct);
    expect([first.weight, Hook.find(secret)!.weight, job.weight]).toEqual([2, 3, 4]);
    expect(planOrder(chart, HookEvent.PRE_INSTALL)).toEqual(['demo/First', 'demo/Secret', 'demo/Job']);

    const squeezed = newChart('squeezed');
    const early = Hook.apply(configMap(squeezed, 'Early'), { events: INSTALL_UPGRADE, weight: 5 });
    const late = Hook.apply(configMap(squeezed, 'Late'), { events: INSTALL_UPGRADE, weight: 6 });
    const needs = new kplus.Secret(squeezed, 'Needs');
    late.dependsOn(needs);
    const mid = Hook.apply(configMap(squeezed, 'Mid'), { events: INSTALL_UPGRADE, after: [early.construct] });
    Hook.find(needs)!.after(mid.construct);
    expectHelmSynthError(
      () => Testing.synth(squeezed),
      '',
      'squeezed/Needs: no weight fits: it must run after squeezed/Mid (weight 6) and before squeezed/Late (weight 6)',
      'squeezed/Late: has weight 6, but it depends on squeezed/Needs, which needs a weight of at least 7',
    );
  });

  test('hooks not tied by after keep their weights, and charts without after are unchanged', () => {
    const chart = newChart();
    const a = Hook.apply(configMap(chart, 'A'), { events: INSTALL_UPGRADE, weight: -7 });
    const b = Hook.apply(configMap(chart, 'B'), { events: INSTALL_UPGRADE, after: [a.construct] });
    const alone = Hook.apply(configMap(chart, 'Alone'), { events: [HookEvent.POST_DELETE], weight: 9 });
    const free = Hook.apply(configMap(chart, 'Free'), { events: INSTALL_UPGRADE });
    const secret = new kplus.Secret(chart, 'Secret');
    alone.dependsOn(secret);
    expect([a.weight, b.weight, alone.weight, free.weight, Hook.find(secret)!.weight]).toEqual([-7, 0, 9, 0, 8]);
  });
});

describe('rendered by Helm', () => {
  const withHelm = Testing.ifHelm(test);
  withHelm('the rendered weights, sorted as Helm sorts hooks (weight, then name), run every hook after those it names', () => {
    const chart = newChart();
    const bootstrap = new ThirdPartyBootstrap(chart, 'Zz', 40);
    const migrate = new HookJob(chart, 'Migrate', { events: INSTALL_UPGRADE, image: 'm:1', after: [bootstrap] });
    const seed = new HookJob(chart, 'ASeed', { events: INSTALL_UPGRADE, image: 's:1', after: [migrate] });
    seed.addDependency(new kplus.ConfigMap(chart, 'AData', { data: { a: 'b' } }));
    const hooks = Testing.render(chart)
      .manifests.filter((d) => d.metadata.annotations?.['helm.sh/hook']?.split(',').includes('pre-install'))
      .map((d) => ({ name: d.metadata.name as string, weight: Number(d.metadata.annotations['helm.sh/hook-weight']) }))
      .sort((a, b) => a.weight - b.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((h) => h.name.replace(/^.*?-demo-/, ''));
    const before = (a: string, b: string) => expect([a, hooks.indexOf(a) < hooks.indexOf(b), b]).toEqual([a, true, b]);
    expect([...hooks].sort()).toEqual(['a-data', 'a-seed', 'migrate', 'zz', 'zz-password']);
    before('zz-password', 'zz');
    before('zz', 'migrate');
    before('migrate', 'a-seed');
    before('a-data', 'a-seed');
  });
});

describe('generated after graphs', () => {
  const EVENT_SETS = [[HookEvent.PRE_INSTALL], INSTALL_UPGRADE, [HookEvent.PRE_INSTALL, HookEvent.PRE_UPGRADE, HookEvent.POST_INSTALL]];
  const seeds = Array.from({ length: 150 }, (_, i) => 1000 + i);

  test.each(seeds)('seed %d: the plan runs every hook after those it runs after and depends on, at every shared event', (seed) => {
    const build = () => {
      const next = seededRandom(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
      const chart = newChart();
      const count = 2 + Math.floor(next() * 7);
      const made: Array<{ hook: Hook; given: boolean }> = [];
      const edges: Array<[Hook, Hook]> = [];
      for (let i = 0; i < count; i++) {
        const events = pick(EVENT_SETS);
        const given = next() < 0.3;
        const id = `H${String.fromCharCode(122 - Math.floor(next() * 26))}${i}`;
        const hook = Hook.apply(configMap(chart, id), { events, ...(given && { weight: Math.floor(next() * 21) - 10 }) });
        for (const earlier of made) {
          const covers = events.every((e) => earlier.hook.runsAt(e));
          if (covers && next() < 0.4) {
            hook.after(earlier.hook.construct);
            edges.push([earlier.hook, hook]);
          }
        }
        if (next() < 0.3) {
          const secret = new kplus.Secret(chart, `${id}Secret`);
          hook.dependsOn(secret);
          edges.push([Hook.find(secret)!, hook]);
        }
        made.push({ hook, given });
      }
      return { chart, made, edges };
    };
    const { chart, made, edges } = build();
    let files;
    try {
      files = Testing.synth(chart);
    } catch (error) {
      expect(error).toBeInstanceOf(HelmSynthError);
      expect(made.some((m) => m.given)).toBe(true);
      expect((error as Error).message).toMatch(/has weight -?\d+, but it (runs after|depends on)|no weight fits/);
      return;
    }
    const plan = lifecyclePlan(files.name, files.objects);
    for (const step of plan.operations.filter((o) => o.operation !== LifecycleOperation.UNINSTALL).flatMap((o) => o.steps)) {
      if (step.step !== 'hooks') continue;
      const order = step.hooks.map((h) => h.construct);
      for (const [before, after] of edges) {
        if (!before.runsAt(step.event) || !after.runsAt(step.event)) continue;
        expect(order.indexOf(before.construct.node.path)).toBeLessThan(order.indexOf(after.construct.node.path));
      }
    }
    for (const { hook, given } of made) {
      if (given) expect(hook.weight).toBe(hook.givenWeight);
      else expect(hook.weight).toBeGreaterThanOrEqual(0);
      expect(Math.abs(hook.weight)).toBeLessThan(2 ** 31);
    }
    expect(Testing.synth(build().chart).files).toEqual(files.files);
  });

  test('without given weights every generated graph synthesizes', () => {
    for (const seed of seeds) {
      const next = seededRandom(seed);
      const chart = newChart();
      const hooks: Hook[] = [];
      for (let i = 0; i < 6; i++) {
        const hook = Hook.apply(configMap(chart, `H${i}`), { events: INSTALL_UPGRADE });
        hooks.filter(() => next() < 0.5).forEach((h) => hook.after(h.construct));
        if (next() < 0.5) hook.dependsOn(new kplus.Secret(chart, `S${i}`));
        hooks.push(hook);
      }
      expect(() => Testing.synth(chart)).not.toThrow();
    }
  });
});
