import { App } from 'cdk8s';
import { buildApp } from '../charts/app';
import { HelmApp } from '../src';
import { buildGeneratedApp } from './generated-app';

/**
 * `node lib/bench/apps.js`: BENCH_APP is `example` (default) or `generated`; BENCH_TOOL is
 * `helm-synth` (a HelmApp, default), `cdk8s` (a plain App for `cdk8s synth`) or `cdk8s-app` (a
 * plain App synthesized by this process into BENCH_OUTDIR: the floor of the bench).
 */
const tool = process.env.BENCH_TOOL ?? 'helm-synth';
if (tool === 'cdk8s-app' && !process.env.BENCH_OUTDIR) throw new Error('BENCH_TOOL=cdk8s-app needs BENCH_OUTDIR, a scratch folder');
const app = tool === 'cdk8s' ? new App() : tool === 'cdk8s-app' ? new App({ outdir: process.env.BENCH_OUTDIR }) : new HelmApp();
if (process.env.BENCH_APP === 'generated') buildGeneratedApp(app);
else buildApp(app);
app.synth();
