// npm run bench: whole-process wall time and peak RSS of synthesizing (a) the example app and
// (b) a generated app of 100 charts x 20 objects, with helm-synth and with cdk8s's own
// `cdk8s synth` on the same constructs, run alternately; prints medians and ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) {
  console.error('bench needs GNU time (/usr/bin/time): apt-get install time');
  process.exit(1);
}

// `noWrite`: helm-synth synthesizes in memory only (HELM_SYNTH_DRY_RUN), cdk8s prints to stdout:
// the same work without the cost of creating files (2,700 of them for helm-synth, 100 for cdk8s).
const tools = {
  'helm-synth': (app, noWrite) => ({
    env: { BENCH_APP: app, ...(noWrite && { HELM_SYNTH_DRY_RUN: '1' }) },
    argv: ['node', 'lib/src/cli/main.js', 'synth', '--app', 'node lib/bench/apps.js', '--output', '.bench/helm-synth'],
  }),
  'cdk8s synth': (app, noWrite) => ({
    env: { BENCH_APP: app, BENCH_TOOL: 'cdk8s' },
    argv: ['node_modules/.bin/cdk8s', 'synth', '--no-check-upgrade', '--app', 'node lib/bench/apps.js', ...(noWrite ? ['--stdout'] : ['--output', '.bench/cdk8s'])],
  }),
};

function measure({ env, argv }) {
  const result = spawnSync(TIME, ['-f', '%e %M', ...argv], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed:\n${result.stderr}`);
  const [seconds, kib] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms: seconds * 1000, mib: kib / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const cases = [
  ['example', false, '(a) example app (5 charts)'],
  ['generated', false, '(b) 100 charts x 20 objects'],
  ['generated', true, '(b) without writing files'],
];
for (const [app, noWrite, label] of cases) {
  const samples = Object.fromEntries(Object.keys(tools).map((t) => [t, []]));
  for (const tool of Object.keys(tools)) measure(tools[tool](app, noWrite));
  for (let i = 0; i < RUNS; i++) {
    for (const tool of Object.keys(tools)) samples[tool].push(measure(tools[tool](app, noWrite)));
  }
  const ours = { ms: median(samples['helm-synth'].map((s) => s.ms)), mib: Math.max(...samples['helm-synth'].map((s) => s.mib)) };
  const theirs = { ms: median(samples['cdk8s synth'].map((s) => s.ms)), mib: Math.max(...samples['cdk8s synth'].map((s) => s.mib)) };
  rows.push(`| ${label} | ${ours.ms.toFixed(0)} ms | ${theirs.ms.toFixed(0)} ms | ${(ours.ms / theirs.ms).toFixed(2)}x | ${ours.mib.toFixed(0)} MiB | ${theirs.mib.toFixed(0)} MiB |`);
}
rmSync('.bench', { recursive: true, force: true });
console.log(`Medians of ${RUNS} alternating runs after one warm-up each (node ${process.version}):\n`);
console.log('| app | helm-synth | cdk8s synth | ratio | helm-synth peak RSS | cdk8s synth peak RSS |');
console.log('|---|---|---|---|---|---|');
console.log(rows.join('\n'));
