// npm run bench: whole-process wall time and peak RSS of synthesizing (a) the example app and
// (b) a generated app of 100 charts x 20 objects, with helm-synth, with cdk8s's own `cdk8s synth`
// on the same constructs, and with the floor: the same constructs in a plain cdk8s App synthesized
// by one `node` process. Tools run alternately; prints medians and ratios from this one run, then
// times the writer alone. Every tool runs in a scratch folder (scripts/bench-tools.mjs): nothing in
// the project, dist/ included, is written or deleted.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { benchTools } from './bench-tools.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  console.error('bench needs GNU time (/usr/bin/time): apt-get install time');
  process.exit(1);
}
const { work: WORK, out, empty, tools } = benchTools();

function measure({ env, argv, cwd }) {
  const result = spawnSync(TIME, ['-f', '%e %M', ...argv], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${result.stderr}`);
  const [seconds, kib] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  const written = /wrote (\d+) file\(s\)/.exec(result.stdout)?.[1];
  return { ms: seconds * 1000, mib: kib / 1024, written: written === undefined ? undefined : Number(written) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases = [
  { label: '(a) example app (5 charts)', app: 'example', tools: ['helm-synth', 'cdk8s synth', 'floor'] },
  { label: '(b) 100 charts x 20 objects, into an empty folder', app: 'generated', tools: ['helm-synth', 'cdk8s synth', 'floor'] },
  { label: '(c) (b) again, nothing changed', app: 'generated', tools: ['re-synth', 'cdk8s synth', 'floor'] },
  { label: '(d) (b) without writing files', app: 'generated', noWrite: true, tools: ['helm-synth', 'cdk8s synth'] },
];
const rows = [];
for (const c of cases) {
  const samples = Object.fromEntries(c.tools.map((t) => [t, []]));
  for (const tool of c.tools) measure(tools[tool](c));
  for (let i = 0; i < RUNS; i++) {
    for (const tool of c.tools) samples[tool].push(measure(tools[tool](c)));
  }
  const [ours, theirs, floor] = c.tools.map(
    (t) =>
      samples[t] && {
        ms: median(samples[t].map((s) => s.ms)),
        mib: Math.max(...samples[t].map((s) => s.mib)),
        written: Math.max(...samples[t].map((s) => s.written ?? 0)),
      },
  );
  const vsFloor = floor ? `${(ours.ms / floor.ms).toFixed(2)}x` : '–';
  const written = c.tools[0] === 're-synth' ? ` (${ours.written} files written)` : '';
  rows.push(
    `| ${c.label} | ${ours.ms.toFixed(0)} ms${written} | ${theirs.ms.toFixed(0)} ms | ${floor ? `${floor.ms.toFixed(0)} ms` : '–'} ` +
      `| ${(ours.ms / theirs.ms).toFixed(2)}x | ${vsFloor} | ${ours.mib.toFixed(0)} MiB | ${theirs.mib.toFixed(0)} MiB |`,
  );
}

// The writer alone, in this process, on the 2,700 files of (b): writeOutput into an empty folder
// and over a version where every file changed, with its default (one call at a time, a worker
// thread when file creation is slow) and through the fs seam (always one at a time); then the raw
// file creation (folders, then files) one at a time vs always on a worker thread, 8 in flight.
const require = createRequire(import.meta.url);
const { HelmApp } = require('../lib/src');
const { writeOutput } = require('../lib/src/output/output-writer');
const { NODE_FILE_SYSTEM } = require('../lib/src/output/output-fs');
const { runFileOps } = require('../lib/src/output/file-ops');
const { buildGeneratedApp } = require('../lib/bench/generated-app');
const version = (tag) => buildGeneratedApp(new HelmApp({ outdir: out('unused') }), 100, { tag }).synthCharts();
const [v1, v2] = [version('1.0.0'), version('2.0.0')];
const timed = (f) => {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const creation = (dir) => {
  const files = v1.flatMap((c) => [...c.files].map(([path, content]) => ({ kind: 'write', path: join(dir, c.name, path), content })));
  const folders = [...new Set(files.map((f) => dirname(f.path)))].sort();
  const depth = (p) => p.split('/').length;
  const levels = [...new Set(folders.map(depth))].sort((a, b) => a - b);
  return [
    [{ kind: 'mkdir', path: dir }],
    ...levels.map((l) => folders.filter((f) => depth(f) === l).map((path) => ({ kind: 'mkdir', path }))),
    files,
  ];
};
const writers = [
  {
    label: 'writeOutput, default',
    run: (dir) => [timed(() => writeOutput(dir, v1, { projectDir: WORK })), timed(() => writeOutput(dir, v2, { projectDir: WORK }))],
  },
  {
    label: 'writeOutput through the fs seam (one at a time)',
    run: (dir) => [
      timed(() => writeOutput(dir, v1, { projectDir: WORK, fs: NODE_FILE_SYSTEM })),
      timed(() => writeOutput(dir, v2, { projectDir: WORK, fs: NODE_FILE_SYSTEM })),
    ],
  },
  { label: 'creating the files only, one at a time', run: (dir) => [timed(() => runFileOps(creation(dir), NODE_FILE_SYSTEM))] },
  { label: 'creating the files only, worker thread', run: (dir) => [timed(() => runFileOps(creation(dir), undefined, { offloadMs: 0 }))] },
];
const writeSamples = writers.map(() => [[], []]);
for (let i = 0; i <= RUNS; i++) {
  writers.forEach((w, k) => {
    const dir = empty(`write-${k}`);
    const times = w.run(dir);
    if (i > 0) times.forEach((t, j) => writeSamples[k][j].push(t));
  });
}
rmSync(WORK, { recursive: true, force: true });
console.log(`Medians of ${RUNS} alternating runs after one warm-up each (node ${process.version}):\n`);
console.log(
  '| app | helm-synth | cdk8s synth | floor: plain cdk8s App | vs cdk8s synth | vs floor | helm-synth peak RSS | cdk8s synth peak RSS |',
);
console.log('|---|---|---|---|---|---|---|---|');
console.log(rows.join('\n'));
console.log(`\nWriting the 2,700 files of (b) alone (writeOutput, in-process), medians of ${RUNS}:\n`);
console.log('| writer | into an empty folder | every file changed |');
console.log('|---|---|---|');
writers.forEach((w, k) => {
  const [empty, rewrite] = writeSamples[k].map((xs) => (xs.length ? `${median(xs).toFixed(0)} ms` : '–'));
  console.log(`| ${w.label} | ${empty} | ${rewrite} |`);
});
