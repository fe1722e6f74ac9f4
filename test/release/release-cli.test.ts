import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { packChart, readChartDirectory } from '../../src/release/internal';
import { deployment, removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { HelmRunner } from '../../src/helm';
import { Testing } from '../../src/testing';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

function folderHashes(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((file) => [
        file,
        createHash('sha256')
          .update(readFileSync(join(dir, file)))
          .digest('hex'),
      ]),
  );
}

describe('helm-synth package (CLI)', () => {
  let work: string;
  beforeAll(() => {
    work = tempFolder();
  });
  afterAll(() => removeFolder(work));

  test('synth then package of the charts named writes archives and an index that are byte-identical on a rerun (other TZ and umask)', () => {
    const out = join(work, 'dist');
    const repo = join(work, 'repo');
    const names = ['web-app', 'hooks-demo', 'tks-contract'];
    expect(cli(ROOT, ['synth', '--output', out]).status).toBe(0);
    const first = cli(ROOT, ['package', '--output', out, '--destination', repo, ...names]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/repo\/web-app-0\.1\.0\.tgz: web-app 0\.1\.0, sha256 [0-9a-f]{64} \(written\)/);
    expect(first.stdout).toMatch(/repo\/index\.yaml: 3 chart\(s\) \(written\)/);
    const hashes = folderHashes(repo);
    expect(Object.keys(hashes)).toEqual(['hooks-demo-0.1.0.tgz', 'index.yaml', 'tks-contract-0.1.0.tgz', 'web-app-0.1.0.tgz']);
    removeFolder(repo);
    const again = spawnSync(
      'sh',
      ['-c', `umask 077 && "${process.execPath}" "${CLI}" package --output "${out}" --destination "${repo}" ${names.join(' ')}`],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, TZ: 'Asia/Kathmandu' },
      },
    );
    expect(again.status).toBe(0);
    expect(folderHashes(repo)).toEqual(hashes);
    const unchanged = cli(ROOT, ['package', '--output', out, '--destination', repo, ...names]);
    expect(unchanged.stdout.match(/\(unchanged\)/g)).toHaveLength(4);
  });

  test('a changed chart under a released version fails with the version guard, exit 1', () => {
    const project = join(work, 'guard');
    const out = join(project, 'dist');
    writeFixtureChart(out, { name: 'app', version: '1.0.0', objects: { 'web.yaml': deployment('web') } });
    writeFileSync(join(project, 'cdk8s.yaml'), 'app: "true"\noutput: dist\n');
    expect(cli(project, ['package', '--destination', 'repo', '--created', '2024-01-01T00:00:00Z']).status).toBe(0);
    writeFixtureChart(out, { name: 'app', version: '1.0.0', objects: { 'web.yaml': deployment('web', { replicas: 2 }) } });
    const result = cli(project, ['package', '--destination', 'repo', '--merge']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'app: version 1.0.0 is already released as repo/app-1.0.0.tgz with other files: templates/web.yaml (changed); bump the version',
    );
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(cli(project, ['package', '--bogus']).stderr).toContain('unknown option "--bogus"');
  });
});

const helm = HelmRunner.find()?.binary;

