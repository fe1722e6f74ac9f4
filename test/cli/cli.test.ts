import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { appFileOf } from '../../src/cli/run-app';
import { originalPosition } from '../../src/cli/source-map';
import { checkPackageCopies } from '../../src/synth/package-copies';
import { compileTypeScript } from '../../src/testing/typescript';
import { expectHelmSynthError } from '../support/errors';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');
const LIBRARY = JSON.stringify(join(ROOT, 'lib', 'src'));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function cli(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, HELM_SYNTH_DEBUG: '', ...env } });
}

describe('helm-synth --help, --version, commands', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-cli-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test.each([['--help'], ['-h'], ['help'], ['synth', '--help']])(
    '%s prints the usage on stdout and exits 0, with no cdk8s.yaml',
    (...args) => {
      const result = cli(work, args);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^usage: helm-synth <command>/);
      for (const command of ['synth', 'plan', 'dependency build', 'package', 'check-upgrade', 'init', '--version', '--verbose'])
        expect(result.stdout).toContain(command);
      expect(result.stderr).toBe('');
    },
  );

  test('--version prints the package version', () => {
    for (const flag of ['--version', '-v']) expect(cli(work, [flag]).stdout).toBe(`${PACKAGE.version}\n`);
  });

  test('no command or an unknown one is a usage error (exit 2)', () => {
    expect(cli(work, []).status).toBe(2);
    const unknown = cli(work, ['synthesize']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^helm-synth: unknown command "synthesize"\nusage:/);
  });

  test('synth without cdk8s.yaml is one line', () => {
    const result = cli(work, ['synth']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Error: cdk8s.yaml: not found: run helm-synth in the folder that holds cdk8s.yaml (nothing was written)\n');
  });
});

