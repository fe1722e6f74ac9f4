/**
 * The shared-constructs examples as two teams have them: the platform team's package
 * (examples/platform-constructs) installs the packed helm-synth, type-checks, runs its tests against
 * its committed snapshots and is packed; the app team's project (examples/app-charts) installs both
 * tarballs (offline, from the npm cache `npm ci` filled), then runs its README's commands — `npm ci`,
 * `npm run synth`, `npm test`, `npm run typecheck` — and its charts are linted and rendered under
 * helm (or HELM_BIN), with overrides per values block.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { HelmRunner, NO_HELM_MESSAGE, parseManifests } from '../../src/helm';
import { reportMissingTool } from '../support/tools';
import { installedVersion, npmPack, ok, run } from './shell';

const ROOT = join(__dirname, '..', '..');
const OWN = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const OFFLINE = ['--offline', '--no-audit', '--no-fund'];

/** A team's checkout of an example: its committed files only, with this repository's lockfile so that npm resolves offline to the versions `npm ci` cached. */
function checkout(example: string, work: string): string {
  const source = join(ROOT, 'examples', example);
  const target = join(work, example);
  cpSync(source, target, {
    recursive: true,
    filter: (path) => !/(^|\/)(node_modules|lib|dist)(\/|$)|\.tgz$/.test(relative(source, path)),
  });
  cpSync(join(ROOT, 'package-lock.json'), join(target, 'package-lock.json'));
  return target;
}

/** `N passed, N total` of a jest summary line, with nothing written, failed or obsolete. */
function expectAllPassed(output: string, what: 'Tests' | 'Snapshots'): void {
  const line = new RegExp(`^${what}:\\s+(.*)$`, 'm').exec(output)?.[1];
  expect(line).toMatch(/^(\d+) passed, \1 total$/);
}

