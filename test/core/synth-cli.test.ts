import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    writeFileSync(badApp, [
      `const { HelmApp, HelmChart } = require(${JSON.stringify(join(ROOT, 'lib', 'src'))});`,
      'const app = new HelmApp();',
      "new HelmChart(app, 'good', { version: '1.0.0' });",
      "const bad = new HelmChart(app, 'bad', { version: '1.0.0' });",
      "bad.values.integer('replicas', { default: 1.5, description: 'Replicas.' });",
      'app.synth();',
    ].join('\n'));
    const result = synth('--app', `node ${badApp}`, '--output', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: bad: value replicas: default 1.5 is not an integer');
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(treeHash(out)).toBe(before);
    expect(readdirSync(work).filter((e) => e.startsWith('dist.'))).toEqual([]);
  });
});
