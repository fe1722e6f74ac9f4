import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmRunner } from '../../src/helm';
import { isRemoteBaseline, packChart, pushChart, readChartDirectory } from '../../src/release/internal';
import { ChartRepositoryServer } from '../support/chart-repository-server';
import { deployment, removeFolder, tempFolder, writeFixtureChart } from '../support/chart-fixture';
import { hasCommand, REGISTRY_BIN, TestRegistry } from '../support/oci-registry';
import { reportMissingTool } from '../support/tools';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');
const helm = HelmRunner.find()?.binary;
const ready = hasCommand(REGISTRY_BIN) && helm !== undefined;
if (!ready) reportMissingTool(`check-upgrade --baseline oci:// and https://: needs ${REGISTRY_BIN} and helm (or HELM_BIN)`);

const NO_CREDENTIALS: NodeJS.ProcessEnv = { DOCKER_CONFIG: '/nonexistent', HELM_REGISTRY_CONFIG: '/nonexistent/config.json' };

test('a baseline is remote when it is an oci://, http:// or https:// URL', () => {
  expect(['oci://r.example.com/charts', 'https://charts.example.com', 'http://127.0.0.1:8080/x'].map(isRemoteBaseline)).toEqual([
    true,
    true,
    true,
  ]);
  expect(['released/', 'app-1.0.0.tgz', 'oci:/x', 'file:///tmp/x'].map(isRemoteBaseline)).toEqual([false, false, false, false]);
});

(ready ? describe : describe.skip)(
  'check-upgrade --baseline oci://HOST/PATH and https://REPO (docker-registry and an HTTP repository on 127.0.0.1)',
  () => {
    let work: string;
    let registry: TestRegistry;
    let server: ChartRepositoryServer;
    let project: string;
    const env = () => ({
      ...NO_CREDENTIALS,
      HELM_BIN: helm!,
      PATH: '/usr/bin:/bin',
      HELM_SYNTH_REPOSITORY_MIRRORS: '',
      HELM_SYNTH_CACHE_DIR: join(project, 'cache'),
    });
    // Asynchronous: the HTTP repository is served by this process, so it must keep answering while the CLI runs.
    const cli = (args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: project, env: { ...process.env, ...env() } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    // Only 1.1.0 has the selector the new chart keeps: the check passes only when the highest release (not the prerelease) is the baseline.
    const released = [
      { version: '1.0.0', selector: { app: 'old' } },
      { version: '1.1.0', selector: { app: 'web' } },
      { version: '2.0.0-rc.1', selector: { app: 'next' } },
    ];

    beforeAll(async () => {
      work = tempFolder('helm-synth-remote-baseline-');
      registry = await TestRegistry.start(join(work, 'registry'));
      const charts = released.map(({ version, selector }) =>
        readChartDirectory(
          writeFixtureChart(join(work, 'released', version), {
            name: 'app',
            version,
            objects: { 'web.yaml': deployment('web', { selector }) },
          }),
        ),
      );
      for (const chart of charts) await pushChart(packChart(chart), `oci://${registry.host}/charts`, chart.origin, { credentials: null });
      server = await ChartRepositoryServer.start(charts);
    });
    afterAll(async () => {
      registry?.stop();
      await server?.stop();
      removeFolder(work);
    });
    beforeEach(() => {
      project = tempFolder('helm-synth-remote-baseline-project-');
      writeFileSync(
        join(project, 'cdk8s.yaml'),
        `app: "true"\noutput: dist\ndependencies:\n  cache: cache\n  repositoryMirrors:\n    https://charts.example.com/team: ${server.url}\n`,
      );
    });
    afterEach(() => removeFolder(project));

    const writeNew = (selector: Record<string, string>) =>
      writeFixtureChart(join(project, 'dist'), { name: 'app', version: '1.2.0', objects: { 'web.yaml': deployment('web', { selector }) } });

    test.each([
      ['an OCI registry', () => `oci://${registry.host}/charts`],
      ['an HTTP chart repository', () => server.url],
      ['an https:// repository through its mirror', () => 'https://charts.example.com/team'],
    ])('from %s: the highest released version is the baseline; a break against it fails', async (_what, baseline) => {
      writeNew({ app: 'web' });
      const passing = await cli(['check-upgrade', '--baseline', baseline()]);
      expect(passing.stderr).toBe('');
      expect(passing.stdout).toBe(`baseline: app 1.1.0 from ${baseline()}\napp 1.1.0 -> 1.2.0: 0 error(s), 0 warning(s)\n`);
      expect(passing.status).toBe(0);
      writeNew({ app: 'web2' });
      const failing = await cli(['check-upgrade', '--baseline', baseline()]);
      expect(failing.stdout).toContain(
        'error: app: Deployment default/web (app/templates/web.yaml): spec.selector.matchLabels.app: "web" -> "web2"',
      );
      expect(failing.status).toBe(1);
      expect(readdirSync(join(project, 'cache')).length).toBeGreaterThan(0);
    });

    test("cdk8s.yaml's upgradeCheck.baseline may be remote too; a chart the repository lacks is new", async () => {
      writeNew({ app: 'web' });
      writeFixtureChart(join(project, 'dist'), { name: 'other', version: '0.1.0', objects: { 'web.yaml': deployment('other') } });
      writeFileSync(join(project, 'cdk8s.yaml'), `app: "true"\noutput: dist\nupgradeCheck:\n  baseline: oci://${registry.host}/charts\n`);
      const result = await cli(['check-upgrade']);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('app 1.1.0 -> 1.2.0: 0 error(s), 0 warning(s)\n');
      expect(result.stdout).toContain('other 0.1.0: not in the baseline, nothing to check\n');
      expect(result.status).toBe(0);
    });

    test('a baseline holding none of the charts, or an archive that is not the one its index lists, fails in one line', async () => {
      writeNew({ app: 'web' });
      const wrongPath = await cli(['check-upgrade', '--baseline', `oci://${registry.host}/elsewhere`]);
      expect(wrongPath.status).toBe(1);
      expect(wrongPath.stderr).toBe(
        `Error: oci://${registry.host}/elsewhere: has no released version of app: check the URL (a chart is read as oci://${registry.host}/elsewhere/<name>); ` +
          "before a chart's first release there is nothing to compare with (nothing was written)\n",
      );
      const original = server.archives.get('app-1.1.0.tgz')!;
      server.archives.set('app-1.1.0.tgz', server.archives.get('app-1.0.0.tgz')!);
      try {
        const tampered = await cli(['check-upgrade', '--baseline', server.url]);
        expect(tampered.status).toBe(1);
        expect(tampered.stderr).toMatch(
          /digest mismatch: app 1\.1\.0 has sha256 [0-9a-f]{64}, and its repository's index says [0-9a-f]{64}; refusing it/,
        );
      } finally {
        server.archives.set('app-1.1.0.tgz', original);
      }
      expect(existsSync(join(project, 'dist', 'app', 'Chart.yaml'))).toBe(true);
    });
  },
);
