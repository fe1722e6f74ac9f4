import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as kplus from 'cdk8s-plus-27';
import { HelmApp, HelmChart, HelmSynthError, Hook, HookEvent, Release, StandardValues } from '../../src';
import { Testing } from '../../src/testing';
import { expectHelmSynthError } from '../support/errors';

const ROOT = join(__dirname, '..', '..');
const newChart = (id = 'demo') => new HelmChart(Testing.app(), id, { version: '1.0.0' });

describe('messages never show a marker', () => {
  test('a HelmSynthError names tokens in its text and construct path by what they stand for', () => {
    const c = newChart();
    const tag = c.values.string('image.tag', { default: 'x', description: 'T.' });
    const count = c.values.integer('count', { default: 1, description: 'C.' });
    const error = new HelmSynthError(
      `demo/cm-${tag}`,
      `got ${tag} and ${count.asNumber()} in ${Release.namespace}; ${count.asNumber() * 3}`,
    );
    expect(error.constructPath).toBe('demo/cm-image.tag');
    expect(error.message).toBe(
      `demo/cm-image.tag: got .Values.image.tag and .Values.count in .Release.Namespace; ${count.asNumber() * 3} (computed from a number token)`,
    );
    const many = HelmSynthError.fromProblems([
      { constructPath: 'demo/a', message: `first ${tag}` },
      { constructPath: `demo/${tag}`, message: `second ${count.asNumber()}` },
    ]);
    expect(many.message).toBe('2 problems:\n  - demo/a: first .Values.image.tag\n  - demo/image.tag: second .Values.count');
    expect(many.problems.map((p) => p.constructPath)).toEqual(['demo/a', 'demo/image.tag']);
  });

  test("cdk8s-plus's validation messages collected at synthesis name the value", () => {
    const c = newChart();
    const replicas = c.values.integer('replicaCount', { default: 1, description: 'R.' });
    const target = new kplus.Deployment(c, 'D', {
      replicas: replicas.asNumber(),
      containers: [{ image: 'nginx', resources: { cpu: { request: kplus.Cpu.millis(100) } } }],
    });
    new kplus.HorizontalPodAutoscaler(c, 'Hpa', { target, maxReplicas: 3 });
    const error = expectHelmSynthError(() => (c.node.root as HelmApp).synthCharts(), 'demo/Hpa');
    expect(error.message).toBe('demo/Hpa: HorizontalPodAutoscaler target cannot have a fixed number of replicas (.Values.replicaCount).');
  });

  test('the CLI prints an error cdk8s-plus throws at construction with the values named', () => {
    const work = mkdtempSync(join(tmpdir(), 'helm-synth-messages-'));
    try {
      const app = join(work, 'app.js');
      writeFileSync(
        app,
        [
          `const { HelmApp, HelmChart } = require(${JSON.stringify(join(ROOT, 'lib', 'src'))});`,
          `const kplus = require(${JSON.stringify(join(ROOT, 'node_modules', 'cdk8s-plus-27'))});`,
          'const app = new HelmApp();',
          "const chart = new HelmChart(app, 'web', { version: '1.0.0' });",
          "const min = chart.values.integer('autoscaling.minReplicas', { default: 1, description: 'Min.' });",
          "const target = new kplus.Deployment(chart, 'D', { containers: [{ image: 'nginx' }] });",
          "new kplus.HorizontalPodAutoscaler(chart, 'Hpa', { target, minReplicas: min.asNumber(), maxReplicas: 10 });",
          'app.synth();',
        ].join('\n'),
      );
      const result = spawnSync(
        process.execPath,
        [join(ROOT, 'lib', 'src', 'cli', 'main.js'), 'synth', '--app', `node ${app}`, '--output', join(work, 'dist')],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("'minReplicas' (.Values.autoscaling.minReplicas) must be less than or equal to 'maxReplicas' (10)");
      expect(result.stderr).not.toMatch(/helmsynth|e\+289/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('out of range is said as such', () => {
  test('a hook weight of 99999999999 is out of range, not "not an integer"', () => {
    const c = newChart();
    const cm = new kplus.ConfigMap(c, 'Cm', { data: { a: 'b' } });
    const error = expectHelmSynthError(
      () => Hook.apply(cm, { events: [HookEvent.PRE_INSTALL], weight: 99999999999 }),
      'demo/Cm',
      'hook weight 99999999999 is out of range: use -2147483648 to 2147483647',
    );
    expect(error.message).not.toContain('not an integer');
  });
});

describe('a duplicate value declaration names where each was declared', () => {
  function declareImage(chart: HelmChart, repository: string) {
    return chart.values.string('image.repository', { default: repository, description: 'Image.' });
  }

  test('both declaring calls are named, by function, file, line and column', () => {
    const c = newChart();
    declareImage(c, 'nginx');
    const error = expectHelmSynthError(
      () => declareImage(c, 'httpd'),
      'demo',
      'value image.repository is declared twice: as string (default "nginx") and as string (default "httpd")',
    );
    const sites = [
      ...error.message.matchAll(
        /(first|again) by declareImage at test\/tokens\/messages\.test\.ts:(\d+):\d+, called from test\/tokens\/messages\.test\.ts:(\d+):\d+/g,
      ),
    ];
    expect(sites.map((s) => s[1])).toEqual(['first', 'again']);
    expect(sites[0][2]).toBe(sites[1][2]);
    expect(Number(sites[0][3])).toBeLessThan(Number(sites[1][3]));
  });

  test('a value declared by a helm-synth construct names the app code that made the construct', () => {
    const c = newChart();
    StandardValues.for(c);
    const error = expectHelmSynthError(
      () => c.values.string('replicaCount', { default: 'many', description: 'Replicas.' }),
      'demo',
      'value replicaCount is declared twice',
    );
    const sites = [...error.message.matchAll(/(first|again) by (?:[^ ]+ at )?test\/tokens\/messages\.test\.ts:(\d+):\d+/g)];
    expect(sites.map((s) => s[1])).toEqual(['first', 'again']);
    expect(Number(sites[0][2])).toBeLessThan(Number(sites[1][2]));
  });
});