describe('helm-synth init', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-init-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('writes a project: package.json with helm-synth, the peer ranges and scripts; a .ts app; a chart; a snapshot test', () => {
    const result = cli(work, ['init', 'My Charts']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `next: cd 'My Charts' && npm pack ${relative(join(work, 'My Charts'), ROOT)} --pack-destination . && npm install && npm run synth && npm test`,
    );
    const dir = join(work, 'My Charts');
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'cdk8s.yaml', 'charts', 'package.json', 'test', 'tsconfig.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('my-charts');
    expect(pkg.dependencies).toEqual({ 'helm-synth': `file:./helm-synth-${PACKAGE.version}.tgz`, ...PACKAGE.peerDependencies });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/jest', '@types/node', 'jest', 'typescript']);
    expect(pkg.devDependencies.typescript).toBe(`~${PACKAGE.devDependencies.typescript}`);
    expect(pkg.scripts).toEqual({
      synth: 'helm-synth synth',
      'dependency-build': 'helm-synth dependency build',
      plan: 'helm-synth plan',
      test: 'jest',
      typecheck: 'tsc --noEmit',
      'check-upgrade': 'helm-synth check-upgrade --baseline chart-repository',
      package: 'helm-synth package --merge',
      verify: 'helm-synth verify',
      push: 'helm-synth push',
    });
    const lifecycle = [
      'dependencies',
      'install',
      'preinstall',
      'postinstall',
      'prepare',
      'preprepare',
      'postprepare',
      'prepack',
      'postpack',
    ];
    expect(Object.keys(pkg.scripts).filter((name) => lifecycle.includes(name))).toEqual([]);
    expect(pkg.jest.transform).toEqual({ '^.+\\.ts$': 'helm-synth/jest-transform' });
    expect(readFileSync(join(dir, 'cdk8s.yaml'), 'utf8')).toMatch(/^app: charts\/main\.ts$/m);
    expect(readFileSync(join(dir, 'charts', 'web.ts'), 'utf8')).toMatch(/StandardValues\.for\(this[\s\S]*new HookJob\(/);
    expect(readFileSync(join(dir, 'test', 'main.test.ts'), 'utf8')).toContain("from 'helm-synth/testing'");
  });

  test('refuses a folder with anything but .git in it, and a file, naming them; nothing is written', () => {
    const used = join(work, 'used');
    mkdirSync(join(used, '.git'), { recursive: true });
    writeFileSync(join(used, 'notes.txt'), 'mine');
    const result = cli(work, ['init', 'used']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `Error: ${used}: is not empty (notes.txt); helm-synth init writes a new project only into an empty folder (nothing was written)\n`,
    );
    expect(readdirSync(used).sort()).toEqual(['.git', 'notes.txt']);
    writeFileSync(join(work, 'file'), '');
    expect(cli(work, ['init', 'file']).stderr).toContain('is a file');
    rmSync(join(used, 'notes.txt'));
    expect(cli(used, ['init']).status).toBe(0);
    expect(existsSync(join(used, 'charts', 'main.ts'))).toBe(true);
    expect(cli(work, ['init', 'a', 'b']).status).toBe(2);
  });
});

describe('TypeScript apps run in-process', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-ts-app-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A project whose charts/main.ts imports charts/web.ts (types only from a third file) and records its pid. */
  function project(name: string, app: string, web = 'export const replicas: number = 2;\n'): string {
    const dir = join(work, name);
    mkdirSync(join(dir, 'charts'), { recursive: true });
    writeFileSync(join(dir, 'cdk8s.yaml'), `app: ${app}\noutput: dist\n`);
    writeFileSync(join(dir, 'charts', 'types.ts'), 'export interface Settings { readonly version: string }\n');
    writeFileSync(join(dir, 'charts', 'web.ts'), web);
    writeFileSync(
      join(dir, 'charts', 'main.ts'),
      [
        "import { writeFileSync } from 'node:fs';",
        `import { HelmApp, HelmChart } from ${LIBRARY};`,
        "import type { Settings } from './types';",
        "import { replicas } from './web';",
        '',
        "const settings: Settings = { version: '1.0.0' };",
        'const app = new HelmApp();',
        "new HelmChart(app, 'web', settings).values.integer('replicaCount', { default: replicas, description: 'Pods.' });",
        "writeFileSync('pid', String(process.pid));",
        'app.synth();',
      ].join('\n'),
    );
    return dir;
  }

  test.each([
    ['charts/main.ts'],
    ['npx ts-node charts/main.ts'],
    ['npx ts-node --prefer-ts-exts charts/main.ts'],
    ['ts-node -T charts/main.ts'],
    ['tsx charts/main.ts'],
    ['npx tsx charts/main.ts'],
    ['node -r ts-node/register charts/main.ts'],
  ])("app: %s is compiled by esbuild and run in the CLI's own process", (app) => {
    const dir = project(app.replace(/\W+/g, '-'), app);
    const result = cli(dir, ['synth']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^dist\/web: version 1\.0\.0, 0 templates, 3 values, 0 hooks; /m);
    expect(readFileSync(join(dir, 'pid'), 'utf8')).toBe(String(result.pid));
    expect(readFileSync(join(dir, 'dist', 'web', 'values.yaml'), 'utf8')).toContain('replicaCount: 2');
  });

  test("a .ts file outside the app's folder is compiled when required; a broken file the app never loads does not matter", () => {
    const dir = project('outside', 'charts/main.ts', "export { replicas } from '../lib/settings';\n");
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'settings.ts'), 'export const replicas: number = 5;\n');
    writeFileSync(join(dir, 'charts', 'draft.ts'), 'export const broken = = 1;\n');
    const result = cli(dir, ['synth']);
    expect(result.stderr).toBe('');
    expect(readFileSync(join(dir, 'dist', 'web', 'values.yaml'), 'utf8')).toContain('replicaCount: 5');
  });

  test('an error in the app is one line naming the TypeScript line it was thrown at; --verbose prints the stack with TypeScript lines', () => {
    const dir = project(
      'throws',
      'charts/main.ts',
      [
        'interface Unused { readonly a: string }',
        'export const replicas: number = read();',
        'function read(): number {',
        '  const settings: any = undefined;',
        '  return settings.replicas;',
        '}',
      ].join('\n'),
    );
    const result = cli(dir, ['synth']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "TypeError: Cannot read properties of undefined (reading 'replicas') (at charts/web.ts:5:19) (--verbose for the stack)\n",
    );
    const verbose = cli(dir, ['synth', '--verbose']);
    expect(verbose.status).toBe(1);
    expect(verbose.stderr).toContain(`at read (${join(dir, 'charts', 'web.ts')}:5:19)`);
    expect(verbose.stderr).toContain(`${join(dir, 'charts', 'web.ts')}:2:33`);
    expect(cli(dir, ['synth'], { HELM_SYNTH_DEBUG: '1' }).stderr).toContain('at read (');
  });

  test('a syntax error names the file, line and column; nothing is written', () => {
    const dir = project('syntax', 'charts/main.ts', 'export const replicas: number = = 2;\n');
    const result = cli(dir, ['synth']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Error: charts/web.ts:1:33: Unexpected "=" (nothing was written)\n');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  test('an app that synthesizes nothing, and a failing app command, are one line each', () => {
    const dir = project('nothing', 'charts/web.ts');
    const nothing = cli(dir, ['synth']);
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toBe(
      'Error: charts/web.ts: ran, but synthesized nothing: create a HelmApp, add charts to it and call app.synth() (nothing was written)\n',
    );
    const failing = cli(dir, ['synth', '--app', 'node -e "process.exit(3)"']);
    expect(failing.status).toBe(1);
    expect(failing.stderr).toBe('Error: the app command failed (exit 3): node -e "process.exit(3)"\n');
  });

  test('plan runs a TypeScript app in memory', () => {
    const dir = project('plan', 'charts/main.ts');
    const result = cli(dir, ['plan', '--format', 'json']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).map((plan: { chart: string }) => plan.chart)).toEqual(['web']);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });
});

