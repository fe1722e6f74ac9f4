import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const STALE_OUTPUTS = pathToFileURL(join(__dirname, '..', '..', 'scripts', 'stale-outputs.mjs')).href;

/** scripts/stale-outputs.mjs run by node on a folder laid out as a checkout; the paths it removed. */
function removeStaleOutputs(root: string): string[] {
  const script = `import { removeStaleOutputs } from ${JSON.stringify(STALE_OUTPUTS)};
    console.log(JSON.stringify(removeStaleOutputs('lib', ['src', 'charts', 'bench'], ${JSON.stringify(root)})));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

function files(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(root, join(dir, entry.name)) : [relative(root, join(dir, entry.name))]))
    .sort();
}

describe('the build removes the outputs of deleted sources (a deleted module is never packed)', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'helm-synth-stale-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), '');
  };

  test('outputs without a source go, with folders left empty; outputs of existing sources and other files stay', () => {
    for (const source of ['src/index.ts', 'src/synth/collect.ts', 'charts/web.ts']) write(source);
    const kept = [
      'lib/src/index.js',
      'lib/src/index.js.map',
      'lib/src/index.d.ts',
      'lib/src/synth/collect.js',
      'lib/src/synth/collect.d.ts',
      'lib/charts/web.js',
      'lib/src/synth/notes.txt',
      'lib/other/kept.js',
    ];
    const stale = [
      'lib/src/synth/expression.js',
      'lib/src/synth/expression.js.map',
      'lib/src/synth/expression.d.ts',
      'lib/src/gone/deep/module.js',
      'lib/src/gone/deep/module.d.ts.map',
      'lib/charts/old-chart.js',
    ];
    for (const path of [...kept, ...stale]) write(path);
    expect(removeStaleOutputs(root)).toEqual([...stale].sort());
    expect(files(join(root, 'lib'))).toEqual(kept.map((path) => path.slice('lib/'.length)).sort());
    expect(existsSync(join(root, 'lib', 'src', 'gone'))).toBe(false);
    expect(removeStaleOutputs(root)).toEqual([]);
  });
});
