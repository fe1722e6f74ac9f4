import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HookEvent } from '../../src';
import { HooksDemoChart } from '../../charts/hooks-demo';
import { Testing } from '../../src/testing';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');

function plan(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'plan', ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('helm-synth plan (npm run plan)', () => {
  test('prints the plan of one chart as text', () => {
    const result = plan('hooks-demo');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Lifecycle plan of chart hooks-demo, as Helm 3 runs it\./);
    for (const heading of [
      'install: helm install',
      'upgrade: helm upgrade',
      'rollback: helm rollback',
      'uninstall: helm uninstall',
      'test: helm test',
    ]) {
      expect(result.stdout).toContain(`\n${heading}`);
    }
    expect(result.stdout).not.toContain('web-app');
  });

  test('--format mermaid prints a flowchart of every command, like the one in the chart README', () => {
    const result = plan('hooks-demo', '--format', 'mermaid');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^flowchart TB\n {2}subgraph install\["helm install/);
    for (const operation of ['install', 'upgrade', 'rollback', 'uninstall', 'test'])
      expect(result.stdout).toContain(`  subgraph ${operation}[`);
    expect(result.stdout).toContain('pre-install (weight -5): Job #60;fullname#62;-pre-install, waits until Complete');
    const readme = Testing.synth(new HooksDemoChart(Testing.app(), 'hooks-demo')).files.get('README.md')!;
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(readme)![1];
    expect(result.stdout.startsWith(diagram.split('  subgraph upgrade')[0])).toBe(true);
    expect(result.stdout).toContain(diagram.slice(diagram.indexOf('  subgraph upgrade')));
  });

  test('--json prints an array of plans, every chart when none is named', () => {
    const result = plan('--json');
    expect(result.status).toBe(0);
    const plans = JSON.parse(result.stdout);
    expect(plans.map((p: { chart: string }) => p.chart)).toEqual(expect.arrayContaining(['web-app', 'hooks-demo']));
    const install = plans.find((p: { chart: string }) => p.chart === 'hooks-demo').operations[0];
    expect(install.steps[0]).toMatchObject({ step: 'hooks', event: HookEvent.PRE_INSTALL });
    expect(install.steps[0].hooks.map((h: { kind: string }) => h.kind)).toEqual(['Secret', 'ServiceAccount', 'ConfigMap', 'Job']);
  });

  test('an unknown chart or bad arguments fail with a message, writing nothing', () => {
    const unknown = plan('nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^plan: no chart named "nope"; the app has .*hooks-demo/);
    const bad = plan('--yaml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage: helm-synth plan [CHART] [--format text|json|mermaid]');
  });
});
