import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutputChart, writeOutput } from '../../src/output/output-writer';
import { cleanup, tempFolder, tree } from './output-fixtures';

const ROOT = join(__dirname, '..', '..');
const RUNS = 20;

/**
 * The child: synthesizes the generated 100-chart app (version A, or B: other tags, 5 charts
 * dropped and 5 added) and writes it the way HelmApp.synth() does. `write` mode prints `ready`
 * between synthesis and writing, so the parent can aim its kill at the writing; `app` mode is
 * a plain `app.synth()`.
 */
const CHILD = `
const { dirname } = require('node:path');
const { HelmApp } = require(${JSON.stringify(join(ROOT, 'lib', 'src'))});
const { writeOutput } = require(${JSON.stringify(join(ROOT, 'lib', 'src', 'output', 'output-writer'))});
const { buildGeneratedApp } = require(${JSON.stringify(join(ROOT, 'lib', 'bench', 'generated-app.js'))});
const [out, version, mode] = process.argv.slice(2);
const app = new HelmApp({ outdir: out });
buildGeneratedApp(app, 100, version === 'B' ? { first: 5, tag: '2.0.0' } : {});
if (mode === 'app') {
  app.synth();
} else {
  const charts = app.synthCharts();
  process.stdout.write('ready\\n');
  const started = Date.now();
  writeOutput(out, charts, { projectDir: dirname(out) });
  process.stdout.write('wrote in ' + (Date.now() - started) + ' ms\\n');
}
`;

afterAll(cleanup);

/** Chart data back from a written output folder (without the manifest). */
function chartsOf(files: Record<string, string>): OutputChart[] {
  const charts = new Map<string, Map<string, string>>();
  for (const [path, content] of Object.entries(files)) {
    const slash = path.indexOf('/');
    if (slash < 0) continue;
    const name = path.slice(0, slash);
    if (!charts.has(name)) charts.set(name, new Map());
    charts.get(name)!.set(path.slice(slash + 1), content);
  }
  return [...charts].map(([name, f]) => ({ name, files: f }));
}

test(`kill -9 at random points of a 100-chart synth, ${RUNS} times: owned files stay complete, the next run repairs`, async () => {
  const work = tempFolder('helm-synth-kill-');
  const child = join(work, 'child.js');
  writeFileSync(child, CHILD);
  const synth = (out: string, version: string): { files: Record<string, string>; ms: number } => {
    const result = spawnSync(process.execPath, [child, out, version, 'write'], { cwd: work, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return { files: tree(out), ms: Number(/wrote in (\d+) ms/.exec(result.stdout)![1]) };
  };
  const versions = { A: synth(join(work, 'ref', 'dist'), 'A'), B: synth(join(work, 'ref', 'dist'), 'B') };
  expect(Object.keys(versions.A.files).length).toBeGreaterThan(2700);
  expect(versions.B.files).toEqual(synth(join(work, 'ref-b', 'dist'), 'B').files);
  const writeMs = Math.max(versions.B.ms, 50);
  const out = join(work, 'project', 'dist');
  writeOutput(out, chartsOf(versions.A.files), { projectDir: join(out, '..') });

  let random = 20240607;
  const next = (): number => (random = (random * 1103515245 + 12345) % 2147483648) / 2147483648;
  let interrupted = 0;
  for (let run = 0; run < RUNS; run++) {
    const target = run % 2 === 0 ? 'B' : 'A';
    const mode = run === 0 ? 'app' : 'write';
    const proc = spawn(process.execPath, [child, out, target, mode], { cwd: join(work, 'project'), stdio: ['ignore', 'pipe', 'pipe'] });
    const delay = next() * writeMs * 1.2;
    await new Promise<void>((resolve) => {
      const kill = (): void => void setTimeout(() => proc.kill('SIGKILL'), mode === 'app' ? 1000 + delay * 2 : delay);
      if (mode === 'app') kill();
      proc.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) kill();
      });
      proc.on('exit', () => resolve());
    });

    const files = tree(out);
    const journal = existsSync(join(out, '.helm-synth.journal'));
    if (journal) interrupted++;
    for (const [path, content] of Object.entries(files)) {
      if (path === '.helm-synth.json' || path === '.helm-synth.journal' || path === '.helm-synth.lock') continue;
      if (/(^|\/)\.[^/]+\.helm-synth\.tmp$/.test(path)) continue;
      expect([versions.A.files[path], versions.B.files[path]]).toContain(content);
    }

    const report = writeOutput(out, chartsOf(versions[target].files), { projectDir: join(out, '..') });
    expect(report.recovered).toHaveLength(journal ? 1 : 0);
    expect(tree(out)).toEqual(versions[target].files);
  }
  expect(interrupted).toBeGreaterThanOrEqual(3);
}, 600000);
