#!/usr/bin/env node
import { HelmSynthError } from '../errors';
import { readProjectConfig } from './project-config';
import { runApp } from './run-app';

const USAGE = `usage: helm-synth synth            synthesize every chart into the output folder of cdk8s.yaml
       helm-synth plan [CHART] [--json]   print the install/upgrade/rollback/uninstall/test sequence`;

function main(argv: string[]): number {
  const [command, ...args] = argv;
  const config = readProjectConfig();
  if (command === 'synth') {
    const started = process.hrtime.bigint();
    const charts = runApp(config.app, { HELM_SYNTH_OUTDIR: config.output });
    if (charts) {
      for (const chart of charts) {
        const s = chart.summary;
        console.log(`${config.output}/${chart.name}: version ${s.version}, ${s.templates} templates, ${s.values} values, ${s.hooks} hooks`);
      }
      console.log(`synthesized ${charts.length} chart(s) in ${Number((process.hrtime.bigint() - started) / 1000000n)} ms`);
    }
    return 0;
  }
  if (command === 'plan') {
    const { printPlan } = require('./plan-command') as typeof import('./plan-command');
    return printPlan(config, args);
  }
  console.error(USAGE);
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (error instanceof HelmSynthError) {
    console.error(`Error: ${error.message}`);
    console.error('Nothing was written; the previous output is unchanged.');
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
