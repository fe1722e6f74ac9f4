/**
 * helm-synth as a user gets it: `npm pack`, `helm-synth init` from the packed bin, the tarball and
 * the peers installed into the new project from the npm cache (`--offline`: the project starts from
 * this repository's package-lock.json, whose versions `npm ci` put in the cache, and `.ci/run` adds
 * the lowest peers with `npm cache add`), then `tsc --noEmit`, `npm run synth`, `npm test` and a
 * render of the synthesized chart under helm (or HELM_BIN). The same with every README snippet,
 * with a second copy of cdk8s-plus-27 beside the app's, and with the lowest supported peers.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmRunner, NO_HELM_MESSAGE, parseManifests } from '../../src/helm';
import { Testing } from '../../src/testing';
import { readmeSnippets } from '../support/readme';
import { reportMissingTool } from '../support/tools';
import { installedVersion, npmPack, ok, run, userEnv } from './shell';

const ROOT = join(__dirname, '..', '..');
const OWN = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const PEERS = Object.keys(OWN.peerDependencies) as Array<'cdk8s' | 'cdk8s-plus-27' | 'constructs'>;
/** The lowest version of each peer range (`^2.64.2` → 2.64.2). */
const LOWEST = Object.fromEntries(PEERS.map((name) => [name, String(OWN.peerDependencies[name]).replace(/^\^/, '')]));
/** The cdk8s-plus-27 that is installed as helm-synth's own second copy (scripts/e2e-prefetch.mjs caches it). */
const SECOND_KPLUS: string = JSON.parse(readFileSync(join(__dirname, 'versions.json'), 'utf8')).secondCopy['cdk8s-plus-27'];

/** Every file under a folder with its content, by relative path. */
function tree(dir: string, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? Object.entries(tree(dir, path)) : [[path, readFileSync(join(dir, path), 'utf8')]];
    }),
  );
}

