#!/usr/bin/env node
import { HelmSynthError } from '../errors';
import { ProjectConfig, readProjectConfig } from './project-config';
import { runApp } from './run-app';

const USAGE = `usage: helm-synth synth [--app CMD] [--output DIR]   synthesize every chart (defaults from cdk8s.yaml)
       helm-synth plan [CHART] [--format text|json|mermaid]  print the install/upgrade/rollback/uninstall/test sequence
       helm-synth package [--destination DIR] [--merge] [--created ISO-TIME] [--baseline DIR|ARCHIVE]
                                                       archives and index.yaml, with the version guard
       helm-synth check-upgrade --baseline DIR|ARCHIVE [-f FILE]... [--set K=V]... [CHART...]
                                                       what breaks helm upgrade from the baseline`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const { config, args } = withOverrides(readProjectConfig(), rest);
  if (command === 'synth') {
    const started = process.hrtime.bigint();
    const charts = runApp(config.app, { HELM_SYNTH_OUTDIR: config.output });
    if (charts) {
      for (const chart of charts) {
        const s = chart.summary;
        console.log(`${config.output}/${chart.name}: version ${s.version}, ${s.templates} templates, ${s.values} values, ${s.hooks} hooks`);
        for (const warning of chart.warnings) console.warn(`  warning: ${warning.constructPath}: ${warning.message}`);
      }
      console.log(`synthesized ${charts.length} chart(s) in ${Number((process.hrtime.bigint() - started) / 1000000n)} ms`);
    }
    return config.upgradeCheck ? (require('./check-upgrade-command') as typeof import('./check-upgrade-command')).checkAfterSynth(config) : 0;
  }
  if (command === 'plan') {
    const { printPlan } = require('./plan-command') as typeof import('./plan-command');
    return printPlan(config, args);
  }
  if (command === 'package') return (require('./package-command') as typeof import('./package-command')).runPackage(config, args);
  if (command === 'check-upgrade') return (require('./check-upgrade-command') as typeof import('./check-upgrade-command')).runCheckUpgrade(config, args);
  console.error(USAGE);
  return 2;
}

/** Applies `--app` and `--output` to the cdk8s.yaml settings; returns the other arguments. */
function withOverrides(config: ProjectConfig, argv: string[]): { config: ProjectConfig; args: string[] } {
  const args: string[] = [];
  let result = config;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--app' || argv[i] === '--output') {
      const value = argv[++i];
      if (!value) throw new HelmSynthError('helm-synth', `${argv[i - 1]} needs a value`);
      result = argv[i - 1] === '--app' ? { ...result, app: value } : { ...result, output: value };
    } else {
      args.push(argv[i]);
    }
  }
  return { config: result, args };
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (HelmSynthError.isHelmSynthError(error)) {
    console.error(`Error: ${error.message}`);
    console.error('Nothing was written; the previous output is unchanged.');
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