Testing.ifHelm(describe)('helm-synth check-upgrade and the synth hook (CLI)', () => {
  let project: string;
  const env = { HELM_BIN: helm!, PATH: '/usr/bin:/bin' };
  beforeEach(() => {
    project = tempFolder();
    writeFixtureChart(join(project, 'released'), {
      name: 'app',
      version: '1.0.0',
      objects: { 'web.yaml': deployment('web'), 'data.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'data' } } },
    });
    writeFileSync(join(project, 'app-1.0.0.tgz'), packChart(readChartDirectory(join(project, 'released', 'app'))));
    writeFileSync(join(project, 'cdk8s.yaml'), 'app: "true"\noutput: dist\n');
  });
  afterEach(() => removeFolder(project));

  const writeNew = (web: Record<string, unknown>) =>
    writeFixtureChart(join(project, 'dist'), { name: 'app', version: '1.1.0', objects: { 'web.yaml': web } });

  test('errors print one line each with the field and both values, and exit 1; a clean upgrade exits 0', () => {
    writeNew(deployment('web', { selector: { app: 'web2' } }));
    const failing = cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz'], env);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain(
      'error: app: Deployment default/web (app/templates/web.yaml): spec.selector.matchLabels.app: "web" -> "web2": ' +
        "a Deployment's selector is immutable",
    );
    expect(failing.stdout).toContain(
      'error: app: ConfigMap default/data (app/templates/data.yaml): removed from the chart: helm upgrade deletes it',
    );
    expect(failing.stdout).toContain('app 1.0.0 -> 1.1.0: 2 error(s), 0 warning(s)');
    writeFixtureChart(join(project, 'dist'), {
      name: 'app',
      version: '1.1.0',
      objects: {
        'web.yaml': deployment('web', { replicas: 4, image: 'nginx:1.28' }),
        'data.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'data' } },
      },
    });
    const passing = cli(project, ['check-upgrade', '--baseline', 'released/app', '-f', 'dist/app/values.yaml', '--set', 'x=1', 'app'], env);
    expect(passing.stdout).toBe('app 1.0.0 -> 1.1.0: 0 error(s), 0 warning(s)\n');
    expect(passing.status).toBe(0);
  });

  test('usage errors exit 2; no Helm is a clear error', () => {
    writeNew(deployment('web'));
    expect(cli(project, ['check-upgrade'], env).status).toBe(2);
    const noHelm = cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz'], { HELM_BIN: '', PATH: '/nonexistent' });
    expect(noHelm.status).toBe(1);
    expect(noHelm.stderr).toContain('Error: check-upgrade: needs Helm: no helm on PATH and no HELM_BIN');
    expect(cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz', 'nope'], env).stderr).toContain('no chart nope in dist');
  });

  test('per-chart values (--values CHART=FILE, upgradeCheck.charts) reach only their chart; a strict schema refuses them elsewhere', () => {
    const strict = JSON.stringify({ type: 'object', additionalProperties: false, properties: { tier: { type: 'string' } } });
    const tierTemplate =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-tier\ndata:\n  tier: {{ .Values.tier | quote }}\n';
    for (const [folder, version] of [
      ['released', '1.0.0'],
      ['dist', '1.1.0'],
    ]) {
      writeFixtureChart(join(project, folder), {
        name: 'app',
        version,
        values: { tier: 'a' },
        objects: { 'web.yaml': deployment('web'), 'data.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'data' } } },
      });
      writeFixtureChart(join(project, folder), {
        name: 'api',
        version,
        values: { tier: 'a' },
        templates: { 'tier.yaml': tierTemplate },
        files: { 'values.schema.json': strict },
      });
    }
    writeFileSync(join(project, 'api-values.yaml'), stringify({ tier: 'b' }));
    writeFileSync(join(project, 'app-values.yaml'), stringify({ unknownToApi: true }));
    const everywhere = cli(project, ['check-upgrade', '--baseline', 'released', '-f', 'app-values.yaml'], env);
    expect(everywhere.status).toBe(1);
    expect(everywhere.stderr).toContain('Additional property unknownToApi is not allowed');
    const perChart = cli(
      project,
      ['check-upgrade', '--baseline', 'released', '--values', 'app=app-values.yaml', '-f', 'api=api-values.yaml'],
      env,
    );
    expect(perChart.stderr).toBe('');
    expect(perChart.stdout).toBe('api 1.0.0 -> 1.1.0: 0 error(s), 0 warning(s)\napp 1.0.0 -> 1.1.0: 0 error(s), 0 warning(s)\n');
    expect(perChart.status).toBe(0);
    writeFileSync(
      join(project, 'cdk8s.yaml'),
      stringify({ app: 'true', output: 'dist', upgradeCheck: { baseline: 'released', charts: { app: { values: ['app-values.yaml'] } } } }),
    );
    expect(cli(project, ['check-upgrade'], env).status).toBe(0);
    writeFileSync(
      join(project, 'cdk8s.yaml'),
      stringify({ app: 'true', output: 'dist', upgradeCheck: { baseline: 'released', charts: { ap: { values: ['app-values.yaml'] } } } }),
    );
    expect(cli(project, ['check-upgrade'], env).stderr).toContain('settings for chart ap, which is not in dist (charts: api, app)');
    const typo = cli(project, ['check-upgrade', '--baseline', 'released', '-f', 'nope=x.yaml'], env);
    expect(typo.stderr).toContain('-f nope=x.yaml: no chart nope in dist');
  });

  test('an acknowledged breaking change is a note (exit 0); an unacknowledged one fails; stale and expired entries are reported', () => {
    writeNew(deployment('web-v2'));
    const acks = (entries: unknown[]) =>
      writeFileSync(join(project, 'upgrade-acknowledgements.yaml'), stringify({ acknowledgements: entries }));
    const failing = cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz'], env);
    expect(failing.status).toBe(1);
    acks([
      { chart: 'app', object: 'Deployment web', reason: 'renamed on purpose: the new name carries the version', until: '1.1.0' },
      { chart: 'app', object: 'ConfigMap default/data', reason: 'the data moved into the app', until: '1.x' },
    ]);
    expect(cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz'], env).stderr).toContain(
      'until must be a chart version such as 2.0.0',
    );
    acks([
      { chart: 'app', object: 'Deployment web', reason: 'renamed on purpose: the new name carries the version', until: '1.1.0' },
      { chart: 'app', object: 'ConfigMap default/data', reason: 'the data moved into the app', until: '2.0.0' },
      { chart: 'app', object: 'Service default/gone', reason: 'old', until: '2.0.0' },
    ]);
    const noted = cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz'], env);
    expect(noted.stdout).toContain(
      'note: app: Deployment default/web (app/templates/web.yaml): metadata.name: "web" -> "web-v2": likely renamed to Deployment default/web-v2',
    );
    expect(noted.stdout).toContain('(acknowledged until 1.1.0: renamed on purpose: the new name carries the version)');
    expect(noted.stdout).toContain('app 1.0.0 -> 1.1.0: 0 error(s), 0 warning(s), 2 acknowledged');
    expect(noted.stdout).toContain('warning: acknowledgement of app: Service default/gone matches no error of this check: remove it');
    expect(noted.status).toBe(0);
    writeFixtureChart(join(project, 'dist'), { name: 'app', version: '1.2.0', objects: { 'web.yaml': deployment('web-v2') } });
    const expired = cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz'], env);
    expect(expired.status).toBe(1);
    expect(expired.stdout).toContain('error: app: Deployment default/web');
    expect(expired.stdout).toContain(
      'warning: acknowledgement of app: Deployment web expired (until 1.1.0, the chart is 1.2.0): remove it',
    );
  });

  test('--kube-version renders for that version and fails on an API it no longer serves, naming the replacement', () => {
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1 } };
    writeFixtureChart(join(project, 'dist'), {
      name: 'app',
      version: '1.1.0',
      objects: {
        'web.yaml': deployment('web'),
        'pdb.yaml': pdb,
        'data.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'data' } },
      },
    });
    expect(cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz'], env).status).toBe(0);
    const old = cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz', '--kube-version', '1.24'], env);
    expect(old.stdout).toContain(
      'warning: app: PodDisruptionBudget default/web (app/templates/pdb.yaml): apiVersion: (absent) -> "policy/v1beta1": policy/v1beta1 PodDisruptionBudget is deprecated since Kubernetes 1.21',
    );
    expect(old.status).toBe(0);
    const current = cli(project, ['check-upgrade', '--baseline', 'app-1.0.0.tgz', '--kube-version', '1.29'], env);
    expect(current.stdout).toContain(
      'policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 (the target is Kubernetes 1.29): use policy/v1',
    );
    expect(current.status).toBe(1);
  });

  test('synth runs the check when cdk8s.yaml configures upgradeCheck, and fails on errors', () => {
    writeNew(deployment('web', { selector: { app: 'web2' } }));
    writeFileSync(join(project, 'ci-values.yaml'), stringify({ any: 'value' }));
    writeFileSync(
      join(project, 'cdk8s.yaml'),
      stringify({ app: 'true', output: 'dist', upgradeCheck: { baseline: 'app-1.0.0.tgz', values: ['ci-values.yaml'], set: ['a=b'] } }),
    );
    const result = cli(project, ['synth'], env);
    expect(result.stdout).toContain('error: app: Deployment default/web');
    expect(result.status).toBe(1);
    writeFileSync(join(project, 'cdk8s.yaml'), stringify({ app: 'true', output: 'dist', upgradeCheck: { baseline: 'missing.tgz' } }));
    const missing = cli(project, ['synth'], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Error: upgrade check (cdk8s.yaml upgradeCheck): missing.tgz: baseline not found');
    writeFileSync(join(project, 'cdk8s.yaml'), stringify({ app: 'true', upgradeCheck: { values: 'one.yaml' } }));
    expect(cli(project, ['synth'], env).stderr).toContain('cdk8s.yaml: upgradeCheck.baseline must be');
  });
});
