import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tree } from '../output/output-fixtures';
import { reportMissingTool } from '../support/tools';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');

function synth(...args: string[]) {
  return spawnSync(process.execPath, [CLI, 'synth', ...args], { cwd: ROOT, encoding: 'utf8' });
}

function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(`${path.slice(dir.length)}\0`).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('helm-synth synth (npm run synth)', () => {
  const work = mkdtempSync(join(tmpdir(), 'helm-synth-cli-'));
  const out = join(work, 'dist');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('writes every chart with a summary, byte-identical on reruns', () => {
    const first = synth('--output', out);
    expect(first.stderr.split('\n').filter((line) => line && !line.startsWith('  warning: '))).toEqual([]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/\/web-app: version 0\.1\.0, \d+ templates, \d+ values, \d+ hooks/);
    const hash = treeHash(out);
    expect(synth('--output', out).status).toBe(0);
    expect(treeHash(out)).toBe(hash);
  });

  test('a failing synth names the construct and value, exits non-zero and leaves the output untouched', () => {
    expect(synth('--output', out).status).toBe(0);
    const before = treeHash(out);
    const badApp = join(work, 'bad-app.js');
    writeFileSync(
      badApp,
      [
        `const { HelmApp, HelmChart } = require(${JSON.stringify(join(ROOT, 'lib', 'src'))});`,
        'const app = new HelmApp();',
        "new HelmChart(app, 'good', { version: '1.0.0' });",
        "const bad = new HelmChart(app, 'bad', { version: '1.0.0' });",
        "bad.values.integer('replicas', { default: 1.5, description: 'Replicas.' });",
        'app.synth();',
      ].join('\n'),
    );
    const result = synth('--app', `node ${badApp}`, '--output', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: bad: value replicas: default 1.5 is not an integer');
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(treeHash(out)).toBe(before);
    expect(readdirSync(work).filter((e) => e.startsWith('dist.'))).toEqual([]);
  });
});

/** A throw-away project: cdk8s.yaml, an app whose charts come from $CHARTS (`a,b`), and a source folder. */
function tempProject(output = 'dist'): string {
  const dir = mkdtempSync(join(tmpdir(), 'helm-synth-project-'));
  writeFileSync(join(dir, 'cdk8s.yaml'), `app: node app.js\noutput: ${JSON.stringify(output)}\n`);
  writeFileSync(join(dir, 'package.json'), '{ "name": "demo" }\n');
  mkdirSync(join(dir, 'charts'));
  writeFileSync(join(dir, 'charts', 'web.ts'), '// source\n');
  writeFileSync(
    join(dir, 'app.js'),
    [
      `const { HelmApp, HelmChart } = require(${JSON.stringify(join(ROOT, 'lib', 'src'))});`,
      'const app = new HelmApp();',
      "for (const name of (process.env.CHARTS ?? 'a,b').split(',')) new HelmChart(app, name, { version: process.env.VERSION ?? '1.0.0' });",
      'app.synth();',
    ].join('\n'),
  );
  return dir;
}

function synthIn(dir: string, args: string[] = [], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, 'synth', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** One line on stderr, no stack trace. */
function expectOneLineError(result: ReturnType<typeof synthIn>, message: RegExp): void {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('helm-synth synth: the output folder', () => {
  const projects: string[] = [];
  const project = (output?: string): string => {
    const dir = tempProject(output);
    projects.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of projects) {
      spawnSync('umount', [join(dir, 'ro')]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['--output .', ['--output', '.'], undefined, /refusing to write charts here: it is the project folder/],
    ['output: "" in cdk8s.yaml', [], '', /refusing to write charts here: it is the project folder/],
    ['--output ..', ['--output', '..'], undefined, /refusing to write charts here: it is above the project folder/],
    ['--output charts (sources)', ['--output', 'charts'], undefined, /not empty and has no \.helm-synth\.json .*it holds web\.ts/],
    ['--output .git', ['--output', '.git'], undefined, /refusing to write charts here: it is inside a \.git folder/],
    ['--output app.js (a file)', ['--output', 'app.js'], undefined, /refusing to write charts here: it is an existing file/],
  ])('%s is refused with one line, exit 1, and nothing touched', (_label, args, output, message) => {
    const dir = project(output);
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const before = tree(dir);
    expectOneLineError(synthIn(dir, args), message);
    expect(tree(dir)).toEqual(before);
  });

  test("a folder of someone else's files is refused, naming them; a symlinked output is followed", () => {
    const dir = project();
    mkdirSync(join(dir, 'theirs'));
    writeFileSync(join(dir, 'theirs', 'notes.md'), 'mine\n');
    expectOneLineError(
      synthIn(dir, ['--output', 'theirs']),
      /theirs: refusing to write charts here: .*it holds notes\.md; .*move these away/,
    );
    mkdirSync(join(dir, 'real'));
    symlinkSync('real', join(dir, 'dist'));
    expect(synthIn(dir).status).toBe(0);
    expect(lstatSync(join(dir, 'dist')).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(dir, 'real')).sort()).toEqual(['.helm-synth.json', 'a', 'b']);
  });

  test('user files and a vendored dependency survive synths; a chart removed from the app is removed; counts per chart', () => {
    const dir = project();
    const first = synthIn(dir);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^dist\/a: version 1\.0\.0, 0 templates, 2 values, 0 hooks; 7 written, 0 unchanged, 0 removed$/m);
    const kept = {
      'dist/a/charts/postgresql/Chart.yaml': 'name: postgresql\n',
      'dist/a/Chart.lock': 'dependencies: []\n',
      'dist/a/values-prod.yaml': 'x: 1\n',
      'dist/README.md': 'ours\n',
    };
    for (const [path, content] of Object.entries(kept)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const again = synthIn(dir);
    expect(again.stdout).toMatch(/^dist\/a: .*; 0 written, 7 unchanged, 0 removed$/m);
    expect(again.stdout).toMatch(/: wrote 0 file\(s\), 14 unchanged, removed 0$/m);
    const changed = synthIn(dir, [], { CHARTS: 'a', VERSION: '1.1.0' });
    expect(changed.stdout).toMatch(/^dist\/a: version 1\.1\.0, .*; 2 written, 5 unchanged, 0 removed$/m);
    expect(changed.stdout).toMatch(/^dist\/b: no longer in the app; 0 written, 0 unchanged, 7 removed$/m);
    for (const [path, content] of Object.entries(kept)) expect(readFileSync(join(dir, path), 'utf8')).toBe(content);
    expect(existsSync(join(dir, 'dist', 'b'))).toBe(false);
  });

  test('--dry-run (and HELM_SYNTH_DRY_RUN=1) reports what would change and touches nothing', () => {
    const dir = project();
    const dry = synthIn(dir, ['--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^dist\/a: .*; would write 7, 0 unchanged, would remove 0$/m);
    expect(dry.stdout).toMatch(/\(dry run: nothing was touched\)$/m);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    expect(synthIn(dir).status).toBe(0);
    const before = tree(join(dir, 'dist'));
    const alias = synthIn(dir, [], { HELM_SYNTH_DRY_RUN: '1', CHARTS: 'a' });
    expect(alias.stdout).toMatch(/^dist\/b: no longer in the app; would write 0, 0 unchanged, would remove 7$/m);
    expect(tree(join(dir, 'dist'))).toEqual(before);
  });

  test('two synths at once: one waits for the other, both succeed, nothing is left over', async () => {
    const dir = project();
    const run = (): Promise<{ status: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [CLI, 'synth'], {
          cwd: dir,
          env: { ...process.env, CHARTS: Array.from({ length: 30 }, (_, i) => `c${i}`).join(',') },
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('exit', (status) => resolve({ status, stderr }));
      });
    const results = await Promise.all([run(), run()]);
    expect(results).toEqual([
      { status: 0, stderr: '' },
      { status: 0, stderr: '' },
    ]);
    expect(readdirSync(join(dir, 'dist')).filter((n) => n.startsWith('.'))).toEqual(['.helm-synth.json']);
    expect(readdirSync(join(dir, 'dist'))).toHaveLength(31);
  });

  test('an interrupted run is repaired by the next synth, which says so in one line', () => {
    const dir = project();
    expect(synthIn(dir).status).toBe(0);
    writeFileSync(
      join(dir, 'dist', '.helm-synth.journal'),
      `${JSON.stringify({ version: 1, writes: [{ chart: 'a', path: 'values.yaml', hash: '0'.repeat(64) }], removes: [] })}\n`,
    );
    writeFileSync(join(dir, 'dist', 'a', '.values.yaml.helm-synth.tmp'), 'half');
    const result = synthIn(dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^helm-synth: repaired dist after an interrupted synth: .*deleted 1 temporary file\(s\)\n$/);
    expect(readdirSync(join(dir, 'dist', 'a')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'dist', '.helm-synth.journal'))).toBe(false);
  });

  test('app.synth() run without the CLI keeps the same rules: the working folder and the main module are protected', () => {
    const dir = project();
    mkdirSync(join(dir, 'gen'));
    writeFileSync(join(dir, 'gen', 'app.js'), readFileSync(join(dir, 'app.js'), 'utf8'));
    const before = tree(dir);
    const env = { ...process.env, HELM_SYNTH_PROJECT_DIR: '', HELM_SYNTH_APP_FILE: '' };
    const here = spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8', env: { ...env, HELM_SYNTH_OUTDIR: '.' } });
    expect(here.status).not.toBe(0);
    expect(here.stderr).toContain('refusing to write charts here: it is the project folder');
    const appFolder = spawnSync(process.execPath, ['gen/app.js'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...env, HELM_SYNTH_OUTDIR: 'gen' },
    });
    expect(appFolder.status).not.toBe(0);
    expect(appFolder.stderr).toMatch(/gen: refusing to write charts here: it holds the app file .*gen\/app\.js/);
    expect(tree(dir)).toEqual(before);
    expect(spawnSync(process.execPath, ['app.js'], { cwd: dir, env }).status).toBe(0);
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['.helm-synth.json', 'a', 'b']);
  });

  test('a read-only output is one line naming the path and the cause, exit 1', () => {
    if (process.getuid?.() !== 0) {
      reportMissingTool('a read-only bind mount needs root: read-only CLI test skipped');
      return;
    }
    const dir = project('ro/dist');
    mkdirSync(join(dir, 'ro'));
    expect(synthIn(dir).status).toBe(0);
    const before = tree(join(dir, 'ro'));
    const bound = spawnSync(
      'sh',
      ['-c', `mount --bind "${join(dir, 'ro')}" "${join(dir, 'ro')}" && mount -o remount,ro,bind "${join(dir, 'ro')}"`],
      { encoding: 'utf8' },
    );
    if (bound.status !== 0) {
      reportMissingTool(`read-only bind mount failed (${bound.stderr.trim()}): read-only CLI test skipped`);
      return;
    }
    expectOneLineError(
      synthIn(dir, [], { VERSION: '2.0.0' }),
      /^Error: cannot create the lock file ro\/dist\/\.helm-synth\.lock: the file system is read-only \(EROFS\)\n$/,
    );
    expectOneLineError(
      synthIn(dir, ['--output', 'ro/new']),
      /^Error: cannot create the output folder ro\/new: the file system is read-only \(EROFS\)\n$/,
    );
    expect(tree(join(dir, 'ro'))).toEqual(before);
  });
});