describe('the packed package in a project made by helm-synth init', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-e2e-'));
  const project = join(work, 'my-charts');
  let tarball: string;
  let nextCommand = '';
  const result = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** npm test twice: the first run writes the snapshots (--ci=false, also under CI=true), the second (--ci) checks them; the render test runs where there is a Helm. */
  function npmTestTwice(): void {
    rmSync(join(project, 'test', '__snapshots__'), { recursive: true, force: true });
    expect(ok(project, 'npm', 'test', '--', '--ci=false')).toMatch(/Snapshots:\s+12 written, 12 total/);
    const checked = ok(project, 'npm', 'test', '--', '--ci');
    expect(checked).toMatch(/Snapshots:\s+12 passed, 12 total/);
    expect(checked).toMatch(Testing.helmAvailable() ? /Tests:\s+3 passed, 3 total/ : /Tests:\s+1 skipped, 2 passed, 3 total/);
  }

  /** `helm template` of the synthesized chart, as a user would run it on dist/web. */
  function expectRendered(): void {
    const helm = HelmRunner.find();
    if (!helm) {
      reportMissingTool(`helm template of the project's chart: ${NO_HELM_MESSAGE}`);
      return;
    }
    const docs = parseManifests(
      helm.template(join(project, 'dist', 'web'), { release: 'shop', namespace: 'team-a', set: ['replicaCount=4'] }),
    );
    const deployment = docs.find((d) => d.kind === 'Deployment')!;
    expect(deployment.metadata.name).toBe('shop-web');
    expect(deployment.spec.replicas).toBe(4);
    expect(docs.find((d) => d.kind === 'Job')!.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
  }

  test('npm pack ships lib/src (JavaScript, declarations), README.md, CHANGELOG.md (the deprecations point to it), LICENSE and package.json only; peers are peer dependencies', () => {
    const packed = npmPack(ROOT, work);
    tarball = packed.tarball;
    const paths = packed.files;
    expect(
      paths.filter((path) => !/^(lib\/src\/.+\.(js|js\.map|d\.ts)|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/.test(path)),
    ).toEqual([]);
    const withoutSource = paths.filter(
      (path) => path.startsWith('lib/') && !existsSync(join(ROOT, path.slice('lib/'.length).replace(/\.(js|js\.map|d\.ts)$/, '.ts'))),
    );
    expect(withoutSource).toEqual([]);
    for (const file of [
      'lib/src/index.d.ts',
      'lib/src/postgres/index.d.ts',
      'lib/src/release/index.d.ts',
      'lib/src/testing/index.d.ts',
      'lib/src/cli/main.js',
      'lib/src/testing/jest-transform.js',
      'CHANGELOG.md',
      'LICENSE',
    ])
      expect(paths).toContain(file);
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    ok(work, 'tar', '-xzf', tarball, '-C', unpacked);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    expect(Object.keys(manifest.dependencies)).not.toEqual(expect.arrayContaining(['cdk8s']));
    expect(manifest.peerDependencies).toEqual(OWN.peerDependencies);
  });

  test('helm-synth init from the tarball (npx --package, as the README says) writes a project that depends on that tarball', () => {
    const out = ok(work, 'npx', '--offline', '--yes', '--package', tarball, 'helm-synth', 'init', 'my-charts');
    expect(existsSync(join(project, 'charts', 'web.ts'))).toBe(true);
    expect(JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')).dependencies['helm-synth']).toBe(`file:../${result(tarball)}`);
    nextCommand = /^next: (.+)$/m.exec(out)![1];
    expect(nextCommand).toBe('cd my-charts && npm install && npm run synth && npm test');
  });

  test('the commands init printed, run as they are (offline, from the npm cache): the tarball and the newest peers install; tsc, synth, test and helm template pass', () => {
    cpSync(join(ROOT, 'package-lock.json'), join(project, 'package-lock.json'));
    const { CI: _ci, ...shell } = userEnv();
    const printed = spawnSync('sh', ['-c', nextCommand], {
      cwd: work,
      encoding: 'utf8',
      env: { ...shell, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (printed.status !== 0) throw new Error(`${nextCommand} failed (${printed.status}):\n${printed.stdout}\n${printed.stderr}`);
    expect(PEERS.map((name) => installedVersion(project, name))).toEqual(PEERS.map((name) => OWN.devDependencies[name]));
    expect(printed.stdout).toMatch(/dist\/web: version 0\.1\.0, 5 templates, \d+ values, 2 hooks; 12 written, 0 unchanged, 0 removed/);
    expect(`${printed.stdout}${printed.stderr}`).toMatch(/Snapshots:\s+12 written, 12 total/);
    expect(printed.stdout).not.toContain('warning');
    ok(project, join('node_modules', '.bin', 'tsc'), '--noEmit');
    npmTestTwice();
    expectRendered();
    expect(ok(project, 'npx', 'helm-synth', '--version').trim()).toBe(OWN.version);
  });

  test('each entry point, as consumers load it: types under every moduleResolution, require, named ESM imports, deprecated root PostgreSQL names', () => {
    const consumers = join(project, 'consumers');
    mkdirSync(consumers);
    const imports = [
      "import { HelmApp, HelmChart, StandardValues } from 'helm-synth';",
      "import { PostgresRelease } from 'helm-synth/postgres';",
      "import { packageCharts, valuesTypes } from 'helm-synth/release';",
      "import { Testing } from 'helm-synth/testing';",
    ];
    const uses =
      'export const used = [HelmApp, HelmChart, StandardValues.for, PostgresRelease.isPostgresRelease, packageCharts, valuesTypes, Testing.app, transformer.process];';
    writeFileSync(join(consumers, 'cjs.ts'), [...imports, "import transformer = require('helm-synth/jest-transform');", uses].join('\n'));
    writeFileSync(join(consumers, 'esm.mts'), [...imports, "import transformer from 'helm-synth/jest-transform';", uses].join('\n'));
    const tsc = join(project, 'node_modules', '.bin', 'tsc');
    const strict = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--esModuleInterop', '--target', 'es2022', '--types', 'node'];
    for (const [resolution, module, file] of [
      ['node10', 'commonjs', 'cjs.ts'],
      ['node16', 'node16', 'cjs.ts'],
      ['node16', 'node16', 'esm.mts'],
      ['nodenext', 'nodenext', 'esm.mts'],
      ['bundler', 'esnext', 'esm.mts'],
    ]) {
      const checked = run(consumers, tsc, [...strict, '--moduleResolution', resolution, '--module', module, file]);
      expect({ resolution, file, status: checked.status, out: checked.stdout }).toEqual({ resolution, file, status: 0, out: '' });
    }

    const entries = ['helm-synth', 'helm-synth/postgres', 'helm-synth/release', 'helm-synth/testing', 'helm-synth/jest-transform'];
    writeFileSync(
      join(consumers, 'named.mjs'),
      [
        ...imports,
        "import transformer from 'helm-synth/jest-transform';",
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        `const entries = ${JSON.stringify(entries)};`,
        'const namespaces = await Promise.all(entries.map((entry) => import(entry)));',
        'console.log(JSON.stringify({',
        '  named: [HelmApp, HelmChart, StandardValues, PostgresRelease, packageCharts, valuesTypes, Testing, transformer.process].map((x) => typeof x),',
        '  missing: entries.map((entry, i) => Object.keys(require(entry)).filter((name) => !(name in namespaces[i]) && entry !== "helm-synth/jest-transform")),',
        '  undefinedExports: entries.map((entry) => Object.keys(require(entry)).filter((name) => require(entry)[name] === undefined)),',
        '}));',
      ].join('\n'),
    );
    const loaded = JSON.parse(ok(consumers, process.execPath, 'named.mjs'));
    expect(loaded).toEqual({ named: Array(8).fill('function'), missing: entries.map(() => []), undefinedExports: entries.map(() => []) });

    writeFileSync(
      join(consumers, 'deprecated.ts'),
      "import { PostgresRelease, DbBootstrapHookProps, HelmChart } from 'helm-synth';\nexport type T = [PostgresRelease, DbBootstrapHookProps, HelmChart];\n",
    );
    const struck = ok(
      consumers,
      process.execPath,
      '-e',
      [
        "const ts = require('typescript');",
        "const file = require('path').resolve('deprecated.ts');",
        'const options = { strict: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, types: [] };',
        'const service = ts.createLanguageService({ getScriptFileNames: () => [file], getScriptVersion: () => "1",',
        '  getScriptSnapshot: (f) => ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)) : undefined,',
        '  getCurrentDirectory: () => process.cwd(), getCompilationSettings: () => options, getDefaultLibFileName: ts.getDefaultLibFilePath,',
        '  fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, directoryExists: ts.sys.directoryExists });',
        'const names = service.getSuggestionDiagnostics(file).filter((d) => d.reportsDeprecated).map((d) => d.file.text.slice(d.start, d.start + d.length));',
        'console.log(JSON.stringify([...new Set(names)].sort()));',
      ].join('\n'),
    );
    expect(JSON.parse(struck)).toEqual(['DbBootstrapHookProps', 'PostgresRelease']);
  });

  test("helm-synth types on the init project's chart: the .d.ts compiles under tsc --strict and types a consumer's values", () => {
    expect(ok(project, 'npx', 'helm-synth', 'types', 'dist/web', '--out', 'values-types')).toContain(
      'values-types/web.values.d.ts: written',
    );
    const tsc = join(project, 'node_modules', '.bin', 'tsc');
    const check = (values: string) => {
      writeFileSync(
        join(project, 'values-types', 'consumer.ts'),
        `import type { WebValues } from './web.values';\nexport const v: WebValues = ${values};\n`,
      );
      return run(project, tsc, [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        'false',
        join('values-types', 'web.values.d.ts'),
        join('values-types', 'consumer.ts'),
      ]);
    };
    expect(check('{ replicaCount: 3, image: { tag: "1.0" } }').stdout).toBe('');
    const wrong = check("{ replicaCount: 'three' }");
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/consumer\.ts\(2,.*TS2322/);
  });

  test("a construct library with its own nested copy of helm-synth beside the app's: brands, tokens, hooks and the synth session agree", () => {
    const library = join(project, 'node_modules', 'web-constructs');
    mkdirSync(join(library, 'node_modules', 'helm-synth'), { recursive: true });
    ok(work, 'tar', '-xzf', tarball, '-C', join(library, 'node_modules', 'helm-synth'), '--strip-components=1');
    writeFileSync(join(library, 'package.json'), JSON.stringify({ name: 'web-constructs', version: '1.0.0', main: 'index.js' }));
    writeFileSync(
      join(library, 'index.js'),
      [
        "const kplus = require('cdk8s-plus-27');",
        "const { Construct } = require('constructs');",
        "const hs = require('helm-synth');",
        'exports.hs = hs;',
        "exports.webValues = () => hs.Values.group('A web service.', {",
        "  tag: hs.Values.string({ description: 'Image tag.', default: '1.0' }),",
        "  enabled: hs.Values.boolean({ description: 'Create it.', default: true }),",
        '});',
        'exports.Web = class Web extends Construct {',
        '  constructor(scope, id, v) {',
        '    super(scope, id);',
        "    this.deployment = new kplus.Deployment(this, 'Deployment', { containers: [{ image: `nginx:${v.tag}`, portNumber: 8080 }] });",
        '    hs.Template.of(this.deployment).enableWhen(v.enabled);',
        '    hs.StandardValues.for(hs.HelmChart.of(this)).applyTo(this.deployment);',
        "    this.migrate = new hs.PreInstallJob(this, 'Migrate', { image: 'busybox:1.36', script: `echo ${v.tag}` });",
        "    this.info = new kplus.ConfigMap(this, 'Info', { data: { release: hs.Release.name } });",
        '    hs.Hook.apply(this.info, { events: [hs.HookEvent.POST_INSTALL], weight: 3 });',
        '  }',
        '};',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'two-copies.js'),
      [
        "const hs = require('helm-synth');",
        "const lib = require('web-constructs');",
        'const app = new hs.HelmApp();',
        "const chart = new hs.HelmChart(app, 'shop', { version: '0.1.0' });",
        'const standard = hs.StandardValues.for(chart);',
        'const v = chart.values.define({ web: lib.webValues() });',
        "const web = new lib.Web(chart, 'web', v.web);",
        "new hs.HookJob(chart, 'Smoke', { image: 'busybox:1.36', events: [hs.HookEvent.PRE_INSTALL], script: 'true', after: [web.migrate] });",
        'let error;',
        "try { new lib.hs.HelmChart(new hs.HelmApp(), 'Not A Name', { version: '1' }); } catch (e) { error = e; }",
        'const result = app.synth();',
        "console.log('agreed: ' + JSON.stringify({",
        '  copies: lib.hs !== hs,',
        '  standardValues: lib.hs.StandardValues.for(chart) === standard,',
        '  brands: [lib.hs.HelmChart.isHelmChart(chart), lib.hs.HelmApp.isHelmApp(app), lib.hs.Values.isValues(chart.values), lib.hs.Value.isValue(v.web.tag),',
        '    hs.PreInstallJob.isPreInstallJob(web.migrate), hs.Hook.isHook(hs.Hook.find(web.info)),',
        '    hs.HelmSynthError.isHelmSynthError(error)],',
        '  charts: result.charts.length,',
        '}));',
      ].join('\n'),
    );
    // The library's copy runs the CLI (its synth session) and the app's copy makes the HelmApp.
    const cli = join(library, 'node_modules', 'helm-synth', 'lib', 'src', 'cli', 'main.js');
    const out = ok(project, process.execPath, cli, 'synth', '--app', 'two-copies.js', '--output', 'dist-two-helm-synths');
    expect(out).toMatch(/dist-two-helm-synths\/shop: version 0\.1\.0, \d+ templates, \d+ values, 5 hooks; \d+ written/);
    expect(JSON.parse(/^agreed: (.+)$/m.exec(out)![1])).toEqual({
      copies: true,
      standardValues: true,
      brands: Array(7).fill(true),
      charts: 1,
    });
    const templates = tree(join(project, 'dist-two-helm-synths', 'shop', 'templates'));
    const deployment = templates['web-deployment-deployment.yaml'];
    expect(deployment).toMatch(/^\{\{- if \.Values\.web\.enabled \}\}/);
    expect(deployment).toContain('image: {{ printf "nginx:%v" .Values.web.tag | quote }}');
    expect(deployment).toContain('replicas: {{ .Values.replicaCount | int64 }}');
    expect(templates['web-migrate-job.yaml']).toContain('helm.sh/hook: pre-install');
    expect(templates['web-info-config-map.yaml']).toMatch(/helm\.sh\/hook: post-install\n\s+helm\.sh\/hook-weight: "3"/);
    const weight = (file: string) => Number(/helm\.sh\/hook-weight: "(-?\d+)"/.exec(templates[file])![1]);
    expect(weight('smoke-job.yaml')).toBeGreaterThan(weight('web-migrate-job.yaml'));
    rmSync(library, { recursive: true, force: true });
  });

  test('every README snippet type-checks against the package; each app among them synthesizes', () => {
    const snippets = readmeSnippets();
    mkdirSync(join(project, 'readme'));
    for (const snippet of snippets) writeFileSync(join(project, 'readme', `${snippet.name}.ts`), snippet.code);
    writeFileSync(join(project, 'tsconfig.readme.json'), JSON.stringify({ extends: './tsconfig.json', include: ['readme/*.ts'] }));
    ok(project, join('node_modules', '.bin', 'tsc'), '--noEmit', '-p', 'tsconfig.readme.json');
    const apps = snippets.filter((snippet) => /^app\.synth\(\);$/m.test(snippet.code));
    expect(apps.length).toBeGreaterThanOrEqual(3);
    for (const snippet of apps) {
      const out = ok(
        project,
        'npx',
        'helm-synth',
        'synth',
        '--app',
        `readme/${snippet.name}.ts`,
        '--output',
        `dist-readme/${snippet.name}`,
      );
      expect(out).toMatch(/synthesized [1-9]\d* chart\(s\)/);
    }
  });

  test('a second copy of cdk8s-plus-27 under helm-synth gives the same charts; other copies of cdk8s and constructs are one clear line', () => {
    const nested = join(project, 'node_modules', 'helm-synth', 'node_modules');
    const place = (name: string, version: string): void => {
      const archive = run(work, 'npm', ['pack', `${name}@${version}`, '--offline', '--pack-destination', work])
        .stdout.trim()
        .split('\n')
        .pop()!;
      mkdirSync(join(nested, name), { recursive: true });
      ok(work, 'tar', '-xzf', join(work, archive), '-C', join(nested, name), '--strip-components=1');
    };
    place('cdk8s-plus-27', SECOND_KPLUS);
    const resolved = ok(
      project,
      process.execPath,
      '-e',
      [
        "const { dirname } = require('path');",
        "const fromHelmSynth = require.resolve('cdk8s-plus-27', { paths: [dirname(require.resolve('helm-synth'))] });",
        "console.log(require.resolve('cdk8s-plus-27') !== fromHelmSynth);",
      ].join(''),
    );
    expect(resolved.trim()).toBe('true');
    expect(installedVersion(project, 'cdk8s-plus-27', join(project, 'node_modules', 'helm-synth'))).toBe(SECOND_KPLUS);
    const synth = ok(project, 'npx', 'helm-synth', 'synth', '--output', 'dist-two-copies');
    expect(synth).toContain('dist-two-copies/web: version 0.1.0');
    expect(tree(join(project, 'dist-two-copies', 'web'))).toEqual(tree(join(project, 'dist', 'web')));

    place('cdk8s', LOWEST.cdk8s);
    place('constructs', LOWEST.constructs);
    const broken = run(project, 'npx', ['helm-synth', 'synth', '--output', 'dist-broken']);
    expect(broken.status).toBe(1);
    expect(broken.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Error: .*charts\/main\.ts: two copies of cdk8s and constructs are installed \(cdk8s: .* for the app, .*helm-synth\/node_modules\/cdk8s 2\.64\.2 for helm-synth; .*\); dedupe them/,
      ),
    ]);
    expect(existsSync(join(project, 'dist-broken'))).toBe(false);
    rmSync(nested, { recursive: true, force: true });
  });

  test('with the lowest supported peers: tsc, synth, test and helm template pass', () => {
    ok(project, 'npm', 'install', '--offline', '--no-audit', '--no-fund', ...PEERS.map((name) => `${name}@${LOWEST[name]}`));
    expect(PEERS.map((name) => installedVersion(project, name))).toEqual(PEERS.map((name) => LOWEST[name]));
    ok(project, join('node_modules', '.bin', 'tsc'), '--noEmit');
    rmSync(join(project, 'dist'), { recursive: true, force: true });
    const synth = ok(project, 'npm', 'run', 'synth');
    expect(synth).toMatch(/dist\/web: version 0\.1\.0, 5 templates, \d+ values, 2 hooks; 12 written/);
    npmTestTwice();
    expectRendered();
  });
});