describe('examples/platform-constructs and examples/app-charts, packed and installed as teams would', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-examples-'));
  let helmSynthTarball: string;
  let constructsTarball: string;
  let app: string;
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('the platform team: helm-synth installs from its tarball (then npm ci); typecheck and tests pass against the committed snapshots; npm pack ships lib/ and README', () => {
    helmSynthTarball = npmPack(ROOT, work).tarball;
    const platform = checkout('platform-constructs', work);
    ok(platform, 'npm', 'install', ...OFFLINE, '--save-dev', helmSynthTarball);
    rmSync(join(platform, 'node_modules'), { recursive: true, force: true });
    ok(platform, 'npm', 'ci', ...OFFLINE);
    expect(installedVersion(platform, 'helm-synth')).toBe(OWN.version);
    ok(platform, 'npm', 'run', 'typecheck');
    const tested = ok(platform, 'npm', 'test', '--', '--ci');
    expectAllPassed(tested, 'Tests');
    expectAllPassed(tested, 'Snapshots');

    const packed = npmPack(platform, work);
    constructsTarball = packed.tarball;
    expect(packed.files.filter((path) => !/^(lib\/.+\.(js|d\.ts)|README\.md|package\.json)$/.test(path))).toEqual([]);
    expect(packed.files).toEqual(expect.arrayContaining(['lib/index.js', 'lib/index.d.ts', 'lib/web-service.d.ts', 'lib/cron-task.d.ts']));
    const manifest = JSON.parse(readFileSync(join(platform, 'package.json'), 'utf8'));
    expect(manifest.peerDependencies['helm-synth']).toBe(`^${OWN.version}`);
    expect(manifest.dependencies).toBeUndefined();
  });

  test("the app team: both tarballs install; the README's npm ci && npm run synth, npm test and npm run typecheck pass", () => {
    app = checkout('app-charts', work);
    ok(app, 'npm', 'install', ...OFFLINE, helmSynthTarball, constructsTarball);
    expect(installedVersion(app, 'helm-synth')).toBe(OWN.version);
    expect(installedVersion(app, '@acme/platform-constructs')).toBe('0.1.0');
    expect(existsSync(join(app, 'node_modules', '@acme', 'platform-constructs', 'node_modules'))).toBe(false);

    rmSync(join(app, 'node_modules'), { recursive: true, force: true });
    ok(app, 'npm', 'ci', ...OFFLINE);
    const synth = ok(app, 'npm', 'run', 'synth');
    expect(synth).toMatch(/dist\/shop: version 1\.4\.0, 8 templates, \d+ values, 0 hooks; \d+ written, 0 unchanged, 0 removed/);
    expect(synth).toMatch(/dist\/reports: version 0\.3\.0, 5 templates, \d+ values, 0 hooks; \d+ written, 0 unchanged, 0 removed/);
    expect(synth).not.toContain('warning');
    expect(ok(app, 'npm', 'run', 'synth')).toMatch(/dist\/shop: .*; 0 written, \d+ unchanged, 0 removed/);
    const tested = ok(app, 'npm', 'test', '--', '--ci');
    expectAllPassed(tested, 'Tests');
    expectAllPassed(tested, 'Snapshots');
    ok(app, 'npm', 'run', 'typecheck');
  });

  test("the constructs' types reach the app: a block without its image tag and a wrongly typed override fail tsc", () => {
    writeFileSync(
      join(app, 'charts', 'broken.ts'),
      [
        "import { WebService } from '@acme/platform-constructs';",
        "import { ShopValues } from './shop';",
        "WebService.values({ description: 'A service.', imageRepository: 'nginx' });",
        "export const overrides: ShopValues = { frontend: { replicaCount: 'three' } };",
        '',
      ].join('\n'),
    );
    const checked = run(app, 'npm', ['run', 'typecheck']);
    rmSync(join(app, 'charts', 'broken.ts'));
    expect(checked.status).not.toBe(0);
    const errors = checked.stdout.split('\n').filter((line) => line.startsWith('charts/broken.ts'));
    expect(errors).toEqual([
      expect.stringMatching(/^charts\/broken\.ts\(3,\d+\): error TS2345: .* not assignable to parameter of type 'WebServiceValuesProps'/),
      expect.stringMatching(/^charts\/broken\.ts\(4,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/),
    ]);
    expect(checked.stdout).toContain("Property 'imageTag' is missing");
  });

  test("the platform README's example type-checks in the app and synthesizes", () => {
    const readme = readFileSync(join(ROOT, 'examples', 'platform-constructs', 'README.md'), 'utf8');
    const snippet = /^```ts\n([\s\S]*?)^```$/m.exec(readme)![1];
    writeFileSync(join(app, 'charts', 'readme.ts'), snippet);
    ok(app, 'npm', 'run', 'typecheck');
    expect(ok(app, 'npx', 'helm-synth', 'synth', '--app', 'charts/readme.ts', '--output', 'dist-readme')).toMatch(
      /dist-readme\/shop: version 1\.0\.0/,
    );
    rmSync(join(app, 'charts', 'readme.ts'));
  });

  test('helm lint passes both charts; a render with overrides per values block changes that block only', () => {
    const helm = HelmRunner.find();
    if (!helm) {
      reportMissingTool(`helm lint and template of the app charts: ${NO_HELM_MESSAGE}`);
      return;
    }
    const shop = join(app, 'dist', 'shop');
    const reports = join(app, 'dist', 'reports');
    expect(
      readdirSync(join(app, 'dist'))
        .filter((entry) => !entry.startsWith('.'))
        .sort(),
    ).toEqual(['reports', 'shop']);
    helm.lint(shop);
    helm.lint(reports);

    const render = (chart: string, set: string[] = []) =>
      parseManifests(helm.template(chart, { release: 'prod', namespace: 'team-a', set }));
    const image = (deployment: Record<string, any>) => deployment.spec.template.spec.containers[0].image;
    const find = (docs: Array<Record<string, any>>, kind: string, name: string) =>
      docs.find((doc) => doc.kind === kind && doc.metadata.name === name);

    const defaults = render(shop);
    expect(defaults.map((doc) => `${doc.kind} ${doc.metadata.name}`).sort()).toEqual([
      'Deployment prod-shop-backend',
      'Deployment prod-shop-frontend',
      'Ingress prod-shop-frontend',
      'Service prod-shop-backend',
      'Service prod-shop-frontend',
    ]);
    expect(image(find(defaults, 'Deployment', 'prod-shop-frontend')!)).toBe('nginxinc/nginx-unprivileged:1.27.3-alpine');
    expect(image(find(defaults, 'Deployment', 'prod-shop-backend')!)).toBe('hashicorp/http-echo:1.0');

    const frontendOnly = render(shop, ['frontend.image.tag=1.27.4-alpine,frontend.replicaCount=6,frontend.autoscaling.enabled=false']);
    expect(image(find(frontendOnly, 'Deployment', 'prod-shop-frontend')!)).toBe('nginxinc/nginx-unprivileged:1.27.4-alpine');
    expect(find(frontendOnly, 'Deployment', 'prod-shop-frontend')!.spec.replicas).toBe(6);
    expect(find(frontendOnly, 'Deployment', 'prod-shop-backend')).toEqual(find(defaults, 'Deployment', 'prod-shop-backend'));

    const backendOnly = render(shop, [
      'backend.autoscaling.enabled=true,backend.autoscaling.maxReplicas=9,backend.service.port=8081,backend.ingress.enabled=true',
    ]);
    expect(find(backendOnly, 'Deployment', 'prod-shop-backend')!.spec.replicas).toBeUndefined();
    expect(find(backendOnly, 'HorizontalPodAutoscaler', 'prod-shop-backend')!.spec.maxReplicas).toBe(9);
    expect(find(backendOnly, 'HorizontalPodAutoscaler', 'prod-shop-frontend')).toBeUndefined();
    expect(find(backendOnly, 'Service', 'prod-shop-backend')!.spec.ports[0].port).toBe(8081);
    expect(find(backendOnly, 'Deployment', 'prod-shop-frontend')!.spec.template.spec.containers[0].env).toEqual([
      { name: 'BACKEND_URL', value: 'http://prod-shop-backend:8081' },
    ]);
    expect(find(backendOnly, 'Service', 'prod-shop-frontend')).toEqual(find(defaults, 'Service', 'prod-shop-frontend'));
    expect(find(backendOnly, 'Ingress', 'prod-shop-backend')!.spec).toMatchObject({
      ingressClassName: 'nginx',
      rules: [{ host: 'chart-example.local' }],
    });
    expect(find(backendOnly, 'Ingress', 'prod-shop-frontend')).toEqual(find(defaults, 'Ingress', 'prod-shop-frontend'));
    expect(find(defaults, 'Ingress', 'prod-shop-frontend')!.spec.ingressClassName).toBe('traefik');

    const nightly = render(reports, ['nightly.schedule=@hourly,nightly.image.tag=1.37,api.replicaCount=2']);
    const cronJob = find(nightly, 'CronJob', 'prod-reports-nightly')!;
    expect(cronJob.spec.schedule).toBe('@hourly');
    expect(cronJob.spec.jobTemplate.spec.template.spec.containers[0].image).toBe('busybox:1.37');
    expect(find(nightly, 'Deployment', 'prod-reports-api')!.spec.replicas).toBe(2);
    expect(image(find(nightly, 'Deployment', 'prod-reports-api')!)).toBe('hashicorp/http-echo:1.0');
    expect(() => helm.template(reports, { set: ['nightly.schedule=every night'] })).toThrow(/nightly\W+schedule\W.*pattern/);
  });
});