describe('app commands helm-synth runs in-process', () => {
  test.each([
    ['node lib/charts/main.js', 'lib/charts/main.js'],
    ['charts/main.ts', 'charts/main.ts'],
    ['main.js', 'main.js'],
    ['npx ts-node main.ts', 'main.ts'],
    ['npx --yes ts-node --prefer-ts-exts --transpile-only src/app.ts', 'src/app.ts'],
    ['tsx charts/main.ts', 'charts/main.ts'],
    ['node --require ts-node/register/transpile-only a.ts', 'a.ts'],
    ['  node  app.cjs ', 'app.cjs'],
    [`${process.execPath} /abs/lib/app.js`, '/abs/lib/app.js'],
  ])('%s -> %s', (command, file) => {
    expect(appFileOf(command)).toBe(file);
  });

  test.each([
    ['python3 main.py'],
    ['npx ts-node --project other.json main.ts'],
    ['node main.ts && echo'],
    ['make synth'],
    ['node --inspect main.js'],
    ['/opt/other-node/bin/node main.js'],
  ])('%s runs in a shell', (command) => {
    expect(appFileOf(command)).toBeUndefined();
  });
});

test('originalPosition reads a source map back to the TypeScript line and column', () => {
  const source = [
    'type A = {',
    '  readonly b: string;',
    '};',
    'const value: A = { b: "x" };',
    'export function f(): string {',
    '  return value.b.toUpperCase();',
    '}',
  ].join('\n');
  const { code, map } = compileTypeScript(source, 'x.ts');
  const mappings = (JSON.parse(map) as { mappings: string }).mappings;
  const lines = code.split('\n');
  const generatedLine = lines.findIndex((line) => line.includes('toUpperCase')) + 1;
  const generatedColumn = lines[generatedLine - 1].indexOf('toUpperCase') + 1;
  expect(originalPosition(mappings, { line: generatedLine, column: generatedColumn })).toEqual({ line: 6, column: 18 });
  expect(originalPosition(mappings, { line: 999, column: 1 })).toBeUndefined();
});

describe('one copy of cdk8s and constructs', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-copies-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('an app that loads other copies than helm-synth fails naming both folders and versions', () => {
    const app = join(work, 'app');
    for (const [name, version] of [
      ['cdk8s', '2.64.2'],
      ['constructs', '10.2.70'],
    ]) {
      mkdirSync(join(app, 'node_modules', name), { recursive: true });
      writeFileSync(join(app, 'node_modules', name, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
    }
    const appFile = join(app, 'main.js');
    const ours = (name: string) =>
      `${join(ROOT, 'node_modules', name)} ${JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version}`;
    expectHelmSynthError(
      () => checkPackageCopies(appFile),
      appFile,
      `two copies of cdk8s and constructs are installed (cdk8s: ${join(app, 'node_modules', 'cdk8s')} 2.64.2 for the app, ${ours('cdk8s')} for helm-synth; ` +
        `constructs: ${join(app, 'node_modules', 'constructs')} 10.2.70 for the app, ${ours('constructs')} for helm-synth); dedupe them`,
    );
  });

  test('the same copies, or an app outside any node_modules tree, pass', () => {
    expect(() => checkPackageCopies(join(ROOT, 'charts', 'main.ts'))).not.toThrow();
    expect(() => checkPackageCopies('/main.js')).not.toThrow();
  });
});
