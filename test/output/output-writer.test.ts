import { mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmSynthError } from '../../src';
import { writeOutput } from '../../src/output/output-writer';
import { chart, cleanup, expectedTree, tempFolder, tree, withoutManifest } from './output-fixtures';

afterEach(cleanup);

/** An output folder inside a fresh project folder. */
function project(): { root: string; out: string } {
  const root = tempFolder();
  return { root, out: join(root, 'dist') };
}

function write(out: string, charts = [chart('a'), chart('b')], options = {}) {
  return writeOutput(out, charts, { projectDir: join(out, '..'), ...options });
}

describe('writeOutput: ownership', () => {
  test('writes every chart, a sorted manifest, and leaves no lock, journal or temporary behind', () => {
    const { out } = project();
    const charts = [chart('a'), chart('b')];
    const report = write(out, charts);
    expect(report.charts.map((c) => [c.name, c.written.length, c.unchanged.length, c.removed.length])).toEqual([
      ['a', 4, 0, 0],
      ['b', 4, 0, 0],
    ]);
    const files = tree(out);
    expect(withoutManifest(files)).toEqual(expectedTree(charts));
    const manifest = JSON.parse(files['.helm-synth.json']);
    expect(Object.keys(manifest.charts)).toEqual(['a', 'b']);
    expect(Object.keys(manifest.charts.a)).toEqual(['Chart.yaml', 'templates/t0.yaml', 'templates/t1.yaml', 'values.yaml']);
    expect(manifest.charts.a['Chart.yaml']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the manifest is byte-identical across runs and charts given in another order', () => {
    const { out } = project();
    write(out, [chart('a'), chart('b')]);
    const first = readFileSync(join(out, '.helm-synth.json'), 'utf8');
    const { out: other } = project();
    write(other, [chart('b'), chart('a')]);
    expect(readFileSync(join(other, '.helm-synth.json'), 'utf8')).toBe(first);
    write(out, [chart('a'), chart('b')]);
    expect(readFileSync(join(out, '.helm-synth.json'), 'utf8')).toBe(first);
  });

  test('user files beside and inside chart folders (vendored charts/postgresql, Chart.lock, values-prod.yaml) survive two synths', () => {
    const { out } = project();
    write(out);
    const userFiles: Record<string, string> = {
      'a/charts/postgresql/Chart.yaml': 'name: postgresql\n',
      'a/charts/postgresql-10.8.0.tgz': 'binary',
      'a/Chart.lock': 'dependencies: []\n',
      'a/values-prod.yaml': 'replicaCount: 3\n',
      'notes.txt': 'mine\n',
    };
    for (const [path, content] of Object.entries(userFiles)) {
      mkdirSync(join(out, path, '..'), { recursive: true });
      writeFileSync(join(out, path), content);
    }
    write(out, [chart('a', '2'), chart('b', '2')]);
    write(out, [chart('a', '3')]);
    const files = tree(out);
    for (const [path, content] of Object.entries(userFiles)) expect(files[path]).toBe(content);
    expect(files['a/Chart.yaml']).toContain('1.0.3');
    expect(Object.keys(files).filter((p) => p.startsWith('b/'))).toEqual([]);
  });

  test('a chart removed from the app loses its recorded files, and its folder only when nothing else is in it', () => {
    const { out } = project();
    write(out, [chart('a'), chart('b'), chart('c')]);
    writeFileSync(join(out, 'c', 'templates', 'mine.yaml'), 'kept\n');
    const report = write(out, [chart('a')]);
    expect(report.charts.filter((c) => c.dropped).map((c) => [c.name, c.removed])).toEqual([
      ['b', ['Chart.yaml', 'templates/t0.yaml', 'templates/t1.yaml', 'values.yaml']],
      ['c', ['Chart.yaml', 'templates/t0.yaml', 'templates/t1.yaml', 'values.yaml']],
    ]);
    const files = tree(out);
    expect(() => statSync(join(out, 'b'))).toThrow();
    expect(Object.keys(files).filter((p) => p.startsWith('c/'))).toEqual(['c/templates/mine.yaml']);
    expect(Object.keys(JSON.parse(files['.helm-synth.json']).charts)).toEqual(['a']);
  });

  test('a file dropped from a chart is removed, and an emptied sub-folder with it', () => {
    const { out } = project();
    const withTests = chart('a');
    write(out, [{ name: 'a', files: new Map([...withTests.files, ['templates/tests/t.yaml', 'test\n']]) }]);
    const report = write(out, [withTests]);
    expect(report.charts[0].removed).toEqual(['templates/tests/t.yaml']);
    expect(() => statSync(join(out, 'a', 'templates', 'tests'))).toThrow();
  });

  test('a file in the way that helm-synth did not write fails the run before anything is written; an identical one is adopted', () => {
    const { out } = project();
    write(out, [chart('a')]);
    mkdirSync(join(out, 'b', 'templates'), { recursive: true });
    writeFileSync(join(out, 'b', 'values.yaml'), 'mine\n');
    const before = tree(out);
    expect(() => write(out, [chart('a', '2'), chart('b')])).toThrow(
      /refusing to overwrite what helm-synth did not write: .*b\/values\.yaml \(not written by helm-synth\)/,
    );
    expect(tree(out)).toEqual(before);
    writeFileSync(join(out, 'b', 'values.yaml'), 'replicaCount: 1\n');
    const report = write(out, [chart('a', '2'), chart('b')]);
    expect(report.charts[1].unchanged).toEqual(['values.yaml']);
    expect(Object.keys(JSON.parse(readFileSync(join(out, '.helm-synth.json'), 'utf8')).charts.b)).toContain('values.yaml');
  });

  test('a folder where a file goes, or a file where a folder goes, is refused', () => {
    const { out } = project();
    write(out, [chart('a')]);
    mkdirSync(join(out, 'b', 'values.yaml'), { recursive: true });
    writeFileSync(join(out, 'b', 'templates'), 'mine\n');
    expect(() => write(out, [chart('a'), chart('b')])).toThrow(
      /b\/templates \(a file where helm-synth needs a folder\).*b\/values\.yaml \(a folder/,
    );
  });

  test('bad chart input is refused', () => {
    const { out } = project();
    expect(() => write(out, [chart('..')])).toThrow(HelmSynthError);
    expect(() => write(out, [{ name: 'a', files: new Map([['../x', '']]) }])).toThrow(/file path "\.\.\/x" is not a relative path/);
    expect(() =>
      write(out, [
        {
          name: 'a',
          files: new Map([
            ['t', ''],
            ['t/x', ''],
          ]),
        },
      ]),
    ).toThrow(/"t" is both a file and a folder/);
    expect(() => write(out, [chart('a'), chart('a')])).toThrow(/two charts have this folder name/);
  });
});

describe('writeOutput: incremental', () => {
  test('a re-synth without change writes nothing and keeps every mtime', () => {
    const { out } = project();
    write(out);
    const old = new Date('2020-01-01T00:00:00Z');
    const paths = Object.keys(tree(out)).map((p) => join(out, p));
    for (const path of paths) utimesSync(path, old, old);
    const report = write(out);
    expect(report.charts.map((c) => c.written.length)).toEqual([0, 0]);
    expect(report.charts.map((c) => c.unchanged.length)).toEqual([4, 4]);
    for (const path of paths) expect(statSync(path).mtimeMs).toBe(old.getTime());
  });

  test('only changed files are rewritten; an owned file edited or deleted by hand is restored', () => {
    const { out } = project();
    write(out);
    const old = new Date('2020-01-01T00:00:00Z');
    for (const path of Object.keys(tree(out))) utimesSync(join(out, path), old, old);
    writeFileSync(join(out, 'b', 'values.yaml'), 'edited\n');
    const next = chart('a');
    const changed = { name: 'a', files: new Map([...next.files, ['templates/t1.yaml', 'changed\n']]) };
    const report = write(out, [changed, chart('b')]);
    expect(report.charts.map((c) => c.written)).toEqual([['templates/t1.yaml'], ['values.yaml']]);
    expect(statSync(join(out, 'a', 'Chart.yaml')).mtimeMs).toBe(old.getTime());
    expect(readFileSync(join(out, 'b', 'values.yaml'), 'utf8')).toBe('replicaCount: 1\n');
  });

  test('a dry run reports what would change and touches nothing', () => {
    const { out } = project();
    const empty = write(out, [chart('a')], { dryRun: true });
    expect(empty.charts[0].written).toHaveLength(4);
    expect(() => statSync(out)).toThrow();
    write(out, [chart('a'), chart('b')]);
    const before = tree(out);
    const report = write(out, [chart('a', '2')], { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.charts.map((c) => [c.name, c.written.length, c.unchanged.length, c.removed.length, c.dropped])).toEqual([
      ['a', 3, 1, 0, false],
      ['b', 0, 0, 4, true],
    ]);
    expect(tree(out)).toEqual(before);
  });
});

describe('writeOutput: refused output folders', () => {
  test.each([
    ['the project folder', (root: string) => root, /it is the project folder/],
    ['a folder above the project', (root: string) => join(root, '..'), /it is above the project folder/],
    ['a folder holding package.json', (root: string) => join(root, 'sub'), /it holds package\.json, so it looks like a project folder/],
    ['a folder inside .git', (root: string) => join(root, '.git', 'x'), /it is inside a \.git folder/],
    ['an existing file', (root: string) => join(root, 'file.txt'), /it is an existing file, not a folder/],
    [
      "a folder of someone else's files",
      (root: string) => join(root, 'charts'),
      /not empty and has no \.helm-synth\.json .*it holds app\.ts, main\.ts/,
    ],
    ['the folder of the app file', (root: string) => join(root, 'lib'), /it holds the app file .*lib\/charts\/main\.js/],
  ])('%s', (_label, output, message) => {
    const root = tempFolder();
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'package.json'), '{}');
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, 'file.txt'), 'mine');
    mkdirSync(join(root, 'charts'));
    writeFileSync(join(root, 'charts', 'app.ts'), 'source');
    writeFileSync(join(root, 'charts', 'main.ts'), 'source');
    mkdirSync(join(root, 'lib', 'charts'), { recursive: true });
    writeFileSync(join(root, 'lib', 'charts', 'main.js'), 'app');
    const before = tree(root);
    const error = (() => {
      try {
        writeOutput(output(root), [chart('a')], { projectDir: root, appFile: join(root, 'lib', 'charts', 'main.js') });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(HelmSynthError);
    expect(error?.message).toMatch(message);
    expect(tree(root)).toEqual(before);
  });

  test('an empty folder is accepted, and a symbolic link to a folder is followed, not replaced', () => {
    const root = tempFolder();
    const real = join(root, 'real');
    mkdirSync(real);
    symlinkSync(real, join(root, 'dist'));
    writeOutput(join(root, 'dist'), [chart('a')], { projectDir: root });
    expect(statSync(join(root, 'dist')).isDirectory()).toBe(true);
    expect(require('node:fs').lstatSync(join(root, 'dist')).isSymbolicLink()).toBe(true);
    expect(Object.keys(tree(real))).toContain('a/Chart.yaml');
    writeOutput(join(root, 'dist'), [chart('a', '2')], { projectDir: root });
    expect(readFileSync(join(real, 'a', 'Chart.yaml'), 'utf8')).toContain('1.0.2');
  });
});
