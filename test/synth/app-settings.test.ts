import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmApp, HelmAppProps, HelmChart, HelmSynthError, SynthResult } from '../../src';
import {
  APP_SETTINGS_ENV,
  CDK8S_OUTDIR_ENV,
  resolveAppSettings,
  runSynthSession,
  settingsEnvironment,
  settingsFromEnvironment,
} from '../../src/synth/app-settings';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');
const LIB = JSON.stringify(join(ROOT, 'lib', 'src'));

const work = mkdtempSync(join(tmpdir(), 'helm-synth-app-settings-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** Each test leaves no CLI session behind (a closed one would refuse later synths). */
afterEach(() => delete (globalThis as Record<symbol, unknown>)[Symbol.for('helm-synth.synth-session')]);

let folders = 0;
const folder = (): string => join(work, `out-${++folders}`);

/** An app with two charts, the second with a warning-free literal ConfigMap. */
function twoCharts(props: HelmAppProps): HelmApp {
  const app = new HelmApp({ projectDir: work, appFile: join(work, 'app.js'), ...props });
  new HelmChart(app, 'a', { version: '1.0.0' });
  new HelmChart(app, 'b', { version: '2.0.0' });
  return app;
}

describe('HelmApp props and the SynthResult of synth()', () => {
  test('synth() returns the charts and, per chart, the files written, unchanged and removed', () => {
    const outdir = folder();
    const first = twoCharts({ outdir }).synth();
    expect(first.outdir).toBe(outdir);
    expect(first.charts.map((c) => c.name)).toEqual(['a', 'b']);
    expect(first.output?.dryRun).toBe(false);
    for (const [i, report] of first.output!.charts.entries()) {
      expect(report.name).toBe(first.charts[i].name);
      expect([...report.written].sort()).toEqual([...first.charts[i].files.keys()].sort());
      expect(report.unchanged).toEqual([]);
    }
    expect(first.recovered).toEqual([]);
    expect(first.warnings).toEqual(first.charts.flatMap((c) => c.warnings.map((w) => ({ chart: c.name, ...w }))));

    const app = new HelmApp({ outdir, projectDir: work, appFile: join(work, 'app.js') });
    new HelmChart(app, 'a', { version: '1.0.0' });
    const second = app.synth();
    expect(second.output!.charts.find((r) => r.name === 'a')).toMatchObject({ written: [], removed: [], dropped: false });
    expect(second.output!.charts.find((r) => r.name === 'b')).toMatchObject({ dropped: true, written: [] });
    expect(readdirSync(outdir).sort()).toEqual(['.helm-synth.json', 'a']);
  });

  test('dryRun reports and touches nothing; inMemory synthesizes without reading or writing the output', () => {
    const outdir = folder();
    const dry = twoCharts({ outdir, dryRun: true }).synth();
    expect(dry.output?.dryRun).toBe(true);
    expect(dry.output!.charts.every((r) => r.written.length > 0)).toBe(true);
    expect(existsSync(outdir)).toBe(false);
    const memory = twoCharts({ outdir: join(work, 'never', 'written'), inMemory: true }).synth();
    expect(memory.output).toBeUndefined();
    expect(memory.charts.map((c) => c.files.has('Chart.yaml'))).toEqual([true, true]);
    expect(existsSync(join(work, 'never'))).toBe(false);
  });

  test('chartsOutdir is the resolved output folder', () => {
    expect(new HelmApp({ outdir: 'x/y', inMemory: true }).chartsOutdir).toBe('x/y');
  });
});

describe('where settings come from: props, else the CLI session, else the environment', () => {
  const TEXT_FIELDS = ['outdir', 'projectDir', 'appFile'] as const;
  const SWITCHES = ['dryRun', 'inMemory'] as const;

  test('every combination: text props win over the session; a switch is on when either asks', () => {
    for (const field of TEXT_FIELDS) {
      for (const fromProps of [undefined, `props-${field}`]) {
        for (const fromSession of [undefined, `session-${field}`]) {
          let resolved = resolveAppSettings({});
          runSynthSession({ [field]: fromSession }, () => {
            resolved = resolveAppSettings({ [field]: fromProps });
          });
          const expected = fromProps ?? fromSession;
          if (expected !== undefined) expect(resolved[field]).toBe(expected);
          else expect(resolved[field]).not.toMatch(/^(props|session)-/);
        }
      }
    }
    for (const field of SWITCHES) {
      for (const fromProps of [undefined, false, true]) {
        for (const fromSession of [undefined, false, true]) {
          let resolved = resolveAppSettings({});
          runSynthSession({ [field]: fromSession }, () => {
            resolved = resolveAppSettings({ [field]: fromProps });
          });
          expect(resolved[field]).toBe(fromProps === true || fromSession === true);
        }
      }
    }
  });

  test('defaults: dist, the working folder, writing', () => {
    let resolved = resolveAppSettings({});
    runSynthSession({}, () => (resolved = resolveAppSettings({})));
    expect(resolved).toMatchObject({ outdir: 'dist', dryRun: false, inMemory: false, projectDir: process.cwd() });
  });

  test('the environment of a child-process app: HELM_SYNTH_OUTDIR, else CDK8S_OUTDIR; empty is unset; switches only on 1', () => {
    expect(settingsFromEnvironment({})).toEqual({ dryRun: false, inMemory: false });
    expect(settingsFromEnvironment({ [CDK8S_OUTDIR_ENV]: 'c' }).outdir).toBe('c');
    expect(settingsFromEnvironment({ [APP_SETTINGS_ENV.outdir]: 'h', [CDK8S_OUTDIR_ENV]: 'c' }).outdir).toBe('h');
    expect(settingsFromEnvironment({ [APP_SETTINGS_ENV.outdir]: '', [CDK8S_OUTDIR_ENV]: 'c' }).outdir).toBe('c');
    expect(settingsFromEnvironment({ [APP_SETTINGS_ENV.projectDir]: '', [APP_SETTINGS_ENV.appFile]: '' })).toEqual({
      dryRun: false,
      inMemory: false,
    });
    for (const value of ['0', 'true', 'yes', '']) {
      expect(settingsFromEnvironment({ [APP_SETTINGS_ENV.dryRun]: value, [APP_SETTINGS_ENV.inMemory]: value })).toMatchObject({
        dryRun: false,
        inMemory: false,
      });
    }
  });

  test('settingsEnvironment is read back by settingsFromEnvironment as it was given', () => {
    const cases = [
      {},
      { outdir: 'out' },
      { outdir: 'o', dryRun: true, projectDir: '/p', appFile: '/p/app.js' },
      { inMemory: true, outdir: 'x y' },
      { dryRun: false, inMemory: false },
    ];
    for (const settings of cases) {
      const back = settingsFromEnvironment(settingsEnvironment(settings));
      expect(back).toEqual({
        dryRun: false,
        inMemory: false,
        ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== false)),
      });
    }
  });
});

describe('the CLI session', () => {
  test('hands its settings to every HelmApp made while the app loads and collects each synth() result in order', () => {
    const outdir = folder();
    let returned: SynthResult[] = [];
    const results = runSynthSession({ outdir, dryRun: true, projectDir: work, appFile: join(work, 'app.js') }, () => {
      const first = new HelmApp();
      new HelmChart(first, 'one', { version: '1.0.0' });
      const second = new HelmApp({ inMemory: true });
      new HelmChart(second, 'two', { version: '1.0.0' });
      returned = [first.synth(), second.synth()];
    });
    expect(results).toEqual(returned);
    expect(results.map((r) => [r.outdir, r.charts[0].name, r.output?.dryRun])).toEqual([
      [outdir, 'one', true],
      [outdir, 'two', undefined],
    ]);
    expect(existsSync(outdir)).toBe(false);
  });

  test('a synth() after the app file finished loading fails and writes nothing', () => {
    const outdir = folder();
    let late: HelmApp | undefined;
    const results = runSynthSession({ outdir, projectDir: work }, () => {
      late = new HelmApp();
      new HelmChart(late, 'late', { version: '1.0.0' });
    });
    expect(results).toEqual([]);
    expect(() => late!.synth()).toThrow(HelmSynthError);
    expect(() => late!.synth()).toThrow(/ran after the app file finished loading/);
    expect(existsSync(outdir)).toBe(false);
  });
});

describe('the CLI and an app file or a shell command', () => {
  /** A project whose app writes charts a and b and prints what synth() returned. */
  function project(appProps = '{}'): string {
    const dir = mkdtempSync(join(work, 'project-'));
    writeFileSync(join(dir, 'package.json'), '{ "name": "demo" }\n');
    writeFileSync(
      join(dir, 'app.js'),
      [
        `const { HelmApp, HelmChart } = require(${LIB});`,
        `const app = new HelmApp(${appProps});`,
        "new HelmChart(app, 'a', { version: '1.0.0' });",
        'const result = app.synth();',
        "console.error('RESULT ' + JSON.stringify({ outdir: result.outdir, dryRun: result.output && result.output.dryRun, charts: result.charts.map((c) => c.name) }));",
      ].join('\n'),
    );
    return dir;
  }
  const run = (dir: string, app: string, args: string[] = [], env: Record<string, string> = {}) => {
    writeFileSync(join(dir, 'cdk8s.yaml'), `app: ${app}\noutput: out\n`);
    return spawnSync(process.execPath, [CLI, 'synth', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  };

  test('an app file run in-process and the same app as a shell command get the same settings (--dry-run too)', () => {
    for (const app of ['node app.js', 'sh -c "node app.js"']) {
      const dir = project();
      const dry = run(dir, app, ['--dry-run']);
      expect(dry.status).toBe(0);
      expect(dry.stderr).toContain('RESULT {"outdir":"out","dryRun":true,"charts":["a"]}');
      expect(existsSync(join(dir, 'out'))).toBe(false);
      const written = run(dir, app);
      expect(written.status).toBe(0);
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(['.helm-synth.json', 'a']);
    }
  });

  test("an outdir given to new HelmApp wins over the CLI's output, and the summary names it", () => {
    const dir = project("{ outdir: 'mine' }");
    const result = run(dir, 'node app.js');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^mine\/a: version 1\.0\.0/m);
    expect(existsSync(join(dir, 'mine', 'a', 'Chart.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  test('dryRun: false in the props does not make --dry-run write', () => {
    const dir = project('{ dryRun: false }');
    expect(run(dir, 'node app.js', ['--dry-run']).status).toBe(0);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  test('an app run by node alone reads CDK8S_OUTDIR, as `cdk8s synth -o DIR` sets it; HELM_SYNTH_OUTDIR wins', () => {
    const dir = project();
    const env = { ...process.env, HELM_SYNTH_OUTDIR: '', HELM_SYNTH_PROJECT_DIR: '', HELM_SYNTH_APP_FILE: '' };
    const cdk8s = spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8', env: { ...env, CDK8S_OUTDIR: 'cdk8s-out' } });
    expect(cdk8s.status).toBe(0);
    expect(existsSync(join(dir, 'cdk8s-out', 'a', 'Chart.yaml'))).toBe(true);
    const both = spawnSync(process.execPath, ['app.js'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...env, CDK8S_OUTDIR: 'cdk8s-out', HELM_SYNTH_OUTDIR: 'ours' },
    });
    expect(both.status).toBe(0);
    expect(existsSync(join(dir, 'ours', 'a', 'Chart.yaml'))).toBe(true);
  });
});
